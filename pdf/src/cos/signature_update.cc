#include "rubrica/pdf/cos/signature_update.h"

#include <cstdio>
#include <cstring>
#include <set>

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

Result<Field> EmptySignatureField(const PdfFile& base, size_t rev, const std::string& name) {
  auto found = FindField(base, rev, name);
  if (!found.ok()) {
    if (found.status().kind() == ErrorKind::kNotFound) {
      return FieldError(ErrorKind::kNotFound, "pdf.no_such_field",
                        "the document has no field named '" + name + "'",
                        "El documento no tiene el campo de firma '" + name + "'.");
    }
    return found.status();
  }
  const Field& f = *found;
  if (f.type != "Sig") {
    return FieldError(ErrorKind::kInvalidArgument, "pdf.not_a_signature_field",
                      "field '" + name + "' is not a signature field",
                      "El campo '" + name + "' no es un campo de firma.");
  }
  if (f.dict.Get("V") != nullptr) {
    return FieldError(ErrorKind::kConflict, "pdf.field_already_signed",
                      "signature field '" + name + "' is already signed",
                      "El campo de firma '" + name + "' ya está firmado.");
  }
  if (f.widgets.size() != 1 || !(f.widgets[0] == f.ref)) {
    return FieldError(ErrorKind::kInvalidArgument, "pdf.not_a_signature_field",
                      "signature field '" + name + "' must be merged with its single widget",
                      "El campo de firma '" + name + "' no tiene la forma esperada.");
  }
  return found;
}

void SetText(Dict& d, const char* key, const std::string& utf8) {
  if (!utf8.empty()) d.emplace_back(key, Object::String(TextStringFromUtf8(utf8)));
}


// The catalog's /DSS as a direct dictionary to rewrite (a new one when there is none).
Result<Object> ExistingDss(const PdfFile& base, const Object& catalog) {
  const Object* ref = catalog.Get("DSS");
  if (ref == nullptr) return Object::MakeDict({{"Type", Object::Name("DSS")}});
  ASSIGN_OR_RETURN(Object dss, base.Resolve(*ref, base.last()));
  if (!dss.is_dict()) {
    return FieldError(ErrorKind::kInvalidArgument, "pdf.bad_dss", "the catalog's /DSS is not a dictionary",
                      "El PDF tiene un almacén de validación (/DSS) dañado.");
  }
  return dss;
}

// Appends to dss[key] a stream for each DER in `ders` the array does not already hold, so
// that a renewal repeats no certificate or CRL the seal embedded.
void AppendDssStreams(const PdfFile& base, Object& dss, const char* key, const std::vector<std::string>& ders,
                      IncrementalUpdate& update) {
  Array entries;
  std::set<std::string> present;
  if (const Object* existing = dss.Get(key)) {
    auto array = base.Resolve(*existing, base.last());
    if (array.ok() && array->is_array()) {
      for (const Object& item : array->array()) {
        entries.push_back(item);
        auto stream = base.Resolve(item, base.last());
        if (!stream.ok() || !stream->is_stream()) continue;
        auto data = DecodeStream(*stream, 1u << 24);
        if (data.ok()) present.insert(std::move(data).value());
      }
    }
  }
  for (const auto& der : ders) {
    if (!present.insert(der).second) continue;
    entries.push_back(Object::MakeRef(update.Add(Object::Stream({}, der))));
  }
  if (!entries.empty()) dss.Set(key, Object::MakeArray(std::move(entries)));
}

// The archive seal's field: new, invisible, on page 1, listed in /Fields and page 1's
// /Annots (both redefined with one more entry), plus /DSS in the catalog.
Result<Field> AddTimestampField(const PdfFile& base, const SignatureRequest& req,
                                IncrementalUpdate& update, Object& catalog) {
  const size_t rev = base.last();
  if (auto existing = FindField(base, rev, req.field);
      existing.ok() || existing.status().kind() != ErrorKind::kNotFound) {
    return FieldError(ErrorKind::kConflict, "pdf.field_already_signed",
                      "the document already has a field named '" + req.field + "'",
                      "El documento ya tiene un sello de tiempo con ese nombre.");
  }
  const Object* form_ref = catalog.Get("AcroForm");
  const Object* pages_ref = catalog.Get("Pages");
  if (form_ref == nullptr || !form_ref->is_ref() || pages_ref == nullptr) {
    return FieldError(ErrorKind::kInvalidArgument, "pdf.bad_acroform", "no /AcroForm or /Pages",
                      "El PDF no tiene la estructura esperada.");
  }
  ASSIGN_OR_RETURN(Object pages, base.Resolve(*pages_ref, rev));
  const Object* kids = pages.Get("Kids");
  if (kids == nullptr || !kids->is_array() || kids->array().empty() || !kids->array()[0].is_ref()) {
    return FieldError(ErrorKind::kInvalidArgument, "pdf.bad_acroform", "no first page",
                      "El PDF no tiene la estructura esperada.");
  }
  const Ref page_ref = kids->array()[0].ref();
  ASSIGN_OR_RETURN(Object page, base.Get(page_ref, rev));
  if (page.Get("Type") == nullptr || !page.Get("Type")->is_name("Page")) {
    return FieldError(ErrorKind::kInvalidArgument, "pdf.bad_acroform", "first kid is not a page",
                      "El PDF no tiene la estructura esperada.");
  }
  Field f;
  f.name = req.field;
  f.type = "Sig";
  f.dict = Object::MakeDict({{"FT", Object::Name("Sig")},
                             {"T", Object::String(TextStringFromUtf8(req.field))},
                             {"Type", Object::Name("Annot")},
                             {"Subtype", Object::Name("Widget")},
                             {"Rect", Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(0), Object::Int(0)})},
                             {"F", Object::Int(132)},
                             {"P", Object::MakeRef(page_ref)}});
  f.ref = update.Add(Object());  // number reserved; the dictionary is set by the caller
  f.widgets = {f.ref};
  ASSIGN_OR_RETURN(Object form, base.Get(form_ref->ref(), rev));
  Object* form_fields = form.GetMutable("Fields");
  if (form_fields == nullptr || !form_fields->is_array()) {
    return FieldError(ErrorKind::kInvalidArgument, "pdf.bad_acroform", "/Fields is not a direct array",
                      "El PDF no tiene la estructura esperada.");
  }
  form_fields->array().push_back(Object::MakeRef(f.ref));
  update.Replace(form_ref->ref(), std::move(form));
  Object annots = Object::MakeArray();
  if (const Object* a = page.Get("Annots")) {
    ASSIGN_OR_RETURN(annots, base.Resolve(*a, rev));
    if (!annots.is_array()) annots = Object::MakeArray();
  }
  annots.array().push_back(Object::MakeRef(f.ref));
  page.Set("Annots", std::move(annots));
  update.Replace(page_ref, std::move(page));
  // Long-term validation material: a new /DSS that keeps every entry of the one before
  // (a renewal: verifiers read the last revision's /DSS only) and adds what is new.
  ASSIGN_OR_RETURN(Object dss, ExistingDss(base, catalog));
  AppendDssStreams(base, dss, "Certs", req.dss_certificates, update);
  AppendDssStreams(base, dss, "CRLs", req.dss_crls, update);
  catalog.Set("DSS", Object::MakeRef(update.Add(std::move(dss))));
  return f;
}

}  // namespace

Result<PreparedSignature> PrepareSignature(const PdfFile& base, const SignatureRequest& req) {
  const size_t rev = base.last();
  IncrementalUpdate update(base);
  ASSIGN_OR_RETURN(Object catalog, base.Catalog(rev));
  bool catalog_changed = false;
  Field field;
  if (req.kind == SignatureKind::kDocumentTimestamp) {
    ASSIGN_OR_RETURN(field, AddTimestampField(base, req, update, catalog));
    catalog_changed = true;
  } else {
    ASSIGN_OR_RETURN(field, EmptySignatureField(base, rev, req.field));
  }

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
    auto bad_mark = [&](const std::string& why) {
      return FieldError(ErrorKind::kInvalidArgument, "pdf.bad_mark_field",
                        "rubric mark field '" + req.mark_field + "': " + why,
                        "El campo de rúbrica del documento no tiene la forma esperada.");
    };
    auto found_mark = FindField(base, rev, req.mark_field);
    if (!found_mark.ok()) {
      if (found_mark.status().kind() == ErrorKind::kNotFound) return bad_mark("missing");
      return found_mark.status();
    }
    const Field& mark = *found_mark;
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
    catalog.Set("Perms", Object::MakeDict({{"DocMDP", Object::MakeRef(sig_ref)}}));
    catalog_changed = true;
  }
  if (catalog_changed) {
    update.Replace(base.revisions().back().trailer.Get("Root")->ref(), std::move(catalog));
  }

  // Deterministic second /ID: depends on what this revision adds.
  const std::string id1 = Sha256(std::string(base.bytes().substr(base.revisions().back().xref_offset)) +
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
