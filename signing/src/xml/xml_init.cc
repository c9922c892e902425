#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include <mutex>

#include "xml/xml_internal.h"

namespace rubrica::signing::xml {
namespace {

void SilentGeneric(void*, const char*, ...) {}
void SilentStructured(void*, xmlErrorPtr) {}
void SilentXmlsec(const char*, int, const char*, const char*, const char*, int, const char*) {}

// Refuses every external load (DTD, entity, schema include, XInclude): Rúbrica's XML is
// always self-contained, and the only URI a signature may reference is "".
xmlParserInputPtr RefuseExternal(const char*, const char*, xmlParserCtxtPtr) { return nullptr; }

}  // namespace

Status EnsureInitialized() {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [] {
    xmlInitParser();
    xmlThrDefSetGenericErrorFunc(nullptr, SilentGeneric);
    xmlThrDefSetStructuredErrorFunc(nullptr, SilentStructured);
    xmlSetGenericErrorFunc(nullptr, SilentGeneric);
    xmlSetStructuredErrorFunc(nullptr, SilentStructured);
    xmlSetExternalEntityLoader(RefuseExternal);
    // xmlSecOpenSSLAppInit is deliberately not called: it would load OpenSSL's
    // configuration and change process-wide state other modules rely on. xmlSecOpenSSLInit
    // only registers xmlsec's own key data and transforms.
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoInit() < 0) {
      status = Status::Error(ErrorKind::kInternal, "xml.init_failed",
                             "xmlsec could not be initialised (library and headers disagree?)");
      return;
    }
    xmlSecErrorsSetCallback(SilentXmlsec);
  });
  return status;
}

}  // namespace rubrica::signing::xml
