#include "rubrica/pdf/cos/revision_analysis.h"

#include <cmath>
#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_map>

#include "rubrica/pdf/cos/acroform.h"

namespace rubrica::pdf::cos {

bool RevisionAnalysis::ok() const {
  for (const auto& f : findings) {
    if (!f.allowed) return false;
  }
  return true;
}

namespace {

// Keys whose values differ between two dictionaries (added, removed or changed). Keys are
// looked up through an index, not Object::Get: a scan per key is quadratic, and hostile
// dictionaries have 100000 keys.
std::vector<std::string> ChangedKeys(const Object& a, const Object& b) {
  std::unordered_map<std::string_view, const Object*> in_a, in_b;
  for (const auto& [k, v] : a.dict()) in_a.emplace(k, &v);
  for (const auto& [k, v] : b.dict()) in_b.emplace(k, &v);
  std::vector<std::string> out;
  for (const auto& [k, v] : b.dict()) {
    auto old = in_a.find(k);
    if (old == in_a.end() || *old->second != v) out.push_back(k);
  }
  for (const auto& [k, v] : a.dict()) {
    if (!in_b.count(k)) out.push_back(k);
  }
  return out;
}

// True when `ref` is a non-null object as of revision `rev`.
Result<bool> Exists(const PdfFile& f, Ref ref, size_t rev) {
  if (!f.DefiningRevision(ref.num, rev)) return false;
  ASSIGN_OR_RETURN(Object o, f.Get(ref, rev));
  return !o.is_null();
}

// What signing tools stamp into the document information.
bool OnlyInfoStamps(const std::vector<std::string>& keys) {
  for (const auto& k : keys) {
    if (k != "Producer" && k != "ModDate") return false;
  }
  return true;
}

// The document's XMP metadata (a stream /Type /Metadata /Subtype /XML): what signing tools
// update with the modification date; it draws nothing.
bool IsXmpMetadata(const Object& o) {
  const Object* t = o.Get("Type");
  const Object* st = o.Get("Subtype");
  return o.is_stream() && t && t->is_name("Metadata") && st && st->is_name("XML");
}

std::string Join(const std::vector<std::string>& keys) {
  std::string s;
  for (const auto& k : keys) s += (s.empty() ? "/" : ", /") + k;
  return s;
}

std::string Describe(const Object& o) {
  if (const Object* t = o.Get("Type"); t && t->is_name()) {
    std::string s = t->text();
    if (const Object* st = o.Get("Subtype"); st && st->is_name()) s += "/" + st->text();
    return s;
  }
  if (o.is_stream()) return "stream";
  if (o.is_dict()) return "dictionary";
  return "object";
}

double Area(const Object& rect) {
  if (!rect.is_array() || rect.array().size() != 4) return 0;
  const auto& r = rect.array();
  for (const auto& x : r) {
    if (!x.is_number()) return 0;
  }
  return std::fabs((r[2].as_number() - r[0].as_number()) * (r[3].as_number() - r[1].as_number()));
}

using Fields = std::map<std::string, Field>;

class Analyzer {
 public:
  Analyzer(const PdfFile& file, size_t rev, const Fields& before, const Fields& after,
           bool certified_before, int docmdp_before, bool signed_before)
      : f_(file), r_(rev), before_(before), after_(after), certified_before_(certified_before),
        docmdp_before_(docmdp_before), signed_before_(signed_before) {}

  Result<RevisionAnalysis> Run();

 private:
  void Allow(const std::string& code, int obj, const std::string& msg) {
    a_.findings.push_back({true, code, obj, msg});
  }
  void Forbid(const std::string& code, int obj, const std::string& msg) {
    a_.findings.push_back({false, code, obj, msg});
  }
  std::string Obj(int num) { return "object " + std::to_string(num); }
  Result<double> PageArea(const Object& widget, size_t rev);
  Status CheckWidgetSize(const Object& widget, const std::string& what, int num);
  void CollectReachable(const Object& o, std::set<int>& out, int depth);
  bool IsNewSignature(const Field& field);
  bool ReachableFromTrailer(int num);
  bool ListsOnlyKnownObjects(const Object& array, const std::set<int>& added);
  bool IsDocTimestamp(const Field& field);
  bool IsInfo(int num) const;
  bool IsAcroForm(int num);
  bool FormChangeAllowed(const Object& old, const Object& neu, const std::vector<std::string>& keys,
                         const std::set<int>& added);
  bool AppendsOnly(const Object& old_array, const Object& new_array, const std::set<int>& added);

  const PdfFile& f_;
  size_t r_;
  const Fields& before_;  // the form of revision r_ - 1
  const Fields& after_;   // the form of revision r_
  bool certified_before_;
  int docmdp_before_;
  bool signed_before_;
  RevisionAnalysis a_;
  int info_ref_ = -1;  // a replacement /Info allowed above
  std::set<int> appearance_;  // objects reachable from the signed field's appearance
  std::optional<std::set<int>> reachable_;  // from the trailer, computed when first needed
  std::optional<size_t> no_signature_;       // index of the forbidden.no_signature finding
};

// `array` holds only references to `added` or to objects that existed before.
bool Analyzer::ListsOnlyKnownObjects(const Object& array, const std::set<int>& added) {
  for (const Object& x : array.array()) {
    if (!x.is_ref()) return false;
    if (added.count(x.ref().num)) continue;
    auto existed = Exists(f_, x.ref(), r_ - 1);
    if (!existed.ok() || !*existed) return false;
  }
  return true;
}

// Whether object `num` can be reached from the trailer of this revision (catalog, info):
// a new object that nothing reaches draws nothing (poppler leaves such objects behind when
// it signs). Walked once per revision, only when a new object is not otherwise explained.
bool Analyzer::ReachableFromTrailer(int num) {
  if (!reachable_) {
    reachable_.emplace();
    std::vector<Object> stack;
    for (const char* key : {"Root", "Info"}) {
      if (const Object* o = f_.revisions()[r_].trailer.Get(key)) stack.push_back(*o);
    }
    constexpr size_t kMaxObjects = 4000000;
    while (!stack.empty() && reachable_->size() < kMaxObjects) {
      Object o = std::move(stack.back());
      stack.pop_back();
      if (o.is_ref()) {
        if (!reachable_->insert(o.ref().num).second) continue;
        auto got = f_.Get(o.ref(), r_);
        if (got.ok()) stack.push_back(std::move(*got));
      } else if (o.is_array()) {
        for (Object& x : o.array()) stack.push_back(std::move(x));
      } else if (o.is_dict()) {
        for (auto& [k, v] : o.dict()) stack.push_back(std::move(v));
      }
    }
    if (reachable_->size() >= kMaxObjects) return true;  // too large to tell: treat as reached
  }
  return reachable_->count(num) > 0;
}

bool Analyzer::IsDocTimestamp(const Field& field) {
  const Object* v = field.dict.Get("V");
  if (v == nullptr || !v->is_ref()) return false;
  auto sig = f_.Get(v->ref(), r_);
  const Object* type = sig.ok() ? sig->Get("Type") : nullptr;
  return type && type->is_name("DocTimeStamp");
}

bool Analyzer::IsInfo(int num) const {
  const Object* info = f_.revisions()[r_ - 1].trailer.Get("Info");
  return info && info->is_ref() && info->ref().num == num;
}

bool Analyzer::IsAcroForm(int num) {
  auto cat = f_.Catalog(r_);
  const Object* form = cat.ok() ? cat->Get("AcroForm") : nullptr;
  return form && form->is_ref() && form->ref().num == num;
}

// The form may list the new signature field (appended to /Fields) and change what signing
// tools set: /SigFlags, and the default resources /DR and /DA.
bool Analyzer::FormChangeAllowed(const Object& old, const Object& neu, const std::vector<std::string>& keys,
                                 const std::set<int>& added) {
  for (const auto& k : keys) {
    if (k == "SigFlags" || k == "DR" || k == "DA") continue;
    if (k == "Fields" && old.Get("Fields") && neu.Get("Fields") && !added.empty() &&
        AppendsOnly(*old.Get("Fields"), *neu.Get("Fields"), added)) {
      continue;
    }
    return false;
  }
  return true;
}

Result<double> Analyzer::PageArea(const Object& widget, size_t rev) {
  const Object* p = widget.Get("P");
  if (p == nullptr || !p->is_ref()) return 612.0 * 792.0;
  ASSIGN_OR_RETURN(Object page, f_.Get(p->ref(), rev));
  const Object* mb = page.Get("MediaBox");
  double area = mb ? Area(*mb) : 0;
  return area > 0 ? area : 612.0 * 792.0;
}

Status Analyzer::CheckWidgetSize(const Object& widget, const std::string& what, int num) {
  const Object* rect = widget.Get("Rect");
  double area = rect ? Area(*rect) : 0;
  ASSIGN_OR_RETURN(double page, PageArea(widget, r_));
  // A signature slot or a margin mark is a few percent of a page; an appearance that can
  // paint over a quarter of a page is how sneaky signatures hide text.
  if (area > page * 0.25) {
    Forbid("forbidden.appearance_too_large", num,
           what + " (" + Obj(num) + ") draws over " + std::to_string(static_cast<int>(100 * area / page)) +
               "% of its page");
  }
  return Status::Ok();
}

void Analyzer::CollectReachable(const Object& o, std::set<int>& out, int depth) {
  if (depth > 32 || out.size() > 100000) return;
  if (o.is_ref()) {
    if (!out.insert(o.ref().num).second) return;
    auto obj = f_.Get(o.ref(), r_);
    if (obj.ok()) CollectReachable(*obj, out, depth + 1);
    return;
  }
  if (o.is_array()) {
    for (const auto& x : o.array()) CollectReachable(x, out, depth + 1);
  } else if (o.is_dict()) {
    for (const auto& [k, v] : o.dict()) CollectReachable(v, out, depth + 1);
  }
}

// A field new in this revision that is a signature field filled here, with one widget: what
// signing tools add when they sign without an empty field (a visible one is then checked
// for size like any signature appearance); and the archive seal, whose value is a
// /DocTimeStamp.
bool Analyzer::IsNewSignature(const Field& field) {
  if (field.type != "Sig" || field.widgets.size() != 1) return false;
  const Object* v = field.dict.Get("V");
  if (v == nullptr || !v->is_ref() || f_.DefiningRevision(field.ref.num, r_ - 1)) return false;
  if (!(field.widgets[0] == field.ref) && f_.DefiningRevision(field.widgets[0].num, r_ - 1)) return false;
  auto sig = f_.Get(v->ref(), r_);
  if (!sig.ok() || f_.DefiningRevision(v->ref().num, r_ - 1)) return false;
  return sig->Get("ByteRange") != nullptr;
}

// `new_array` is `old_array` (resolved) with only references to `added` appended.
bool Analyzer::AppendsOnly(const Object& old_value, const Object& new_value, const std::set<int>& added) {
  auto o = f_.Resolve(old_value, r_ - 1);
  auto n = f_.Resolve(new_value, r_);
  if (!o.ok() || !n.ok() || !o->is_array() || !n->is_array()) return false;
  const Array& a = o->array();
  const Array& b = n->array();
  if (b.size() <= a.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  for (size_t i = a.size(); i < b.size(); ++i) {
    if (!b[i].is_ref() || !added.count(b[i].ref().num)) return false;
  }
  return true;
}

Result<RevisionAnalysis> Analyzer::Run() {
  a_.revision = r_;
  const Revision& rv = f_.revisions()[r_];
  const Revision& prev_rv = f_.revisions()[r_ - 1];
  // What the reader met in this revision's own bytes: ambiguities (a key twice, an object
  // listed or defined twice) and objects placed in an earlier revision's bytes (shadow
  // attacks) are manipulations after signing.
  for (const ReadNote& n : f_.notes()) {
    if (n.revision != r_) continue;
    if (n.code.rfind("ambiguity.", 0) == 0 || n.code.rfind("manipulation.", 0) == 0) Forbid(n.code, n.object, n.message);
  }
  if (docmdp_before_ == 1) {
    Forbid("forbidden.after_docmdp_p1", 0,
           "the certification forbids any change (DocMDP P=1), yet revision " + std::to_string(r_) + " exists");
  }
  // Trailer: same catalog; the document information may be replaced by one that differs
  // only in what signing tools write (/Producer, /ModDate).
  {
    const Object* a = prev_rv.trailer.Get("Root");
    const Object* b = rv.trailer.Get("Root");
    if ((a == nullptr) != (b == nullptr) || (a && *a != *b)) Forbid("forbidden.trailer", 0, "the trailer's /Root changed");
    const Object* ia = prev_rv.trailer.Get("Info");
    const Object* ib = rv.trailer.Get("Info");
    if ((ia == nullptr) != (ib == nullptr) || (ia && *ia != *ib)) {
      bool ok = ib && ib->is_ref() && (ia == nullptr || ia->is_ref());
      if (ok) {
        // A document without information may gain one stamped by the signing tool.
        auto old_info = ia ? f_.Get(ia->ref(), r_ - 1) : Result<Object>(Object::MakeDict());
        auto new_info = f_.Get(ib->ref(), r_);
        ok = old_info.ok() && new_info.ok() && old_info->is_dict() && new_info->is_dict();
        if (ok) {
          for (const auto& k : ChangedKeys(*old_info, *new_info)) {
            ok = ok && (k == "Producer" || k == "ModDate" || (ia == nullptr && k == "CreationDate"));
          }
        }
        if (ok) info_ref_ = ib->ref().num;
      }
      if (ok) Allow("change.info", 0, "the document information was replaced (/Producer, /ModDate)");
      else Forbid("forbidden.trailer", 0, "the trailer's /Info changed");
    }
  }
  const Fields& before = before_;
  const Fields& after = after_;

  std::vector<std::string> filled;
  const Field* new_field = nullptr;  // a new signature field filled here
  std::set<int> new_field_objects;   // its field and widget objects
  for (const auto& [name, field] : after) {
    auto it = before.find(name);
    if (it == before.end()) {
      if (IsNewSignature(field)) {
        new_field = &field;
        new_field_objects.insert(field.ref.num);
        new_field_objects.insert(field.widgets[0].num);
        filled.push_back(name);
        continue;
      }
      Forbid("forbidden.new_field", field.ref.num,
             "new form field '" + name + "' (" + Obj(field.ref.num) + ", type " + field.type + ")");
      continue;
    }
    if (field.type == "Sig" && field.dict.Get("V") && !it->second.dict.Get("V")) filled.push_back(name);
  }
  for (const auto& [name, field] : before) {
    if (!after.count(name)) Forbid("forbidden.removed_field", field.ref.num, "form field '" + name + "' was removed");
  }
  if (filled.empty()) {
    no_signature_ = a_.findings.size();
    Forbid("forbidden.no_signature", 0, "revision " + std::to_string(r_) + " fills no signature field");
  } else if (filled.size() > 1) {
    Forbid("forbidden.several_signatures", 0,
           "revision " + std::to_string(r_) + " fills " + std::to_string(filled.size()) + " signature fields at once");
  }

  // Text fields filled here: only the mark locked by this revision's rubric signature.
  std::vector<const Field*> filled_text;
  for (const auto& [name, fld] : after) {
    if (fld.type != "Tx" || !fld.dict.Get("V")) continue;
    auto it = before.find(name);
    if (it != before.end() && !it->second.dict.Get("V")) filled_text.push_back(&fld);
  }

  // What this revision may touch.
  std::optional<Ref> field_ref, sig_ref, ap_ref, mark_ref, mark_ap_ref;
  const Field* mark = nullptr;
  if (filled.size() == 1) {
    const Field& field = after.at(filled[0]);
    a_.signed_field = filled[0];
    field_ref = field.ref;
    sig_ref = field.dict.Get("V")->is_ref() ? std::optional<Ref>(field.dict.Get("V")->ref()) : std::nullopt;
    if (!sig_ref) Forbid("forbidden.signature_field", field.ref.num, "signature value /V of '" + filled[0] + "' is not an indirect object");
    Object widget = field.dict;
    if (!(field.widgets.size() == 1 && field.widgets[0] == field.ref) && field.widgets.size() == 1) {
      ASSIGN_OR_RETURN(widget, f_.Get(field.widgets[0], r_));
    }
    if (const Object* ap = widget.Get("AP"); ap && ap->is_dict()) {
      if (const Object* n = ap->Get("N"); n && n->is_ref()) ap_ref = n->ref();
    }
    if (sig_ref) {
      ASSIGN_OR_RETURN(Object sig, f_.Get(*sig_ref, r_));
      if (const Object* refs = sig.Get("Reference"); refs && refs->is_array()) {
        for (const Object& sr : refs->array()) {
          const Object* tm = sr.Get("TransformMethod");
          if (tm && tm->is_name("DocMDP")) {
            a_.certification = true;
            const Object* tp = sr.Get("TransformParams");
            const Object* p = tp ? tp->Get("P") : nullptr;
            a_.docmdp_permissions = p && p->is_int() ? static_cast<int>(p->as_int()) : 2;
          }
        }
      }
    }
    if (a_.certification && (certified_before_ || signed_before_)) {
      Forbid("forbidden.certification_not_first", field.ref.num,
             "certification signature '" + filled[0] + "' is not the document's first signature");
    }
    // The rubric mark the signature field locks, filled in this same revision.
    std::string locked;
    if (const Object* lock = field.dict.Get("Lock"); lock && lock->is_dict()) {
      const Object* names = lock->Get("Fields");
      if (names && names->is_array() && names->array().size() == 1 && names->array()[0].is_string()) {
        locked = Utf8FromTextString(names->array()[0].text());
      }
    }
    for (const Field* fld : filled_text) {
      if (fld->name == locked) mark = fld;
    }
    if (!locked.empty() && mark == nullptr) {
      Forbid("forbidden.rubric", field.ref.num,
             "rubric signature '" + filled[0] + "' without its mark field '" + locked + "' filled");
    }
    if (mark != nullptr) {
      a_.mark_field = mark->name;
      mark_ref = mark->ref;
      for (Ref w : mark->widgets) {
        auto widget = f_.Get(w, r_);
        if (!widget.ok()) return widget.status();
        const Object* ap = widget->Get("AP");
        const Object* n = ap && ap->is_dict() ? ap->Get("N") : nullptr;
        if (n == nullptr || !n->is_ref() || (mark_ap_ref && !(*mark_ap_ref == n->ref()))) {
          Forbid("forbidden.rubric", w.num, "the widgets of mark '" + mark->name + "' do not share one appearance");
          break;
        }
        mark_ap_ref = n->ref();
        RETURN_IF_ERROR(CheckWidgetSize(*widget, "a widget of mark '" + mark->name + "'", w.num));
      }
    }
    if (ap_ref) RETURN_IF_ERROR(CheckWidgetSize(widget, "the appearance of '" + filled[0] + "'", field.ref.num));
    if (ap_ref) CollectReachable(Object::MakeRef(*ap_ref), appearance_, 0);
  }

  for (const Field* fld : filled_text) {
    if (fld == mark) continue;
    Forbid("forbidden.rubric", fld->ref.num,
           "text field '" + fld->name + "' is filled without the rubric signature that locks it");
  }

  const Object* root = rv.trailer.Get("Root");
  const int catalog_num = root && root->is_ref() ? root->ref().num : -1;
  std::set<int> ltv;         // objects reachable from /DSS
  std::set<int> extensions;  // from the catalog's /Extensions (developer extensions)
  if (catalog_num > 0) {
    ASSIGN_OR_RETURN(Object cat, f_.Catalog(r_));
    if (const Object* dss = cat.Get("DSS")) CollectReachable(*dss, ltv, 0);
    if (const Object* ext = cat.Get("Extensions")) CollectReachable(*ext, extensions, 0);
  }

  for (const auto& [num, e] : rv.entries) {
    if (!e.in_use) {
      if (num != 0) Forbid("forbidden.freed_object", num, Obj(num) + " is freed");
      continue;
    }
    Ref ref{num, e.gen};
    ASSIGN_OR_RETURN(const bool existed, Exists(f_, ref, r_ - 1));
    ASSIGN_OR_RETURN(Object neu, f_.Get(ref, r_));
    if (!existed) {
      if (sig_ref && num == sig_ref->num) {
        Allow("change.signature_dictionary", num, "signature value of '" + a_.signed_field + "'");
      } else if (ap_ref && num == ap_ref->num && neu.is_stream()) {
        Allow("change.signature_appearance", num, "appearance of '" + a_.signed_field + "'");
      } else if (appearance_.count(num)) {
        Allow("change.signature_appearance", num, "part of the appearance of '" + a_.signed_field + "'");
      } else if (ltv.count(num)) {
        Allow("change.ltv", num, "long-term validation data");
      } else if (new_field && new_field_objects.count(num)) {
        Allow(new_field->type == "Sig" && IsDocTimestamp(*new_field) ? "change.document_timestamp_field"
                                                                     : "change.new_signature_field",
              num, "new signature field '" + new_field->name + "'");
      } else if (num == info_ref_) {
        Allow("change.info", num, "new document information (/Producer, /ModDate)");
      } else if (IsAcroForm(num) && new_field && FormChangeAllowed(Object::MakeDict({{"Fields", Object::MakeArray()}}),
                                                                   neu, {"Fields"}, new_field_objects)) {
        Allow("change.form", num, "a form created for new signature field '" + new_field->name + "'");
      } else if (new_field && neu.is_array() && ListsOnlyKnownObjects(neu, new_field_objects)) {
        // An array made indirect to hold the new field in /Fields or a page's /Annots (those
        // are judged where they change).
        Allow("change.new_signature_field", num, "an array listing new signature field '" + new_field->name + "'");
      } else if (extensions.count(num) && !neu.is_stream()) {
        Allow("change.catalog", num, "developer extensions " + Obj(num));
      } else if (IsXmpMetadata(neu)) {
        Allow("change.metadata", num, "new XMP metadata " + Obj(num));
      } else if (!ReachableFromTrailer(num)) {
        Allow("change.unreferenced_object", num, "new " + Obj(num) + " (" + Describe(neu) + ") that nothing refers to");
      } else {
        Forbid("forbidden.new_object", num, "new " + Obj(num) + " (" + Describe(neu) + ") is not part of a signature");
      }
      continue;
    }
    ASSIGN_OR_RETURN(Object old, f_.Get(ref, r_ - 1));
    if (old == neu) {
      Allow("change.unchanged_rewrite", num, Obj(num) + " written again unchanged");
      continue;
    }
    const std::vector<std::string> keys = neu.is_dict() && old.is_dict() ? ChangedKeys(old, neu)
                                                                           : std::vector<std::string>{"(value)"};
    if (field_ref && num == field_ref->num) {
      bool ok = true;
      // /F: the flags of the field's own widget, which signing tools set (print, locked).
      for (const auto& k : keys) ok = ok && (k == "V" || k == "AP" || k == "F");
      if (old.Get("V") != nullptr) ok = false;
      if (ok) Allow("change.signature_field", num, "signature field '" + a_.signed_field + "' filled");
      else Forbid("forbidden.signature_field", num, "signature field '" + a_.signed_field + "' changed " + Join(keys));
    } else if (mark_ref && num == mark_ref->num) {
      bool ok = keys.size() == 1 && keys[0] == "V" && neu.Get("V")->is_string();
      if (ok) Allow("change.rubric_mark", num, "rubric mark '" + a_.mark_field + "' filled");
      else Forbid("forbidden.rubric", num, "rubric mark field '" + a_.mark_field + "' changed " + Join(keys));
    } else if (mark_ap_ref && num == mark_ap_ref->num) {
      const Object* ob = old.Get("BBox");
      const Object* nb = neu.Get("BBox");
      const Object* st = neu.Get("Subtype");
      bool ok = neu.is_stream() && st && st->is_name("Form") && ob && nb && *ob == *nb;
      if (ok) Allow("change.rubric_appearance", num, "rubric mark '" + a_.mark_field + "' drawn");
      else Forbid("forbidden.rubric", num, "the appearance of rubric mark '" + a_.mark_field + "' changed its kind or /BBox");
    } else if (std::any_of(filled_text.begin(), filled_text.end(),
                           [&, n = num](const Field* t) { return t->ref.num == n && t != mark; })) {
      continue;  // reported above as forbidden.rubric
    } else if (ap_ref && num == ap_ref->num && neu.is_stream()) {
      Allow("change.signature_appearance", num, "appearance of '" + a_.signed_field + "' redrawn");
    } else if (IsXmpMetadata(old) && IsXmpMetadata(neu)) {
      Allow("change.metadata", num, "XMP metadata " + Obj(num) + " updated");
    } else if (num == catalog_num) {
      // What signing tools write into the catalog: /Perms, /Version, /DSS, an /AcroForm
      // where there was none (the form is then judged as any other).
      bool ok = true;
      for (const auto& k : keys) {
        if (k == "DSS" || k == "Perms" || k == "Version" || k == "Extensions" || k == "Metadata") continue;
        if (k == "AcroForm" && old.Get("AcroForm") == nullptr) continue;
        ok = false;
      }
      if (ok) Allow(a_.certification ? "change.docmdp_perms" : "change.catalog", num, "catalog " + Join(keys));
      else Forbid("forbidden.catalog", num, "the catalog changed " + Join(keys));
    } else if (ltv.count(num)) {
      Allow("change.ltv", num, "long-term validation data updated");
    } else if (num == info_ref_ || (old.is_dict() && IsInfo(num) && OnlyInfoStamps(keys))) {
      Allow("change.info", num, "document information " + Join(keys));
    } else if (IsAcroForm(num) && FormChangeAllowed(old, neu, keys, new_field_objects)) {
      Allow(new_field && IsDocTimestamp(*new_field) ? "change.document_timestamp_field" : "change.form",
            num, "the form's " + Join(keys) + (new_field ? " (new signature field '" + new_field->name + "')" : ""));
    } else if (new_field && keys.size() == 1 && keys[0] == "Annots" && old.Get("Type") &&
               old.Get("Type")->is_name("Page") &&
               AppendsOnly(old.Get("Annots") ? *old.Get("Annots") : Object::MakeArray(), *neu.Get("Annots"),
                           new_field_objects)) {
      Allow(IsDocTimestamp(*new_field) ? "change.document_timestamp_field" : "change.new_signature_field", num,
            "the widget of new signature field '" + new_field->name + "' added to a page");
    } else if (const Object* t = old.Get("Type"); t && t->is_name("Page")) {
      bool only_annots = keys.size() == 1 && keys[0] == "Annots";
      Forbid(only_annots ? "forbidden.annotation" : "forbidden.page", num,
             only_annots ? "annotations of a page changed (" + Obj(num) + ")"
                         : "a page changed " + Join(keys) + " (" + Obj(num) + ")");
    } else if (const Object* st = old.Get("Subtype"); st && old.Get("Rect") != nullptr) {
      Forbid("forbidden.annotation", num, "annotation " + Obj(num) + " (" + Describe(old) + ") changed " + Join(keys));
    } else {
      Forbid("forbidden.object", num, Obj(num) + " (" + Describe(old) + ") changed " + Join(keys));
    }
  }
  // A revision that only adds validation material (/DSS, its objects, the catalog entry,
  // document information) needs no signature: it is what LTV updates look like.
  if (no_signature_) {
    bool ltv_only = true, ltv = false;
    for (size_t i = 0; i < a_.findings.size(); ++i) {
      const RevisionFinding& f = a_.findings[i];
      if (i == *no_signature_) continue;
      ltv = ltv || f.code == "change.ltv";
      ltv_only = ltv_only && f.allowed &&
                 (f.code == "change.ltv" || f.code == "change.info" || f.code == "change.unchanged_rewrite" ||
                  f.code == "change.unreferenced_object" || f.code == "change.metadata" ||
                  (f.code == "change.catalog" && f.message == "catalog /DSS"));
    }
    if (ltv_only && ltv) {
      a_.findings[*no_signature_] = {true, "change.ltv_update", 0,
                                     "revision " + std::to_string(r_) + " adds validation material only"};
    }
  }
  return a_;
}

// Every revision is compared with the one before through its whole form, so the work grows
// with revisions times fields and widgets. The largest acta Rúbrica makes (1000 pages, 24
// signers: 52 revisions of about 24100 fields and widgets, a rubric mark per page) needs
// 1.3 million reads; a file that asks for more than this is refused instead of being
// analysed for minutes.
constexpr size_t kMaxFormReads = 4000000;

size_t FormSize(const Fields& fields) {
  size_t n = 0;
  for (const auto& [name, f] : fields) n += 1 + f.widgets.size();
  return n;
}

Status TooComplex(size_t revisions, size_t form_size) {
  return Status::Error(ErrorKind::kTooLarge, "pdf.too_complex",
                       std::to_string(revisions) + " revisions of a form with " + std::to_string(form_size) +
                           " fields and widgets: comparing them needs more than " +
                           std::to_string(kMaxFormReads) + " field reads",
                       "El PDF tiene demasiadas revisiones o campos para verificarlo.");
}

}  // namespace

Result<std::vector<RevisionAnalysis>> AnalyzeRevisions(const PdfFile& file) {
  std::vector<RevisionAnalysis> out;
  bool certified = false, signed_before = false;
  int docmdp = 0;
  const size_t revisions = file.revisions().size();
  if (revisions == 1) return out;
  ASSIGN_OR_RETURN(Fields before, ReadFields(file, 0));
  size_t reads = FormSize(before);
  if (reads * revisions > kMaxFormReads) return TooComplex(revisions, reads);
  for (size_t r = 1; r < revisions; ++r) {
    ASSIGN_OR_RETURN(Fields after, ReadFields(file, r));
    reads += FormSize(after);
    if (reads > kMaxFormReads) return TooComplex(revisions, FormSize(after));
    Analyzer an(file, r, before, after, certified, docmdp, signed_before);
    ASSIGN_OR_RETURN(RevisionAnalysis a, an.Run());
    before = std::move(after);
    if (a.certification && !certified) {
      certified = true;
      docmdp = a.docmdp_permissions;
    }
    if (!a.signed_field.empty()) signed_before = true;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace rubrica::pdf::cos
