// Judges we did not write, for the PAdES tests: pdfsig (poppler, with an NSS database that
// trusts our anchor), qpdf, and openssl cms on each extracted signature.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"

namespace rubrica::pades_testing {

struct PdfsigSignature {
  std::string field;       // "firma_1"
  bool valid = false;      // "Signature is Valid."
  bool trusted = false;    // "Certificate is Trusted."
  bool whole_document = false;  // "Total document signed" (only the last one)
};

struct PdfsigResult {
  int exit_code = -1;
  std::string output;
  std::vector<PdfsigSignature> signatures;  // signed fields only
  int unsigned_fields = 0;  // "The signature form field is not signed."
};

/// Runs `pdfsig -nssdir sql:<dir>` on `pdf_path` with a fresh NSS database under `work_dir`
/// that trusts the PEM certificates in `anchor_pem_path`. pdfsig judges certificates as of
/// now; given `at`, it runs under faketime at that instant (UTC) instead.
PdfsigResult RunPdfsig(const std::string& pdf_path, const std::string& anchor_pem_path,
                       const std::string& work_dir, std::optional<Instant> at = std::nullopt);

/// Writes each signature's CMS and covered bytes under `work_dir` and runs
/// `openssl cms -verify -binary -inform DER -content ... -CAfile anchor -purpose any`.
/// Returns one line per signature: "<field>: ok" or "<field>: <openssl stderr>".
/// Given `at`, certificates are judged as of then (-attime) rather than now.
std::vector<std::string> OpensslVerifyEach(const std::string& pdf_bytes, const std::string& anchor_pem_path,
                                           const std::string& work_dir, std::optional<Instant> at = std::nullopt);

/// For every CAdES signature, extracts its signature-time-stamp token and runs
/// `openssl ts -verify -digest <SHA-256 of the signature value> -token_in -CAfile anchor`;
/// for a document timestamp (the archive seal), `openssl ts -verify -data <covered bytes>`.
/// Returns one line per signature: "<field>: ok" or "<field>: <why>".
/// Given `at`, certificates are judged as of then (-attime) rather than now.
std::vector<std::string> OpensslTsVerifyEach(const std::string& pdf_bytes, const std::string& anchor_pem_path,
                                             const std::string& work_dir, std::optional<Instant> at = std::nullopt);

/// `qpdf --check`: true when it reports no errors (output in `*output`).
bool QpdfCheck(const std::string& pdf_path, std::string* output);

}  // namespace rubrica::pades_testing
