// Who must sign an approved acta, and the required-signer list embedded in its PDF.
//
// The approved version of an acta carries, as the attachment `firmantes.json`, the list of
// required signers with the names of their form fields, so that completeness can be judged
// from the PDF alone. RenderActa writes it with SignerListToJson; the verifier reads it
// back with SignerListFromJson and gets exactly the values written.
//
// Field names for signer k (1-based, in plan order): rubrica_k (rubric signature),
// marca_k (the rubric mark, one widget per page), firma_k (foot signature); the
// certification signature field is `certificacion`.
//
// Plain value types and pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::pdf {

/// Most signers one approved acta can have (the margin strip holds one rubric slot each).
inline constexpr size_t kMaxSigners = 24;
inline constexpr std::string_view kCertificationFieldName = "certificacion";
inline constexpr std::string_view kSignerListFileName = "firmantes.json";

std::string RubricFieldName(int index);  // "rubrica_<index>"
std::string MarkFieldName(int index);    // "marca_<index>"
std::string FootFieldName(int index);    // "firma_<index>"

struct SignerIdentity {
  std::string curp;
  std::string rfc;
  std::string email;
  /// SHA-256 (64 lower-case hex) of the DER SubjectPublicKeyInfo of the signer's key, or
  /// empty. Binds the signer to a key rather than to one certificate, so a member's rubric
  /// certificate and foot certificate (same key) both match.
  std::string public_key_sha256;
  bool operator==(const SignerIdentity&) const = default;
};

struct SignerFields {
  std::string rubric;  // "rubrica_k"
  std::string mark;    // "marca_k"
  std::string foot;    // "firma_k"
  bool operator==(const SignerFields&) const = default;
};

struct RequiredSigner {
  /// 1-based position in the plan; set by MakeSignerList (ignored on input).
  int index = 0;
  std::string name;
  std::string seat;            // "Gobierno municipal", "Organismo garante", ...
  std::string role;            // "titular", "suplente", "facilitador", ...
  std::string representation;  // printed under the name
  /// SHA-256 of the signer's certificate, 64 lower-case hex, or empty when the identity
  /// below is what binds the signer.
  std::string certificate_sha256;
  SignerIdentity identity;
  /// Set by MakeSignerList (ignored on input).
  SignerFields fields;
  bool operator==(const RequiredSigner&) const = default;
};

/// The required signers of an approved version, in the order their slots are printed.
struct SignaturePlan {
  std::string approved_on;  // "YYYY-MM-DD", in `time_zone`
  std::string time_zone = "America/Mexico_City";
  std::vector<RequiredSigner> signers;  // 1..kMaxSigners
  bool operator==(const SignaturePlan&) const = default;
};

/// What firmantes.json says about the acta itself.
struct SignedActaSummary {
  std::string id;
  std::string title;
  std::string kind;  // "instalacion" | "sesion"
  std::string secretariat;
  std::string approved_on;
  std::string time_zone;
  int version = 1;
  bool operator==(const SignedActaSummary&) const = default;
};

/// The content of firmantes.json.
struct SignerList {
  int format_version = 1;
  SignedActaSummary acta;
  std::vector<RequiredSigner> signers;
  bool operator==(const SignerList&) const = default;
};

/// Checks a plan: 1..kMaxSigners signers, each with a name; approved_on a real date
/// "YYYY-MM-DD"; certificate_sha256 empty or 64 lower-case hex; valid UTF-8 everywhere;
/// texts at most 1000 bytes. Fails with pdf.bad_signature_plan (kInvalidArgument).
Status ValidateSignaturePlan(const SignaturePlan& plan);

/// The list embedded in an approved version: the plan's signers with index and field names
/// filled in. `kind` is ActaKindName(...).
SignerList MakeSignerList(const SignedActaSummary& acta, const SignaturePlan& plan);

/// Deterministic UTF-8 JSON with the keys in the documented order (docs/acta-format.md).
std::string SignerListToJson(const SignerList& list);

/// Reads firmantes.json strictly: every key present with the right type, no unknown keys,
/// format_version 1, indexes 1..n in order, field names matching the indexes, at most
/// kMaxSigners signers and 1 MiB. Fails with pdf.bad_signer_list (kDataLoss: the list comes
/// from a PDF we wrote, so a bad one means the file was damaged or forged), the message
/// naming the JSON path.
Result<SignerList> SignerListFromJson(std::string_view json);

}  // namespace rubrica::pdf
