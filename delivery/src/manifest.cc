#include "rubrica/delivery/manifest.h"

#include <cstdlib>
#include <memory>

#include "xml_local.h"
#include "xml_text.h"

namespace rubrica::delivery {

namespace {

using xml::Attr;
using xml::Prop;
using xml::Text;

bool Is(xmlNodePtr n, const char* name) { return xml::Is(n, kManifestNamespace, name); }

std::optional<int64_t> OptId(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return std::strtoll(s.c_str(), nullptr, 10);
}

}  // namespace

std::string CosignerRoleEs(std::string_view role) {
  return role == "facilitator" ? "facilitador" : "garante";
}

std::string ManifestXml(const Manifest& m) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += std::string("<paquete xmlns=\"") + kManifestNamespace + "\" version=\"1\">\n";
  x += "  <secretariado" + Attr("id", std::to_string(m.secretariat_id)) + Attr("nombre", m.secretariat_name) + "/>\n";
  x += "  <organo_garante" + Attr("nombre", m.agency) + "/>\n";
  x += "  <periodo" + Attr("mes", m.month) + Attr("fecha_limite", m.due_on) + Attr("zona_horaria", m.time_zone) + "/>\n";
  x += "  <generado>" + EscapeMarkup(m.generated_at) + "</generado>\n";
  if (!m.supersedes.empty()) x += "  <sustituye" + Attr("paquete", m.supersedes) + "/>\n";
  x += "  <actas>\n";
  for (const ManifestActa& a : m.actas) {
    x += "    <acta" + Attr("id", std::to_string(a.id)) + Attr("folio", a.folio) + Attr("tipo", a.kind) +
         Attr("fecha", a.date) + (a.session_id ? Attr("sesion", std::to_string(*a.session_id)) : "") +
         Attr("estado", a.state) + ">\n";
    x += "      <titulo>" + EscapeMarkup(a.title) + "</titulo>\n      <firmantes>\n";
    for (const ManifestSigner& s : a.signers) {
      x += "        <firmante" + Attr("nombre", s.name) + Attr("calidad", s.capacity) + "/>\n";
    }
    x += "      </firmantes>\n";
    for (const ManifestFile& f : a.files) {
      x += "      <archivo" + Attr("ruta", f.path) + Attr("papel", f.role) + Attr("sha256", f.sha256) +
           Attr("bytes", std::to_string(f.bytes)) + "/>\n";
    }
    if (!a.note_es.empty()) x += "      <nota>" + EscapeMarkup(a.note_es) + "</nota>\n";
    x += "    </acta>\n";
  }
  x += "  </actas>\n  <pendientes>\n";
  for (const ManifestPending& p : m.pending) {
    x += "    <pendiente" + (p.acta_id ? Attr("acta", std::to_string(*p.acta_id)) : "") +
         (p.session_id ? Attr("sesion", std::to_string(*p.session_id)) : "") + Attr("fecha", p.date) +
         Attr("vencido", p.late ? "true" : "false") + ">\n";
    x += "      <titulo>" + EscapeMarkup(p.title) + "</titulo>\n";
    for (const std::string& r : p.reasons) x += "      <motivo" + Attr("codigo", r) + "/>\n";
    x += "      <explicacion>" + EscapeMarkup(p.explanation_es) + "</explicacion>\n    </pendiente>\n";
  }
  x += "  </pendientes>\n";
  if (!m.cosigner.empty()) x += "  <cofirma" + Attr("rol", CosignerRoleEs(m.cosigner)) + "/>\n";
  x += "</paquete>\n";
  return x;
}

Status ValidateManifestSchema(std::string_view xml) {
  return xml::ValidateSchema(xml, ManifestSchema(), "delivery.bad_manifest");
}

Result<Manifest> ParseManifest(std::string_view text) {
  auto bad = [](const std::string& why) {
    return Status::Error(ErrorKind::kRejected, "delivery.bad_manifest", "manifest: " + why,
                         "El manifiesto del paquete no es válido.");
  };
  xml::Doc doc = xml::ParseDoc(text, "manifest.xml");
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root || !Is(root, "paquete")) return bad("not a paquete document");
  Manifest m;
  for (xmlNodePtr n = root->children; n; n = n->next) {
    if (Is(n, "secretariado")) {
      m.secretariat_id = std::strtoll(Prop(n, "id").c_str(), nullptr, 10);
      m.secretariat_name = Prop(n, "nombre");
    } else if (Is(n, "organo_garante")) {
      m.agency = Prop(n, "nombre");
    } else if (Is(n, "periodo")) {
      m.month = Prop(n, "mes");
      m.due_on = Prop(n, "fecha_limite");
      m.time_zone = Prop(n, "zona_horaria");
    } else if (Is(n, "generado")) {
      m.generated_at = Text(n);
    } else if (Is(n, "sustituye")) {
      m.supersedes = Prop(n, "paquete");
    } else if (Is(n, "actas")) {
      for (xmlNodePtr a = n->children; a; a = a->next) {
        if (!Is(a, "acta")) continue;
        ManifestActa acta;
        acta.id = std::strtoll(Prop(a, "id").c_str(), nullptr, 10);
        acta.folio = Prop(a, "folio");
        acta.kind = Prop(a, "tipo");
        acta.date = Prop(a, "fecha");
        acta.session_id = OptId(Prop(a, "sesion"));
        acta.state = Prop(a, "estado");
        for (xmlNodePtr c = a->children; c; c = c->next) {
          if (Is(c, "titulo")) acta.title = Text(c);
          if (Is(c, "nota")) acta.note_es = Text(c);
          if (Is(c, "archivo")) {
            acta.files.push_back({Prop(c, "ruta"), Prop(c, "papel"), Prop(c, "sha256"),
                                  std::strtoull(Prop(c, "bytes").c_str(), nullptr, 10)});
          }
          if (Is(c, "firmantes")) {
            for (xmlNodePtr s = c->children; s; s = s->next) {
              if (Is(s, "firmante")) acta.signers.push_back({Prop(s, "nombre"), Prop(s, "calidad")});
            }
          }
        }
        m.actas.push_back(std::move(acta));
      }
    } else if (Is(n, "pendientes")) {
      for (xmlNodePtr p = n->children; p; p = p->next) {
        if (!Is(p, "pendiente")) continue;
        ManifestPending pend;
        pend.acta_id = OptId(Prop(p, "acta"));
        pend.session_id = OptId(Prop(p, "sesion"));
        pend.date = Prop(p, "fecha");
        pend.late = Prop(p, "vencido") == "true";
        for (xmlNodePtr c = p->children; c; c = c->next) {
          if (Is(c, "titulo")) pend.title = Text(c);
          if (Is(c, "motivo")) pend.reasons.push_back(Prop(c, "codigo"));
          if (Is(c, "explicacion")) pend.explanation_es = Text(c);
        }
        m.pending.push_back(std::move(pend));
      }
    } else if (Is(n, "cofirma")) {
      m.cosigner = Prop(n, "rol") == "facilitador" ? "facilitator" : "garante";
    }
  }
  if (m.secretariat_id <= 0 || m.month.size() != 7) return bad("no secretariat or period");
  return m;
}

}  // namespace rubrica::delivery
