// An X.509 certificate: an immutable value holding the DER bytes, with accessors for what
// Rúbrica reads from certificates (subject attributes, validity, usages, fingerprint).
//
// Copying is cheap (shared, immutable). Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"

namespace rubrica::keys {

/// OIDs Rúbrica checks.
inline constexpr const char* kOidEkuDocumentSigning = "1.3.6.1.5.5.7.3.36";
inline constexpr const char* kOidEkuEmailProtection = "1.3.6.1.5.5.7.3.4";
inline constexpr const char* kOidEkuTimeStamping = "1.3.6.1.5.5.7.3.8";

class Certificate {
 public:
  /// Parses DER. Fails with keys.bad_certificate (kInvalidArgument) naming what is wrong.
  static Result<Certificate> FromDer(std::string_view der);
  /// Parses the first "BEGIN CERTIFICATE" block of `pem`.
  static Result<Certificate> FromPem(std::string_view pem);
  /// Parses every certificate in a PEM bundle (at least one).
  static Result<std::vector<Certificate>> AllFromPem(std::string_view pem);
  /// DER or PEM, whichever `bytes` is.
  static Result<Certificate> FromDerOrPem(std::string_view bytes);
  /// Drops the parses shared between equal DER inputs (those already handed out stay valid).
  /// For fuzz harnesses: libFuzzer takes an input whose allocations outnumber its frees for
  /// a possible leak and runs LeakSanitizer after it, which the shared parses would cause on
  /// every new certificate (21 inputs a second instead of thousands).
  static void ForgetParsed();
  /// For a process that parses certificates on one thread only (the sandboxed verifier):
  /// from now on its certificates' EC public keys are read without OpenSSL 3.0's decoder
  /// framework, which builds a new decoder context for every certificate (~70 of the ~85 µs
  /// a P-256 certificate takes to parse; ~2 ms of a 27-signature acta's verification). The
  /// key is read by the same built-in EC code, and its signatures checked as before
  /// (src/legacy_ec_decoding.cc). Idempotent; true when in effect.
  static bool DecodeEcKeysDirectly();

  const std::string& der() const;
  std::string ToPem() const;

  /// A subject attribute by short name or dotted OID: "CN", "O", "OU", "title",
  /// "serialNumber", "emailAddress", "x500UniqueIdentifier" (2.5.4.45), ...
  /// UTF-8; "" when absent. When repeated, the first.
  std::string SubjectAttribute(std::string_view name) const;
  std::string SubjectCommonName() const { return SubjectAttribute("CN"); }
  /// Subject and issuer as one-line RFC 2253 strings.
  std::string SubjectString() const;
  std::string IssuerString() const;
  /// DER of the subject / issuer Name (for matching and CMS IssuerAndSerialNumber).
  std::string SubjectNameDer() const;
  std::string IssuerNameDer() const;
  /// Serial number: lower-case hex, and DER INTEGER content bytes.
  std::string SerialHex() const;
  /// SHA-256 of the DER, 64 lower-case hex.
  std::string FingerprintSha256() const;
  /// DER of the SubjectPublicKeyInfo.
  std::string PublicKeyInfoDer() const;
  /// "EC" or "RSA" (or "other").
  std::string KeyType() const;

  Instant NotBefore() const;
  Instant NotAfter() const;
  bool ValidAt(Instant t) const { return t >= NotBefore() && t <= NotAfter(); }

  bool IsCa() const;
  bool IsSelfIssued() const;
  /// keyUsage bits; true when the extension is absent (no restriction).
  bool AllowsDigitalSignature() const;
  bool AllowsNonRepudiation() const;
  bool AllowsCertSign() const;
  /// extendedKeyUsage contains `oid` (false when the extension is absent).
  bool HasExtendedKeyUsage(std::string_view oid) const;
  /// The OCSP responder URL from authorityInfoAccess ("" when none).
  std::string OcspUrl() const;
  /// CRL distribution point URLs.
  std::vector<std::string> CrlUrls() const;

  /// Opaque handle for modules that hand the certificate to OpenSSL (an X509*). Not part of
  /// the stable API; used only inside rubrica's own .cc files.
  void* native_handle() const;

  bool operator==(const Certificate& o) const { return der() == o.der(); }

 private:
  struct Impl;
  explicit Certificate(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace rubrica::keys
