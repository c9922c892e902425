// Verification of a signed acta: every signature (raw ByteRange checks before any parsing,
// the CMS, the timestamp, the signer's chain at the signing time), every revision after the
// first (reject by default, pdf/cos/revision_analysis.h), and completeness against the
// required-signer list of the certified revision.
//
// Input comes from anyone. The parser is strict and bounded, every stream is decoded under a
// size cap (decompression bombs stop with pdf.stream_too_large), and any failure to process
// becomes VerifyExit::kNotProcessed with a message: never "valid". For CPU and memory
// limits, run it in a child process (server/verify_sandbox).
//
// Thread-safe for distinct inputs (the TrustStore is shared read-only).
#pragma once

#include <optional>

#include "rubrica/base/clock.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/verify_report.h"

namespace rubrica::signing {

struct VerifyOptions {
  /// Anchors and revocation material. Required (an empty store trusts nobody).
  const keys::TrustStore* trust = nullptr;
  /// Validate chains at this time instead of each signature's timestamp (`--at`).
  std::optional<Instant> at;
  /// Largest file accepted. Default 256 MiB.
  size_t max_file_bytes = 256u << 20;
  /// Largest decoded size of all streams together. Default 512 MiB.
  size_t max_decoded_bytes = 512u << 20;
  /// How OCSP responders named by certificates are asked (not owned;
  /// keys::HttpOcspTransport() for the network). Default none: no query.
  const keys::OcspTransport* ocsp = nullptr;
  /// A certificate whose revocation status nothing answers (no CRL, no OCSP) makes its
  /// signature INDETERMINATE / TRY_LATER instead of a report entry (`--require-revocation`).
  bool require_revocation = false;
};

VerifyReport VerifyPdf(std::string_view pdf, const VerifyOptions& options, const Clock& clock);

}  // namespace rubrica::signing
