#include "rubrica/signing/verify_report.h"

#include "rubrica/base/json_writer.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/lang/dates.h"

namespace rubrica::signing {

namespace {

// The report's vocabulary over base's JsonWriter.
class Json {
 public:
  void Open(char c) { c == '{' ? w_.BeginObject() : w_.BeginArray(); }
  void Close(char c) { c == '}' ? w_.EndObject() : w_.EndArray(); }
  void Key(std::string_view k) { w_.Key(k); }
  void Str(std::string_view k, std::string_view v) { w_.Field(k, v); }
  void Value(std::string_view v) { w_.String(v); }
  void OptStr(std::string_view k, const std::optional<std::string>& v) {
    w_.Key(k);
    v ? w_.String(*v) : w_.Null();
  }
  void Num(std::string_view k, int64_t v) { w_.Field(k, v); }
  void Bool(std::string_view k, bool v) { w_.Field(k, v); }
  void NumArray(std::string_view k, const std::vector<int64_t>& v) { w_.IntArray(k, v); }
  void StrArray(std::string_view k, const std::vector<std::string>& v) { w_.StringArray(k, v); }
  std::string Take() { return w_.Take(); }

 private:
  JsonWriter w_;
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

constexpr std::pair<SubIndication, std::string_view> kSubNames[] = {
    {SubIndication::kNone, ""},
    {SubIndication::kFormatFailure, "FORMAT_FAILURE"},
    {SubIndication::kHashFailure, "HASH_FAILURE"},
    {SubIndication::kSigCryptoFailure, "SIG_CRYPTO_FAILURE"},
    {SubIndication::kCryptoConstraintsFailure, "CRYPTO_CONSTRAINTS_FAILURE"},
    {SubIndication::kNoSigningCertificateFound, "NO_SIGNING_CERTIFICATE_FOUND"},
    {SubIndication::kSigConstraintsFailure, "SIG_CONSTRAINTS_FAILURE"},
    {SubIndication::kNoCertificateChainFound, "NO_CERTIFICATE_CHAIN_FOUND"},
    {SubIndication::kExpired, "EXPIRED"},
    {SubIndication::kNotYetValid, "NOT_YET_VALID"},
    {SubIndication::kRevoked, "REVOKED"},
    {SubIndication::kChainConstraintsFailure, "CHAIN_CONSTRAINTS_FAILURE"},
    {SubIndication::kTryLater, "TRY_LATER"},
};

}  // namespace

std::string_view Name(SignatureRole r) {
  switch (r) {
    case SignatureRole::kCertification: return "certification";
    case SignatureRole::kRubric: return "rubric";
    case SignatureRole::kFoot: return "foot";
    case SignatureRole::kDocumentTimestamp: return "document_timestamp";
    case SignatureRole::kOther: return "other";
  }
  return "other";
}

std::string_view Name(Indication i) {
  switch (i) {
    case Indication::kTotalPassed: return "TOTAL-PASSED";
    case Indication::kTotalFailed: return "TOTAL-FAILED";
    case Indication::kIndeterminate: return "INDETERMINATE";
  }
  return "INDETERMINATE";
}

std::string_view Name(SubIndication s) {
  for (const auto& [v, n] : kSubNames) {
    if (v == s) return n;
  }
  return "";
}

std::string_view Name(Integrity i) {
  switch (i) {
    case Integrity::kIntact: return "intact";
    case Integrity::kAltered: return "altered";
    case Integrity::kUnknown: return "unknown";
  }
  return "unknown";
}

SubIndication SubIndicationFromName(std::string_view name) {
  for (const auto& [v, n] : kSubNames) {
    if (n == name) return v;
  }
  return SubIndication::kNone;
}

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
  if (!r.structure_error_code.empty()) {
    j.Str("structure_error_code", r.structure_error_code);
    j.Str("structure_error", r.structure_error);
  }
  j.Bool("trust_anchors", r.trust_anchors);
  j.Close('}');
  j.Key("notes");
  j.Open('[');
  for (const auto& n : r.notes) {
    j.Open('{');
    j.Str("code", n.code);
    j.Str("message", n.message);
    j.Close('}');
  }
  j.Close(']');
  j.Key("signatures");
  j.Open('[');
  for (const auto& s : r.signatures) {
    j.Open('{');
    j.Str("field", s.field);
    j.Str("kind", Name(s.kind));
    j.Num("revision", static_cast<int64_t>(s.revision));
    j.NumArray("byte_range", {s.byte_range.begin(), s.byte_range.end()});
    j.Bool("covers_whole_revision", s.covers_whole_revision);
    j.Str("sub_filter", s.sub_filter);
    j.Str("integrity", Name(s.integrity));
    j.Str("digest_algorithm", s.digest_algorithm);
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
    j.Key("validation_time");
    j.Open('{');
    j.OptStr("utc", s.validation_time);
    j.Str("source", s.validation_time_source);
    j.Str("proven_by", s.poe_by);
    j.Close('}');
    j.Str("indication", Name(s.indication));
    j.Str("sub_indication", Name(s.sub_indication));
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
  j.Key("timestamp_chain");
  j.Open('{');
  j.Str("long_term_code", r.long_term_code);
  j.Str("long_term_reason", r.long_term_reason);
  j.Key("timestamps");
  j.Open('[');
  for (const auto& t : r.timestamp_chain) {
    j.Open('{');
    j.Str("field", t.field);
    j.Num("revision", static_cast<int64_t>(t.revision));
    j.OptStr("proves", t.time_utc);
    j.OptStr("validation_time", t.validation_time);
    j.Str("validation_time_source", t.validation_time_source);
    j.Str("tsa", t.tsa);
    j.OptStr("tsa_not_after", t.tsa_not_after);
    j.Str("digest_algorithm", t.digest_algorithm);
    j.Str("indication", Name(t.indication));
    j.Str("sub_indication", Name(t.sub_indication));
    j.Close('}');
  }
  j.Close(']');
  j.Close('}');
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
  j.Bool("not_applicable", c.not_applicable);
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

const char* KindEs(SignatureRole kind) {
  switch (kind) {
    case SignatureRole::kCertification: return "certificación";
    case SignatureRole::kRubric: return "rúbrica";
    case SignatureRole::kFoot: return "firma al calce";
    case SignatureRole::kDocumentTimestamp: return "sello de tiempo del documento";
    case SignatureRole::kOther: return "firma";
  }
  return "firma";
}

bool Starts(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// The Spanish sentence for an error of the report (its English text stays in --json).
std::string ErrorEs(const std::string& e) {
  const bool hash = e.find("HASH") != std::string::npos || e.find("was changed") != std::string::npos ||
                    e.find("imprint_mismatch") != std::string::npos;
  if (Starts(e, "byte_range:")) return "El rango de bytes firmado (/ByteRange) no es válido: la firma no cubre exactamente su revisión.";
  if (Starts(e, "structure: the signature is part of the original")) return "La firma es parte de la revisión original (¿firmada antes de la aprobación?).";
  if (Starts(e, "structure:")) return "La revisión de esta firma llena otros campos además de éste.";
  if (Starts(e, "format: /SubFilter")) return "El formato de la firma (/SubFilter) no se admite.";
  if (Starts(e, "format:")) return "El valor de la firma (/Contents) no es una firma.";
  if (Starts(e, "cms: not checked")) return "No se comprobó: su revisión contiene otras firmas cuyos bytes cubiertos ya suman más que el archivo.";
  if (Starts(e, "cms.message_digest")) {
    return hash ? "El contenido firmado fue alterado: el resumen de los bytes cubiertos no coincide con el firmado."
                : "El resumen firmado no se pudo leer.";
  }
  if (Starts(e, "cms.signature")) return "La firma criptográfica no es válida.";
  if (Starts(e, "cms.algorithms")) return "La firma usa un algoritmo criptográfico débil o no admitido.";
  if (Starts(e, "cms.signer_certificate")) return "La firma no incluye el certificado de quien firmó.";
  if (Starts(e, "cms.signing_certificate")) return "La firma no identifica correctamente su certificado (signing-certificate-v2).";
  if (Starts(e, "cms.timestamp")) return "El sello de tiempo de la firma no es válido.";
  if (Starts(e, "cms")) return "La firma no tiene el formato CMS esperado.";
  if (Starts(e, "timestamp:")) {
    return hash ? "El sello de tiempo del documento no corresponde a su contenido: el contenido fue alterado."
                : "El sello de tiempo no es válido.";
  }
  if (Starts(e, "trust:")) return "No se indicó un certificado raíz de confianza (--trust): no se puede confirmar quién firmó.";
  if (e.find("certificate:") != std::string::npos) {
    const std::string who = Starts(e, "timestamp authority") ? "El certificado de la autoridad de sellado de tiempo"
                                                             : "El certificado de quien firmó";
    if (e.find("keys.untrusted_issuer") != std::string::npos) return who + " no proviene de una autoridad de confianza.";
    if (e.find("keys.certificate_expired") != std::string::npos) return who + " estaba vencido en la fecha de la firma.";
    if (e.find("keys.not_yet_valid") != std::string::npos) return who + " aún no era válido en la fecha de la firma.";
    if (e.find("keys.certificate_revoked") != std::string::npos) return who + " estaba revocado en la fecha de la firma.";
    if (e.find("keys.revocation_unknown") != std::string::npos) return "No se pudo comprobar la revocación: " + who + ".";
    return who + " no tiene una cadena de confianza válida.";
  }
  return "Error técnico (detalle en --json).";
}

std::string WarningEs(const std::string& w) {
  if (Starts(w, "revocation:") && w.find("after the time") != std::string::npos) {
    return "Un certificado fue revocado después de la fecha de la firma; la firma sigue siendo válida.";
  }
  if (Starts(w, "revocation:") && w.find("before the validation time") != std::string::npos) {
    return "La CRL usada es anterior a la fecha de verificación: no puede mostrar una revocación posterior (un sello "
           "de archivo renovado o una CRL actual con --crl la cubren).";
  }
  if (Starts(w, "revocation:")) return "La CRL usada es anterior a la firma: no puede mostrar una revocación intermedia.";
  if (Starts(w, "cms: signing-time")) return "La firma declara la hora del firmante (signing-time), que PAdES básico no admite.";
  if (Starts(w, "timestamp: no signature-time-stamp")) return "La firma no tiene sello de tiempo: su fecha no está probada.";
  if (Starts(w, "format:")) return "Formato PKCS#7: no es una firma PAdES básica (como lo informa EU DSS).";
  if (Starts(w, "cms: PKCS#7 without signed")) return "PKCS#7 sin atributos firmados.";
  if (Starts(w, "cms: PKCS#7")) return "Sin el atributo signing-certificate-v2 de PAdES.";
  return "Aviso técnico (detalle en --json).";
}

std::string ChangeEs(const std::string& code) {
  static const std::pair<const char*, const char*> kTable[] = {
      {"forbidden.page", "se modificó una página"},
      {"forbidden.annotation", "se agregó o modificó una anotación"},
      {"forbidden.new_field", "se agregó un campo nuevo"},
      {"forbidden.removed_field", "se eliminó un campo"},
      {"forbidden.catalog", "se modificó el catálogo del documento"},
      {"forbidden.freed_object", "se liberó un objeto"},
      {"forbidden.new_object", "se agregó un objeto que no es parte de una firma"},
      {"forbidden.object", "se modificó un objeto firmado"},
      {"forbidden.trailer", "se modificó el tráiler del archivo"},
      {"forbidden.no_signature", "una revisión no agrega ninguna firma"},
      {"forbidden.several_signatures", "una revisión llena varias firmas a la vez"},
      {"forbidden.signature_field", "se modificó un campo de firma"},
      {"forbidden.rubric", "se modificó una rúbrica fuera de su firma"},
      {"forbidden.appearance_too_large", "una apariencia cubre demasiado de la página"},
      {"forbidden.after_docmdp_p1", "la certificación no permite ningún cambio"},
      {"forbidden.certification_not_first", "la certificación no es la primera firma"},
      {"forbidden.after_archive_seal",
       "cambio posterior al sello de archivo que no es una renovación (solo se admiten material de validación y "
       "un nuevo sello de tiempo)"},
      {"ambiguity.duplicate_key", "un diccionario repite una clave (cada lector puede mostrar otra cosa)"},
      {"ambiguity.object_listed_twice", "un objeto aparece dos veces en las referencias cruzadas"},
      {"ambiguity.object_defined_twice", "un objeto está definido dos veces"},
      {"ambiguity.stream_length", "la longitud declarada de un flujo no termina en «endstream»"},
      {"ambiguity.objects_at_one_offset", "las referencias cruzadas ubican dos objetos en la misma posición"},
      {"manipulation.shadow_hide",
       "MANIPULACIÓN DESPUÉS DE FIRMAR (ataque de sombra «ocultar»): un objeto firmado se ubicó en la posición de "
       "otro para ocultarlo"},
      {"manipulation.object_in_earlier_revision",
       "MANIPULACIÓN DESPUÉS DE FIRMAR (ataque de sombra): un objeto apunta a bytes de una revisión anterior"},
      {"manipulation.shadow_replace",
       "MANIPULACIÓN DESPUÉS DE FIRMAR (ataque de sombra «reemplazar»): se redefinió un objeto firmado que el "
       "documento dibuja (texto, tipo de letra, apariencia o valor de un campo)"},
      {"manipulation.shadow_hide_and_replace",
       "MANIPULACIÓN DESPUÉS DE FIRMAR (ataque de sombra «ocultar y reemplazar»): el documento firmado se "
       "sustituyó por otro (catálogo o árbol de páginas)"},
  };
  for (const auto& [c, es] : kTable) {
    if (code == c) return es;
  }
  return "cambio no permitido";
}

// A time the report carries in UTC (RFC 3339) written as every date of the service is, in
// the acta's zone ("14 de noviembre de 2022, 12:12 h (UTC−6)"; UTC when the zone is not
// known); anything that is not RFC 3339 as it is.
std::string TimeEs(const std::string& rfc3339, const TimeZone& zone) {
  auto t = ParseRfc3339(rfc3339);
  return t.ok() ? lang::DateTimeEs(*t, zone) : rfc3339;
}

// "firmante: Nombre): vigente según la CRL del documento emitida el ..."
std::string RevocationEs(const RevocationEntry& v, const TimeZone& zone) {
  std::string t = (v.of == "timestamp" ? "sello de tiempo: " : "firmante: ") + v.certificate + "): ";
  std::string source = v.source == "crl (document)" ? "la CRL incluida en el documento"
                       : v.source == "crl"          ? "la CRL"
                                                    : v.source;
  if (v.this_update) source += " emitida el " + TimeEs(*v.this_update, zone);
  if (v.state == "good") return t + "vigente según " + source;
  if (v.state == "revoked") {
    return t + "REVOCADO el " + (v.revoked_at ? TimeEs(*v.revoked_at, zone) : "?") + " (" + v.reason +
           ") según " + source;
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
  t += "Verificación de documento firmado — Rúbrica\n";
  t += "Archivo: SHA-256 " + r.file_sha256 + ", " + std::to_string(r.file_size) + " bytes, " +
       std::to_string(r.revisions) + " revisiones\n\n";
  if (r.exit == VerifyExit::kNotProcessed) {
    t += "RESULTADO: NO SE PUDO PROCESAR (código 2)\n" + r.verdict_es + "\n[" + r.error_code + "] " +
         r.error + "\n";
    return t;
  }
  for (const auto& n : r.notes) t += "Lectura: " + n.message_es + "\n";
  if (!r.structure_error_code.empty()) {
    t += "ESTRUCTURA DAÑADA: " + r.structure_error_es + " [" + r.structure_error_code +
         "]. Las firmas se comprobaron sobre los bytes del archivo.\n";
  }
  if (!r.trust_anchors) {
    t += "Sin certificado raíz de confianza (--trust): se comprueba la integridad, no quién firmó.\n";
  }
  if (!r.notes.empty() || !r.structure_error_code.empty() || !r.trust_anchors) t += "\n";
  // Every time below in the acta's zone (UTC when the report does not know it).
  const Result<TimeZone> acta_zone = TimeZone::Load(r.completeness.time_zone);
  const TimeZone zone = acta_zone.ok() ? *acta_zone : TimeZone::Utc();
  t += "Firmas (" + std::to_string(r.signatures.size()) + "):\n";
  for (const auto& s : r.signatures) {
    const char* integrity = s.integrity == Integrity::kIntact    ? "íntegra"
                            : s.integrity == Integrity::kAltered ? "ALTERADA"
                                                                 : "no comprobada";
    t += "  - " + (s.field.empty() ? std::string("(sin campo legible)") : s.field) + " (" + KindEs(s.kind) +
         ", revisión " + std::to_string(s.revision) + "): " + std::string(Name(s.indication)) +
         (s.sub_indication == SubIndication::kNone ? "" : " / " + std::string(Name(s.sub_indication))) +
         "; contenido " + integrity + "\n";
    t += "      firmante: " + (s.signer_name.empty() ? std::string("(desconocido)") : s.signer_name) +
         (s.signer_title.empty() ? "" : ", " + s.signer_title) + "\n";
    if (s.time_utc) t += "      fecha y hora (sello de tiempo): " + TimeEs(*s.time_utc, zone) + "\n";
    for (const auto& e : s.errors) t += "      error: " + ErrorEs(e) + "\n";
    for (const auto& w : s.warnings) t += "      aviso: " + WarningEs(w) + "\n";
    for (const auto& v : s.revocation) t += "      revocación (" + RevocationEs(v, zone) + "\n";
  }
  if (!r.timestamp_chain.empty()) {
    t += "\nCadena de sellos de tiempo de archivo (" + std::to_string(r.timestamp_chain.size()) + "):\n";
    for (const auto& c : r.timestamp_chain) {
      const char* when = c.validation_time_source == "poe" ? "a la fecha que prueba el sello siguiente"
                         : c.validation_time_source == "at" ? "a la fecha indicada (--at)"
                                                            : "a la fecha actual";
      t += "  - " + c.field + " (revisión " + std::to_string(c.revision) + "): prueba que el documento existía el " +
           TimeEs(c.time_utc.value_or("?"), zone) + "; su certificado (" + c.tsa + ", vigente hasta " +
           TimeEs(c.tsa_not_after.value_or("?"), zone) + ") se comprobó " + when + ", " +
           TimeEs(c.validation_time.value_or("?"), zone) + ": " + std::string(Name(c.indication)) +
           (c.sub_indication == SubIndication::kNone ? "" : " / " + std::string(Name(c.sub_indication))) + "\n";
    }
    if (!r.long_term_code.empty()) t += "  " + r.long_term_reason_es + " [" + r.long_term_code + "]\n";
  }
  t += "\nCambios posteriores a cada firma: ";
  t += r.changes_allowed ? "todos permitidos\n" : "HAY CAMBIOS NO PERMITIDOS\n";
  for (const auto& c : r.changes) {
    if (c.allowed && c.code.rfind("ambiguity.", 0) == 0) {
      t += "  - aviso, revisión " + std::to_string(c.revision) + (c.object ? ", objeto " + std::to_string(c.object) : "") + ": " +
           ChangeEs(c.code) + " [" + c.code + "]\n";
    }
    if (!c.allowed) {
      t += "  - revisión " + std::to_string(c.revision) + (c.object ? ", objeto " + std::to_string(c.object) : "") +
           ": " + ChangeEs(c.code) + " [" + c.code + "]\n";
    }
  }
  const Completeness& c = r.completeness;
  t += "\nCompletitud: ";
  if (c.not_applicable) {
    t += "no aplica (el documento no trae lista de firmantes requeridos)\n";
  } else if (!c.assessed) {
    t += "no evaluada (la lista de firmantes no se pudo leer o la estructura está dañada)\n";
  } else {
    t += c.complete ? "COMPLETA" : "INCOMPLETA";
    t += " — aprobada el " + lang::DateEs(c.approved_on) + " (" + c.time_zone + ")";
    t += c.same_date ? ", todas las firmas en esa fecha\n" : ", NO todas las firmas en esa fecha\n";
    if (c.archived) t += "  Sellada para archivo el " + TimeEs(c.archived_at.value_or(""), zone) + "\n";
    for (const auto& s : c.signers) {
      t += "  - " + s.name + " (" + (s.seat.empty() ? "" : s.seat + ", ") + s.role + "): rúbrica " + StatusEs(s.rubric) +
           (s.rubric_date ? " el " + lang::DateEs(*s.rubric_date) : "") + "; firma al calce " +
           StatusEs(s.foot) + (s.foot_date ? " el " + lang::DateEs(*s.foot_date) : "") + "\n";
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
