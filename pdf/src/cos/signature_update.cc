#include "rubrica/pdf/cos/signature_update.h"

#include <cstdio>
#include <cstring>

#include "rubrica/base/crypto_util.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/appearance.h"
#include "rubrica/pdf/cos/incremental_update.h"

namespace rubrica::pdf::cos {

namespace {

constexpr int64_t kPlaceholder = 9999999999;  // ten digits per /ByteRange number

Status FieldError(ErrorKind kind, const std::string& code, const std::string& msg,
                  const std::string& msg_es) {
  return Status::Error(kind, code, msg, msg_es);
}

Result<std::array<double, 4>> RectOf(const Object& widget) {
  const Object* r = widget.Get("Rect");
  if (r == nullptr || !r->is_array() || r->array().size() != 4) {
    return FieldError(ErrorKind::kInvalidArgument, "pdf.bad_widget", "widget has no /Rect",
                      "El campo de firma no tiene posición.");
  }
  std::array<double, 4> out{};
  for (int i = 0; i < 4; ++i) {
    if (!r->array()[i].is_number()) {
      return FieldError(ErrorKind::kInvalidArgument, "pdf.bad_widget", "widget /Rect is not numeric",
                        "El campo de firma no tiene posición.");
    }
    out[i] = r->array()[i].as_number();
  }
  return out;
}

Object FormXObject(double w, double h, const FontMetrics& regular, const FontMetrics& bold,
                   std::string content) {
  Dict d;
  d.emplace_back("Type", Object::Name("XObject"));
  d.emplace_back("Subtype", Object::Name("Form"));
  d.emplace_back("BBox", Object::MakeArray({Object::Int(0), Object::Int(0), Object::Real(w), Object::Real(h)}));
  Object fonts = Object::MakeDict({{"RbSans", Object::MakeRef(regular.ref)},
                                   {"RbSansB", Object::MakeRef(bold.ref)}});
  d.emplace_back("Resources", Object::MakeDict({{"Font", std::move(fonts)}}));
  return Object::Stream(std::move(d), std::move(content));
}

Result<Field> EmptySignatureField(const std::map<std::string, Field>& fields, const std::string& name) {
  auto it = fields.find(name);
  if (it == fields.end()) {
    return FieldError(ErrorKind::kNotFound, "pdf.no_such_field",
                      "the document has no field named '" + name + "'",
                      "El documento no tiene el campo de firma '" + name + "'.");
  }
  if (it->second.type != "Sig") {
    return FieldError(ErrorKind::kInvalidArgument, "pdf.not_a_signature_field",
                      "field '" + name + "' is not a signature field",
                      "El campo '" + name + "' no es un campo de firma.");
  }
  if (it->second.dict.Get("V") != nullptr) {
    return FieldError(ErrorKind::kConflict, "pdf.field_already_signed",
                      "signature field '" + name + "' is already signed",
                      "El campo de firma '" + name + "' ya está firmado.");
  }
  if (it->second.widgets.size() != 1 || !(it->second.widgets[0] == it->second.ref)) {
    return FieldError(ErrorKind::kInvalidArgument, "pdf.not_a_signature_field",
                      "signature field '" + name + "' must be merged with its single widget",
                      "El campo de firma '" + name + "' no tiene la forma esperada.");
  }
  return it->second;
}

void SetText(Dict& d, const char* key, const std::string& utf8) {
  if (!utf8.empty()) d.emplace_back(key, Object::String(TextStringFromUtf8(utf8)));
}

}  // namespace

Result<PreparedSignature> PrepareSignature(const PdfFile& base, const SignatureRequest& req) {
  const size_t rev = base.last();
  ASSIGN_OR_RETURN(auto fields, ReadFields(base, rev));
  ASSIGN_OR_RETURN(Field field, EmptySignatureField(fields, req.field));
  IncrementalUpdate update(base);

  // The signature dictionary. /ByteRange precedes /Contents, both fixed-width placeholders.
  Dict sig;
  const bool timestamp = req.kind == SignatureKind::kDocumentTimestamp;
  sig.emplace_back("Type", Object::Name(timestamp ? "DocTimeStamp" : "Sig"));
  sig.emplace_back("Filter", Object::Name("Adobe.PPKLite"));
  sig.emplace_back("SubFilter", Object::Name(timestamp ? "ETSI.RFC3161" : "ETSI.CAdES.detached"));
  sig.emplace_back("ByteRange", Object::MakeArray({Object::Int(0), Object::Int(kPlaceholder),
                                                   Object::Int(kPlaceholder), Object::Int(kPlaceholder)}));
  sig.emplace_back("Contents", Object::String(std::string(req.contents_bytes, '\0'), true));
  if (!timestamp) {
    SetText(sig, "Name", req.name);
    SetText(sig, "Reason", req.reason);
    SetText(sig, "Location", req.location);
    if (!req.pdf_date.empty()) sig.emplace_back("M", Object::String(req.pdf_date));
  }
  if (req.kind == SignatureKind::kCertification) {
    Object params = Object::MakeDict({{"Type", Object::Name("TransformParams")},
                                      {"P", Object::Int(req.docmdp_permissions)},
                                      {"V", Object::Name("1.2")}});
    Object ref = Object::MakeDict({{"Type", Object::Name("SigRef")},
                                   {"TransformMethod", Object::Name("DocMDP")},
                                   {"TransformParams", std::move(params)}});
    sig.emplace_back("Reference", Object::MakeArray({std::move(ref)}));
  }
  sig.emplace_back("Prop_Build",
                   Object::MakeDict({{"App", Object::MakeDict({{"Name", Object::Name("Rubrica")}})}}));
  const Ref sig_ref = update.Add(Object::MakeDict(std::move(sig)));

  Object field_dict = field.dict;
  field_dict.Set("V", Object::MakeRef(sig_ref));

  if (req.kind == SignatureKind::kFoot) {
    ASSIGN_OR_RETURN(FontMetrics regular, ReadFormFont(base, rev, "RbSans"));
    ASSIGN_OR_RETURN(FontMetrics bold, ReadFormFont(base, rev, "RbSansB"));
    ASSIGN_OR_RETURN(auto rect, RectOf(field.dict));
    double w = std::abs(rect[2] - rect[0]), h = std::abs(rect[3] - rect[1]);
    Ref ap = update.Add(FormXObject(w, h, regular, bold,
                                    DrawFootAppearance(regular, bold, w, h, req.appearance_lines)));
    field_dict.Set("AP", Object::MakeDict({{"N", Object::MakeRef(ap)}}));
  }
  update.Replace(field.ref, std::move(field_dict));

  if (req.kind == SignatureKind::kRubric) {
    auto it = fields.find(req.mark_field);
    auto bad_mark = [&](const std::string& why) {
      return FieldError(ErrorKind::kInvalidArgument, "pdf.bad_mark_field",
                        "rubric mark field '" + req.mark_field + "': " + why,
                        "El campo de rúbrica del documento no tiene la forma esperada.");
    };
    if (it == fields.end()) return bad_mark("missing");
    const Field& mark = it->second;
    if (mark.type != "Tx") return bad_mark("not a text field");
    if (mark.dict.Get("V") != nullptr) {
      return FieldError(ErrorKind::kConflict, "pdf.field_already_signed",
                        "rubric mark field '" + req.mark_field + "' is already filled",
                        "La rúbrica de este firmante ya está en el documento.");
    }
    // Every widget shares one appearance XObject: redraw it once.
    std::optional<Ref> shared;
    std::array<double, 4> rect{};
    for (Ref w : mark.widgets) {
      ASSIGN_OR_RETURN(Object widget, base.Get(w, rev));
      const Object* ap = widget.Get("AP");
      const Object* n = ap && ap->is_dict() ? ap->Get("N") : nullptr;
      if (n == nullptr || !n->is_ref()) return bad_mark("widget without an /AP /N reference");
      if (shared && !(*shared == n->ref())) return bad_mark("widgets do not share one appearance");
      shared = n->ref();
      ASSIGN_OR_RETURN(rect, RectOf(widget));
    }
    if (!shared) return bad_mark("no widgets");
    ASSIGN_OR_RETURN(FontMetrics regular, ReadFormFont(base, rev, "RbSans"));
    ASSIGN_OR_RETURN(FontMetrics bold, ReadFormFont(base, rev, "RbSansB"));
    double w = std::abs(rect[2] - rect[0]), h = std::abs(rect[3] - rect[1]);
    update.Replace(*shared, FormXObject(w, h, regular, bold,
                                        DrawRubricMark(regular, bold, w, h, req.mark_initials,
                                                       req.mark_lines)));
    Object mark_dict = mark.dict;
    mark_dict.Set("V", Object::String(TextStringFromUtf8(req.mark_value)));
    update.Replace(mark.ref, std::move(mark_dict));
  }

  if (req.kind == SignatureKind::kCertification) {
    ASSIGN_OR_RETURN(Object catalog, base.Catalog(rev));
    catalog.Set("Perms", Object::MakeDict({{"DocMDP", Object::MakeRef(sig_ref)}}));
    update.Replace(base.revisions().back().trailer.Get("Root")->ref(), std::move(catalog));
  }

  // Deterministic second /ID: depends on what this revision adds.
  const std::string id1 = Sha256(base.bytes().substr(base.revisions().back().xref_offset) +
                                 req.field + req.pdf_date)
                              .substr(0, 16);
  ASSIGN_OR_RETURN(IncrementalUpdate::Written written, update.Write(id1));

  PreparedSignature p;
  p.signature_dict = sig_ref;
  p.bytes = std::move(written.bytes);
  auto [obj_begin, obj_end] = written.spans.at(sig_ref.num);
  std::string_view obj(p.bytes.data() + obj_begin, obj_end - obj_begin);
  size_t br = obj.find("/ByteRange [");
  size_t ct = obj.find("/Contents <");
  if (br == std::string_view::npos || ct == std::string_view::npos) {
    return Status::Error(ErrorKind::kInternal, "pdf.placeholder_missing", "placeholders not found");
  }
  size_t br_begin = obj_begin + br + 11;  // at '['
  size_t br_end = p.bytes.find(']', br_begin) + 1;
  p.hole_begin = obj_begin + ct + 10;      // at '<'
  p.hole_end = p.bytes.find('>', p.hole_begin) + 1;
  p.byte_range = {0, static_cast<int64_t>(p.hole_begin), static_cast<int64_t>(p.hole_end),
                  static_cast<int64_t>(p.bytes.size() - p.hole_end)};
  std::string range = "[0 " + std::to_string(p.byte_range[1]) + " " +
                      std::to_string(p.byte_range[2]) + " " + std::to_string(p.byte_range[3]) + "]";
  range.resize(br_end - br_begin, ' ');
  std::memcpy(p.bytes.data() + br_begin, range.data(), range.size());
  return p;
}

std::string SignedDigest(const PreparedSignature& p) {
  Sha256Hasher h;
  h.Update(std::string_view(p.bytes.data(), p.hole_begin));
  h.Update(std::string_view(p.bytes.data() + p.hole_end, p.bytes.size() - p.hole_end));
  return h.Final();
}

Status EmbedSignature(PreparedSignature& p, std::string_view cms_der) {
  const size_t capacity = (p.hole_end - p.hole_begin - 2) / 2;
  if (cms_der.empty() || cms_der.size() > capacity) {
    return Status::Error(ErrorKind::kInternal, "pdf.signature_too_large",
                         "signature of " + std::to_string(cms_der.size()) +
                             " bytes does not fit the " + std::to_string(capacity) +
                             " reserved", "La firma no cabe en el espacio reservado del PDF.");
  }
  std::string hex = HexEncode(cms_der);
  std::memcpy(p.bytes.data() + p.hole_begin + 1, hex.data(), hex.size());
  return Status::Ok();
}

}  // namespace rubrica::pdf::cos
