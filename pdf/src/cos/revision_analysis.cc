#include "rubrica/pdf/cos/revision_analysis.h"

#include <cmath>
#include <algorithm>
#include <set>

#include "rubrica/pdf/cos/acroform.h"

namespace rubrica::pdf::cos {

bool RevisionAnalysis::ok() const {
  for (const auto& f : findings) {
    if (!f.allowed) return false;
  }
  return true;
}

namespace {

// Keys whose values differ between two dictionaries (added, removed or changed).
std::vector<std::string> ChangedKeys(const Object& a, const Object& b) {
  std::vector<std::string> out;
  for (const auto& [k, v] : b.dict()) {
    const Object* old = a.Get(k);
    if (old == nullptr || *old != v) out.push_back(k);
  }
  for (const auto& [k, v] : a.dict()) {
    if (b.Get(k) == nullptr) out.push_back(k);
  }
  return out;
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

class Analyzer {
 public:
  Analyzer(const PdfFile& file, size_t rev, bool certified_before, int docmdp_before,
           bool signed_before)
      : f_(file), r_(rev), certified_before_(certified_before), docmdp_before_(docmdp_before),
        signed_before_(signed_before) {}

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
  bool IsNewDocumentTimestamp(const Field& field);
  bool AppendsOne(const Object& old_array, const Object& new_array, Ref added);

  const PdfFile& f_;
  size_t r_;
  bool certified_before_;
  int docmdp_before_;
  bool signed_before_;
  RevisionAnalysis a_;
};

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

// A field new in this revision that is an invisible signature field whose value is a new
// /DocTimeStamp: the archive seal (PAdES-B-LTA), the one new field allowed.
bool Analyzer::IsNewDocumentTimestamp(const Field& field) {
  if (field.type != "Sig" || field.widgets.size() != 1 || !(field.widgets[0] == field.ref)) return false;
  const Object* v = field.dict.Get("V");
  const Object* rect = field.dict.Get("Rect");
  if (v == nullptr || !v->is_ref() || rect == nullptr || Area(*rect) != 0) return false;
  if (field.dict.Get("AP") != nullptr || f_.DefiningRevision(field.ref.num, r_ - 1)) return false;
  auto sig = f_.Get(v->ref(), r_);
  if (!sig.ok() || f_.DefiningRevision(v->ref().num, r_ - 1)) return false;
  const Object* type = sig->Get("Type");
  const Object* sub = sig->Get("SubFilter");
  return type && type->is_name("DocTimeStamp") && sub && sub->is_name("ETSI.RFC3161");
}

// `new_array` is `old_array` (resolved) with exactly `added` appended.
bool Analyzer::AppendsOne(const Object& old_value, const Object& new_value, Ref added) {
  auto o = f_.Resolve(old_value, r_ - 1);
  auto n = f_.Resolve(new_value, r_);
  if (!o.ok() || !n.ok() || !o->is_array() || !n->is_array()) return false;
  const Array& a = o->array();
  const Array& b = n->array();
  if (b.size() != a.size() + 1) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return b.back().is_ref() && b.back().ref() == added;
}

Result<RevisionAnalysis> Analyzer::Run() {
  a_.revision = r_;
  const Revision& rv = f_.revisions()[r_];
  const Revision& prev_rv = f_.revisions()[r_ - 1];
  if (rv.xref_stream) {
    Forbid("forbidden.xref_stream", 0,
           "revision " + std::to_string(r_) + " switches to a cross-reference stream (its objects cannot be checked)");
    return a_;
  }
  if (docmdp_before_ == 1) {
    Forbid("forbidden.after_docmdp_p1", 0,
           "the certification forbids any change (DocMDP P=1), yet revision " + std::to_string(r_) + " exists");
  }
  // Trailer: same catalog and document information.
  for (const char* key : {"Root", "Info"}) {
    const Object* a = prev_rv.trailer.Get(key);
    const Object* b = rv.trailer.Get(key);
    if ((a == nullptr) != (b == nullptr) || (a && *a != *b)) {
      Forbid("forbidden.trailer", 0, std::string("the trailer's /") + key + " changed");
    }
  }
  ASSIGN_OR_RETURN(auto before, ReadFields(f_, r_ - 1));
  ASSIGN_OR_RETURN(auto after, ReadFields(f_, r_));

  std::vector<std::string> filled;
  const Field* timestamp_field = nullptr;  // a new document-timestamp field (archive seal)
  for (const auto& [name, field] : after) {
    auto it = before.find(name);
    if (it == before.end()) {
      if (IsNewDocumentTimestamp(field)) {
        timestamp_field = &field;
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
    if (const Object* ap = field.dict.Get("AP"); ap && ap->is_dict()) {
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
    if (ap_ref) RETURN_IF_ERROR(CheckWidgetSize(field.dict, "the appearance of '" + filled[0] + "'", field.ref.num));
  }

  for (const Field* fld : filled_text) {
    if (fld == mark) continue;
    Forbid("forbidden.rubric", fld->ref.num,
           "text field '" + fld->name + "' is filled without the rubric signature that locks it");
  }

  const Object* root = rv.trailer.Get("Root");
  const int catalog_num = root && root->is_ref() ? root->ref().num : -1;
  std::set<int> ltv;  // objects reachable from /DSS
  if (catalog_num > 0) {
    ASSIGN_OR_RETURN(Object cat, f_.Catalog(r_));
    if (const Object* dss = cat.Get("DSS")) CollectReachable(*dss, ltv, 0);
  }

  for (const auto& [num, e] : rv.entries) {
    if (!e.in_use) {
      if (num != 0) Forbid("forbidden.freed_object", num, Obj(num) + " is freed");
      continue;
    }
    Ref ref{num, e.gen};
    const bool existed = f_.DefiningRevision(num, r_ - 1).has_value() && !f_.Get(ref, r_ - 1)->is_null();
    ASSIGN_OR_RETURN(Object neu, f_.Get(ref, r_));
    if (!existed) {
      if (sig_ref && num == sig_ref->num) {
        Allow("change.signature_dictionary", num, "signature value of '" + a_.signed_field + "'");
      } else if (ap_ref && num == ap_ref->num && neu.is_stream()) {
        Allow("change.signature_appearance", num, "appearance of '" + a_.signed_field + "'");
      } else if (ltv.count(num)) {
        Allow("change.ltv", num, "long-term validation data");
      } else if (timestamp_field && num == timestamp_field->ref.num) {
        Allow("change.document_timestamp_field", num, "archive seal field '" + timestamp_field->name + "'");
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
      for (const auto& k : keys) ok = ok && (k == "V" || k == "AP");
      if (old.Get("V") != nullptr) ok = false;
      if (ap_ref && (f_.DefiningRevision(ap_ref->num, r_ - 1) && !f_.Get(*ap_ref, r_ - 1)->is_null())) ok = false;
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
                           [&](const Field* t) { return t->ref.num == num && t != mark; })) {
      continue;  // reported above as forbidden.rubric
    } else if (num == catalog_num) {
      bool ok = true;
      for (const auto& k : keys) {
        if (k == "DSS") continue;
        if (k == "Perms" && a_.certification && old.Get("Perms") == nullptr) continue;
        ok = false;
      }
      if (ok) Allow(a_.certification ? "change.docmdp_perms" : "change.ltv", num, "catalog " + Join(keys));
      else Forbid("forbidden.catalog", num, "the catalog changed " + Join(keys));
    } else if (ltv.count(num)) {
      Allow("change.ltv", num, "long-term validation data updated");
    } else if (timestamp_field && keys.size() == 1 && keys[0] == "Fields" && old.Get("Fields") &&
               neu.Get("Fields") && AppendsOne(*old.Get("Fields"), *neu.Get("Fields"), timestamp_field->ref)) {
      Allow("change.document_timestamp_field", num, "the archive seal field listed in /Fields");
    } else if (timestamp_field && keys.size() == 1 && keys[0] == "Annots" && old.Get("Type") &&
               old.Get("Type")->is_name("Page") &&
               AppendsOne(old.Get("Annots") ? *old.Get("Annots") : Object::MakeArray(), *neu.Get("Annots"),
                          timestamp_field->ref)) {
      Allow("change.document_timestamp_field", num, "the archive seal widget added to page 1");
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
  return a_;
}

}  // namespace

Result<std::vector<RevisionAnalysis>> AnalyzeRevisions(const PdfFile& file) {
  std::vector<RevisionAnalysis> out;
  bool certified = false, signed_before = false;
  int docmdp = 0;
  for (size_t r = 1; r < file.revisions().size(); ++r) {
    Analyzer an(file, r, certified, docmdp, signed_before);
    ASSIGN_OR_RETURN(RevisionAnalysis a, an.Run());
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
