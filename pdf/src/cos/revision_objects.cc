// The objects stage of a revision's analysis (revision_analyzer.h): every object the
// revision writes, new or changed, is allowed only as part of what filling its one
// signature may touch (or what signing tools write after a signature); anything else is a
// forbidden change, named with the object and the keys that changed.
#include <algorithm>

#include "revision_analyzer.h"

namespace rubrica::pdf::cos::revision_internal {

namespace {

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

}  // namespace

Status Analyzer::CollectCatalogParts() {
  const Object* root = f_.revisions()[r_].trailer.Get("Root");
  catalog_num_ = root && root->is_ref() ? root->ref().num : -1;
  if (catalog_num_ > 0) {
    ASSIGN_OR_RETURN(Object cat, f_.Catalog(r_));
    if (const Object* dss = cat.Get("DSS")) CollectReachable(*dss, ltv_, 0);
    if (const Object* ext = cat.Get("Extensions")) CollectReachable(*ext, extensions_, 0);
  }
  return Status::Ok();
}

Status Analyzer::JudgeObjects() {
  for (const auto& [num, e] : f_.revisions()[r_].entries) {
    if (!e.in_use) {
      if (num != 0) Forbid("forbidden.freed_object", num, Obj(num) + " is freed");
      continue;
    }
    Ref ref{num, e.gen};
    ASSIGN_OR_RETURN(const bool existed, Exists(f_, ref, r_ - 1));
    ASSIGN_OR_RETURN(const Object* neu, f_.Find(ref, r_));
    if (!existed) {
      JudgeNewObject(num, *neu);
      continue;
    }
    ASSIGN_OR_RETURN(const Object* old, f_.Find(ref, r_ - 1));
    JudgeChangedObject(num, *old, *neu);
  }
  return Status::Ok();
}

void Analyzer::JudgeNewObject(int num, const Object& neu) {
  const std::set<int>& added = added_fields_;
  if (sig_ref_ && num == sig_ref_->num) {
    Allow("change.signature_dictionary", num, "signature value of '" + a_.signed_field + "'");
  } else if (ap_ref_ && num == ap_ref_->num && neu.is_stream()) {
    Allow("change.signature_appearance", num, "appearance of '" + a_.signed_field + "'");
  } else if (appearance_.count(num)) {
    Allow("change.signature_appearance", num, "part of the appearance of '" + a_.signed_field + "'");
  } else if (ltv_.count(num)) {
    Allow("change.ltv", num, "long-term validation data");
  } else if (new_field_ && new_field_objects_.count(num)) {
    Allow(new_field_->type == "Sig" && IsDocTimestamp(*new_field_) ? "change.document_timestamp_field"
                                                                   : "change.new_signature_field",
          num, "new signature field '" + new_field_->name + "'");
  } else if (empty_field_objects_.count(num) || empty_field_appearance_.count(num)) {
    Allow("change.empty_signature_field", num, "part of a new empty signature field (" + Describe(neu) + ")");
  } else if (num == info_ref_) {
    Allow("change.info", num, "new document information (/Producer, /ModDate)");
  } else if (IsAcroForm(num) && !added.empty() &&
             FormChangeAllowed(Object::MakeDict({{"Fields", Object::MakeArray()}}), neu, {"Fields"}, added)) {
    Allow("change.form", num, "a form created for the new signature fields");
  } else if (!added.empty() && neu.is_array() && ListsOnlyKnownObjects(neu, added)) {
    // An array made indirect to hold the new fields in /Fields or a page's /Annots (those
    // are judged where they change).
    Allow("change.new_signature_field", num, "an array listing new signature fields");
  } else if (IsStructureOfNewField(num, neu)) {
    Allow("change.structure_tree", num,
          "the tagged structure of new signature field '" + new_field_->name + "' (" + Describe(neu) + ")");
  } else if (extensions_.count(num) && !neu.is_stream()) {
    Allow("change.catalog", num, "developer extensions " + Obj(num));
  } else if (IsXmpMetadata(neu)) {
    Allow("change.metadata", num, "new XMP metadata " + Obj(num));
  } else if (!ReachableFromTrailer(num)) {
    Allow("change.unreferenced_object", num, "new " + Obj(num) + " (" + Describe(neu) + ") that nothing refers to");
  } else {
    Forbid("forbidden.new_object", num, "new " + Obj(num) + " (" + Describe(neu) + ") is not part of a signature");
  }
}

void Analyzer::JudgeChangedObject(int num, const Object& old, const Object& neu) {
  // Compared by value: a tool that writes an object again may order its keys anew or write
  // 612 as 612.0 (iText, PDFBox); what a reader sees is the same.
  const ValueScope scope{f_, r_ - 1, r_};
  if (SameValue(old, neu, &scope)) {
    Allow("change.unchanged_rewrite", num, Obj(num) + " written again unchanged");
    return;
  }
  const std::vector<std::string> keys = neu.is_dict() && old.is_dict() ? ChangedKeys(old, neu, &scope)
                                                                         : std::vector<std::string>{"(value)"};
  if (field_ref_ && num == field_ref_->num) {
    bool ok = true;
    // /F: the flags of the field's own widget, which signing tools set (print, locked).
    for (const auto& k : keys) ok = ok && (k == "V" || k == "AP" || k == "F");
    if (old.Get("V") != nullptr) ok = false;
    if (ok) Allow("change.signature_field", num, "signature field '" + a_.signed_field + "' filled");
    else Forbid("forbidden.signature_field", num, "signature field '" + a_.signed_field + "' changed " + Join(keys));
  } else if (mark_ref_ && num == mark_ref_->num) {
    bool ok = keys.size() == 1 && keys[0] == "V" && neu.Get("V")->is_string();
    if (ok) Allow("change.rubric_mark", num, "rubric mark '" + a_.mark_field + "' filled");
    else Forbid("forbidden.rubric", num, "rubric mark field '" + a_.mark_field + "' changed " + Join(keys));
  } else if (mark_ap_ref_ && num == mark_ap_ref_->num) {
    const Object* ob = old.Get("BBox");
    const Object* nb = neu.Get("BBox");
    const Object* st = neu.Get("Subtype");
    bool ok = neu.is_stream() && st && st->is_name("Form") && ob && nb && *ob == *nb;
    if (ok) Allow("change.rubric_appearance", num, "rubric mark '" + a_.mark_field + "' drawn");
    else Forbid("forbidden.rubric", num, "the appearance of rubric mark '" + a_.mark_field + "' changed its kind or /BBox");
  } else if (std::any_of(filled_text_.begin(), filled_text_.end(),
                         [&](const Field* t) { return t->ref.num == num && t != mark_; })) {
    return;  // reported by ReadSignedField as forbidden.rubric
  } else if (ap_ref_ && num == ap_ref_->num && neu.is_stream()) {
    Allow("change.signature_appearance", num, "appearance of '" + a_.signed_field + "' redrawn");
  } else if (IsXmpMetadata(old) && IsXmpMetadata(neu)) {
    Allow("change.metadata", num, "XMP metadata " + Obj(num) + " updated");
  } else if (num == catalog_num_) {
    // What signing tools write into the catalog: /Perms, /Version, /DSS, an /AcroForm
    // where there was none (the form is then judged as any other), and a form written
    // inside the catalog changed only as an indirect form may be.
    bool ok = true;
    for (const auto& k : keys) {
      if (k == "DSS" || k == "Perms" || k == "Version" || k == "Extensions" || k == "Metadata") continue;
      if (k == "AcroForm" && old.Get("AcroForm") == nullptr) continue;
      if (k == "AcroForm" && InlineFormChangeAllowed(*old.Get("AcroForm"), neu.Get("AcroForm"))) continue;
      ok = false;
    }
    if (ok) Allow(a_.certification ? "change.docmdp_perms" : "change.catalog", num, "catalog " + Join(keys));
    else Forbid("forbidden.catalog", num, "the catalog changed " + Join(keys));
  } else if (ltv_.count(num)) {
    Allow("change.ltv", num, "long-term validation data updated");
  } else if (num == info_ref_ || (old.is_dict() && IsInfo(num) && OnlyInfoStamps(keys))) {
    Allow("change.info", num, "document information " + Join(keys));
  } else if (IsAcroForm(num) && FormChangeAllowed(old, neu, keys, added_fields_)) {
    Allow(new_field_ && IsDocTimestamp(*new_field_) ? "change.document_timestamp_field" : "change.form",
          num, "the form's " + Join(keys) + (new_field_ ? " (new signature field '" + new_field_->name + "')" : ""));
  } else if (keys.size() == 1 && keys[0] == "Annots" && old.Get("Type") && old.Get("Type")->is_name("Page") &&
             (new_field_ || !empty_fields_.empty()) &&
             AppendsOnly(old.Get("Annots") ? *old.Get("Annots") : Object::MakeArray(), *neu.Get("Annots"),
                         added_fields_)) {
    Allow(new_field_ && IsDocTimestamp(*new_field_) ? "change.document_timestamp_field" : "change.new_signature_field",
          num, "the widgets of new signature fields added to a page (" + Obj(num) + ")");
  } else if (old.Get("Type") && old.Get("Type")->is_name("Pages") && keys.size() == 1 && keys[0] == "ITXT" &&
             neu.Get("ITXT") && neu.Get("ITXT")->is_string()) {
    // iText stamps its version into the page tree when it signs, as other tools stamp
    // /Producer; the key is not inherited by pages and draws nothing.
    Allow("change.producer_stamp", num, "iText's version stamp /ITXT on the page tree (" + Obj(num) + ")");
  } else if (new_field_ && StructureTreeGrows(old, neu, keys)) {
    Allow("change.structure_tree", num,
          "the tagged structure lists new signature field '" + new_field_->name + "' (" + Describe(old) + " " +
              Join(keys) + ")");
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

// A form dictionary written inside the catalog (not as its own object) that changed only
// as FormChangeAllowed lets an indirect form change.
bool Analyzer::InlineFormChangeAllowed(const Object& old_form, const Object* new_form) {
  if (new_form == nullptr || !old_form.is_dict() || !new_form->is_dict()) return false;
  const ValueScope scope{f_, r_ - 1, r_};
  return FormChangeAllowed(old_form, *new_form, ChangedKeys(old_form, *new_form, &scope), added_fields_);
}

// Tagged PDFs (Word, iText): a new signature widget gets its structure element, a new
// /StructElem whose /K is an /OBJR of that widget, and the structure tree root a new
// /ParentTree listing it. The structure tree draws nothing.
bool Analyzer::IsStructureOfNewField(int num, const Object& neu) {
  if (!new_field_ || neu.is_stream()) return false;
  if (const Object* t = neu.Get("Type"); t && t->is_name("StructElem")) {
    const Object* k = neu.Get("K");
    const Object* kt = k && k->is_dict() ? k->Get("Type") : nullptr;
    const Object* obj = k && k->is_dict() ? k->Get("Obj") : nullptr;
    return kt && kt->is_name("OBJR") && obj && obj->is_ref() && new_field_objects_.count(obj->ref().num);
  }
  auto cat = f_.Catalog(r_);
  const Object* str = cat.ok() ? cat->Get("StructTreeRoot") : nullptr;
  if (str == nullptr || !str->is_ref() || neu.Get("Nums") == nullptr) return false;
  auto root = f_.Get(str->ref(), r_);
  const Object* pt = root.ok() ? root->Get("ParentTree") : nullptr;
  return pt && pt->is_ref() && pt->ref().num == num;
}

// The structure tree root with a new /ParentTree (and its next key), or a structure
// element whose /K gains elements new in this revision (each judged as a new object).
bool Analyzer::StructureTreeGrows(const Object& old, const Object& neu, const std::vector<std::string>& keys) {
  const Object* t = old.Get("Type");
  if (t && t->is_name("StructTreeRoot")) {
    for (const auto& k : keys) {
      if (k != "ParentTree" && k != "ParentTreeNextKey") return false;
    }
    return true;
  }
  if (!(t && t->is_name("StructElem")) || keys.size() != 1 || keys[0] != "K") return false;
  const Object* a = old.Get("K");
  const Object* b = neu.Get("K");
  if (a == nullptr || b == nullptr || !b->is_array()) return false;
  const Object before = a->is_array() ? *a : Object::MakeArray({*a});
  if (b->array().size() <= before.array().size()) return false;
  for (size_t i = 0; i < b->array().size(); ++i) {
    const Object& x = b->array()[i];
    if (i < before.array().size()) {
      if (x != before.array()[i]) return false;
      continue;
    }
    if (!x.is_ref()) return false;
    auto existed = Exists(f_, x.ref(), r_ - 1);
    if (!existed.ok() || *existed) return false;
  }
  return true;
}

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

}  // namespace rubrica::pdf::cos::revision_internal
