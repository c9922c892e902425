// firmantes.json: written by RenderActa into the approved version, read back by the
// verifier. The writer is deterministic (fixed key order, no floats); the reader is strict
// because the list decides what "complete" means for a signed acta.
#include <tuple>

#include "render/format_checks.h"
#include "render/json_reader.h"
#include "rubrica/pdf/signature_plan.h"

namespace rubrica::pdf {
namespace {

using render::AppendJsonString;
using render::JsonObject;
using render::JsonReader;

using StringFields = std::initializer_list<std::pair<const char*, std::string*>>;

constexpr size_t kMaxJsonBytes = 1u << 20;
constexpr size_t kMaxTextBytes = 1000;

void Pair(std::string& out, std::string_view key, std::string_view value, bool first = false) {
  if (!first) out.push_back(',');
  AppendJsonString(out, key);
  out.push_back(':');
  AppendJsonString(out, value);
}

void IntPair(std::string& out, std::string_view key, long long value, bool first = false) {
  if (!first) out.push_back(',');
  AppendJsonString(out, key);
  out += ":" + std::to_string(value);
}

class ListReader {
 public:
  ListReader() : json_("pdf.bad_signer_list", ErrorKind::kDataLoss, "La lista de firmantes") {}

  Result<SignerList> Read(std::string_view text) {
    ASSIGN_OR_RETURN(render::JsonValue root, json_.Parse(text, kMaxJsonBytes, 8));
    ASSIGN_OR_RETURN(JsonObject o, json_.Object(root, "$"));
    RETURN_IF_ERROR(
        json_.Keys(o, "$", {"version", "acta", "signers"}, {"version", "acta", "signers"}));
    SignerList list;
    ASSIGN_OR_RETURN(long long format, json_.Integer(o->get("version"), "version", 1, 1));
    list.format_version = static_cast<int>(format);

    ASSIGN_OR_RETURN(JsonObject a, json_.Object(o->get("acta"), "acta"));
    const std::initializer_list<std::string_view> acta_keys = {
        "id", "title", "kind", "secretariat", "approved_on", "time_zone", "version"};
    RETURN_IF_ERROR(json_.Keys(a, "acta", acta_keys, acta_keys));
    SignedActaSummary& s = list.acta;
    for (auto [key, field] : StringFields{{"id", &s.id},
                                          {"title", &s.title},
                                          {"kind", &s.kind},
                                          {"secretariat", &s.secretariat},
                                          {"approved_on", &s.approved_on},
                                          {"time_zone", &s.time_zone}}) {
      ASSIGN_OR_RETURN(*field, Str(a, "acta", key));
    }
    if (s.kind != "instalacion" && s.kind != "sesion") {
      return json_.Fail("acta.kind", "expected \"instalacion\" or \"sesion\"",
                        "el tipo de acta no existe");
    }
    if (!render::IsIsoDate(s.approved_on)) {
      return json_.Fail("acta.approved_on", "expected a date YYYY-MM-DD", "la fecha no es válida");
    }
    ASSIGN_OR_RETURN(long long version,
                     json_.Integer(a->get("version"), "acta.version", 1, 100000));
    s.version = static_cast<int>(version);

    ASSIGN_OR_RETURN(render::JsonArray signers,
                     json_.Array(o->get("signers"), "signers", kMaxSigners));
    if (signers->size() == 0) return json_.Fail("signers", "empty", "no hay firmantes");
    for (size_t i = 0; i < signers->size(); ++i) {
      ASSIGN_OR_RETURN(RequiredSigner signer, Signer(signers->get(static_cast<unsigned>(i)), i));
      list.signers.push_back(std::move(signer));
    }
    return list;
  }

 private:
  Result<std::string> Str(const JsonObject& o, const std::string& path, std::string_view key) {
    const std::string k(key);
    return json_.String(o->get(k), JsonReader::Member(path, k), kMaxTextBytes);
  }

  Result<RequiredSigner> Signer(const render::JsonValue& v, size_t i) {
    const std::string at = JsonReader::Index("signers", i);
    ASSIGN_OR_RETURN(JsonObject o, json_.Object(v, at));
    const std::initializer_list<std::string_view> keys = {
        "index",    "name",  "seat", "role", "representation", "certificate_sha256",
        "identity", "fields"};
    RETURN_IF_ERROR(json_.Keys(o, at, keys, keys));
    RequiredSigner s;
    ASSIGN_OR_RETURN(long long index,
                     json_.Integer(o->get("index"), at + ".index", 1, kMaxSigners));
    if (index != static_cast<long long>(i) + 1) {
      return json_.Fail(at + ".index", "expected " + std::to_string(i + 1),
                        "el número de firmante no corresponde a su posición");
    }
    s.index = static_cast<int>(index);
    for (auto [key, field] : StringFields{{"name", &s.name},
                                          {"seat", &s.seat},
                                          {"role", &s.role},
                                          {"representation", &s.representation},
                                          {"certificate_sha256", &s.certificate_sha256}}) {
      ASSIGN_OR_RETURN(*field, Str(o, at, key));
    }
    if (s.name.empty()) return json_.Fail(at + ".name", "empty", "falta el nombre");
    if (!s.certificate_sha256.empty() && !render::IsSha256Hex(s.certificate_sha256)) {
      return json_.Fail(at + ".certificate_sha256", "expected 64 lower-case hex digits",
                        "la huella del certificado no es válida");
    }
    ASSIGN_OR_RETURN(JsonObject id, json_.Object(o->get("identity"), at + ".identity"));
    RETURN_IF_ERROR(
        json_.Keys(id, at + ".identity", {"curp", "rfc", "email", "public_key_sha256"},
                   {"curp", "rfc", "email", "public_key_sha256"}));
    for (auto [key, field] : StringFields{{"curp", &s.identity.curp},
                                          {"rfc", &s.identity.rfc},
                                          {"email", &s.identity.email},
                                          {"public_key_sha256", &s.identity.public_key_sha256}}) {
      ASSIGN_OR_RETURN(*field, Str(id, at + ".identity", key));
    }
    if (!s.identity.public_key_sha256.empty() && !render::IsSha256Hex(s.identity.public_key_sha256)) {
      return json_.Fail(at + ".identity.public_key_sha256", "expected 64 lower-case hex digits",
                        "la huella de la llave pública no es válida");
    }
    ASSIGN_OR_RETURN(JsonObject f, json_.Object(o->get("fields"), at + ".fields"));
    RETURN_IF_ERROR(
        json_.Keys(f, at + ".fields", {"rubric", "mark", "foot"}, {"rubric", "mark", "foot"}));
    const SignerFields expected{RubricFieldName(s.index), MarkFieldName(s.index),
                                FootFieldName(s.index)};
    using Expected = std::tuple<const char*, std::string*, const std::string*>;
    for (auto [key, field, want] :
         std::initializer_list<Expected>{{"rubric", &s.fields.rubric, &expected.rubric},
                                         {"mark", &s.fields.mark, &expected.mark},
                                         {"foot", &s.fields.foot, &expected.foot}}) {
      ASSIGN_OR_RETURN(*field, Str(f, at + ".fields", key));
      if (*field != *want) {
        return json_.Fail(at + ".fields." + key, "expected \"" + *want + "\"",
                          "el nombre del campo no corresponde al firmante");
      }
    }
    return s;
  }

  JsonReader json_;
};

}  // namespace

std::string SignerListToJson(const SignerList& list) {
  std::string out = "{";
  IntPair(out, "version", list.format_version, true);
  out += ",\n \"acta\":{";
  const SignedActaSummary& a = list.acta;
  Pair(out, "id", a.id, true);
  Pair(out, "title", a.title);
  Pair(out, "kind", a.kind);
  Pair(out, "secretariat", a.secretariat);
  Pair(out, "approved_on", a.approved_on);
  Pair(out, "time_zone", a.time_zone);
  IntPair(out, "version", a.version);
  out += "},\n \"signers\":[";
  for (size_t i = 0; i < list.signers.size(); ++i) {
    const RequiredSigner& s = list.signers[i];
    out += i == 0 ? "\n  {" : ",\n  {";
    IntPair(out, "index", s.index, true);
    Pair(out, "name", s.name);
    Pair(out, "seat", s.seat);
    Pair(out, "role", s.role);
    Pair(out, "representation", s.representation);
    Pair(out, "certificate_sha256", s.certificate_sha256);
    out += ",\"identity\":{";
    Pair(out, "curp", s.identity.curp, true);
    Pair(out, "rfc", s.identity.rfc);
    Pair(out, "email", s.identity.email);
    Pair(out, "public_key_sha256", s.identity.public_key_sha256);
    out += "},\"fields\":{";
    Pair(out, "rubric", s.fields.rubric, true);
    Pair(out, "mark", s.fields.mark);
    Pair(out, "foot", s.fields.foot);
    out += "}}";
  }
  out += "]}\n";
  return out;
}

Result<SignerList> SignerListFromJson(std::string_view json) { return ListReader().Read(json); }

}  // namespace rubrica::pdf
