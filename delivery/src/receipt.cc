#include "rubrica/delivery/receipt.h"

#include <cstdlib>
#include <memory>

#include "rubrica/delivery/manifest.h"
#include "xml_local.h"
#include "xml_text.h"

namespace rubrica::delivery {

namespace {

using xml::Attr;
using xml::Prop;
using xml::Text;

bool Is(xmlNodePtr n, const char* name) { return xml::Is(n, kReceiptNamespace, name); }

}  // namespace

std::string ReceiptXml(const Receipt& r) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += std::string("<acuse xmlns=\"") + kReceiptNamespace + "\" version=\"1\"" +
       Attr("resultado", r.accepted ? "recibido" : "rechazado") + Attr("a_tiempo", r.on_time ? "true" : "false") +
       ">\n";
  x += "  <organo_garante" + Attr("nombre", r.agency) + "/>\n";
  x += "  <paquete" + Attr("sha256", r.package_sha256) + Attr("bytes", std::to_string(r.package_bytes)) +
       Attr("secretariado", r.secretariat) + Attr("mes", r.month) + "/>\n";
  for (const CheckedCosigner& c : r.cosigners) {
    x += "  <cofirma" + Attr("rol", CosignerRoleEs(c.role)) + Attr("nombre", c.name) + "/>\n";
  }
  x += "  <recibido>" + EscapeMarkup(r.received_at) + "</recibido>\n  <actas>\n";
  for (const CheckedActa& a : r.actas) {
    x += "    <acta" + Attr("id", std::to_string(a.id)) + Attr("folio", a.folio) + Attr("sha256", a.sha256) +
         Attr("verificacion", a.verdict) + "/>\n";
  }
  x += "  </actas>\n  <motivos>\n";
  for (const CheckProblem& p : r.reasons) {
    x += "    <motivo" + Attr("codigo", p.code) + (p.file.empty() ? "" : Attr("archivo", p.file)) + ">" +
         EscapeMarkup(p.message_es) + "</motivo>\n";
  }
  x += "  </motivos>\n</acuse>\n";
  return x;
}

Result<Receipt> ParseReceipt(std::string_view text) {
  RETURN_IF_ERROR(xml::ValidateSchema(text, ReceiptSchema(), "delivery.bad_receipt"));
  xml::Doc doc = xml::ParseDoc(text, "acuse.xml");
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root || !Is(root, "acuse")) {
    return Status::Error(ErrorKind::kRejected, "delivery.bad_receipt", "not an acuse document",
                         "El acuse del órgano no es válido.");
  }
  Receipt r;
  r.accepted = Prop(root, "resultado") == "recibido";
  r.on_time = Prop(root, "a_tiempo") == "true";
  for (xmlNodePtr n = root->children; n; n = n->next) {
    if (Is(n, "organo_garante")) r.agency = Prop(n, "nombre");
    if (Is(n, "paquete")) {
      r.package_sha256 = Prop(n, "sha256");
      r.package_bytes = std::strtoull(Prop(n, "bytes").c_str(), nullptr, 10);
      r.secretariat = Prop(n, "secretariado");
      r.month = Prop(n, "mes");
    }
    if (Is(n, "cofirma")) {
      r.cosigners.push_back({Prop(n, "rol") == "facilitador" ? "facilitator" : "garante", Prop(n, "nombre"), ""});
    }
    if (Is(n, "recibido")) r.received_at = Text(n);
    if (Is(n, "actas")) {
      for (xmlNodePtr a = n->children; a; a = a->next) {
        if (Is(a, "acta")) {
          r.actas.push_back({std::strtoll(Prop(a, "id").c_str(), nullptr, 10), Prop(a, "folio"), Prop(a, "sha256"),
                             Prop(a, "verificacion")});
        }
      }
    }
    if (Is(n, "motivos")) {
      for (xmlNodePtr m = n->children; m; m = m->next) {
        if (Is(m, "motivo")) r.reasons.push_back({Prop(m, "codigo"), Text(m), Prop(m, "archivo")});
      }
    }
  }
  return r;
}

Result<std::string> SignXmlDocument(std::string_view xml, const keys::SigningKey& key, const keys::Certificate& cert,
                                    const std::vector<keys::Certificate>& chain, signing::TimestampClient& tsa) {
  return xml::SignEnveloped(xml, key, cert, chain, &tsa);
}

Result<keys::Certificate> VerifyXmlDocument(std::string_view xml, std::string_view trust_pem, const Clock& clock,
                                            const char* code) {
  return xml::VerifyEnveloped(xml, trust_pem, clock, code);
}

}  // namespace rubrica::delivery
