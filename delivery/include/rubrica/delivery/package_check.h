// Checking a monthly package from its bytes alone: what the agency's inbox and
// `rubrica package verify` both run. Every problem found is named (stable code, Spanish
// text, the file concerned); the check goes on after a problem where it can, so one
// refusal lists every reason.
//   delivery.zip_*            the container (package_zip.h)
//   delivery.no_manifest      no manifest.xml
//   delivery.bad_manifest     not valid against docs/manifiesto-paquete.xsd
//   delivery.bad_signature    the manifest's XMLDSig fails, or its chain is not trusted
//   delivery.unknown_sender   signed by a seal other than the one expected
//   delivery.cosignature_missing  a co-signature is required and absent
//   delivery.cosignature_invalid  a co-signature that fails, is untrusted, or of another role
//   delivery.file_missing     a file the manifest lists is absent
//   delivery.file_altered     a file's SHA-256 or size differs from the manifest's
//   delivery.file_unlisted    a file the manifest does not list
//   delivery.acta_invalid     the PDF verifier does not find the sealed acta valid and complete
// Thread-safe (the acta verifier callback must be too).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/delivery/manifest.h"
#include "rubrica/delivery/package_zip.h"

namespace rubrica::delivery {

struct CheckProblem {
  std::string code;
  std::string message_es;
  std::string file;  // the entry concerned; empty for the package as a whole
};

/// The PDF verifier's verdict on one sealed acta.
struct ActaVerdict {
  int exit_code = 2;    // rubrica verify's: 0 valid and complete, 1 invalid, 3 incomplete, 2 not processed
  std::string verdict;  // e.g. "TOTAL_PASSED"; free text for the receipt
};

struct PackageCheckOptions {
  /// The clock the manifest's signature is verified at (plus 15 minutes of skew); null:
  /// the system clock.
  const Clock* clock = nullptr;
  /// The package's SHA-256 (64 lower-case hex) when the caller has already computed it
  /// (the inbox, for its idempotency key); computed when empty.
  std::string sha256;
  /// PEM anchors for the manifest's signature (the secretariat's local CA). Required.
  std::string trust_pem;
  /// DER of the seal certificate expected to have signed; empty: any certificate that
  /// chains to `trust_pem`.
  std::string expected_signer_der;
  /// The role whose co-signature the manifest must carry ("garante" or "facilitator");
  /// empty: none required (one present is checked all the same).
  std::string required_cosigner;
  /// Chooses the anchors, the expected seal and the required co-signer (starting from
  /// trust_pem, expected_signer_der and required_cosigner) before the manifest's signature
  /// is checked, from the certificates (DER) the seal's KeyInfo carries (the signer's among
  /// them), e.g. an inbox that knows each sender by its seal. Only a choice of what to
  /// trust: the signature is then checked in full as always.
  std::function<void(const std::vector<std::string>& certificates_der, std::string& trust_pem,
                     std::string& expected_signer_der, std::string& required_cosigner)>
      choose_trust;
  /// Runs the PDF verifier on one sealed acta; absent: acta PDFs are checked by hash only.
  std::function<ActaVerdict(const std::string& pdf)> verify_acta;
  /// Runs the PDF verifier on every sealed acta of the package in one call (e.g. one
  /// sandboxed worker per package), after the hashes are checked: the i-th verdict is the
  /// i-th PDF's (a missing verdict counts as not processed). Takes the place of verify_acta.
  std::function<std::vector<ActaVerdict>(const std::vector<const std::string*>& pdfs)> verify_actas;
  ZipLimits limits;
};

struct CheckedActa {
  int64_t id = 0;
  std::string folio;
  std::string sha256;  // of the sealed PDF
  std::string verdict;
};

struct CheckedCosigner {
  std::string role;  // "garante" or "facilitator", as the manifest names it
  std::string name;  // the certificate's CN
  std::string certificate_der;
};

struct PackageCheck {
  bool ok = false;
  std::string sha256;  // of the ZIP
  uint64_t bytes = 0;
  std::optional<Manifest> manifest;  // when it parsed
  std::string signer_der;            // when the signature verified
  std::vector<CheckedCosigner> cosigners;  // the co-signatures that verified
  std::vector<CheckedActa> actas;
  std::vector<CheckProblem> problems;
};

PackageCheck CheckPackage(const std::string& zip, const PackageCheckOptions& options);

/// The problems as a JSON array [{"code":..,"message_es":..,"file":..}].
std::string ProblemsJson(const std::vector<CheckProblem>& problems);

}  // namespace rubrica::delivery
