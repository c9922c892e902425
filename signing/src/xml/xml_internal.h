// libxml2/xmlsec plumbing shared by the XML sources of rubrica::signing. Never included by
// a public header.
#pragma once

#include <libxml/tree.h>
#include <xmlsec/keys.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/signing/xml_document.h"

namespace rubrica::signing::xml {

inline constexpr const char* kDsigNs = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr const char* kXadesNs = "http://uri.etsi.org/01903/v1.3.2#";
inline constexpr const char* kExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
inline constexpr const char* kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
inline constexpr const char* kSha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
inline constexpr const char* kEcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
inline constexpr const char* kRsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr const char* kFilter2 = "http://www.w3.org/2002/06/xmldsig-filter2";
/// The one XPath Filter 2.0 expression a co-signature's reference subtracts
/// (xml_cosignature.h), with `ds` bound to kDsigNs.
inline constexpr const char* kCoSignatureFilter = "//ds:Signature";
/// Id prefixes: the seal's (SignXmlEnveloped) and a co-signature's.
inline constexpr const char* kSealIdPrefix = "rubrica-sig-";
inline constexpr const char* kCoSignatureIdPrefix = "rubrica-cosig-";

/// libxml2 and xmlsec (with its OpenSSL backend) initialised once per process: error
/// callbacks silenced (errors are read from contexts), and an external entity loader that
/// refuses everything, so nothing in the process ever fetches a DTD, schema or URI.
/// xml.init_failed (kInternal) when xmlsec cannot start (then nothing XML works).
Status EnsureInitialized();

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

/// The safe parse (see xml_document.h): xml.too_large, xml.dtd_refused, xml.malformed.
Result<DocPtr> ParseDoc(std::string_view xml, const XmlLimits& limits);

/// The document as UTF-8 bytes with an XML declaration.
std::string DumpDoc(xmlDoc* doc);

/// Node helpers (null-safe).
bool IsElement(const xmlNode* n, const char* ns, const char* local_name);
std::string AttrOf(const xmlNode* n, const char* name);
bool HasAttrOf(const xmlNode* n, const char* name);
std::string ContentOf(const xmlNode* n);
/// The element children of `n`, in order.
std::vector<xmlNode*> ElementChildren(const xmlNode* n);

}  // namespace rubrica::signing::xml

// XMLDSig helpers shared by the signer and the verifier (xml_dsig_common.cc).
namespace rubrica::signing::xml {

struct KeyDeleter {
  void operator()(xmlSecKey* k) const { xmlSecKeyDestroy(k); }
};
using KeyPtr = std::unique_ptr<xmlSecKey, KeyDeleter>;

/// An xmlsec key sharing `evp_pkey` (an EVP_PKEY*, private or public; its reference count
/// is raised, the caller keeps its own). xml.sign_failed when xmlsec refuses it.
Result<KeyPtr> KeyFromEvp(void* evp_pkey);

/// Exclusive C14N 1.0 (without comments) of the subtree rooted at `node`.
Result<std::string> ExclusiveC14n(xmlDoc* doc, xmlNode* node);

/// Every element of the document in ns `ns` named `local_name`, in document order.
std::vector<xmlNode*> FindAll(xmlDoc* doc, const char* ns, const char* local_name);

/// True when `sig` is placed as a co-signature: a ds:Signature child of the root whose Id
/// starts with kCoSignatureIdPrefix (its shape is checked by VerifyXmlCoSignatures).
bool IsCoSignaturePlace(xmlDoc* doc, const xmlNode* sig);

}  // namespace rubrica::signing::xml
