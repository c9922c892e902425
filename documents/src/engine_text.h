// Private to the PDF acta engine: the texts it draws and writes (Spanish), and the state of
// an external signature between prepare and finalize.
#pragma once

#include <cstdint>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/base/time_zone.h"

namespace rubrica::documents {

/// "D:20261121120405-06'00'" (PDF date, local time with offset).
std::string PdfDate(const TimeZone& zone, Instant t);
/// "21/11/2026" (local date).
std::string DayMonthYear(const TimeZone& zone, Instant t);
/// Initials for a rubric mark: "Ana María de la Luz Núñez" -> "AMLN" (at most 4; particles
/// such as de, del, la, los, y are skipped).
std::string Initials(const std::string& full_name);
/// The role as written in firmantes.json: titular, suplente, facilitador, suscriptor.
std::string RoleEs(const std::string& capacity);
/// A line for the foot appearance: "Titular — Directora de Transparencia".
std::string RoleLine(const std::string& capacity, const std::string& title);

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
