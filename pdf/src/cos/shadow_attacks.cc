// The shadow-attack stage of a revision's analysis (revision_analyzer.h). Shadow attacks
// (Mainka, Mladenov, Rohlmann, NDSS 2021) prepare, before anyone signs, content that stays
// hidden, and reveal it in an update after signing that viewers do not flag. The other
// stages already forbid every such update; this one names the attack, with the revision
// and the object, when the revision comes after a signature:
//   - "hide": an object placed inside the bytes of an earlier revision, noted by the reader
//     (manipulation.object_in_earlier_revision, see JudgeReaderNotes), or listed at the
//     offset of another object so that it reads as nothing (manipulation.shadow_hide);
//   - "replace": an object the signed document draws or fills with (a content stream, a
//     form XObject or appearance, a font or its program, a field's value or appearance, a
//     signature's own dictionary with the /Reason viewers show) redefined under the same
//     number: manipulation.shadow_replace;
//   - "hide-and-replace": the document swapped for another one, by a trailer /Root naming
//     another catalog or a catalog whose /Pages names another page tree (often one hidden in
//     the signed bytes): manipulation.shadow_hide_and_replace.
#include "revision_analyzer.h"

namespace rubrica::pdf::cos::revision_internal {

namespace {

bool IsType(const Object& o, const char* type) {
  const Object* t = o.Get("Type");
  return t != nullptr && t->is_name(type);
}

// What a redefined object is to a reader, when it is something the document draws or
// fills with; "" when it is not (pages, the catalog and annotations are named by the
// objects stage).
std::string DrawnOrFilled(const Object& old, const Object& neu, const Field* field) {
  if (field != nullptr && old.Get("V") != nullptr && *old.Get("V") != *neu.Get("V")) {
    return "the value of form field '" + field->name + "'";
  }
  if (old.Get("AP") != nullptr && neu.Get("AP") != nullptr && *old.Get("AP") != *neu.Get("AP")) {
    return field != nullptr ? "the appearance of form field '" + field->name + "'" : "an annotation's appearance";
  }
  if (IsType(old, "Font") || IsType(old, "FontDescriptor")) return "a font (" + Describe(old) + ")";
  if ((IsType(old, "Sig") || IsType(old, "DocTimeStamp")) && old.Get("ByteRange") != nullptr) {
    return "a signature's dictionary (what viewers show of it: /Reason, /Location, /M, /Name)";
  }
  if (old.is_stream()) {
    if (const Object* st = old.Get("Subtype"); st && st->is_name("Form")) return "a form XObject or appearance";
    if (const Object* st = old.Get("Subtype"); st && st->is_name("Image")) return "an image";
    if (old.Get("Length1") || old.Get("Length2") || old.Get("Subtype")) return "a stream (" + Describe(old) + ")";
    return "a content stream";
  }
  return "";
}

}  // namespace

bool Analyzer::AfterASignature() const {
  if (signed_before_ || certified_before_) return true;
  for (const auto& [name, field] : before_) {
    if (field.type == "Sig" && field.dict.Get("V") != nullptr) return true;
  }
  return false;
}

Status Analyzer::NameShadowAttacks() {
  if (!AfterASignature()) return Status::Ok();
  const std::string rev = "revision " + std::to_string(r_);
  // Hide, by listing a signed object at the offset of another one: it reads as nothing
  // here (and, to readers that trust the header, as that other object).
  for (const ReadNote& n : f_.notes()) {
    if (n.revision != r_ || n.code != "ambiguity.objects_at_one_offset") continue;
    auto it = f_.revisions()[r_].entries.find(n.object);
    if (it == f_.revisions()[r_].entries.end()) continue;
    const Ref ref{n.object, it->second.gen};
    ASSIGN_OR_RETURN(const bool existed, Exists(f_, ref, r_ - 1));
    ASSIGN_OR_RETURN(Object now, f_.Get(ref, r_));
    if (!existed || !now.is_null()) continue;
    Forbid("manipulation.shadow_hide", n.object,
           rev + " lists " + Obj(n.object) + ", which an earlier signature covers, at the offset of another object "
                 "(shadow attack \"hide\": a signed object hidden after signing)");
  }
  // Hide-and-replace: another document in place of the signed one.
  const Object* old_root = f_.revisions()[r_ - 1].trailer.Get("Root");
  const Object* new_root = f_.revisions()[r_].trailer.Get("Root");
  if (old_root && new_root && old_root->is_ref() && new_root->is_ref() && !(old_root->ref() == new_root->ref())) {
    const int num = new_root->ref().num;
    ASSIGN_OR_RETURN(const bool existed, Exists(f_, new_root->ref(), r_ - 1));
    Forbid("manipulation.shadow_hide_and_replace", num,
           rev + " names " + (existed ? "catalog " + Obj(num) + ", already in the signed revision," : "a new catalog " + Obj(num)) +
               " in place of the signed document's (shadow attack \"hide-and-replace\": the document swapped after signing)");
  } else if (catalog_num_ > 0 && new_root && new_root->is_ref()) {
    ASSIGN_OR_RETURN(const bool existed, Exists(f_, new_root->ref(), r_ - 1));
    if (existed && f_.DefiningRevision(catalog_num_, r_) == r_) {
      ASSIGN_OR_RETURN(Object old_cat, f_.Catalog(r_ - 1));
      ASSIGN_OR_RETURN(Object new_cat, f_.Catalog(r_));
      const Object* a = old_cat.Get("Pages");
      const Object* b = new_cat.Get("Pages");
      if (a && b && *a != *b) {
        const int num = b->is_ref() ? b->ref().num : catalog_num_;
        ASSIGN_OR_RETURN(const bool tree_existed, b->is_ref() ? Exists(f_, b->ref(), r_ - 1) : Result<bool>(false));
        Forbid("manipulation.shadow_hide_and_replace", num,
               rev + " points the catalog (" + Obj(catalog_num_) + ") at " +
                   (tree_existed ? "page tree " + Obj(num) + ", already in the signed revision,"
                                 : "a new page tree " + Obj(num)) +
                   " (shadow attack \"hide-and-replace\": the pages swapped after signing)");
      }
    }
  }
  // Replace, by swapping a signed field for a new one whose value is a copy of the signed
  // value (same /ByteRange) with another /Reason or /Location: what viewers show of the
  // signature, changed after signing.
  for (const auto& [name, field] : before_) {
    const Object* v = field.dict.Get("V");
    if (field.type != "Sig" || v == nullptr || !v->is_ref() || after_.count(name)) continue;
    ASSIGN_OR_RETURN(Object signed_value, f_.Get(v->ref(), r_ - 1));
    const Object* br = signed_value.Get("ByteRange");
    for (const auto& [other, copy] : after_) {
      const Object* cv = copy.dict.Get("V");
      if (br == nullptr || copy.type != "Sig" || cv == nullptr || !cv->is_ref() || cv->ref() == v->ref()) continue;
      auto copied = f_.Get(cv->ref(), r_);
      const Object* cbr = copied.ok() ? copied->Get("ByteRange") : nullptr;
      if (cbr == nullptr || *cbr != *br) continue;
      Forbid("manipulation.shadow_replace", cv->ref().num,
             rev + " replaces signed field '" + name + "' by '" + other + "', whose value " + Obj(cv->ref().num) +
                 " copies the signed value's /ByteRange with other entries (spoofing: what viewers show of the "
                 "signature swapped after signing)");
    }
  }
  // Replace: a signed object redefined under its own number. Only objects the other stages
  // forbade are looked at (an allowed change is no attack).
  std::set<int> forbidden;
  for (const RevisionFinding& f : a_.findings) {
    if (!f.allowed && f.object > 0) forbidden.insert(f.object);
  }
  std::map<int, const Field*> fields;  // field objects of the signed revision
  for (const auto& [name, field] : before_) fields.emplace(field.ref.num, &field);
  for (int num : forbidden) {
    auto it = f_.revisions()[r_].entries.find(num);
    if (it == f_.revisions()[r_].entries.end() || !it->second.in_use || num == catalog_num_) continue;
    const Ref ref{num, it->second.gen};
    ASSIGN_OR_RETURN(const bool existed, Exists(f_, ref, r_ - 1));
    if (!existed) continue;
    ASSIGN_OR_RETURN(Object old, f_.Get(ref, r_ - 1));
    ASSIGN_OR_RETURN(Object neu, f_.Get(ref, r_));
    if (IsType(old, "Page") || IsType(old, "Pages")) continue;
    auto field = fields.find(num);
    const std::string what = DrawnOrFilled(old, neu, field == fields.end() ? nullptr : field->second);
    if (what.empty()) continue;
    Forbid("manipulation.shadow_replace", num,
           rev + " redefines " + Obj(num) + ", " + what +
               ", which an earlier signature covers (shadow attack \"replace\": content swapped after signing)");
  }
  return Status::Ok();
}

}  // namespace rubrica::pdf::cos::revision_internal
