// firmantes.json: written by RenderActa into the approved version, read back by the
// verifier. The writer is deterministic (fixed key order, no floats); the reader is strict
// because the list decides what "complete" means for a signed acta.
#include <tuple>

#include "render/format_checks.h"
#include "rubrica/base/json_reader.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/pdf/signature_plan.h"

namespace rubrica::pdf {
namespace {

using StringFields = std::initializer_list<std::pair<const char*, std::string*>>;

constexpr size_t kMaxTextBytes = 1000;

JsonReaderOptions ReaderOptions() {
  JsonReaderOptions o;
  o.max_bytes = 1u << 20;
  o.max_depth = 8;
  o.code = "pdf.bad_signer_list";
  o.kind = ErrorKind::kDataLoss;
  o.subject_es = "La lista de firmantes";
  o.normalize_text = false;
  return o;
}

class ListReader {
 public:
  Result<SignerList> Read(std::string_view text) {
    ASSIGN_OR_RETURN(JsonReader o, JsonReader::Parse(text, ReaderOptions()));
    RETURN_IF_ERROR(o.Keys({"version", "acta", "signers"}, {"version", "acta", "signers"}));
    SignerList list;
    ASSIGN_OR_RETURN(int64_t format, o.Int("version", 1, 1));
    list.format_version = static_cast<int>(format);

    ASSIGN_OR_RETURN(JsonReader a, o.Object("acta"));
    const std::initializer_list<std::string_view> acta_keys = {
        "id", "title", "kind", "secretariat", "approved_on", "time_zone", "version"};
    RETURN_IF_ERROR(a.Keys(acta_keys, acta_keys));
    SignedActaSummary& s = list.acta;
    for (auto [key, field] : StringFields{{"id", &s.id},
                                          {"title", &s.title},
                                          {"kind", &s.kind},
                                          {"secretariat", &s.secretariat},
                                          {"approved_on", &s.approved_on},
                                          {"time_zone", &s.time_zone}}) {
      ASSIGN_OR_RETURN(*field, a.Text(key, kMaxTextBytes));
    }
    if (s.kind != "instalacion" && s.kind != "sesion") {
      return a.Fail("kind", "expected \"instalacion\" or \"sesion\"", "el tipo de acta no existe");
    }
    if (!render::IsIsoDate(s.approved_on)) {
      return a.Fail("approved_on", "expected a date YYYY-MM-DD", "la fecha no es válida");
    }
    ASSIGN_OR_RETURN(int64_t version, a.Int("version", 1, 100000));
    s.version = static_cast<int>(version);

    ASSIGN_OR_RETURN(JsonArrayReader signers, o.Array("signers", kMaxSigners));
    if (signers.size() == 0) return signers.Fail("empty", "no hay firmantes");
    for (size_t i = 0; i < signers.size(); ++i) {
      ASSIGN_OR_RETURN(JsonReader signer_json, signers.Object(i));
      ASSIGN_OR_RETURN(RequiredSigner signer, Signer(signer_json, i));
      list.signers.push_back(std::move(signer));
    }
    return list;
  }

 private:
  Result<RequiredSigner> Signer(JsonReader& o, size_t i) {
    const std::initializer_list<std::string_view> keys = {
        "index",    "name",  "seat", "role", "representation", "certificate_sha256",
        "identity", "fields"};
    RETURN_IF_ERROR(o.Keys(keys, keys));
    RequiredSigner s;
    ASSIGN_OR_RETURN(int64_t index, o.Int("index", 1, kMaxSigners));
    if (index != static_cast<int64_t>(i) + 1) {
      return o.Fail("index", "expected " + std::to_string(i + 1),
                    "el número de firmante no corresponde a su posición");
    }
    s.index = static_cast<int>(index);
    for (auto [key, field] : StringFields{{"name", &s.name},
                                          {"seat", &s.seat},
                                          {"role", &s.role},
                                          {"representation", &s.representation},
                                          {"certificate_sha256", &s.certificate_sha256}}) {
      ASSIGN_OR_RETURN(*field, o.Text(key, kMaxTextBytes));
    }
    if (s.name.empty()) return o.Fail("name", "empty", "falta el nombre");
    if (!s.certificate_sha256.empty() && !render::IsSha256Hex(s.certificate_sha256)) {
      return o.Fail("certificate_sha256", "expected 64 lower-case hex digits",
                    "la huella del certificado no es válida");
    }
    ASSIGN_OR_RETURN(JsonReader id, o.Object("identity"));
    RETURN_IF_ERROR(id.Keys({"curp", "rfc", "email", "public_key_sha256"},
                            {"curp", "rfc", "email", "public_key_sha256"}));
    for (auto [key, field] : StringFields{{"curp", &s.identity.curp},
                                          {"rfc", &s.identity.rfc},
                                          {"email", &s.identity.email},
                                          {"public_key_sha256", &s.identity.public_key_sha256}}) {
      ASSIGN_OR_RETURN(*field, id.Text(key, kMaxTextBytes));
    }
    if (!s.identity.public_key_sha256.empty() && !render::IsSha256Hex(s.identity.public_key_sha256)) {
      return id.Fail("public_key_sha256", "expected 64 lower-case hex digits",
                     "la huella de la llave pública no es válida");
    }
    ASSIGN_OR_RETURN(JsonReader f, o.Object("fields"));
    RETURN_IF_ERROR(f.Keys({"rubric", "mark", "foot"}, {"rubric", "mark", "foot"}));
    const SignerFields expected{RubricFieldName(s.index), MarkFieldName(s.index),
                                FootFieldName(s.index)};
    using Expected = std::tuple<const char*, std::string*, const std::string*>;
    for (auto [key, field, want] :
         std::initializer_list<Expected>{{"rubric", &s.fields.rubric, &expected.rubric},
                                         {"mark", &s.fields.mark, &expected.mark},
                                         {"foot", &s.fields.foot, &expected.foot}}) {
      ASSIGN_OR_RETURN(*field, f.Text(key, kMaxTextBytes));
      if (*field != *want) {
        return f.Fail(key, "expected \"" + *want + "\"",
                      "el nombre del campo no corresponde al firmante");
      }
    }
    return s;
  }
};

}  // namespace

std::string SignerListToJson(const SignerList& list) {
  JsonWriter w;
  w.BeginObject().Field("version", list.format_version);
  const SignedActaSummary& a = list.acta;
  w.Break("\n ").Key("acta").BeginObject();
  w.Field("id", a.id)
      .Field("title", a.title)
      .Field("kind", a.kind)
      .Field("secretariat", a.secretariat)
      .Field("approved_on", a.approved_on)
      .Field("time_zone", a.time_zone)
      .Field("version", a.version);
  w.EndObject();
  w.Break("\n ").Key("signers").BeginArray();
  for (const RequiredSigner& s : list.signers) {
    w.Break("\n  ").BeginObject();
    w.Field("index", s.index)
        .Field("name", s.name)
        .Field("seat", s.seat)
        .Field("role", s.role)
        .Field("representation", s.representation)
        .Field("certificate_sha256", s.certificate_sha256);
    w.Key("identity").BeginObject();
    w.Field("curp", s.identity.curp)
        .Field("rfc", s.identity.rfc)
        .Field("email", s.identity.email)
        .Field("public_key_sha256", s.identity.public_key_sha256);
    w.EndObject();
    w.Key("fields").BeginObject();
    w.Field("rubric", s.fields.rubric).Field("mark", s.fields.mark).Field("foot", s.fields.foot);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray().EndObject();
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

Result<SignerList> SignerListFromJson(std::string_view json) { return ListReader().Read(json); }

}  // namespace rubrica::pdf
