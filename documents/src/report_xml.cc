// reporte-verificacion.xml: the verification report of a certified copy, built as a tree,
// validated against docs/reporte-verificacion.xsd (embedded at build time), then signed
// by the seal (XMLDSig enveloped, XAdES signature-time-stamp from the TSA).
#include "certified_copy.h"
#include "engine_text.h"
#include "rubrica/signing/xml_document.h"
#include "rubrica/signing/xml_schema.h"
#include "rubrica/signing/xml_signature.h"

namespace rubrica::documents {

extern const char kReportXsd[];  // docs/reporte-verificacion.xsd (rubrica_embed_text)

namespace {

using signing::XmlElement;

constexpr const char* kNamespace = "urn:rubrica:reporte-verificacion:1";

// The completeness verdict of the signer named `name` ("missing" when the report lists
// none: the sealed PDF's certified list did not name them).
const signing::SignerCompleteness* CompletenessOf(const signing::VerifyReport& report,
                                                  const std::string& name) {
  for (const auto& s : report.completeness.signers) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

XmlElement Report(const CopyMaker& m, const workflows::CertifiedCopyRequest& r,
                  const signing::VerifyReport& report, const std::string& sealed_pdf,
                  const std::string& sealed_sha256) {
  XmlElement root("reporteVerificacion");
  root.Attr("xmlns", kNamespace).Attr("version", "1");
  root.TextChild("emitidoEn", FormatRfc3339Utc(m.clock.Now()));
  root.TextChild("emisor", m.ca.secretariat());

  XmlElement& acta = root.Child("acta");
  acta.Attr("id", std::to_string(r.acta_id));
  acta.TextChild("folio", r.folio)
      .TextChild("titulo", r.title)
      .TextChild("tipo", r.kind)
      .TextChild("secretariado", r.secretariat_name)
      .TextChild("fecha", DateText(r.acta_date))
      .TextChild("estado", r.state);
  acta.Child("archivo")
      .Attr("nombre", SealedEntryName(r))
      .Attr("sha256", sealed_sha256)
      .Attr("bytes", std::to_string(sealed_pdf.size()))
      .Attr("revisiones", std::to_string(report.revisions));

  XmlElement& result = root.Child("resultado");
  result.Attr("salida", std::to_string(static_cast<int>(report.exit)))
      .Attr("completa", report.completeness.complete ? "true" : "false")
      .Attr("archivada", report.completeness.archived ? "true" : "false");
  if (report.completeness.archived_at) result.Attr("selladaEn", *report.completeness.archived_at);
  result.Text(report.verdict_es);

  XmlElement& signers = root.Child("firmantes");
  for (const auto& s : r.signers) {
    const signing::SignerCompleteness* c = CompletenessOf(report, s.full_name);
    XmlElement& e = signers.Child("firmante");
    e.Attr("persona", std::to_string(s.person_id))
        .Attr("caracter", s.capacity)
        .Attr("rubrica", c ? c->rubric : "missing")
        .Attr("firmaAlCalce", c ? c->foot : "missing");
    e.TextChild("nombre", s.full_name).TextChild("asiento", s.represents);
  }

  XmlElement& signatures = root.Child("firmas");
  for (const auto& s : report.signatures) {
    XmlElement& e = signatures.Child("firma");
    e.Attr("campo", s.field)
        .Attr("tipo", std::string(signing::Name(s.kind)))
        .Attr("revision", std::to_string(s.revision))
        .Attr("indicacion", std::string(signing::Name(s.indication)));
    if (s.sub_indication != signing::SubIndication::kNone) {
      e.Attr("subindicacion", std::string(signing::Name(s.sub_indication)));
    }
    e.TextChild("firmante", s.signer_name.empty() ? s.tsa : s.signer_name);
    if (!s.certificate_sha256.empty()) e.TextChild("certificadoSha256", s.certificate_sha256);
    if (s.time_utc) e.TextChild("hora", *s.time_utc);
    if (!s.tsa.empty()) e.TextChild("autoridadTiempo", s.tsa);
  }
  return root;
}

}  // namespace

Result<std::string> MakeReportXml(const CopyMaker& m, const workflows::CertifiedCopyRequest& r,
                                  const signing::VerifyReport& report, const std::string& sealed_pdf,
                                  const std::string& sealed_sha256) {
  ASSIGN_OR_RETURN(std::string xml, signing::SerializeXml(Report(m, r, report, sealed_pdf, sealed_sha256)));
  // Nothing is signed that its own schema refuses.
  RETURN_IF_ERROR(signing::ValidateXmlSchema(xml, kReportXsd));
  ASSIGN_OR_RETURN(keys::SigningKey seal_key, m.ca.UnlockSealKey());
  return signing::SignXmlEnveloped(xml, seal_key, m.ca.seal_certificate(), m.ca.Chain(), &m.tsa);
}

}  // namespace rubrica::documents
