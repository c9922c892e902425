// SignXmlEnveloped: the xmlsec template, the signature, then the XAdES timestamp object.
#include <openssl/err.h>
#include <openssl/x509.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmltree.h>

#include "rubrica/base/crypto_util.h"
#include "rubrica/signing/xml_signature.h"
#include "xml/xml_internal.h"

namespace rubrica::signing {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

struct DsigCtxDeleter {
  void operator()(xmlSecDSigCtx* c) const { xmlSecDSigCtxDestroy(c); }
};

Status SignFailed(const std::string& what) {
  return Status::Error(ErrorKind::kInternal, "xml.sign_failed", "XML signature failed: " + what,
                       "No se pudo firmar el documento XML.");
}

// The signer's certificate first, then the chain, in the order xmlsec will write them.
Status AddCertificates(xmlSecKey* key, const keys::Certificate& cert,
                       const std::vector<keys::Certificate>& chain) {
  xmlSecKeyDataPtr data = xmlSecKeyEnsureData(key, xmlSecOpenSSLKeyDataX509Id);
  if (data == nullptr) return SignFailed("no X509 key data");
  X509* leaf = X509_dup(static_cast<X509*>(cert.native_handle()));
  if (leaf == nullptr || xmlSecOpenSSLKeyDataX509AdoptKeyCert(data, leaf) < 0) {
    X509_free(leaf);
    return SignFailed("cannot attach the signer certificate");
  }
  std::vector<const keys::Certificate*> all = {&cert};
  for (const auto& c : chain) {
    if (!(c == cert)) all.push_back(&c);
  }
  for (const keys::Certificate* c : all) {
    X509* x = X509_dup(static_cast<X509*>(c->native_handle()));
    if (x == nullptr || xmlSecOpenSSLKeyDataX509AdoptCert(data, x) < 0) {
      X509_free(x);
      return SignFailed("cannot attach a certificate of the chain");
    }
  }
  return Status::Ok();
}

// <ds:Object><xades:QualifyingProperties Target="#id"> ... <xades:SignatureTimeStamp>.
Status AddTimestampObject(xmlNode* sig, const std::string& sig_id, const std::string& token) {
  xmlNode* object = xmlSecTmplSignatureAddObject(sig, nullptr, nullptr, nullptr);
  if (object == nullptr) return SignFailed("cannot add ds:Object");
  xmlNs* ds = object->ns;
  xmlNode* qp = xmlNewChild(object, nullptr, X("QualifyingProperties"), nullptr);
  xmlNs* xades = xmlNewNs(qp, X(xml::kXadesNs), X("xades"));
  xmlSetNs(qp, xades);
  xmlSetProp(qp, X("Target"), X(("#" + sig_id).c_str()));
  xmlNode* up = xmlNewChild(qp, xades, X("UnsignedProperties"), nullptr);
  xmlNode* usp = xmlNewChild(up, xades, X("UnsignedSignatureProperties"), nullptr);
  xmlNode* sts = xmlNewChild(usp, xades, X("SignatureTimeStamp"), nullptr);
  xmlNode* cm = xmlNewChild(sts, ds, X("CanonicalizationMethod"), nullptr);
  xmlSetProp(cm, X("Algorithm"), X(xml::kExcC14n));
  xmlNewTextChild(sts, xades, X("EncapsulatedTimeStamp"), X(Base64Encode(token).c_str()));
  return Status::Ok();
}

}  // namespace

Result<std::string> SignXmlEnveloped(std::string_view xml_text, const keys::SigningKey& key,
                                     const keys::Certificate& cert,
                                     const std::vector<keys::Certificate>& chain,
                                     TimestampClient* tsa, const XmlLimits& limits) {
  ASSIGN_OR_RETURN(xml::DocPtr doc, xml::ParseDoc(xml_text, limits));
  // Co-signatures made before (xml_cosignature.h) stay, enveloped by this signature.
  for (xmlNode* other : xml::FindAll(doc.get(), xml::kDsigNs, "Signature")) {
    if (!xml::IsCoSignaturePlace(doc.get(), other) ||
        xml::ContentOf(xmlSecFindChild(other, xmlSecNodeSignatureValue, xmlSecDSigNs)).empty()) {
      return Status::Error(ErrorKind::kInvalidArgument, "xml.already_signed",
                           "the XML document already holds a ds:Signature",
                           "El documento XML ya contiene una firma.");
    }
  }
  if (!key.Matches(cert)) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.key_certificate_mismatch",
                         "the key is not the key of certificate " + cert.SubjectString());
  }
  xmlSecTransformId method;
  if (key.KeyType() == "EC") {
    method = xmlSecTransformEcdsaSha256Id;
  } else if (key.KeyType() == "RSA") {
    method = xmlSecTransformRsaSha256Id;
  } else {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.unsupported_key",
                         "XML signatures need an EC or RSA key");
  }

  const std::string sig_id = xml::kSealIdPrefix + HexEncode(RandomBytes(8));
  xmlNode* sig = xmlSecTmplSignatureCreateNsPref(doc.get(), xmlSecTransformExclC14NId, method,
                                                 X(sig_id.c_str()), X("ds"));
  if (sig == nullptr) return SignFailed("cannot create the template");
  xmlAddChild(xmlDocGetRootElement(doc.get()), sig);
  xmlNode* ref =
      xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, nullptr, X(""), nullptr);
  if (ref == nullptr ||
      xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) == nullptr ||
      xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId) == nullptr) {
    return SignFailed("cannot build the reference");
  }
  xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(sig, nullptr);
  if (key_info == nullptr || xmlSecTmplKeyInfoAddX509Data(key_info) == nullptr) {
    return SignFailed("cannot build KeyInfo");
  }

  ASSIGN_OR_RETURN(xml::KeyPtr sign_key, xml::KeyFromEvp(key.native_handle()));
  RETURN_IF_ERROR(AddCertificates(sign_key.get(), cert, chain));
  std::unique_ptr<xmlSecDSigCtx, DsigCtxDeleter> ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return SignFailed("out of memory");
  ctx->signKey = sign_key.release();  // the context destroys it
  const int rc = xmlSecDSigCtxSign(ctx.get(), sig);
  ERR_clear_error();  // nothing of xmlsec's may stay queued for the thread's next OpenSSL user
  if (rc < 0) return SignFailed("xmlSecDSigCtxSign failed");

  if (tsa != nullptr) {
    xmlNode* value = xmlSecFindChild(sig, xmlSecNodeSignatureValue, xmlSecDSigNs);
    ASSIGN_OR_RETURN(std::string c14n, xml::ExclusiveC14n(doc.get(), value));
    ASSIGN_OR_RETURN(std::string token, tsa->Timestamp(Sha256(c14n)));
    RETURN_IF_ERROR(AddTimestampObject(sig, sig_id, token));
  }
  return xml::DumpDoc(doc.get());
}

}  // namespace rubrica::signing
