// TEMPORARY: schema validation and XMLDSig (enveloped) for the package's manifest and the
// agency's receipt, until the `signing/` XML layer (ValidateXmlSchema, SignXmlEnveloped,
// VerifyXmlSignature, wip/xml) lands on main; then these three functions become calls to
// it and this file goes. Private to delivery/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"

namespace rubrica::delivery::xml {

/// `xml` is well-formed and valid against `xsd`. `code` names the refusal
/// (e.g. "delivery.bad_manifest"), kRejected, with libxml2's first errors.
Status ValidateSchema(std::string_view xml, std::string_view xsd, const char* code);

/// Appends an enveloped ds:Signature (exclusive C14N, SHA-256, ECDSA or RSA by key type)
/// over the whole document to its root element, with the signer's certificate and
/// `chain` in KeyInfo/X509Data.
Result<std::string> SignEnveloped(std::string_view xml, const keys::SigningKey& key,
                                  const keys::Certificate& cert,
                                  const std::vector<keys::Certificate>& chain);

/// Checks the document's one ds:Signature (a child of the root, one reference to URI ""
/// with the enveloped transform) and the signer's certificate chain up to one of the
/// certificates of `trust_pem`. Returns the signer's certificate. Refusal:
/// `code` (kRejected) naming what failed.
Result<keys::Certificate> VerifyEnveloped(std::string_view xml, std::string_view trust_pem,
                                          const char* code);

}  // namespace rubrica::delivery::xml
