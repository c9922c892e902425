// The report of `rubrica verify`: one entry per signature, the document verdict (every
// change after each signature explained or named as forbidden), and completeness against
// the required-signer list the certified revision carries. Serialised as JSON
// (docs/verify-report.md holds the schema) and as a Spanish text report for people.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rubrica::signing {

/// Exit status of `rubrica verify`.
enum class VerifyExit { kValidAndComplete = 0, kInvalid = 1, kNotProcessed = 2, kIncomplete = 3 };

/// What a signature is for, from its dictionary and the revision that fills it.
enum class SignatureRole { kCertification, kRubric, kFoot, kDocumentTimestamp, kOther };
/// ETSI EN 319 102-1 main indication.
enum class Indication { kTotalPassed, kTotalFailed, kIndeterminate };
/// ETSI EN 319 102-1 sub-indications this verifier gives (kNone when passed).
enum class SubIndication {
  kNone,
  kFormatFailure,
  kHashFailure,
  kSigCryptoFailure,
  kCryptoConstraintsFailure,
  kNoSigningCertificateFound,
  kSigConstraintsFailure,
  kNoCertificateChainFound,
  kExpired,
  kNotYetValid,
  kRevoked,
  kChainConstraintsFailure,
  kTryLater,
};
/// Whether the signed bytes are as signed: the digest of the covered bytes and the signature
/// value over it hold (kIntact), do not (kAltered), or could not be checked (kUnknown).
enum class Integrity { kUnknown, kIntact, kAltered };

/// Stable names as in the JSON report ("rubric", "TOTAL-PASSED", "HASH_FAILURE", "intact").
std::string_view Name(SignatureRole r);
std::string_view Name(Indication i);
std::string_view Name(SubIndication s);
std::string_view Name(Integrity i);
/// Comparisons with the stable names, so `entry.indication == "TOTAL-PASSED"` reads as before.
inline bool operator==(SignatureRole a, std::string_view b) { return Name(a) == b; }
inline bool operator==(Indication a, std::string_view b) { return Name(a) == b; }
inline bool operator==(SubIndication a, std::string_view b) { return Name(a) == b; }
inline bool operator==(Integrity a, std::string_view b) { return Name(a) == b; }
inline bool operator!=(SignatureRole a, std::string_view b) { return !(a == b); }
inline bool operator!=(Indication a, std::string_view b) { return !(a == b); }
inline bool operator!=(SubIndication a, std::string_view b) { return !(a == b); }
/// Parses a stable sub-indication name (kNone for "" or an unknown one).
SubIndication SubIndicationFromName(std::string_view name);

/// Revocation status of one certificate below the trust anchor, as the verifier learnt it.
struct RevocationEntry {
  std::string of;                          // "signer" | "timestamp" (the TSA's chain)
  std::string certificate;                 // subject CN
  std::string state;                       // good | revoked | not_checked
  std::string source;                      // "crl" | "crl (document)" | "ocsp <url>" | ""
  std::optional<std::string> this_update;  // of the CRL/OCSP answer used, RFC 3339 UTC
  std::optional<std::string> revoked_at;   // RFC 3339 UTC, when revoked (even after the time)
  std::string reason;                      // RFC 5280 reason name, when revoked
  std::string note;                        // why not checked
};

struct SignatureEntry {
  std::string field;                  // "firma_3"; "" when the structure could not be read
  SignatureRole kind = SignatureRole::kOther;
  size_t revision = 0;                // the revision this signature covers (1-based count)
  std::array<int64_t, 4> byte_range{};
  bool covers_whole_revision = false;
  /// /SubFilter ("ETSI.CAdES.detached", "adbe.pkcs7.detached", ...); "" when unknown.
  std::string sub_filter;
  /// The digest of the covered bytes and the signature value, checked on the raw bytes
  /// before any parsing of the PDF's objects.
  Integrity integrity = Integrity::kUnknown;
  std::string digest_algorithm;       // "SHA-256", ... ("" when unknown)
  // Signer (from the certificate).
  std::string signer_name;
  std::string signer_title;           // the seat/role in the certificate
  std::string signer_subject;
  std::string certificate_sha256;
  std::string issuer;
  // Time, from the signature-time-stamp token.
  std::optional<std::string> time_utc;    // RFC 3339
  std::optional<std::string> time_local;  // in the acta's zone, "YYYY-MM-DD HH:MM:SS -06:00"
  std::optional<std::string> local_date;  // "YYYY-MM-DD"
  std::string tsa;                        // subject CN of the TSA
  /// The time at which the certificate chains were judged (RFC 3339 UTC; unset when they
  /// were not judged) and where it comes from: "poe" (the time proven by the next document
  /// timestamp, `poe_by`), "signature_timestamp" (the signature's own timestamp, itself
  /// proven by a later one or by nothing), "at" (`--at`) or "now".
  std::optional<std::string> validation_time;
  std::string validation_time_source;
  std::string poe_by;  // the field of the document timestamp that proves validation_time
  // ETSI EN 319 102-1 result.
  Indication indication = Indication::kTotalPassed;
  SubIndication sub_indication = SubIndication::kNone;
  std::vector<std::string> errors;        // English, with a code prefix ("cms.message_digest: ...")
  std::vector<std::string> warnings;
  // Revocation of the signer's chain, then of the timestamp authority's (for document
  // timestamps, of the TSA's chain only).
  std::vector<RevocationEntry> revocation;
  // Required-signer match (rubric and foot signatures).
  int required_signer = 0;                // index in the list, 0 when none
  bool signer_matches = true;             // false: signed by someone other than the required signer
};

struct ReportNote {
  std::string code;        // "read.fields_from_annotations", "read.encrypted", ...
  std::string message;     // English
  std::string message_es;  // Spanish, for the text report
};

struct ChangeEntry {
  size_t revision = 0;
  /// Allowed changes explain what a signature added; a forbidden one makes the document
  /// invalid. Ambiguities in the original revision (covered by every signature) are allowed
  /// and still listed.
  bool allowed = false;
  std::string code;
  int object = 0;
  std::string message;
};

struct SignerCompleteness {
  int index = 0;
  std::string name;
  std::string seat;
  std::string role;
  std::string rubric;  // "valid" | "missing" | "invalid"
  std::string foot;    // "valid" | "missing" | "invalid"
  std::optional<std::string> rubric_date;
  std::optional<std::string> foot_date;
};

struct Completeness {
  bool assessed = false;             // false: no usable required-signer list
  /// True for a PDF that carries no required-signer list at all (not a Rúbrica acta):
  /// completeness does not apply, and a valid document exits 0.
  bool not_applicable = false;
  std::string reason;                // why not assessed, or why incomplete (English)
  std::string acta_id, acta_title, secretariat, approved_on, time_zone;
  bool certified = false;            // a valid certification signature over the list
  bool same_date = false;            // every rubric and foot signature on approved_on
  bool complete = false;
  /// A valid archive seal (document timestamp) covers the complete acta.
  bool archived = false;
  std::optional<std::string> archived_at;  // the seal's time, UTC RFC 3339
  std::vector<SignerCompleteness> signers;
  std::vector<std::string> missing;  // "Nombre (rúbrica)", "Nombre (firma al calce)"
};

/// One document timestamp of the archive chain (the seal, then each renewal), oldest
/// first: the time it proves, and the time its own TSA certificate was judged at (the time
/// the next timestamp proves, or `--at` / now for the last one).
struct TimestampChainEntry {
  std::string field;
  size_t revision = 0;
  std::optional<std::string> time_utc;        // genTime: the document existed then
  std::optional<std::string> validation_time;  // when its TSA chain was judged
  std::string validation_time_source;          // "poe" | "at" | "now"
  std::string tsa;                             // subject CN of its TSA
  std::optional<std::string> tsa_not_after;    // its TSA certificate's end, RFC 3339 UTC
  std::string digest_algorithm;
  Indication indication = Indication::kTotalPassed;
  SubIndication sub_indication = SubIndication::kNone;
};

struct VerifyReport {
  std::string file_sha256;
  uint64_t file_size = 0;
  size_t revisions = 0;
  VerifyExit exit = VerifyExit::kNotProcessed;
  std::string verdict;               // one English line
  std::string verdict_es;            // one Spanish line
  std::string error_code;            // when not processed: the cause's code
  std::string error;                 // when not processed: English message
  /// The structure (revisions, objects, form) could not be read completely: the cause's
  /// code and message. Signatures checked on the raw bytes are still reported.
  std::string structure_error_code;
  std::string structure_error;
  std::string structure_error_es;
  /// False when verification ran without any trust anchor: chains are then
  /// INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND and the verdict says why.
  bool trust_anchors = true;
  /// How the file was read, e.g. signature fields found through page annotations (no
  /// /AcroForm), or decrypted with the empty user password.
  std::vector<ReportNote> notes;
  std::vector<SignatureEntry> signatures;
  std::vector<ChangeEntry> changes;  // every change of every revision after the first
  bool changes_allowed = false;
  /// The archive chain of document timestamps, oldest first (empty when none).
  std::vector<TimestampChainEntry> timestamp_chain;
  /// Why the chain does not carry the signatures to the validation time (empty when it
  /// does or there is no chain): "verify.last_timestamp_expired" (the last timestamp's
  /// TSA certificate ended before the validation time and no later timestamp proves the
  /// document existed before that: INDETERMINATE, renew it), or
  /// "verify.last_timestamp_not_valid" (the last timestamp fails for another reason).
  std::string long_term_code;
  std::string long_term_reason;     // English
  std::string long_term_reason_es;  // Spanish
  /// Validation material found in the last revision's /DSS and used by the checks above.
  size_t dss_certificates = 0;
  size_t dss_crls = 0;
  Completeness completeness;
};

/// JSON (UTF-8, one object, keys as in docs/verify-report.md).
std::string ToJson(const VerifyReport& report);
/// Text for people, in Spanish.
std::string ToText(const VerifyReport& report);

}  // namespace rubrica::signing
