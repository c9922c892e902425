// Private to the PDF acta engine: the texts it draws and writes (Spanish), and the state of
// an external signature between prepare and finalize.
#pragma once

#include <cstdint>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/lang/gender.h"

namespace rubrica::documents {

/// Status::Error(kind, "engine." + code, en, es).
Status EngineError(ErrorKind kind, const std::string& code, const std::string& en, const std::string& es);
/// "YYYY-MM-DD".
std::string DateText(std::chrono::year_month_day d);

/// "D:20261121120405-06'00'" (PDF date, local time with offset).
std::string PdfDate(const TimeZone& zone, Instant t);
/// Initials for a rubric mark: "Ana María de la Luz Núñez" -> "AMLN" (at most 4; particles
/// such as de, del, la, los, y are skipped).
std::string Initials(const std::string& full_name);
/// The signer's role in the acta, lower case and in the signer's gender, as firmantes.json
/// and the signature block print it (lang::PostName): "titular", "suplente",
/// "facilitadora", "persona suscriptora"... A capacity lang does not know is kept as written.
std::string RoleOf(const std::string& capacity, lang::Gender gender);
/// lang::DateTimeEs's text for a signature appearance, where lines wrap at spaces: the time,
/// "h" and the offset held together by no-break spaces, so a narrow rubric breaks after the
/// date ("16 de marzo de 2023," / "17:08 h (UTC−6)"), never inside "17:08 h".
std::string AppearanceTime(const std::string& date_time);
/// The post line of a foot box: "Facilitadora — Enlace Responsable de la Unidad…", the role
/// capitalised, then the post (already agreed with the gender); the role alone without one.
std::string RoleLine(const std::string& role, const std::string& post);

/// What finalize needs to rebuild exactly the bytes prepare had the device sign.
struct ExternalState {
  std::string input_blob_id;
  int kind = 0;  // SignatureKind
  int64_t person_id = 0;
  int64_t credential_id = 0;
  Instant at;  // signing time, whole seconds
};
std::string SerializeExternalState(const ExternalState& state);

/// Parses what SerializeExternalState wrote. engine.bad_credential on anything malformed.
Result<ExternalState> ParseExternalState(std::string_view state);

}  // namespace rubrica::documents
