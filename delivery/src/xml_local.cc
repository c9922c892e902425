#include "xml_local.h"

#include <chrono>

#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/xml_schema.h"
#include "rubrica/signing/xml_signature.h"

namespace rubrica::delivery::xml {

Status ValidateSchema(std::string_view xml, std::string_view xsd, const char* code) {
  Status s = signing::ValidateXmlSchema(xml, xsd);
  if (s.ok() || s.kind() == ErrorKind::kInternal) return s;
  return Status::Error(ErrorKind::kRejected, code, "not valid against its schema: " + s.message(),
                       "El documento XML no es válido conforme a su esquema.");
}

Result<std::string> SignEnveloped(std::string_view xml, const keys::SigningKey& key, const keys::Certificate& cert,
                                  const std::vector<keys::Certificate>& chain, signing::TimestampClient* tsa) {
  return signing::SignXmlEnveloped(xml, key, cert, chain, tsa);
}

Result<keys::Certificate> VerifyEnveloped(std::string_view xml, std::string_view trust_pem, const Clock& clock,
                                          const char* code) {
  keys::TrustStore trust(clock);
  if (Status s = trust.AddAnchors(trust_pem, "trust anchors"); !s.ok()) {
    return Status::Error(ErrorKind::kRejected, code, "no usable trust anchor: " + s.message(),
                         "No hay un ancla de confianza válida para verificar la firma.");
  }
  signing::XmlVerifyOptions o;
  // Sender and receiver keep their own clocks: a signing time up to 15 minutes ahead of
  // ours is skew, not a forgery.
  o.time = clock.Now() + std::chrono::minutes(15);
  o.require_timestamp = true;
  auto info = signing::VerifyXmlSignature(xml, trust, o);
  if (!info.ok()) {
    return Status::Error(ErrorKind::kRejected, code,
                         "the XML signature does not verify: " + info.status().message() + " [" +
                             info.status().code() + "]",
                         "La firma electrónica del documento XML no es válida o no es de confianza.");
  }
  return info->signer;
}

}  // namespace rubrica::delivery::xml
