#include "signer_checks.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "der_reader.h"
#include "der_writer.h"
#include "oids.h"
#include "rubrica/base/crypto_util.h"
#include <openssl/err.h>

#include <memory>

#include "rubrica/keys/signing_key.h"
#include "signed_data.h"

namespace rubrica::signing {
namespace {

bool IsWeak(std::string_view alg) {
  return alg == oid::kMd5 || alg == oid::kSha1 || alg == oid::kMd5WithRsa ||
         alg == oid::kSha1WithRsa || alg == oid::kEcdsaWithSha1 || alg == oid::kDsaWithSha1;
}

Status Weak(std::string_view where, std::string_view alg) {
  return Status::Error(ErrorKind::kRejected, "signing.weak_algorithm",
                       std::string(where) + " uses " + std::string(alg) +
                           " (MD5 or SHA-1), which is no longer secure",
                       "La firma usa un algoritmo criptográfico inseguro (MD5 o SHA-1).");
}

Status Unsupported(std::string_view where, std::string_view alg) {
  return Status::Error(ErrorKind::kInvalidArgument, "signing.unsupported_algorithm",
                       std::string(where) + " uses " + std::string(alg) +
                           "; this profile accepts SHA-256, SHA-384 or SHA-512 with RSA (PKCS#1 v1.5 "
                           "or PSS) or ECDSA",
                       "La firma usa un algoritmo criptográfico que no se admite.");
}

bool IsRsaAlgorithm(std::string_view s) {
  return s == oid::kRsaEncryption || s == oid::kSha256WithRsa || s == oid::kSha384WithRsa ||
         s == oid::kSha512WithRsa || s == oid::kRsaPss || s == oid::kSha1WithRsa;
}

bool IsEcdsaAlgorithm(std::string_view s) {
  return s == oid::kEcdsaWithSha256 || s == oid::kEcdsaWithSha384 || s == oid::kEcdsaWithSha512 ||
         s == oid::kEcdsaWithSha1;
}

Status SignatureInvalid(const keys::Certificate& signer, const std::string& why) {
  return Status::Error(ErrorKind::kRejected, "signing.signature_invalid",
                       why + " (" + signer.SubjectString() + ")", "La firma criptográfica no es válida.");
}

// RSASSA-PSS-params (RFC 4055 3.1): hash, MGF1 hash and salt length; defaults SHA-1, MGF1
// with SHA-1, 20.
struct PssParams {
  std::string hash = oid::kSha1;
  std::string mgf_hash = oid::kSha1;
  int64_t salt = 20;
};

Result<PssParams> ParsePssParams(std::string_view params) {
  PssParams p;
  if (params.empty()) return p;
  der::Reader top(params);
  ASSIGN_OR_RETURN(der::Element seq, top.Expect(der::kSequence, "RSASSA-PSS-params"));
  der::Reader in = seq.Children();
  ASSIGN_OR_RETURN(auto hash, in.Optional(der::ContextConstructed(0), "PSS hashAlgorithm"));
  if (hash) {
    der::Reader h = hash->Children();
    ASSIGN_OR_RETURN(p.hash, der::ReadAlgorithm(h, "PSS hashAlgorithm"));
  }
  ASSIGN_OR_RETURN(auto mgf, in.Optional(der::ContextConstructed(1), "PSS maskGenAlgorithm"));
  if (mgf) {
    der::Reader m = mgf->Children();
    std::string_view mgf_params;
    ASSIGN_OR_RETURN(std::string mgf_oid, der::ReadAlgorithm(m, "PSS maskGenAlgorithm", &mgf_params));
    if (mgf_oid != oid::kMgf1) return der::BadDer("PSS maskGenAlgorithm", mgf->offset, "not MGF1");
    der::Reader mp(mgf_params);
    ASSIGN_OR_RETURN(p.mgf_hash, der::ReadAlgorithm(mp, "MGF1 hash"));
  }
  ASSIGN_OR_RETURN(auto salt, in.Optional(der::ContextConstructed(2), "PSS saltLength"));
  if (salt) {
    der::Reader sr = salt->Children();
    ASSIGN_OR_RETURN(p.salt, der::ReadSmallInteger(sr, "PSS saltLength"));
  }
  return p;
}

Status BadAttributes(const ParsedSignerInfo& si, const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_signed_attributes",
                       "SignerInfo at byte " + std::to_string(si.offset) + ": " + why,
                       "Los atributos firmados de la firma no son válidos.");
}

Status MissingSigningCertificate(const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "signing.signing_certificate_missing", why,
                       "La firma no identifica su certificado (signing-certificate-v2).");
}

Status SigningCertificateMismatch(const keys::Certificate& signer, const std::string& why) {
  return Status::Error(ErrorKind::kRejected, "signing.signing_certificate_mismatch",
                       "the signing-certificate attribute does not name the signer's certificate (" +
                           signer.SubjectString() + "): " + why,
                       "La firma declara un certificado distinto del que la produjo.");
}

std::string StripLeadingZeros(std::string_view bytes) {
  size_t i = 0;
  while (i + 1 < bytes.size() && bytes[i] == 0) ++i;
  return std::string(bytes.substr(i));
}

bool SerialMatches(std::string_view integer_content, const keys::Certificate& cert) {
  return StripLeadingZeros(integer_content) == StripLeadingZeros(SerialBytes(cert));
}

std::string Sha1(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha1(), nullptr);
  return std::string(reinterpret_cast<char*>(md), n);
}

// Checks an ESSCertID or ESSCertIDv2 against `signer`. `v2` selects the syntax: v2 has an
// optional hashAlgorithm (default SHA-256) before the hash.
Status CheckCertId(der::Reader& ids, const keys::Certificate& signer, bool v2) {
  ASSIGN_OR_RETURN(der::Element id, ids.Expect(der::kSequence, "ESSCertID"));
  der::Reader in = id.Children();
  std::string hash_alg = v2 ? oid::kSha256 : oid::kSha1;
  if (v2 && in.PeekTag() == der::kSequence) {
    ASSIGN_OR_RETURN(hash_alg, der::ReadAlgorithm(in, "ESSCertIDv2 hashAlgorithm"));
  }
  ASSIGN_OR_RETURN(der::Element hash, in.Expect(der::kOctetString, "ESSCertID certHash"));
  std::string expected;
  if (hash_alg == oid::kSha256) {
    expected = Sha256(signer.der());
  } else if (v2 && (hash_alg == oid::kSha384 || hash_alg == oid::kSha512 || hash_alg == oid::kSha1)) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(signer.der().data(), signer.der().size(), md, &n, DigestMd(hash_alg), nullptr);
    expected.assign(reinterpret_cast<char*>(md), n);
  } else if (hash_alg == oid::kSha1 && !v2) {
    expected = Sha1(signer.der());
  } else {
    return SigningCertificateMismatch(signer, "certificate hash algorithm " + hash_alg + " is not supported");
  }
  if (hash.content != expected) {
    return SigningCertificateMismatch(signer, "the certificate hash differs (the attribute names "
                                              "another certificate)");
  }
  ASSIGN_OR_RETURN(std::optional<der::Element> issuer_serial,
                   in.Optional(der::kSequence, "ESSCertID issuerSerial"));
  if (issuer_serial) {
    der::Reader is = issuer_serial->Children();
    ASSIGN_OR_RETURN(der::Element names, is.Expect(der::kSequence, "issuerSerial issuer"));
    ASSIGN_OR_RETURN(der::Element serial, is.Expect(der::kInteger, "issuerSerial serialNumber"));
    bool issuer_found = false;
    der::Reader gn = names.Children();
    while (!gn.AtEnd()) {
      ASSIGN_OR_RETURN(der::Element name, gn.Next("issuerSerial GeneralName"));
      if (name.tag == der::ContextConstructed(4) && name.content == signer.IssuerNameDer()) {
        issuer_found = true;
      }
    }
    if (!issuer_found) return SigningCertificateMismatch(signer, "issuerSerial names another issuer");
    if (!SerialMatches(serial.content, signer)) {
      return SigningCertificateMismatch(signer, "issuerSerial names another serial number");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<keys::Certificate>> ParseCertificates(const ParsedSignedData& sd) {
  std::vector<keys::Certificate> out;
  for (size_t i = 0; i < sd.certificates.size(); ++i) {
    Result<keys::Certificate> c = keys::Certificate::FromDer(sd.certificates[i]);
    if (!c.ok()) {
      return der::BadDer("embedded certificate " + std::to_string(i + 1), sd.certificate_offsets[i],
                         c.status().message());
    }
    out.push_back(std::move(*c));
  }
  return out;
}

const EVP_MD* DigestMd(std::string_view digest_oid) {
  if (digest_oid == oid::kSha1) return EVP_sha1();
  if (digest_oid == oid::kSha256) return EVP_sha256();
  if (digest_oid == oid::kSha384) return EVP_sha384();
  if (digest_oid == oid::kSha512) return EVP_sha512();
  return nullptr;
}

bool UsesSha1(const ParsedSignedData& sd, const ParsedSignerInfo& si) {
  bool sha1 = si.digest_algorithm == oid::kSha1 || si.signature_algorithm == oid::kSha1WithRsa ||
              si.signature_algorithm == oid::kEcdsaWithSha1;
  for (const std::string& alg : sd.digest_algorithms) sha1 = sha1 || alg == oid::kSha1;
  return sha1;
}

Status CheckAlgorithms(const ParsedSignedData& sd, const ParsedSignerInfo& si) {
  for (const std::string& alg : sd.digest_algorithms) {
    if (IsWeak(alg)) return Weak("SignedData digestAlgorithms", alg);
  }
  if (IsWeak(si.digest_algorithm)) return Weak("the SignerInfo digestAlgorithm", si.digest_algorithm);
  if (IsWeak(si.signature_algorithm)) return Weak("the SignerInfo signatureAlgorithm", si.signature_algorithm);
  return CheckAlgorithmsSupported(sd, si);
}

Status CheckAlgorithmsSupported(const ParsedSignedData& sd, const ParsedSignerInfo& si) {
  if (si.digest_algorithm == oid::kMd5 || si.signature_algorithm == oid::kMd5WithRsa ||
      si.signature_algorithm == oid::kDsaWithSha1) {
    return Weak("the SignerInfo", si.digest_algorithm == oid::kMd5 ? si.digest_algorithm : si.signature_algorithm);
  }
  if (DigestMd(si.digest_algorithm) == nullptr) {
    return Unsupported("the SignerInfo digestAlgorithm", si.digest_algorithm);
  }
  if (std::find(sd.digest_algorithms.begin(), sd.digest_algorithms.end(), si.digest_algorithm) ==
      sd.digest_algorithms.end()) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.inconsistent_algorithms",
                         "the SignerInfo digestAlgorithm " + si.digest_algorithm +
                             " is not listed in the SignedData digestAlgorithms (RFC 5652 5.1)",
                         "La firma no tiene el formato CMS esperado.");
  }
  const std::string& s = si.signature_algorithm;
  if (!IsRsaAlgorithm(s) && !IsEcdsaAlgorithm(s)) return Unsupported("the SignerInfo signatureAlgorithm", s);
  if (s == oid::kRsaPss) {
    Result<PssParams> p = ParsePssParams(si.signature_params);
    if (!p.ok()) return Unsupported("the SignerInfo signatureAlgorithm", "RSASSA-PSS with malformed parameters");
    if (DigestMd(p->hash) == nullptr || DigestMd(p->mgf_hash) == nullptr || p->salt < 0 || p->salt > 1024) {
      return Unsupported("the SignerInfo signatureAlgorithm", "RSASSA-PSS with hash " + p->hash);
    }
  }
  return Status::Ok();
}

Status CheckSignedAttributeShape(const ParsedSignerInfo& si, std::string_view content_type_oid) {
  if (si.signed_attrs_der.empty()) return BadAttributes(si, "no signed attributes");
  for (const char* required : {oid::kContentType, oid::kMessageDigest}) {
    if (ParsedSignerInfo::Find(si.signed_attrs, required) == nullptr) {
      return BadAttributes(si, std::string("the signed attribute ") + required + " is missing");
    }
  }
  for (size_t i = 0; i < si.signed_attrs.size(); ++i) {
    const ParsedAttribute& a = si.signed_attrs[i];
    const bool single = a.oid == oid::kContentType || a.oid == oid::kMessageDigest ||
                        a.oid == oid::kSigningCertificateV2 || a.oid == oid::kSigningCertificate ||
                        a.oid == oid::kSigningTime;
    if (!single) continue;
    if (a.values.size() != 1) return BadAttributes(si, "attribute " + a.oid + " has several values");
    for (size_t j = i + 1; j < si.signed_attrs.size(); ++j) {
      if (si.signed_attrs[j].oid == a.oid) return BadAttributes(si, "attribute " + a.oid + " appears twice");
    }
  }
  const ParsedAttribute* ct = ParsedSignerInfo::Find(si.signed_attrs, oid::kContentType);
  der::Reader r(ct->values[0]);
  Result<std::string> value = der::ReadOid(r, "content-type attribute");
  if (!value.ok()) return BadAttributes(si, value.status().message());
  if (*value != content_type_oid) {
    return BadAttributes(si, "content-type attribute is " + *value + ", expected " +
                                 std::string(content_type_oid));
  }
  return Status::Ok();
}

Result<std::string_view> MessageDigestValue(const ParsedSignerInfo& si) {
  const ParsedAttribute* md = ParsedSignerInfo::Find(si.signed_attrs, oid::kMessageDigest);
  if (md == nullptr) return BadAttributes(si, "the message-digest attribute is missing");
  der::Reader r(md->values[0]);
  Result<der::Element> os = r.Expect(der::kOctetString, "message-digest attribute");
  if (!os.ok()) return BadAttributes(si, os.status().message());
  return os->content;
}

Result<keys::Certificate> FindSignerCertificate(const ParsedSignerInfo& si,
                                                const std::vector<keys::Certificate>& certs) {
  for (const keys::Certificate& c : certs) {
    if (!si.sid_key_id.empty()) {
      const ASN1_OCTET_STRING* ski =
          X509_get0_subject_key_id(static_cast<X509*>(c.native_handle()));
      if (ski != nullptr &&
          std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ski)),
                           static_cast<size_t>(ASN1_STRING_length(ski))) == si.sid_key_id) {
        return c;
      }
    } else if (c.IssuerNameDer() == si.sid_issuer && SerialMatches(si.sid_serial, c)) {
      return c;
    }
  }
  return Status::Error(ErrorKind::kRejected, "signing.signer_certificate_missing",
                       "none of the " + std::to_string(certs.size()) +
                           " embedded certificates is the one the SignerInfo names",
                       "La firma no incluye el certificado de quien firmó.");
}

Status CheckSigningCertificate(const ParsedSignerInfo& si, const keys::Certificate& signer,
                               bool allow_v1) {
  const ParsedAttribute* attr = ParsedSignerInfo::Find(si.signed_attrs, oid::kSigningCertificateV2);
  bool v2 = true;
  if (attr == nullptr && allow_v1) {
    attr = ParsedSignerInfo::Find(si.signed_attrs, oid::kSigningCertificate);
    v2 = false;
  }
  if (attr == nullptr) {
    return MissingSigningCertificate(std::string("the signed attribute signing-certificate-v2 (") +
                                     oid::kSigningCertificateV2 + ") is missing");
  }
  der::Reader r(attr->values[0]);
  Result<der::Element> value = r.Expect(der::kSequence, "SigningCertificate");
  if (!value.ok()) return MissingSigningCertificate(value.status().message());
  der::Reader in = value->Children();
  Result<der::Element> ids = in.Expect(der::kSequence, "SigningCertificate certs");
  if (!ids.ok()) return MissingSigningCertificate(ids.status().message());
  der::Reader list = ids->Children();
  if (list.AtEnd()) return MissingSigningCertificate("the signing-certificate attribute lists no certificate");
  Status s = CheckCertId(list, signer, v2);
  if (!s.ok() && s.code() == "signing.bad_der") return MissingSigningCertificate(s.message());
  return s;
}

Status CheckSignature(const ParsedSignerInfo& si, const keys::Certificate& signer) {
  const EVP_MD* md = DigestMd(si.digest_algorithm);
  if (md == nullptr) return SignatureInvalid(signer, "digest algorithm " + si.digest_algorithm + " is not supported");
  Result<PssParams> pss = si.signature_algorithm == oid::kRsaPss ? ParsePssParams(si.signature_params)
                                                                  : Result<PssParams>(PssParams{});
  const EVP_MD* attrs_md = md;
  if (si.signature_algorithm == oid::kRsaPss && pss.ok() && DigestMd(pss->hash) != nullptr) attrs_md = DigestMd(pss->hash);
  const std::string attrs = si.SignedAttributesAsSet();
  unsigned char h[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(attrs.data(), attrs.size(), h, &n, attrs_md, nullptr);
  return CheckSignatureOverDigest(si, signer, std::string_view(reinterpret_cast<char*>(h), n));
}

Status CheckSignatureOverDigest(const ParsedSignerInfo& si, const keys::Certificate& signer,
                                std::string_view digest) {
  const std::string type = signer.KeyType();
  const std::string& alg = si.signature_algorithm;
  const bool rsa_key = type.rfind("RSA", 0) == 0;
  const bool fits = (rsa_key && IsRsaAlgorithm(alg)) || (type == "EC" && IsEcdsaAlgorithm(alg));
  if (!fits) {
    return Status::Error(ErrorKind::kRejected, "signing.signature_invalid",
                         "signatureAlgorithm " + alg + " does not fit the " + type + " key of " +
                             signer.SubjectString(),
                         "La firma no corresponde a la llave del certificado.");
  }
  const EVP_MD* md = DigestMd(si.digest_algorithm);
  if (md == nullptr) return SignatureInvalid(signer, "digest algorithm " + si.digest_algorithm + " is not supported");
  EVP_PKEY* pub = X509_get0_pubkey(static_cast<X509*>(signer.native_handle()));
  if (pub == nullptr) return SignatureInvalid(signer, "the certificate's public key cannot be read");
  struct CtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
  };
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new(pub, nullptr));
  bool ok = ctx != nullptr && EVP_PKEY_verify_init(ctx.get()) == 1;
  if (ok && rsa_key && alg == oid::kRsaPss) {
    Result<PssParams> p = ParsePssParams(si.signature_params);
    ok = p.ok() && DigestMd(p->hash) != nullptr && DigestMd(p->mgf_hash) != nullptr &&
         EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_signature_md(ctx.get(), DigestMd(p->hash)) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), DigestMd(p->mgf_hash)) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), static_cast<int>(p->salt)) == 1;
  } else if (ok && rsa_key) {
    ok = EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) == 1 &&
         EVP_PKEY_CTX_set_signature_md(ctx.get(), md) == 1;
  } else if (ok) {
    ok = EVP_PKEY_CTX_set_signature_md(ctx.get(), md) == 1;
  }
  ok = ok && EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(si.signature.data()),
                             si.signature.size(), reinterpret_cast<const unsigned char*>(digest.data()),
                             digest.size()) == 1;
  ERR_clear_error();
  if (!ok) {
    return Status::Error(ErrorKind::kRejected, "signing.signature_invalid",
                         "the signature over the signed attributes does not verify with the key of " +
                             signer.SubjectString(),
                         "La firma criptográfica no es válida.");
  }
  return Status::Ok();
}

// RFC 3161 2.3 asks for the extension to be critical so that the key serves nothing else.
Status CheckTsaCertificate(const keys::Certificate& tsa) {
  auto* x = static_cast<X509*>(tsa.native_handle());
  const int idx = X509_get_ext_by_NID(x, NID_ext_key_usage, -1);
  const bool critical = idx >= 0 && X509_EXTENSION_get_critical(X509_get_ext(x, idx)) == 1;
  if (!tsa.HasExtendedKeyUsage(keys::kOidEkuTimeStamping) || !critical) {
    return Status::Error(ErrorKind::kRejected, "signing.tsa_certificate_not_timestamping",
                         "the TSA certificate " + tsa.SubjectString() +
                             " lacks a critical extendedKeyUsage timeStamping (RFC 3161 2.3)",
                         "El certificado de la autoridad de sellado de tiempo no es apto para sellar.");
  }
  return Status::Ok();
}

}  // namespace rubrica::signing
