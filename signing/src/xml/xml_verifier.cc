// VerifyXmlSignature: the profile checked node by node first (so that xmlsec only ever sees
// the one shape we sign), then xmlsec for the cryptography, then the timestamp and the
// chains with rubrica's own verifiers.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <xmlsec/crypto.h>
#include <xmlsec/xmldsig.h>

#include <memory>

#include "rubrica/base/crypto_util.h"
#include "rubrica/signing/xml_cosignature.h"
#include "rubrica/signing/xml_signature.h"
#include "xml/xml_internal.h"

namespace rubrica::signing {
namespace {

using xml::AttrOf;
using xml::ElementChildren;
using xml::IsElement;
using xml::kDsigNs;
using xml::kXadesNs;

Status Refuse(const char* code, const std::string& message, const char* message_es) {
  return Status::Error(ErrorKind::kRejected, code, message, message_es);
}

constexpr const char* kEsStructure = "La firma del documento XML no tiene la forma esperada.";

struct DsigCtxDeleter {
  void operator()(xmlSecDSigCtx* c) const { xmlSecDSigCtxDestroy(c); }
};
struct EvpDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

struct Parts {
  xmlNode* signature = nullptr;
  xmlNode* signature_value = nullptr;
  std::string algorithm;  // "ecdsa-sha256" | "rsa-sha256"
  std::vector<keys::Certificate> certificates;
  keys::Certificate* signer = nullptr;
  std::string timestamp_b64;  // "" when there is no ds:Object
};

// A co-signature's one transform before exclusive C14N: XPath Filter 2.0 subtracting
// exactly "//ds:Signature" (ds bound to the XMLDSig namespace), nothing else.
bool IsCoSignatureFilter(xmlNode* transform) {
  if (!IsElement(transform, kDsigNs, "Transform") || AttrOf(transform, "Algorithm") != xml::kFilter2)
    return false;
  auto kids = ElementChildren(transform);
  if (kids.size() != 1 || !IsElement(kids[0], xml::kFilter2, "XPath") ||
      AttrOf(kids[0], "Filter") != "subtract" || xml::ContentOf(kids[0]) != xml::kCoSignatureFilter)
    return false;
  xmlNs* ds = xmlSearchNs(kids[0]->doc, kids[0], reinterpret_cast<const xmlChar*>("ds"));
  return ds != nullptr && xmlStrEqual(ds->href, reinterpret_cast<const xmlChar*>(kDsigNs));
}

// `cosignature`: the reference transforms of xml_cosignature.h instead of the seal's.
Status CheckSignedInfo(xmlNode* signed_info, Parts& parts, bool cosignature = false) {
  auto kids = ElementChildren(signed_info);
  if (kids.size() < 3 || !IsElement(kids[0], kDsigNs, "CanonicalizationMethod") ||
      !IsElement(kids[1], kDsigNs, "SignatureMethod")) {
    return Refuse("xml.unsupported_algorithm",
                  "SignedInfo lacks CanonicalizationMethod/SignatureMethod", kEsStructure);
  }
  if (AttrOf(kids[0], "Algorithm") != xml::kExcC14n || !ElementChildren(kids[0]).empty()) {
    return Refuse(
        "xml.unsupported_algorithm",
        "canonicalization \"" + AttrOf(kids[0], "Algorithm") + "\" is not exclusive C14N 1.0",
        kEsStructure);
  }
  std::string method = AttrOf(kids[1], "Algorithm");
  if (method == xml::kEcdsaSha256) {
    parts.algorithm = "ecdsa-sha256";
  } else if (method == xml::kRsaSha256) {
    parts.algorithm = "rsa-sha256";
  } else {
    return Refuse("xml.unsupported_algorithm",
                  "signature method \"" + method + "\" is outside the profile", kEsStructure);
  }
  if (!ElementChildren(kids[1]).empty()) {
    return Refuse("xml.unsupported_algorithm", "SignatureMethod has parameters", kEsStructure);
  }
  if (kids.size() != 3 || !IsElement(kids[2], kDsigNs, "Reference")) {
    return Refuse("xml.bad_reference",
                  "SignedInfo must hold exactly one Reference (found " +
                      std::to_string(kids.size() - 2) + " elements after SignatureMethod)",
                  kEsStructure);
  }
  xmlNode* ref = kids[2];
  if (!xml::HasAttrOf(ref, "URI") || !AttrOf(ref, "URI").empty()) {
    return Refuse("xml.bad_reference",
                  xml::HasAttrOf(ref, "URI")
                      ? "Reference URI is \"" + AttrOf(ref, "URI") + "\", not \"\""
                      : "Reference has no URI (it must be \"\")",
                  kEsStructure);
  }
  auto ref_kids = ElementChildren(ref);
  if (ref_kids.size() != 3 || !IsElement(ref_kids[0], kDsigNs, "Transforms") ||
      !IsElement(ref_kids[1], kDsigNs, "DigestMethod") ||
      !IsElement(ref_kids[2], kDsigNs, "DigestValue")) {
    return Refuse("xml.bad_transform",
                  "Reference must hold Transforms, DigestMethod and DigestValue", kEsStructure);
  }
  auto transforms = ElementChildren(ref_kids[0]);
  bool transforms_ok = transforms.size() == 2 && IsElement(transforms[0], kDsigNs, "Transform") &&
                       IsElement(transforms[1], kDsigNs, "Transform") &&
                       AttrOf(transforms[1], "Algorithm") == xml::kExcC14n &&
                       ElementChildren(transforms[1]).empty();
  if (cosignature) {
    transforms_ok = transforms_ok && IsCoSignatureFilter(transforms[0]);
  } else {
    transforms_ok = transforms_ok && AttrOf(transforms[0], "Algorithm") == xml::kEnveloped &&
                    ElementChildren(transforms[0]).empty();
  }
  if (!transforms_ok) {
    std::string list;
    for (xmlNode* t : transforms) list += (list.empty() ? "" : ", ") + AttrOf(t, "Algorithm");
    return Refuse(
        "xml.bad_transform",
        std::string("Reference transforms must be exactly ") +
            (cosignature ? "XPath Filter 2.0 subtracting " + std::string(xml::kCoSignatureFilter)
                         : std::string("enveloped-signature")) +
            " then exclusive C14N; found [" +
            list + "]",
        kEsStructure);
  }
  if (AttrOf(ref_kids[1], "Algorithm") != xml::kSha256) {
    return Refuse("xml.unsupported_algorithm",
                  "digest method \"" + AttrOf(ref_kids[1], "Algorithm") + "\" is not SHA-256",
                  kEsStructure);
  }
  return Status::Ok();
}

Status ReadKeyInfo(xmlNode* key_info, Parts& parts) {
  auto kids = ElementChildren(key_info);
  if (kids.size() != 1 || !IsElement(kids[0], kDsigNs, "X509Data")) {
    return Refuse("xml.bad_key_info", "KeyInfo must hold exactly one X509Data", kEsStructure);
  }
  for (xmlNode* c : ElementChildren(kids[0])) {
    if (!IsElement(c, kDsigNs, "X509Certificate")) {
      return Refuse("xml.bad_key_info",
                    std::string("X509Data holds ") + reinterpret_cast<const char*>(c->name) +
                        " (only X509Certificate is accepted)",
                    kEsStructure);
    }
    std::string b64;
    for (char ch : xml::ContentOf(c)) {
      if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') b64 += ch;
    }
    auto der = Base64Decode(b64);
    if (!der.ok()) return Refuse("xml.bad_key_info", "X509Certificate is not base64", kEsStructure);
    auto cert = keys::Certificate::FromDer(*der);
    if (!cert.ok()) {
      return Refuse("xml.bad_key_info",
                    "X509Certificate does not parse: " + cert.status().message(), kEsStructure);
    }
    parts.certificates.push_back(*cert);
  }
  // The signer is the one certificate that issued none of the others.
  for (auto& candidate : parts.certificates) {
    bool issued_another = false;
    for (const auto& other : parts.certificates) {
      if (!(other == candidate) && other.IssuerNameDer() == candidate.SubjectNameDer())
        issued_another = true;
    }
    if (issued_another) continue;
    if (parts.signer != nullptr && !(*parts.signer == candidate)) {
      return Refuse("xml.bad_key_info", "X509Data holds more than one end-entity certificate",
                    kEsStructure);
    }
    parts.signer = &candidate;
  }
  if (parts.signer == nullptr) {
    return Refuse("xml.bad_key_info", "X509Data holds no end-entity certificate", kEsStructure);
  }
  return Status::Ok();
}

Status ReadObject(xmlNode* object, const std::string& sig_id, Parts& parts) {
  auto kids = ElementChildren(object);
  const char* why = nullptr;
  xmlNode* sts = nullptr;
  if (kids.size() != 1 || !IsElement(kids[0], kXadesNs, "QualifyingProperties")) {
    why = "ds:Object must hold exactly one xades:QualifyingProperties";
  } else if (sig_id.empty() || AttrOf(kids[0], "Target") != "#" + sig_id) {
    why = "QualifyingProperties does not target this signature";
  } else {
    auto up = ElementChildren(kids[0]);
    auto usp = up.size() == 1 && IsElement(up[0], kXadesNs, "UnsignedProperties")
                   ? ElementChildren(up[0])
                   : std::vector<xmlNode*>{};
    auto stss = usp.size() == 1 && IsElement(usp[0], kXadesNs, "UnsignedSignatureProperties")
                    ? ElementChildren(usp[0])
                    : std::vector<xmlNode*>{};
    if (stss.size() == 1 && IsElement(stss[0], kXadesNs, "SignatureTimeStamp")) sts = stss[0];
    if (sts == nullptr) why = "QualifyingProperties must hold exactly one SignatureTimeStamp";
  }
  if (sts != nullptr) {
    auto parts_of_ts = ElementChildren(sts);
    if (parts_of_ts.size() != 2 || !IsElement(parts_of_ts[0], kDsigNs, "CanonicalizationMethod") ||
        AttrOf(parts_of_ts[0], "Algorithm") != xml::kExcC14n ||
        !IsElement(parts_of_ts[1], kXadesNs, "EncapsulatedTimeStamp")) {
      why =
          "SignatureTimeStamp must hold an exclusive-C14N CanonicalizationMethod and one "
          "EncapsulatedTimeStamp";
    } else {
      for (char ch : xml::ContentOf(parts_of_ts[1])) {
        if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') parts.timestamp_b64 += ch;
      }
    }
  }
  if (why != nullptr) return Refuse("xml.bad_object", why, kEsStructure);
  return Status::Ok();
}

Status CheckStructure(xmlDoc* doc, Parts& parts, bool allow_cosignatures) {
  auto signatures = xml::FindAll(doc, kDsigNs, "Signature");
  if (allow_cosignatures && signatures.size() > 1) {
    // Co-signatures before the last child: the seal's reference covers them (their own
    // check is VerifyXmlCoSignatures').
    std::erase_if(signatures, [&](xmlNode* s) { return xml::IsCoSignaturePlace(doc, s); });
  }
  if (signatures.empty()) {
    return Refuse("xml.signature_missing", "the XML document has no ds:Signature",
                  "El documento XML no está firmado.");
  }
  if (signatures.size() > 1) {
    return Refuse("xml.signature_extra",
                  "the XML document has " + std::to_string(signatures.size()) +
                      " ds:Signature elements (one expected)",
                  "El documento XML contiene más de una firma.");
  }
  xmlNode* sig = signatures[0];
  auto root_kids = ElementChildren(xmlDocGetRootElement(doc));
  if (sig->parent != xmlDocGetRootElement(doc) || root_kids.empty() || root_kids.back() != sig) {
    return Refuse("xml.signature_misplaced",
                  "ds:Signature is not the last child element of the root", kEsStructure);
  }
  parts.signature = sig;
  auto kids = ElementChildren(sig);
  if (kids.size() < 2 || !IsElement(kids[0], kDsigNs, "SignedInfo") ||
      !IsElement(kids[1], kDsigNs, "SignatureValue")) {
    return Refuse("xml.unsupported_algorithm",
                  "ds:Signature must begin with SignedInfo and SignatureValue", kEsStructure);
  }
  RETURN_IF_ERROR(CheckSignedInfo(kids[0], parts));
  parts.signature_value = kids[1];
  if (kids.size() < 3 || !IsElement(kids[2], kDsigNs, "KeyInfo")) {
    return Refuse("xml.bad_key_info", "ds:Signature has no KeyInfo after SignatureValue",
                  kEsStructure);
  }
  RETURN_IF_ERROR(ReadKeyInfo(kids[2], parts));
  if (kids.size() > 4)
    return Refuse("xml.bad_object", "ds:Signature holds more than one ds:Object", kEsStructure);
  if (kids.size() == 4) {
    if (!IsElement(kids[3], kDsigNs, "Object")) {
      return Refuse("xml.bad_object",
                    "ds:Signature holds an element other than ds:Object after KeyInfo",
                    kEsStructure);
    }
    RETURN_IF_ERROR(ReadObject(kids[3], AttrOf(sig, "Id"), parts));
  }
  return Status::Ok();
}

Status VerifyCryptography(xmlNode* sig, const Parts& parts, bool cosignature = false) {
  std::unique_ptr<EVP_PKEY, EvpDeleter> pub(
      X509_get_pubkey(static_cast<X509*>(parts.signer->native_handle())));
  if (!pub)
    return Refuse("xml.bad_key_info", "the signer certificate has no usable public key",
                  kEsStructure);
  const bool ec = EVP_PKEY_base_id(pub.get()) == EVP_PKEY_EC;
  if (ec != (parts.algorithm == "ecdsa-sha256")) {
    return Refuse("xml.signature_invalid",
                  "signature method " + parts.algorithm + " does not match the certificate's key",
                  "La firma del documento XML no es válida.");
  }
  ASSIGN_OR_RETURN(xml::KeyPtr key, xml::KeyFromEvp(pub.get()));
  std::unique_ptr<xmlSecDSigCtx, DsigCtxDeleter> ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return Status::Error(ErrorKind::kInternal, "xml.verify_failed", "out of memory");
  ctx->signKey = key.release();
  // Defence in depth: xmlsec itself accepts only this profile.
  ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
  bool enabled =
      xmlSecDSigCtxEnableReferenceTransform(
          ctx.get(), cosignature ? xmlSecTransformXPath2Id : xmlSecTransformEnvelopedId) >= 0 &&
      xmlSecDSigCtxEnableReferenceTransform(ctx.get(), xmlSecTransformExclC14NId) >= 0 &&
      xmlSecDSigCtxEnableReferenceTransform(ctx.get(), xmlSecTransformSha256Id) >= 0 &&
      xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformExclC14NId) >= 0 &&
      xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformEcdsaSha256Id) >= 0 &&
      xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformRsaSha256Id) >= 0;
  if (!enabled)
    return Status::Error(ErrorKind::kInternal, "xml.verify_failed", "cannot restrict transforms");
  int rc = xmlSecDSigCtxVerify(ctx.get(), sig);
  ERR_clear_error();  // a failed verification leaves OpenSSL errors queued on this thread
  if (rc >= 0 && ctx->status == xmlSecDSigStatusSucceeded) return Status::Ok();
  auto* ref =
      static_cast<xmlSecDSigReferenceCtx*>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0));
  if (ref == nullptr || ref->status != xmlSecDSigStatusSucceeded) {
    return Refuse(
        "xml.digest_mismatch",
        "the document's digest does not match the signed Reference (it changed after signing)",
        "El documento XML fue modificado después de firmarse.");
  }
  return Refuse("xml.signature_invalid",
                "the SignatureValue does not verify with the signer's certificate",
                "La firma del documento XML no es válida.");
}

}  // namespace

Result<XmlSignatureInfo> VerifyXmlSignature(std::string_view xml_text,
                                            const keys::TrustStore& trust,
                                            const XmlVerifyOptions& options) {
  ASSIGN_OR_RETURN(xml::DocPtr doc, xml::ParseDoc(xml_text, options.limits));
  Parts parts;
  RETURN_IF_ERROR(CheckStructure(doc.get(), parts, options.allow_cosignatures));
  RETURN_IF_ERROR(VerifyCryptography(parts.signature, parts));

  XmlSignatureInfo info{*parts.signer,
                        parts.signer->SubjectString(),
                        parts.signer->FingerprintSha256(),
                        parts.algorithm,
                        std::nullopt,
                        std::nullopt,
                        true,
                        {}};
  if (parts.timestamp_b64.empty()) {
    if (options.require_timestamp) {
      return Refuse("xml.timestamp_missing", "the XML signature has no timestamp",
                    "La firma del documento XML no tiene sello de tiempo.");
    }
  } else {
    auto token = Base64Decode(parts.timestamp_b64);
    if (!token.ok()) {
      return Refuse("xml.bad_timestamp", "EncapsulatedTimeStamp is not base64",
                    "El sello de tiempo de la firma XML no es válido.");
    }
    ASSIGN_OR_RETURN(std::string c14n, xml::ExclusiveC14n(doc.get(), parts.signature_value));
    auto ts = VerifyTimestampToken(*token, Sha256(c14n));
    if (!ts.ok()) {
      return Refuse(
          "xml.bad_timestamp",
          "the timestamp does not verify over the SignatureValue: " + ts.status().ToString(),
          "El sello de tiempo de la firma XML no es válido.");
    }
    keys::ValidationOptions tsa_options = options.validation;
    tsa_options.time = options.time;
    tsa_options.purpose = keys::Purpose::kTimestamping;
    auto tsa_report = trust.Validate(ts->tsa_certificate, ts->certificates, tsa_options);
    if (!tsa_report.ok()) {
      return Refuse(
          "xml.bad_timestamp",
          "the timestamp's TSA certificate does not validate: " + tsa_report.status.ToString(),
          "El sello de tiempo de la firma XML no proviene de una autoridad de confianza.");
    }
    if (ts->gen_time > options.time) {
      return Refuse("xml.signed_after_time", "the XML was signed after the verification time",
                    "El documento XML fue firmado después de la fecha de verificación.");
    }
    info.signing_time = ts->gen_time;
    info.timestamp = std::move(ts).value();
  }

  keys::ValidationOptions signer_options = options.validation;
  signer_options.time = info.signing_time.value_or(options.time);
  auto report = trust.Validate(*parts.signer, parts.certificates, signer_options);
  if (!report.ok()) {
    return Status::Error(
        ErrorKind::kRejected, "xml.untrusted_signer",
        "the XML signer's certificate does not validate: " + report.status.ToString(),
        "El certificado de quien firmó el documento XML no es de confianza: " +
            report.status.message_es());
  }
  info.chain = report.chain;
  return info;
}

Result<std::vector<XmlCoSignatureInfo>> VerifyXmlCoSignatures(std::string_view xml_text,
                                                              const keys::TrustStore& trust,
                                                              const XmlVerifyOptions& options) {
  ASSIGN_OR_RETURN(xml::DocPtr doc, xml::ParseDoc(xml_text, options.limits));
  xmlDoc* d = doc.get();
  std::vector<XmlCoSignatureInfo> out;
  for (xmlNode* sig : xml::FindAll(d, kDsigNs, "Signature")) {
    if (!xml::IsCoSignaturePlace(d, sig)) continue;
    Parts parts;
    parts.signature = sig;
    auto kids = ElementChildren(sig);
    if (kids.size() != 3 || !IsElement(kids[0], kDsigNs, "SignedInfo") ||
        !IsElement(kids[1], kDsigNs, "SignatureValue") || !IsElement(kids[2], kDsigNs, "KeyInfo")) {
      return Refuse("xml.unsupported_algorithm",
                    "a co-signature must hold exactly SignedInfo, SignatureValue and KeyInfo",
                    kEsStructure);
    }
    RETURN_IF_ERROR(CheckSignedInfo(kids[0], parts, /*cosignature=*/true));
    parts.signature_value = kids[1];
    RETURN_IF_ERROR(ReadKeyInfo(kids[2], parts));
    RETURN_IF_ERROR(VerifyCryptography(sig, parts, /*cosignature=*/true));
    keys::ValidationOptions signer_options = options.validation;
    signer_options.time = options.time;
    auto report = trust.Validate(*parts.signer, parts.certificates, signer_options);
    if (!report.ok()) {
      return Status::Error(
          ErrorKind::kRejected, "xml.untrusted_signer",
          "the XML co-signer's certificate does not validate: " + report.status.ToString(),
          "El certificado de quien cofirmó el documento XML no es de confianza: " +
              report.status.message_es());
    }
    out.push_back({*parts.signer, AttrOf(sig, "Id"), parts.signer->SubjectString(),
                   parts.signer->FingerprintSha256(), parts.algorithm, report.chain});
  }
  return out;
}

}  // namespace rubrica::signing
