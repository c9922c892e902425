#include "rubrica/signing/verify_report.h"

#include "rubrica/base/logger.h"

namespace rubrica::signing {

namespace {

class Json {
 public:
  void Open(char c) {
    Comma();
    out_.push_back(c);
    first_ = true;
  }
  void Close(char c) {
    out_.push_back(c);
    first_ = false;
  }
  void Key(std::string_view k) {
    Comma();
    AppendJsonString(out_, k);
    out_.push_back(':');
    first_ = true;
  }
  void Str(std::string_view k, std::string_view v) {
    Key(k);
    Value(v);
  }
  void Value(std::string_view v) {
    Comma();
    AppendJsonString(out_, v);
  }
  void OptStr(std::string_view k, const std::optional<std::string>& v) {
    Key(k);
    Comma();
    if (v) AppendJsonString(out_, *v);
    else out_ += "null";
  }
  void Num(std::string_view k, int64_t v) {
    Key(k);
    Comma();
    out_ += std::to_string(v);
  }
  void Bool(std::string_view k, bool v) {
    Key(k);
    Comma();
    out_ += v ? "true" : "false";
  }
  void NumArray(std::string_view k, const std::vector<int64_t>& v) {
    Key(k);
    Open('[');
    for (int64_t x : v) {
      Comma();
      out_ += std::to_string(x);
    }
    Close(']');
  }
  void StrArray(std::string_view k, const std::vector<std::string>& v) {
    Key(k);
    Open('[');
    for (const auto& s : v) Value(s);
    Close(']');
  }
  std::string Take() { return std::move(out_); }

 private:
  void Comma() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  std::string out_;
  bool first_ = true;
};

const char* ExitName(VerifyExit e) {
  switch (e) {
    case VerifyExit::kValidAndComplete: return "valid_and_complete";
    case VerifyExit::kInvalid: return "invalid";
    case VerifyExit::kNotProcessed: return "not_processed";
    case VerifyExit::kIncomplete: return "incomplete";
  }
  return "not_processed";
}

}  // namespace

std::string ToJson(const VerifyReport& r) {
  Json j;
  j.Open('{');
  j.Str("format", "rubrica-verify-report/1");
  j.Key("file");
  j.Open('{');
  j.Str("sha256", r.file_sha256);
  j.Num("size", static_cast<int64_t>(r.file_size));
  j.Num("revisions", static_cast<int64_t>(r.revisions));
  j.Close('}');
  j.Key("result");
  j.Open('{');
  j.Num("exit_code", static_cast<int>(r.exit));
  j.Str("status", ExitName(r.exit));
  j.Str("verdict", r.verdict);
  j.Str("verdict_es", r.verdict_es);
  if (r.exit == VerifyExit::kNotProcessed) {
    j.Str("error_code", r.error_code);
    j.Str("error", r.error);
  }
  j.Close('}');
  j.Key("signatures");
  j.Open('[');
  for (const auto& s : r.signatures) {
    j.Open('{');
    j.Str("field", s.field);
    j.Str("kind", s.kind);
    j.Num("revision", static_cast<int64_t>(s.revision));
    j.NumArray("byte_range", {s.byte_range.begin(), s.byte_range.end()});
    j.Bool("covers_whole_revision", s.covers_whole_revision);
    j.Key("signer");
    j.Open('{');
    j.Str("name", s.signer_name);
    j.Str("title", s.signer_title);
    j.Str("subject", s.signer_subject);
    j.Str("certificate_sha256", s.certificate_sha256);
    j.Str("issuer", s.issuer);
    j.Num("required_signer", s.required_signer);
    j.Bool("matches_required_signer", s.signer_matches);
    j.Close('}');
    j.Key("time");
    j.Open('{');
    j.OptStr("utc", s.time_utc);
    j.OptStr("local", s.time_local);
    j.OptStr("local_date", s.local_date);
    j.Str("tsa", s.tsa);
    j.Close('}');
    j.Str("indication", s.indication);
    j.Str("sub_indication", s.sub_indication);
    j.StrArray("errors", s.errors);
    j.StrArray("warnings", s.warnings);
    j.Key("revocation");
    j.Open('[');
    for (const auto& v : s.revocation) {
      j.Open('{');
      j.Str("of", v.of);
      j.Str("certificate", v.certificate);
      j.Str("state", v.state);
      j.Str("source", v.source);
      j.OptStr("this_update", v.this_update);
      j.OptStr("revoked_at", v.revoked_at);
      j.Str("reason", v.reason);
      j.Str("note", v.note);
      j.Close('}');
    }
    j.Close(']');
    j.Close('}');
  }
  j.Close(']');
  j.Key("dss");
  j.Open('{');
  j.Num("certificates", static_cast<int64_t>(r.dss_certificates));
  j.Num("crls", static_cast<int64_t>(r.dss_crls));
  j.Close('}');
  j.Key("changes");
  j.Open('{');
  j.Bool("all_allowed", r.changes_allowed);
  j.Key("items");
  j.Open('[');
  for (const auto& c : r.changes) {
    j.Open('{');
    j.Num("revision", static_cast<int64_t>(c.revision));
    j.Bool("allowed", c.allowed);
    j.Str("code", c.code);
    j.Num("object", c.object);
    j.Str("message", c.message);
    j.Close('}');
  }
  j.Close(']');
  j.Close('}');
  const Completeness& c = r.completeness;
  j.Key("completeness");
  j.Open('{');
  j.Bool("assessed", c.assessed);
  j.Bool("complete", c.complete);
  j.Str("reason", c.reason);
  j.Key("acta");
  j.Open('{');
  j.Str("id", c.acta_id);
  j.Str("title", c.acta_title);
  j.Str("secretariat", c.secretariat);
  j.Str("approved_on", c.approved_on);
  j.Str("time_zone", c.time_zone);
  j.Close('}');
  j.Bool("certified", c.certified);
  j.Bool("same_date", c.same_date);
  j.Bool("archived", c.archived);
  j.OptStr("archived_at", c.archived_at);
  j.Key("signers");
  j.Open('[');
  for (const auto& s : c.signers) {
    j.Open('{');
    j.Num("index", s.index);
    j.Str("name", s.name);
    j.Str("seat", s.seat);
    j.Str("role", s.role);
    j.Str("rubric", s.rubric);
    j.OptStr("rubric_date", s.rubric_date);
    j.Str("foot", s.foot);
    j.OptStr("foot_date", s.foot_date);
    j.Close('}');
  }
  j.Close(']');
  j.StrArray("missing", c.missing);
  j.Close('}');
  j.Close('}');
  return j.Take();
}

namespace {

const char* KindEs(const std::string& kind) {
  if (kind == "certification") return "certificación";
  if (kind == "rubric") return "rúbrica";
  if (kind == "foot") return "firma al calce";
  if (kind == "document_timestamp") return "sello de tiempo del documento";
  return "otra";
}

// "firmante: Nombre): vigente según la CRL del documento emitida el ..."
std::string RevocationEs(const RevocationEntry& v) {
  std::string t = (v.of == "timestamp" ? "sello de tiempo: " : "firmante: ") + v.certificate + "): ";
  std::string source = v.source == "crl (document)" ? "la CRL incluida en el documento"
                       : v.source == "crl"          ? "la CRL"
                                                    : v.source;
  if (v.this_update) source += " emitida el " + *v.this_update;
  if (v.state == "good") return t + "vigente según " + source;
  if (v.state == "revoked") {
    return t + "REVOCADO el " + v.revoked_at.value_or("?") + " (" + v.reason + ") según " + source;
  }
  return t + "no comprobada (ninguna CRL del emisor ni respuesta OCSP)";
}

const char* StatusEs(const std::string& s) {
  if (s == "valid") return "válida";
  if (s == "missing") return "falta";
  return "no válida";
}

}  // namespace

std::string ToText(const VerifyReport& r) {
  std::string t;
  t += "Verificación de acta — Rúbrica\n";
  t += "Archivo: SHA-256 " + r.file_sha256 + ", " + std::to_string(r.file_size) + " bytes, " +
       std::to_string(r.revisions) + " revisiones\n\n";
  if (r.exit == VerifyExit::kNotProcessed) {
    t += "RESULTADO: NO SE PUDO PROCESAR (código 2)\n" + r.verdict_es + "\n[" + r.error_code + "] " +
         r.error + "\n";
    return t;
  }
  t += "Firmas (" + std::to_string(r.signatures.size()) + "):\n";
  for (const auto& s : r.signatures) {
    t += "  - " + s.field + " (" + KindEs(s.kind) + ", revisión " + std::to_string(s.revision) + "): " +
         s.indication + (s.sub_indication.empty() ? "" : " / " + s.sub_indication) + "\n";
    t += "      firmante: " + (s.signer_name.empty() ? std::string("(desconocido)") : s.signer_name) +
         (s.signer_title.empty() ? "" : ", " + s.signer_title) + "\n";
    if (s.time_local) t += "      fecha y hora (sello de tiempo): " + *s.time_local + "\n";
    for (const auto& e : s.errors) t += "      error: " + e + "\n";
    for (const auto& w : s.warnings) t += "      aviso: " + w + "\n";
    for (const auto& v : s.revocation) t += "      revocación (" + RevocationEs(v) + "\n";
  }
  t += "\nCambios posteriores a cada firma: ";
  t += r.changes_allowed ? "todos permitidos\n" : "HAY CAMBIOS NO PERMITIDOS\n";
  for (const auto& c : r.changes) {
    if (!c.allowed) t += "  - revisión " + std::to_string(c.revision) + ": [" + c.code + "] " + c.message + "\n";
  }
  const Completeness& c = r.completeness;
  t += "\nCompletitud: ";
  if (!c.assessed) {
    t += "no evaluada (" + c.reason + ")\n";
  } else {
    t += c.complete ? "COMPLETA" : "INCOMPLETA";
    t += " — aprobada el " + c.approved_on + " (" + c.time_zone + ")";
    t += c.same_date ? ", todas las firmas en esa fecha\n" : ", NO todas las firmas en esa fecha\n";
    if (c.archived) t += "  Sellada para archivo el " + c.archived_at.value_or("") + " (UTC)\n";
    for (const auto& s : c.signers) {
      t += "  - " + s.name + " (" + (s.seat.empty() ? "" : s.seat + ", ") + s.role + "): rúbrica " + StatusEs(s.rubric) +
           (s.rubric_date ? " " + *s.rubric_date : "") + "; firma al calce " + StatusEs(s.foot) +
           (s.foot_date ? " " + *s.foot_date : "") + "\n";
    }
  }
  bool unchecked = false;
  for (const auto& s : r.signatures) {
    for (const auto& v : s.revocation) unchecked = unchecked || v.state == "not_checked";
  }
  if (unchecked) {
    t += "\nNota: no se pudo comprobar la revocación de algunos certificados. La copia sellada para "
         "archivo (*.sellada.pdf) incluye las CRL necesarias; también puede indicarse una con --crl, "
         "y --require-revocation hace obligatoria esa comprobación.\n";
  }
  t += "\nRESULTADO: " + r.verdict_es + " (código " + std::to_string(static_cast<int>(r.exit)) + ")\n";
  return t;
}

}  // namespace rubrica::signing
