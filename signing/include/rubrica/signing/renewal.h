// Renewal of the archive seal (ETSI EN 319 142-1 PAdES-LTA): a sealed PDF gains, in one new
// incremental revision, the validation material of its last document timestamp (the TSA's
// chain and CRLs, added to the /DSS, which keeps every earlier entry) and a new document
// timestamp over the whole file. A verifier then judges the last timestamp at the time the
// new one proves, and so on back to the signatures (pdf_verifier.h), so the chain outlives
// every TSA certificate as long as renewals come before each one ends.
//
//   auto stamps = ReadArchiveTimestamps(pdf);       // the seal and its renewals, oldest first
//   if (due) auto renewed = RenewPdf(pdf, certs, crls, tsa);
//
// Thread-safe (pure functions of their inputs).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/signing/timestamp_client.h"

namespace rubrica::signing {

/// The field of the first archive seal; renewals are named "sello_archivo_2", "_3"...
inline constexpr const char* kArchiveSealField = "sello_archivo";

/// One document timestamp of a PDF, as its token says (cryptography checked, trust not).
struct ArchiveTimestamp {
  std::string field;
  size_t revision = 0;             // the revision that adds it (1-based count)
  std::string digest_algorithm;    // of the covered bytes: "SHA-256", "SHA-1", ...
  /// OK when the token verifies over the covered bytes; else why not (e.g.
  /// signing.weak_algorithm for a SHA-1 imprint). The fields below are set only when OK.
  Status status;
  Instant time{};                  // genTime
  std::optional<keys::Certificate> tsa_certificate;
  std::vector<keys::Certificate> certificates;  // embedded in the token
};

/// The document timestamps of `pdf`, oldest revision first (empty when it has none).
/// Errors: the parser's (pdf.*) when the file cannot be read.
Result<std::vector<ArchiveTimestamp>> ReadArchiveTimestamps(std::string_view pdf);

/// Appends a renewal revision to the sealed `pdf`: a /DSS with the earlier entries, the
/// certificates embedded in the last document timestamp, `certificates` and `crls` (DER;
/// entries already present are not repeated), and a new document timestamp from `tsa`
/// in a new field "sello_archivo_<n>" (n = the number of document timestamps + 1).
/// Errors: signing.not_sealed (kConflict) when `pdf` has no document timestamp; the
/// TSA's (signing.tsa_*); the parser's.
Result<std::string> RenewPdf(std::string_view pdf, const std::vector<std::string>& certificates,
                             const std::vector<std::string>& crls, TimestampClient& tsa);

}  // namespace rubrica::signing
