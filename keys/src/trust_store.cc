#include "rubrica/keys/trust_store.h"

#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "chain_memo.h"
#include "errors.h"
#include "ocsp_client.h"
#include "openssl_util.h"
#include "rubrica/base/files.h"

namespace rubrica::keys {

namespace {

struct ChainDeleter {
  void operator()(STACK_OF(X509)* s) const { sk_X509_pop_free(s, X509_free); }
};

// Extended key usages accepted for document signing (see Purpose::kDocumentSigning).
constexpr const char* kDocumentSigningEkus[] = {
    kOidEkuDocumentSigning, kOidEkuEmailProtection, "2.5.29.37.0", "1.2.840.113583.1.1.5",
    "1.3.6.1.4.1.311.10.3.12"};

bool HasEku(const Certificate& c) {
  return X509_get_ext_by_NID(static_cast<X509*>(c.native_handle()), NID_ext_key_usage, -1) >= 0;
}

bool EkuIsCritical(const Certificate& c) {
  X509* x = static_cast<X509*>(c.native_handle());
  int idx = X509_get_ext_by_NID(x, NID_ext_key_usage, -1);
  return idx >= 0 && X509_EXTENSION_get_critical(X509_get_ext(x, idx)) == 1;
}

bool HasKeyUsage(const Certificate& c) {
  return (X509_get_extension_flags(static_cast<X509*>(c.native_handle())) & EXFLAG_KUSAGE) != 0;
}

int EkuCount(const Certificate& c) {
  auto* eku = static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(static_cast<X509*>(c.native_handle()), NID_ext_key_usage, nullptr, nullptr));
  if (eku == nullptr) return 0;
  int n = sk_ASN1_OBJECT_num(eku);
  EXTENDED_KEY_USAGE_free(eku);
  return n;
}

Status CheckPurpose(const Certificate& leaf, Purpose purpose) {
  const bool ku = HasKeyUsage(leaf);
  switch (purpose) {
    case Purpose::kAny:
      return Status::Ok();
    case Purpose::kDocumentSigning: {
      if (ku && !leaf.AllowsDigitalSignature() && !leaf.AllowsNonRepudiation()) {
        return UsageNotAllowed(leaf, "keyUsage allows neither digitalSignature nor nonRepudiation");
      }
      if (!HasEku(leaf)) return Status::Ok();
      for (const char* oid : kDocumentSigningEkus) {
        if (leaf.HasExtendedKeyUsage(oid)) return Status::Ok();
      }
      return UsageNotAllowed(leaf, "extendedKeyUsage has no document-signing purpose");
    }
    case Purpose::kTimestamping:
      if (!leaf.HasExtendedKeyUsage(kOidEkuTimeStamping) || !EkuIsCritical(leaf) || EkuCount(leaf) != 1) {
        return UsageNotAllowed(leaf, "a timestamp authority needs a critical extendedKeyUsage with "
                                     "timeStamping only (RFC 3161 section 2.3)");
      }
      if (ku && !leaf.AllowsDigitalSignature() && !leaf.AllowsNonRepudiation()) {
        return UsageNotAllowed(leaf, "keyUsage allows neither digitalSignature nor nonRepudiation");
      }
      return Status::Ok();
    case Purpose::kCertificateAuthority:
      if (!leaf.IsCa() || !leaf.AllowsCertSign()) {
        return UsageNotAllowed(leaf, "not a CA certificate with keyCertSign");
      }
      return Status::Ok();
  }
  return Status::Ok();
}

Result<CrlPtr> ParseCrl(std::string_view bytes, std::string_view origin) {
  CrlPtr crl;
  if (bytes.find("-----BEGIN") != std::string_view::npos) {
    BioPtr bio = MemBio(bytes);
    crl.reset(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  } else {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
    crl.reset(d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size())));
  }
  if (!crl) {
    return Status::Error(ErrorKind::kInvalidArgument, "keys.bad_crl",
                         std::string(origin) + ": not a CRL (" + OpenSslErrors() + ")",
                         "El archivo no contiene una lista de revocación válida.");
  }
  return crl;
}

// A CRL applies to certificates of `issuer` when the names match and `issuer` signed it.
bool CrlIssuedBy(X509_CRL* crl, const Certificate& issuer) {
  X509* ca = static_cast<X509*>(issuer.native_handle());
  if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(ca)) != 0) return false;
  const bool ok = X509_CRL_verify(crl, X509_get0_pubkey(ca)) == 1;
  ERR_clear_error();
  return ok;
}

// Looks `cert` up in `crl`; fills `check`.
void ReadCrl(X509_CRL* crl, const Certificate& cert, RevocationCheck& check) {
  check.source = "crl";
  check.this_update = AsnTimeToInstant(X509_CRL_get0_lastUpdate(crl));
  X509_REVOKED* rev = nullptr;
  if (X509_CRL_get0_by_serial(crl, &rev, X509_get0_serialNumber(static_cast<X509*>(cert.native_handle()))) !=
          1 ||
      rev == nullptr) {
    check.state = RevocationCheck::State::kGood;
    return;
  }
  int reason = 0;
  auto* code = static_cast<ASN1_ENUMERATED*>(X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, nullptr, nullptr));
  if (code != nullptr) {
    reason = static_cast<int>(ASN1_ENUMERATED_get(code));
    ASN1_ENUMERATED_free(code);
  }
  check.state = RevocationCheck::State::kRevoked;
  check.revocation = RevocationInfo{AsnTimeToInstant(X509_REVOKED_get0_revocationDate(rev)),
                                    RevocationReasonFromCode(reason), "crl"};
}

Status FromVerifyError(int err, const Certificate& subject, Instant at) {
  const std::string text = X509_verify_cert_error_string(err);
  switch (err) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
      return UntrustedIssuer(subject, text);
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return CertificateExpired(subject, at);
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return NotYetValid(subject, at);
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
      return BadSignatureInChain(subject, text);
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
    case X509_V_ERR_INVALID_PURPOSE:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
      return UsageNotAllowed(subject, text);
    default:
      return Status::Error(ErrorKind::kRejected, "keys.chain_invalid",
                           "certificate chain of " + Describe(subject) + " is not valid: " + text,
                           "La cadena de certificados no es válida.");
  }
}

}  // namespace

struct CrlSet::Impl {
  std::vector<CrlPtr> crls;
  // (index in crls, issuer fingerprint) -> whether that issuer signed that CRL.
  mutable std::mutex mu;
  mutable std::map<std::pair<size_t, std::string>, bool> issued_by;

  // The freshest CRL of the set that `issuer` signed and that is fresher than `current`
  // (null: any), or null when none is.
  X509_CRL* FresherIssuedBy(const Certificate& issuer, X509_CRL* current) const {
    X509_CRL* best = nullptr;
    for (size_t i = 0; i < crls.size(); ++i) {
      X509_CRL* crl = crls[i].get();
      X509_CRL* against = best != nullptr ? best : current;
      if (against != nullptr &&
          ASN1_TIME_compare(X509_CRL_get0_lastUpdate(crl), X509_CRL_get0_lastUpdate(against)) <= 0) {
        continue;
      }
      if (IssuedBy(i, issuer)) best = crl;
    }
    return best;
  }

  bool IssuedBy(size_t i, const Certificate& issuer) const {
    const auto key = std::make_pair(i, issuer.FingerprintSha256());
    {
      std::lock_guard lock(mu);
      if (auto it = issued_by.find(key); it != issued_by.end()) return it->second;
    }
    const bool ok = CrlIssuedBy(crls[i].get(), issuer);
    std::lock_guard lock(mu);
    issued_by.emplace(key, ok);
    return ok;
  }
};

CrlSet::CrlSet() : impl_(new Impl) {}
CrlSet::~CrlSet() = default;
CrlSet::CrlSet(CrlSet&&) noexcept = default;
CrlSet& CrlSet::operator=(CrlSet&&) noexcept = default;

Status CrlSet::Add(std::string_view der_or_pem, std::string_view origin) {
  ASSIGN_OR_RETURN(CrlPtr crl, ParseCrl(der_or_pem, origin));
  impl_->crls.push_back(std::move(crl));
  return Status::Ok();
}

size_t CrlSet::size() const { return impl_->crls.size(); }

std::string_view PurposeName(Purpose purpose) {
  switch (purpose) {
    case Purpose::kAny: return "any";
    case Purpose::kDocumentSigning: return "document-signing";
    case Purpose::kTimestamping: return "timestamping";
    case Purpose::kCertificateAuthority: return "certificate-authority";
  }
  return "any";
}

struct TrustStore::Impl {
  const Clock& clock;
  std::vector<Certificate> anchors;
  CrlSet crls;
  std::vector<const CrlSource*> sources;
  // X509_verify_cert's outcomes for inputs already seen (chain_memo.h).
  ChainMemo chains;

  // X509_verify_cert of `leaf` over the anchors and `intermediates` at `at`.
  ChainOutcome BuildChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                          std::time_t at) const;

  // Revocation status of chain[i], issued by chain[i + 1].
  RevocationCheck Check(const std::vector<Certificate>& chain, size_t i, const ValidationOptions& o) const;
};

TrustStore::TrustStore(const Clock& clock) : impl_(new Impl{clock, {}, {}, {}, {}}) {}
TrustStore::~TrustStore() = default;
TrustStore::TrustStore(TrustStore&&) noexcept = default;

void TrustStore::AddAnchor(const Certificate& anchor) {
  for (const auto& a : impl_->anchors) {
    if (a == anchor) return;
  }
  impl_->anchors.push_back(anchor);
  impl_->chains.Clear();
}

Status TrustStore::AddAnchors(std::string_view pem_or_der, std::string_view origin) {
  std::vector<Certificate> certs;
  if (pem_or_der.find("-----BEGIN") != std::string_view::npos) {
    auto all = Certificate::AllFromPem(pem_or_der);
    if (!all.ok()) return all.status().WithContext(origin);
    certs = std::move(all).value();
  } else {
    auto one = Certificate::FromDer(pem_or_der);
    if (!one.ok()) return one.status().WithContext(origin);
    certs.push_back(std::move(one).value());
  }
  for (const auto& c : certs) AddAnchor(c);
  return Status::Ok();
}

Status TrustStore::AddAnchorsFromFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path, 16 << 20));
  return AddAnchors(bytes, path);
}

Status TrustStore::AddCrl(std::string_view der_or_pem, std::string_view origin) {
  return impl_->crls.Add(der_or_pem, origin);
}

void TrustStore::AddCrlSource(const CrlSource& source) { impl_->sources.push_back(&source); }

const std::vector<Certificate>& TrustStore::anchors() const { return impl_->anchors; }

RevocationCheck TrustStore::Impl::Check(const std::vector<Certificate>& chain, size_t i,
                                        const ValidationOptions& o) const {
  const Certificate& cert = chain[i];
  const Certificate& issuer = chain[i + 1];
  RevocationCheck check;
  // The freshest CRL wins: live sources first, then the CRLs given as files.
  CrlPtr best;
  for (const CrlSource* source : sources) {
    auto der = source->CrlFor(issuer);
    if (!der.ok()) {
      check.note = "CRL source failed: " + der.status().message();
      continue;
    }
    if (!der->has_value()) continue;
    auto crl = ParseCrl(**der, "CRL source");
    if (crl.ok() && CrlIssuedBy(crl->get(), issuer)) {
      best = std::move(crl).value();
      break;
    }
  }
  X509_CRL* chosen = best.get();
  if (X509_CRL* fresher = crls.impl_->FresherIssuedBy(issuer, chosen)) chosen = fresher;
  bool from_document = false;
  if (o.document_crls != nullptr) {
    if (X509_CRL* fresher = o.document_crls->impl_->FresherIssuedBy(issuer, chosen)) {
      chosen = fresher;
      from_document = true;
    }
  }
  if (chosen != nullptr) {
    ReadCrl(chosen, cert, check);
    if (from_document) {
      check.source = "crl (document)";
      if (check.revocation) check.revocation->source = check.source;
    }
    return check;
  }
  const std::string url = cert.OcspUrl();
  if (url.empty()) {
    check.note = "no CRL from the issuer and no OCSP responder named";
    return check;
  }
  if (o.ocsp == nullptr) {
    check.note = "OCSP responder " + url + " not queried: network not allowed";
    return check;
  }
  std::vector<Certificate> above(chain.begin() + static_cast<long>(i) + 1, chain.end());
  auto answer = QueryOcsp(*o.ocsp, url, cert, issuer, above, anchors, clock, o.network_timeout);
  if (!answer.ok()) {
    check.note = answer.status().message();
    return check;
  }
  check.source = "ocsp " + url;
  check.this_update = answer->this_update;
  check.state = answer->revoked ? RevocationCheck::State::kRevoked : RevocationCheck::State::kGood;
  check.revocation = answer->revocation;
  return check;
}

ChainOutcome TrustStore::Impl::BuildChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                                         std::time_t at) const {
  ChainOutcome out;
  StorePtr store(X509_STORE_new());
  BorrowedX509Stack untrusted(sk_X509_new_null());
  OsslPtr<X509_STORE_CTX, X509_STORE_CTX_free> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) {
    out.out_of_memory = true;
    return out;
  }
  for (const auto& a : anchors) X509_STORE_add_cert(store.get(), static_cast<X509*>(a.native_handle()));
  for (const auto& c : intermediates) sk_X509_push(untrusted.get(), static_cast<X509*>(c.native_handle()));
  X509_STORE_CTX_init(ctx.get(), store.get(), static_cast<X509*>(leaf.native_handle()), untrusted.get());
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, at);
  // An anchor need not be self-signed (a state may ask us to trust its issuing CA only).
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  out.verified = X509_verify_cert(ctx.get());
  out.error = X509_STORE_CTX_get_error(ctx.get());
  out.depth = X509_STORE_CTX_get_error_depth(ctx.get());
  std::unique_ptr<STACK_OF(X509), ChainDeleter> chain(X509_STORE_CTX_get1_chain(ctx.get()));
  ERR_clear_error();
  if (chain) {
    for (int i = 0; i < sk_X509_num(chain.get()); ++i) {
      auto c = Certificate::FromDer(ToDer(sk_X509_value(chain.get(), i), i2d_X509));
      if (c.ok()) out.chain.push_back(std::move(c).value());
    }
  }
  return out;
}

ValidationReport TrustStore::Validate(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                                      const ValidationOptions& options) const {
  ValidationReport report;
  const std::time_t check_time = ToTimeT(options.time);
  const std::string key = ChainMemo::Key(leaf, intermediates, impl_->anchors, check_time);
  std::optional<ChainOutcome> outcome = impl_->chains.Find(key);
  if (!outcome) {
    outcome = impl_->BuildChain(leaf, intermediates, check_time);
    if (outcome->out_of_memory) {
      report.status = Internal("keys.validation_failed", "out of memory");
      report.chain = {leaf};
      return report;
    }
    impl_->chains.Add(key, *outcome);
  }
  const int verified = outcome->verified;
  const int err = outcome->error;
  const int depth = outcome->depth;
  report.chain = std::move(outcome->chain);
  if (report.chain.empty()) report.chain.push_back(leaf);
  report.revocation.resize(report.chain.size());
  if (verified != 1) {
    const size_t at = depth >= 0 && static_cast<size_t>(depth) < report.chain.size() ? depth : 0;
    report.failing_index = static_cast<int>(at);
    report.status = FromVerifyError(err, report.chain[at], options.time);
    return report;
  }
  report.status = CheckPurpose(leaf, options.purpose);
  if (!report.status.ok()) {
    report.failing_index = 0;
    return report;
  }
  for (size_t i = 0; i + 1 < report.chain.size(); ++i) {
    RevocationCheck check = impl_->Check(report.chain, i, options);
    if (check.revocation && !report.revoked) report.revoked = check.revocation;
    // Revoked after the validation time: the chain was valid then (the caller decides
    // whether it has proof of existence before the revocation).
    if (check.revocation && check.revocation->revoked_at <= options.time && report.status.ok()) {
      report.status = CertificateRevoked(report.chain[i], *check.revocation);
      report.failing_index = static_cast<int>(i);
    }
    if (check.state == RevocationCheck::State::kNotChecked && options.require_revocation_info &&
        report.status.ok()) {
      report.status = Status::Error(ErrorKind::kUnavailable, "keys.revocation_unknown",
                                    "no revocation information for " + Describe(report.chain[i]) +
                                        ": " + check.note,
                                    "No se pudo comprobar si el certificado está revocado.");
      report.failing_index = static_cast<int>(i);
    }
    report.revocation[i] = std::move(check);
  }
  return report;
}

}  // namespace rubrica::keys
