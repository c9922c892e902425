// TrustStore: the anchors Rúbrica trusts (the local CA root, SAT's roots, a state's CA...),
// the revocation material it was given, and certificate-chain validation at a given time.
//
// Validation builds a chain from the leaf through intermediates supplied by the caller
// (e.g. the certificates embedded in a CMS signature) to one of the anchors, then checks,
// as of ValidationOptions::time (not "now"): validity periods, signatures along the chain,
// CA flags, the key usages the purpose needs, and revocation. A certificate that has
// expired today is valid at a past time inside its validity period.
//
// Each failure has its own stable code, kept distinct so callers can map them to ETSI
// EN 319 102-1 sub-indications:
//   keys.untrusted_issuer        no chain to an anchor            NO_CERTIFICATE_CHAIN_FOUND
//   keys.certificate_expired     time after notAfter              EXPIRED / OUT_OF_BOUNDS_*
//   keys.not_yet_valid           time before notBefore            NOT_YET_VALID
//   keys.certificate_revoked     revoked at or before time        REVOKED (+ time, reason)
//   keys.usage_not_allowed       keyUsage/EKU/CA flags            CHAIN_CONSTRAINTS_FAILURE
//   keys.bad_signature_in_chain  a certificate's signature fails  CRYPTO_CONSTRAINTS / FORMAT
//   keys.revocation_unknown      no revocation answer, required   TRY_LATER
//   keys.chain_invalid           any other chain problem          CHAIN_CONSTRAINTS_FAILURE
//
// Revocation: for every certificate of the chain except the anchor, the store looks for a
// CRL from its issuer, first in the CrlSources (the local CA), then in the CRLs added with
// AddCrl or passed in ValidationOptions::document_crls (each CRL's signature is checked
// against the issuer before use; a CRL that does not verify is ignored; the freshest wins). When none is found, the certificate names an OCSP responder
// (authorityInfoAccess) and the caller gives an OcspTransport, the responder is queried
// (the response must be signed by the issuer or by a responder it delegated to, and be
// current per the injected Clock). A revocation at or before `time` fails validation; one
// after `time` leaves the chain valid at `time` but is reported.
//
// Building: add anchors and CRLs, then share as const. Const methods are thread-safe;
// the Add* methods are not (build the store before sharing it).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/revocation.h"

namespace rubrica::keys {

/// What the leaf certificate is going to be used for.
enum class Purpose {
  /// No usage check on the leaf (chain, times and revocation only).
  kAny,
  /// Signing documents (PAdES/CAdES). keyUsage, when present, must allow digitalSignature
  /// or nonRepudiation; extendedKeyUsage, when present, must contain documentSigning
  /// (1.3.6.1.5.5.7.3.36), emailProtection, anyExtendedKeyUsage, Adobe's Authentic
  /// Documents (1.2.840.113583.1.1.5) or Microsoft's document signing
  /// (1.3.6.1.4.1.311.10.3.12). SAT e.firma certificates (emailProtection) qualify.
  kDocumentSigning,
  /// An RFC 3161 timestamp authority: extendedKeyUsage present, critical, and only
  /// timeStamping (RFC 3161 §2.3); keyUsage, when present, digitalSignature/nonRepudiation.
  kTimestamping,
  /// A CA: basicConstraints cA and keyUsage keyCertSign.
  kCertificateAuthority,
};
std::string_view PurposeName(Purpose purpose);

/// CRLs parsed once, each one's signature checked at most once per issuer however many
/// certificates it is consulted for (a verifier checks dozens of chains against the same
/// few CRLs). Thread-safe once filled.
class CrlSet {
 public:
  CrlSet();
  ~CrlSet();
  CrlSet(CrlSet&&) noexcept;
  CrlSet& operator=(CrlSet&&) noexcept;
  CrlSet(const CrlSet&) = delete;
  CrlSet& operator=(const CrlSet&) = delete;

  /// Adds a CRL (DER or PEM). Fails with keys.bad_crl naming `origin` when it does not parse.
  Status Add(std::string_view der_or_pem, std::string_view origin = "bytes");
  size_t size() const;

 private:
  friend class TrustStore;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A provider of current CRLs, consulted at validation time (the local CA implements it,
/// so revocations are seen as soon as they are committed). Must be thread-safe.
class CrlSource {
 public:
  virtual ~CrlSource() = default;
  /// The current CRL (DER) issued by `issuer`, or nullopt when this source does not speak
  /// for that issuer.
  virtual Result<std::optional<std::string>> CrlFor(const Certificate& issuer) const = 0;
};

/// How an OCSP request reaches a responder and its answer comes back. The network one is
/// HttpOcspTransport(); a process that must never touch the network (the sandboxed verifier)
/// gives none, and then links no HTTP client at all.
class OcspTransport {
 public:
  virtual ~OcspTransport() = default;
  /// POSTs the DER OCSPRequest `request_der` to `url` and returns the response body, at most
  /// `max_bytes` of it; `timeout` bounds the connection and the whole exchange. Fails with
  /// keys.ocsp_failed, the message saying why (the responder's URL is added by the caller).
  virtual Result<std::string> Post(const std::string& url, const std::string& request_der,
                                   std::chrono::milliseconds timeout, size_t max_bytes) const = 0;
};

/// OCSP over HTTP POST (http:// responders only) through the one bounded client (net::SendHttp).
const OcspTransport& HttpOcspTransport();

struct ValidationOptions {
  /// The instant the chain must be valid at (e.g. the signing time proven by a timestamp).
  /// Required.
  Instant time;
  /// Default kDocumentSigning.
  Purpose purpose = Purpose::kDocumentSigning;
  /// Query OCSP responders named by certificates that no CRL covers, through this transport
  /// (not owned). Default none: nothing is queried, and the report says network not allowed.
  const OcspTransport* ocsp = nullptr;
  /// Connect + response timeout for each OCSP query. Default 5 s.
  std::chrono::milliseconds network_timeout{5000};
  /// Fail with keys.revocation_unknown when a certificate below the anchor has no
  /// revocation answer (no CRL and no OCSP). Default false: reported, not an error.
  bool require_revocation_info = false;
  /// CRLs that travel with the object being validated, such as those in a PDF's /DSS.
  /// They compete with the store's own CRLs (the freshest CRL of an issuer wins); each must
  /// verify against the issuer found in the chain, and one that does not is ignored. A
  /// check they answer has source "crl (document)". Not owned; null for none.
  const CrlSet* document_crls = nullptr;
};

/// Revocation status of one certificate of a chain.
struct RevocationCheck {
  enum class State { kNotChecked, kGood, kRevoked };
  State state = State::kNotChecked;
  /// "crl", "crl (document)" or "ocsp <url>" ("" when not checked).
  std::string source;
  /// thisUpdate of the CRL or OCSP response used.
  Instant this_update;
  /// Set when revoked (even when revoked after the validation time).
  std::optional<RevocationInfo> revocation;
  /// Why it was not checked (no CRL, no OCSP URL, network not allowed, responder error).
  std::string note;
};

struct ValidationReport {
  /// OK, or the first failure found (codes above). The English message names the
  /// certificate (subject) and the reason with dates; message_es is for people.
  Status status;
  /// Leaf first, anchor last. On failure, as much of the chain as was built (the leaf at
  /// least).
  std::vector<Certificate> chain;
  /// Index in `chain` of the certificate the failure concerns (-1 when OK or unknown).
  int failing_index = -1;
  /// Parallel to `chain`; the anchor's entry is always kNotChecked.
  std::vector<RevocationCheck> revocation;
  /// When a certificate of the chain is revoked (before or after the validation time).
  std::optional<RevocationInfo> revoked;

  bool ok() const { return status.ok(); }
};

class TrustStore {
 public:
  /// `clock` decides whether OCSP responses are current. It must outlive the store.
  explicit TrustStore(const Clock& clock);
  ~TrustStore();
  TrustStore(TrustStore&&) noexcept;
  TrustStore& operator=(TrustStore&&) = delete;
  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  /// Adds a trust anchor (normally a self-signed root; an intermediate may be an anchor
  /// too). Adding the same certificate twice is a no-op.
  void AddAnchor(const Certificate& anchor);
  /// Adds every certificate of a PEM bundle, or the one certificate of DER bytes.
  /// Fails with keys.bad_certificate naming `origin` (a file name, for messages).
  Status AddAnchors(std::string_view pem_or_der, std::string_view origin = "bytes");
  /// Reads a file and adds its certificates (PEM bundle or DER).
  Status AddAnchorsFromFile(const std::string& path);
  /// Adds a CRL (DER or PEM). Fails with keys.bad_crl when it does not parse. Its
  /// signature is checked when used, against the issuer found in the chain.
  Status AddCrl(std::string_view der_or_pem, std::string_view origin = "bytes");
  /// Adds a live CRL provider, not owned; it must outlive the store.
  void AddCrlSource(const CrlSource& source);

  const std::vector<Certificate>& anchors() const;

  /// Validates `leaf` with optional `intermediates` (any order, extra ones ignored).
  /// Never fails outright: problems are in the report's status.
  ValidationReport Validate(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                            const ValidationOptions& options) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rubrica::keys
