#include "xml_local.h"

#include <chrono>

#include "rubrica/base/crypto_util.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/xml_schema.h"
#include "rubrica/signing/xml_cosignature.h"
#include "rubrica/signing/xml_signature.h"
#include "xml_text.h"

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
                                          const char* code, bool cosigned, Instant* signing_time) {
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
  o.allow_cosignatures = cosigned;
  auto info = signing::VerifyXmlSignature(xml, trust, o);
  if (!info.ok()) {
    return Status::Error(ErrorKind::kRejected, code,
                         "the XML signature does not verify: " + info.status().message() + " [" +
                             info.status().code() + "]",
                         "La firma electrónica del documento XML no es válida o no es de confianza.");
  }
  if (signing_time != nullptr) *signing_time = info->signing_time.value_or(o.time);
  return info->signer;
}

Result<std::vector<CoSigner>> VerifyCoSignatures(std::string_view xml, std::string_view trust_pem,
                                                 const Clock& clock, Instant time, const char* code) {
  keys::TrustStore trust(clock);
  if (Status s = trust.AddAnchors(trust_pem, "trust anchors"); !s.ok()) {
    return Status::Error(ErrorKind::kRejected, code, "no usable trust anchor: " + s.message(),
                         "No hay un ancla de confianza válida para verificar la cofirma.");
  }
  signing::XmlVerifyOptions o;
  o.time = time;
  auto infos = signing::VerifyXmlCoSignatures(xml, trust, o);
  if (!infos.ok()) {
    return Status::Error(ErrorKind::kRejected, code,
                         "the XML co-signature does not verify: " + infos.status().message() + " [" +
                             infos.status().code() + "]",
                         infos.status().message_es());
  }
  std::vector<CoSigner> out;
  for (const auto& i : *infos) out.push_back({i.signer, i.signer.SubjectCommonName()});
  return out;
}

std::vector<std::string> SealKeyInfoCertificates(std::string_view xml) {
  static constexpr const char* kDsig = "http://www.w3.org/2000/09/xmldsig#";
  std::vector<std::string> ders;
  Doc doc = ParseDoc(xml, "manifest.xml");
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  xmlNodePtr seal = nullptr;
  for (xmlNodePtr n = root ? root->children : nullptr; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) seal = n;
  }
  if (seal == nullptr || !Is(seal, kDsig, "Signature")) return ders;
  for (xmlNodePtr ki = seal->children; ki; ki = ki->next) {
    if (!Is(ki, kDsig, "KeyInfo")) continue;
    for (xmlNodePtr data = ki->children; data; data = data->next) {
      if (!Is(data, kDsig, "X509Data")) continue;
      for (xmlNodePtr c = data->children; c && ders.size() < 16; c = c->next) {
        if (!Is(c, kDsig, "X509Certificate")) continue;
        std::string b64;
        for (char ch : Text(c)) {
          if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') b64 += ch;
        }
        auto der = Base64Decode(b64);
        if (der.ok() && !der->empty()) ders.push_back(std::move(*der));
      }
    }
  }
  return ders;
}

}  // namespace rubrica::delivery::xml
