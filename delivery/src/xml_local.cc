#include "xml_local.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <cstdarg>
#include <cstdio>
#include <memory>
#include <mutex>

namespace rubrica::delivery::xml {

namespace {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

constexpr int kParseOptions = XML_PARSE_NONET;  // no entity substitution, no DTD loading

Status Init() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSecErrorsDefaultCallbackEnableOutput(0);
    ok = xmlSecInit() >= 0 && xmlSecOpenSSLAppInit(nullptr) >= 0 && xmlSecOpenSSLInit() >= 0;
  });
  if (!ok) return Status::Error(ErrorKind::kInternal, "delivery.xmlsec_init", "xmlsec could not be initialised");
  return Status::Ok();
}

DocPtr Parse(std::string_view xml) {
  if (xml.size() > (64u << 20)) return nullptr;
  return DocPtr(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "document.xml", nullptr, kParseOptions));
}

void CollectError(void* ctx, const char* fmt, ...) {
  auto* out = static_cast<std::string*>(ctx);
  if (out->size() > 600) return;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  out->append(buf);
}

}  // namespace

Status ValidateSchema(std::string_view xml, std::string_view xsd, const char* code) {
  auto refuse = [&](const std::string& why) {
    return Status::Error(ErrorKind::kRejected, code, "not valid against its schema: " + why,
                         "El documento XML no es válido conforme a su esquema.");
  };
  DocPtr doc = Parse(xml);
  if (!doc) return refuse("not well-formed XML");
  std::string errors;
  xmlSchemaParserCtxtPtr pctx = xmlSchemaNewMemParserCtxt(xsd.data(), static_cast<int>(xsd.size()));
  xmlSchemaPtr schema = pctx ? xmlSchemaParse(pctx) : nullptr;
  if (pctx) xmlSchemaFreeParserCtxt(pctx);
  if (!schema) return Status::Error(ErrorKind::kInternal, "delivery.bad_schema", "the embedded schema does not parse");
  xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
  xmlSchemaSetValidErrors(vctx, CollectError, CollectError, &errors);
  const int rc = xmlSchemaValidateDoc(vctx, doc.get());
  xmlSchemaFreeValidCtxt(vctx);
  xmlSchemaFree(schema);
  if (rc != 0) {
    while (!errors.empty() && errors.back() == '\n') errors.pop_back();
    return refuse(errors.empty() ? "invalid" : errors);
  }
  return Status::Ok();
}

Result<std::string> SignEnveloped(std::string_view xml, const keys::SigningKey& key,
                                  const keys::Certificate& cert,
                                  const std::vector<keys::Certificate>& chain) {
  RETURN_IF_ERROR(Init());
  auto fail = [](const std::string& what) {
    return Status::Error(ErrorKind::kInternal, "delivery.xml_sign_failed", "XMLDSig signing failed: " + what);
  };
  DocPtr doc = Parse(xml);
  if (!doc || !xmlDocGetRootElement(doc.get())) return fail("document does not parse");
  const bool ec = key.KeyType() == "EC";
  xmlNodePtr sig = xmlSecTmplSignatureCreate(doc.get(), xmlSecTransformExclC14NId,
                                             ec ? xmlSecTransformEcdsaSha256Id : xmlSecTransformRsaSha256Id,
                                             nullptr);
  if (!sig) return fail("template");
  xmlAddChild(xmlDocGetRootElement(doc.get()), sig);
  xmlNodePtr ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, nullptr,
                                                   BAD_CAST "", nullptr);
  if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) ||
      !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId)) {
    return fail("reference");
  }
  xmlNodePtr key_info = xmlSecTmplSignatureEnsureKeyInfo(sig, nullptr);
  xmlNodePtr x509 = key_info ? xmlSecTmplKeyInfoAddX509Data(key_info) : nullptr;
  if (!x509 || !xmlSecTmplX509DataAddCertificate(x509)) return fail("key info");

  std::unique_ptr<xmlSecDSigCtx, void (*)(xmlSecDSigCtxPtr)> ctx(xmlSecDSigCtxCreate(nullptr), xmlSecDSigCtxDestroy);
  if (!ctx) return fail("context");
  auto* pkey = static_cast<EVP_PKEY*>(key.native_handle());
  EVP_PKEY_up_ref(pkey);
  xmlSecKeyDataPtr value = xmlSecOpenSSLEvpKeyAdopt(pkey);
  if (!value) {
    EVP_PKEY_free(pkey);
    return fail("key");
  }
  ctx->signKey = xmlSecKeyCreate();
  if (!ctx->signKey || xmlSecKeySetValue(ctx->signKey, value) < 0) {
    xmlSecKeyDataDestroy(value);
    return fail("key");
  }
  xmlSecKeyDataPtr certs = xmlSecKeyEnsureData(ctx->signKey, xmlSecOpenSSLKeyDataX509Id);
  if (!certs) return fail("certificates");
  auto adopt = [&](const keys::Certificate& c, bool leaf) {
    const auto* p = reinterpret_cast<const unsigned char*>(c.der().data());
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(c.der().size()));
    if (!x) return false;
    int rc = leaf ? xmlSecOpenSSLKeyDataX509AdoptKeyCert(certs, x) : xmlSecOpenSSLKeyDataX509AdoptCert(certs, x);
    if (rc < 0) X509_free(x);
    return rc >= 0;
  };
  // The key certificate is not written to KeyInfo by itself (xmlsec 1.2 writes the list
  // of certificates): adopt it as the key's and, first, in the list.
  if (!adopt(cert, true) || !adopt(cert, false)) return fail("signer certificate");
  for (const auto& c : chain) {
    if (!adopt(c, false)) return fail("chain certificate");
  }
  if (xmlSecDSigCtxSign(ctx.get(), sig) < 0) return fail("xmlSecDSigCtxSign");
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc.get(), &out, &size, "UTF-8");
  if (!out) return fail("serialisation");
  std::string signed_xml(reinterpret_cast<char*>(out), static_cast<size_t>(size));
  xmlFree(out);
  return signed_xml;
}

Result<keys::Certificate> VerifyEnveloped(std::string_view xml, std::string_view trust_pem, const char* code) {
  RETURN_IF_ERROR(Init());
  auto refuse = [&](const std::string& why) {
    return Status::Error(ErrorKind::kRejected, code, "the XML signature does not verify: " + why,
                         "La firma electrónica del documento XML no es válida o no es de confianza.");
  };
  DocPtr doc = Parse(xml);
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root) return refuse("not well-formed XML");
  // Exactly one signature, a direct child of the root.
  xmlNodePtr sig = nullptr;
  int count = 0;
  for (xmlNodePtr n = root->children; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && xmlSecCheckNodeName(n, xmlSecNodeSignature, xmlSecDSigNs)) {
      sig = n;
      ++count;
    }
  }
  if (count != 1) return refuse(count == 0 ? "no signature" : "more than one signature");
  if (xmlSecFindNode(sig->children, xmlSecNodeSignature, xmlSecDSigNs) != nullptr) return refuse("nested signature");

  std::unique_ptr<xmlSecKeysMngr, void (*)(xmlSecKeysMngrPtr)> mngr(xmlSecKeysMngrCreate(), xmlSecKeysMngrDestroy);
  if (!mngr || xmlSecOpenSSLAppDefaultKeysMngrInit(mngr.get()) < 0) return refuse("key manager");
  auto anchors = keys::Certificate::AllFromPem(trust_pem);
  if (!anchors.ok() || anchors->empty()) return refuse("no trust anchor");
  for (const auto& a : *anchors) {
    if (xmlSecOpenSSLAppKeysMngrCertLoadMemory(mngr.get(), reinterpret_cast<const xmlSecByte*>(a.der().data()),
                                               static_cast<xmlSecSize>(a.der().size()), xmlSecKeyDataFormatDer,
                                               xmlSecKeyDataTypeTrusted) < 0) {
      return refuse("trust anchor does not load");
    }
  }
  std::unique_ptr<xmlSecDSigCtx, void (*)(xmlSecDSigCtxPtr)> ctx(xmlSecDSigCtxCreate(mngr.get()), xmlSecDSigCtxDestroy);
  if (!ctx) return refuse("context");
  // Only what an enveloped signature over the whole document needs.
  ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
  if (xmlSecDSigCtxVerify(ctx.get(), sig) < 0) return refuse("signature or certificate chain");
  if (ctx->status != xmlSecDSigStatusSucceeded) return refuse("signature value");
  if (xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1) return refuse("not exactly one reference");
  auto* ref = static_cast<xmlSecDSigReferenceCtxPtr>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0));
  if (!ref || !ref->uri || ref->uri[0] != '\0' || ref->status != xmlSecDSigStatusSucceeded) {
    return refuse("the reference does not cover the whole document");
  }
  xmlSecKeyDataPtr data = ctx->signKey ? xmlSecKeyGetData(ctx->signKey, xmlSecOpenSSLKeyDataX509Id) : nullptr;
  X509* leaf = data ? xmlSecOpenSSLKeyDataX509GetKeyCert(data) : nullptr;
  if (!leaf) return refuse("no signer certificate");
  unsigned char* der = nullptr;
  int len = i2d_X509(leaf, &der);
  if (len <= 0) return refuse("signer certificate");
  std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return keys::Certificate::FromDer(bytes);
}

}  // namespace rubrica::delivery::xml
