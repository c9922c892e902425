// PrepareXmlCoSignature / CompleteXmlCoSignature: the co-signature's template, its digest
// computed by xmlsec itself, and the device's signature value placed and checked.
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmltree.h>

#include <memory>

#include "rubrica/base/crypto_util.h"
#include "rubrica/signing/xml_cosignature.h"
#include "xml/xml_internal.h"

namespace rubrica::signing {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

struct DsigCtxDeleter {
  void operator()(xmlSecDSigCtx* c) const { xmlSecDSigCtxDestroy(c); }
};
struct EvpDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using EvpPtr = std::unique_ptr<EVP_PKEY, EvpDeleter>;

Status SignFailed(const std::string& what) {
  return Status::Error(ErrorKind::kInternal, "xml.sign_failed", "XML co-signature failed: " + what,
                       "No se pudo preparar la cofirma del documento XML.");
}

Status BadSignature(const std::string& why) {
  return Status::Error(ErrorKind::kRejected, "signing.bad_external_signature",
                       "the co-signature does not verify: " + why,
                       "La firma recibida no corresponde al documento o al certificado.");
}

// A throwaway key of the certificate's kind: xmlsec computes the reference digest only while
// signing, so the template is signed with it and its signature value thrown away.
Result<EvpPtr> ThrowawayKey(bool ec) {
  EVP_PKEY* k = ec ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
  ERR_clear_error();
  if (k == nullptr) return SignFailed("cannot make the digest key");
  return EvpPtr(k);
}

// The signature value as XMLDSig wants it: ECDSA as r||s of the curve's size.
Result<std::string> XmlSignatureValue(std::string_view signature, EVP_PKEY* pub, bool ec) {
  if (!ec) return std::string(signature);
  const int bytes = (EVP_PKEY_get_bits(pub) + 7) / 8;
  if (static_cast<int>(signature.size()) == 2 * bytes && signature[0] != 0x30) {
    return std::string(signature);
  }
  const auto* p = reinterpret_cast<const unsigned char*>(signature.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature.size()));
  if (sig == nullptr || p != reinterpret_cast<const unsigned char*>(signature.data()) + signature.size()) {
    ECDSA_SIG_free(sig);
    ERR_clear_error();
    return BadSignature("not a DER Ecdsa-Sig-Value nor raw r||s of " + std::to_string(2 * bytes) +
                        " bytes");
  }
  std::string raw(2 * static_cast<size_t>(bytes), '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  const bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, bytes) == bytes &&
                  BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + bytes, bytes) == bytes;
  ECDSA_SIG_free(sig);
  if (!ok) return BadSignature("r or s larger than the curve");
  return raw;
}

xmlNode* FindCoSignature(xmlDoc* doc, std::string_view id) {
  for (xmlNode* s : xml::FindAll(doc, xml::kDsigNs, "Signature")) {
    if (xml::IsCoSignaturePlace(doc, s) && xml::AttrOf(s, "Id") == id) return s;
  }
  return nullptr;
}

}  // namespace

Result<XmlCoSignaturePrepared> PrepareXmlCoSignature(std::string_view xml_text,
                                                     const keys::Certificate& cert,
                                                     const std::vector<keys::Certificate>& chain,
                                                     const XmlLimits& limits) {
  ASSIGN_OR_RETURN(xml::DocPtr doc, xml::ParseDoc(xml_text, limits));
  if (!xml::FindAll(doc.get(), xml::kDsigNs, "Signature").empty()) {
    return Status::Error(ErrorKind::kInvalidArgument, "xml.already_signed",
                         "the XML document already holds a ds:Signature",
                         "El documento XML ya contiene una firma.");
  }
  const std::string type = cert.KeyType();
  if (type != "EC" && type != "RSA") {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.unsupported_key",
                         "XML signatures need an EC or RSA key");
  }
  const bool ec = type == "EC";
  XmlCoSignaturePrepared out;
  out.algorithm = ec ? "ecdsa-sha256" : "rsa-sha256";
  out.signature_id = xml::kCoSignatureIdPrefix + HexEncode(RandomBytes(8));

  xmlNode* sig = xmlSecTmplSignatureCreateNsPref(
      doc.get(), xmlSecTransformExclC14NId,
      ec ? xmlSecTransformEcdsaSha256Id : xmlSecTransformRsaSha256Id,
      X(out.signature_id.c_str()), X("ds"));
  if (sig == nullptr) return SignFailed("cannot create the template");
  xmlAddChild(xmlDocGetRootElement(doc.get()), sig);
  xmlNode* ref =
      xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, nullptr, X(""), nullptr);
  xmlNode* filter = ref == nullptr ? nullptr : xmlSecTmplReferenceAddTransform(ref, xmlSecTransformXPath2Id);
  const xmlChar* ns_list[] = {X("ds"), X(xml::kDsigNs), nullptr};
  if (filter == nullptr ||
      xmlSecTmplTransformAddXPath2(filter, X("subtract"), X(xml::kCoSignatureFilter), ns_list) < 0 ||
      xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId) == nullptr) {
    return SignFailed("cannot build the reference");
  }

  ASSIGN_OR_RETURN(EvpPtr throwaway, ThrowawayKey(ec));
  ASSIGN_OR_RETURN(xml::KeyPtr key, xml::KeyFromEvp(throwaway.get()));
  std::unique_ptr<xmlSecDSigCtx, DsigCtxDeleter> ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return SignFailed("out of memory");
  ctx->signKey = key.release();
  const int rc = xmlSecDSigCtxSign(ctx.get(), sig);
  ERR_clear_error();
  if (rc < 0) return SignFailed("xmlSecDSigCtxSign failed");
  ctx.reset();

  xmlNode* signed_info = xmlSecFindChild(sig, xmlSecNodeSignedInfo, xmlSecDSigNs);
  xmlNode* value = xmlSecFindChild(sig, xmlSecNodeSignatureValue, xmlSecDSigNs);
  if (signed_info == nullptr || value == nullptr) return SignFailed("incomplete template");
  xmlNodeSetContent(value, nullptr);
  // KeyInfo: the co-signer's certificate, then its chain (outside SignedInfo).
  xmlNode* key_info = xmlNewChild(sig, sig->ns, X("KeyInfo"), nullptr);
  xmlNode* x509 = xmlNewChild(key_info, sig->ns, X("X509Data"), nullptr);
  xmlNewTextChild(x509, sig->ns, X("X509Certificate"), X(Base64Encode(cert.der()).c_str()));
  for (const auto& c : chain) {
    if (c == cert) continue;
    xmlNewTextChild(x509, sig->ns, X("X509Certificate"), X(Base64Encode(c.der()).c_str()));
  }
  ASSIGN_OR_RETURN(out.signed_info, xml::ExclusiveC14n(doc.get(), signed_info));
  out.digest = Sha256(out.signed_info);
  out.document = xml::DumpDoc(doc.get());
  return out;
}

Result<std::string> CompleteXmlCoSignature(std::string_view prepared_document,
                                           std::string_view signature_id,
                                           std::string_view signature, const XmlLimits& limits) {
  ASSIGN_OR_RETURN(xml::DocPtr doc, xml::ParseDoc(prepared_document, limits));
  xmlNode* sig = FindCoSignature(doc.get(), signature_id);
  xmlNode* value = sig == nullptr ? nullptr : xmlSecFindChild(sig, xmlSecNodeSignatureValue, xmlSecDSigNs);
  xmlNode* key_info = sig == nullptr ? nullptr : xmlSecFindChild(sig, xmlSecNodeKeyInfo, xmlSecDSigNs);
  if (value == nullptr || key_info == nullptr || !xml::ContentOf(value).empty()) {
    return Status::Error(ErrorKind::kRejected, "xml.signature_missing",
                         "no unsigned co-signature " + std::string(signature_id) + " in the document",
                         "El documento no espera esa cofirma.");
  }
  xmlNode* x509 = xmlSecFindChild(key_info, xmlSecNodeX509Data, xmlSecDSigNs);
  xmlNode* first = x509 == nullptr ? nullptr : xmlSecFindChild(x509, xmlSecNodeX509Certificate, xmlSecDSigNs);
  std::string b64;
  for (char ch : xml::ContentOf(first)) {
    if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') b64 += ch;
  }
  auto der = Base64Decode(b64);
  if (!der.ok()) return SignFailed("the prepared KeyInfo holds no certificate");
  ASSIGN_OR_RETURN(keys::Certificate cert, keys::Certificate::FromDer(*der));
  EvpPtr pub(X509_get_pubkey(static_cast<X509*>(cert.native_handle())));
  if (!pub) return SignFailed("the certificate has no usable public key");
  const bool ec = EVP_PKEY_base_id(pub.get()) == EVP_PKEY_EC;
  ASSIGN_OR_RETURN(std::string raw, XmlSignatureValue(signature, pub.get(), ec));
  xmlNodeSetContent(value, X(Base64Encode(raw).c_str()));

  ASSIGN_OR_RETURN(xml::KeyPtr key, xml::KeyFromEvp(pub.get()));
  std::unique_ptr<xmlSecDSigCtx, DsigCtxDeleter> ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return SignFailed("out of memory");
  ctx->signKey = key.release();
  ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
  const int rc = xmlSecDSigCtxVerify(ctx.get(), sig);
  ERR_clear_error();
  if (rc < 0 || ctx->status != xmlSecDSigStatusSucceeded) {
    return BadSignature("not made by the key of " + cert.SubjectString() +
                        " over the prepared SignedInfo");
  }
  return xml::DumpDoc(doc.get());
}

}  // namespace rubrica::signing
