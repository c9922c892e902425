#include <libxml/c14n.h>
#include <libxml/xmlIO.h>
#include <openssl/evp.h>
#include <xmlsec/openssl/evp.h>

#include "xml/xml_internal.h"

namespace rubrica::signing::xml {
namespace {

// Visible to C14N: `target` and everything under it. A namespace node arrives as an xmlNs
// whose `type` sits where xmlNode's does; its element is `parent`.
int InSubtree(void* user, xmlNodePtr node, xmlNodePtr parent) {
  const xmlNode* target = static_cast<const xmlNode*>(user);
  const xmlNode* n = (node == nullptr || node->type == XML_NAMESPACE_DECL) ? parent : node;
  for (; n != nullptr; n = n->parent) {
    if (n == target) return 1;
  }
  return 0;
}

}  // namespace

Result<KeyPtr> KeyFromEvp(void* evp_pkey) {
  auto* pkey = static_cast<EVP_PKEY*>(evp_pkey);
  if (pkey == nullptr || EVP_PKEY_up_ref(pkey) != 1) {
    return Status::Error(ErrorKind::kInternal, "xml.sign_failed", "no key");
  }
  xmlSecKeyDataPtr data = xmlSecOpenSSLEvpKeyAdopt(pkey);
  if (data == nullptr) {
    EVP_PKEY_free(pkey);
    return Status::Error(ErrorKind::kInvalidArgument, "signing.unsupported_key",
                         "xmlsec does not accept this key type for XML signatures");
  }
  KeyPtr key(xmlSecKeyCreate());
  if (!key || xmlSecKeySetValue(key.get(), data) < 0) {
    xmlSecKeyDataDestroy(data);
    return Status::Error(ErrorKind::kInternal, "xml.sign_failed", "xmlSecKeySetValue failed");
  }
  return key;
}

Result<std::string> ExclusiveC14n(xmlDoc* doc, xmlNode* node) {
  xmlOutputBufferPtr buf = xmlAllocOutputBuffer(nullptr);
  if (buf == nullptr)
    return Status::Error(ErrorKind::kInternal, "xml.c14n_failed", "out of memory");
  int rc = xmlC14NExecute(doc, InSubtree, node, XML_C14N_EXCLUSIVE_1_0, nullptr, 0, buf);
  std::string out;
  if (rc >= 0) {
    out.assign(reinterpret_cast<const char*>(xmlOutputBufferGetContent(buf)),
               xmlOutputBufferGetSize(buf));
  }
  xmlOutputBufferClose(buf);
  if (rc < 0)
    return Status::Error(ErrorKind::kInternal, "xml.c14n_failed", "exclusive C14N failed");
  return out;
}

std::vector<xmlNode*> FindAll(xmlDoc* doc, const char* ns, const char* local_name) {
  std::vector<xmlNode*> out;
  std::vector<xmlNode*> stack;
  if (xmlNode* root = xmlDocGetRootElement(doc)) stack.push_back(root);
  // Depth-first, children pushed in reverse so that the result is in document order.
  while (!stack.empty()) {
    xmlNode* n = stack.back();
    stack.pop_back();
    if (IsElement(n, ns, local_name)) out.push_back(n);
    std::vector<xmlNode*> kids = ElementChildren(n);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

bool IsCoSignaturePlace(xmlDoc* doc, const xmlNode* sig) {
  return IsElement(sig, kDsigNs, "Signature") && sig->parent == xmlDocGetRootElement(doc) &&
         AttrOf(sig, "Id").rfind(kCoSignatureIdPrefix, 0) == 0;
}

}  // namespace rubrica::signing::xml
