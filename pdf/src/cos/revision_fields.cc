// The fields stage of a revision's analysis (revision_analyzer.h): which signature field it
// fills (an existing empty one, or a new one with its widget), the rubric mark that
// signature locks, its appearance and whether it certifies.
#include <cmath>

#include "revision_analyzer.h"

namespace rubrica::pdf::cos::revision_internal {

namespace {

double Area(const Object& rect) {
  if (!rect.is_array() || rect.array().size() != 4) return 0;
  const auto& r = rect.array();
  for (const auto& x : r) {
    if (!x.is_number()) return 0;
  }
  return std::fabs((r[2].as_number() - r[0].as_number()) * (r[3].as_number() - r[1].as_number()));
}

}  // namespace

void Analyzer::FindFilledFields() {
  for (const auto& [name, field] : after_) {
    auto it = before_.find(name);
    if (it == before_.end()) {
      if (IsNewSignature(field)) {
        new_field_ = &field;
        new_field_objects_.insert(field.ref.num);
        new_field_objects_.insert(field.widgets[0].num);
        filled_.push_back(name);
        continue;
      }
      if (IsNewEmptySignatureField(field)) {
        empty_fields_.push_back(&field);
        empty_field_objects_.insert(field.ref.num);
        empty_field_objects_.insert(field.widgets[0].num);
        Allow("change.empty_signature_field", field.ref.num,
              "new empty signature field '" + name + "' (" + Obj(field.ref.num) + ")");
        continue;
      }
      Forbid("forbidden.new_field", field.ref.num,
             "new form field '" + name + "' (" + Obj(field.ref.num) + ", type " + field.type + ")");
      continue;
    }
    if (field.type == "Sig" && field.dict.Get("V") && !it->second.dict.Get("V")) filled_.push_back(name);
  }
  for (const auto& [name, field] : before_) {
    if (!after_.count(name)) Forbid("forbidden.removed_field", field.ref.num, "form field '" + name + "' was removed");
  }
  added_fields_ = new_field_objects_;
  added_fields_.insert(empty_field_objects_.begin(), empty_field_objects_.end());
  if (filled_.empty()) {
    no_signature_ = a_.findings.size();
    Forbid("forbidden.no_signature", 0, "revision " + std::to_string(r_) + " fills no signature field");
  } else if (filled_.size() > 1) {
    Forbid("forbidden.several_signatures", 0,
           "revision " + std::to_string(r_) + " fills " + std::to_string(filled_.size()) + " signature fields at once");
  }

  // Text fields filled here: only the mark locked by this revision's rubric signature.
  for (const auto& [name, fld] : after_) {
    if (fld.type != "Tx" || !fld.dict.Get("V")) continue;
    auto it = before_.find(name);
    if (it != before_.end() && !it->second.dict.Get("V")) filled_text_.push_back(&fld);
  }
}

// What this revision may touch: the signed field, its value and appearance, the rubric
// mark it locks and that mark's one appearance.
Status Analyzer::ReadSignedField() {
  if (filled_.size() == 1) {
    const Field& field = after_.at(filled_[0]);
    a_.signed_field = filled_[0];
    field_ref_ = field.ref;
    sig_ref_ = field.dict.Get("V")->is_ref() ? std::optional<Ref>(field.dict.Get("V")->ref()) : std::nullopt;
    if (!sig_ref_) Forbid("forbidden.signature_field", field.ref.num, "signature value /V of '" + filled_[0] + "' is not an indirect object");
    Object widget = field.dict;
    if (!(field.widgets.size() == 1 && field.widgets[0] == field.ref) && field.widgets.size() == 1) {
      ASSIGN_OR_RETURN(widget, f_.Get(field.widgets[0], r_));
    }
    if (const Object* ap = widget.Get("AP"); ap && ap->is_dict()) {
      if (const Object* n = ap->Get("N"); n && n->is_ref()) ap_ref_ = n->ref();
    } else if (ap && ap->is_ref()) {
      // The appearance dictionary as an object of its own (as some tools write a document
      // timestamp's): it and what it draws belong to the signed field.
      CollectReachable(*ap, appearance_, 0);
      RETURN_IF_ERROR(CheckWidgetSize(widget, "the appearance of '" + filled_[0] + "'", field.ref.num));
    }
    if (sig_ref_) {
      ASSIGN_OR_RETURN(const Object* sig, f_.Find(*sig_ref_, r_));
      if (const Object* refs = sig->Get("Reference"); refs && refs->is_array()) {
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
             "certification signature '" + filled_[0] + "' is not the document's first signature");
    }
    // The rubric mark the signature field locks, filled in this same revision.
    std::string locked;
    if (const Object* lock = field.dict.Get("Lock"); lock && lock->is_dict()) {
      const Object* names = lock->Get("Fields");
      if (names && names->is_array() && names->array().size() == 1 && names->array()[0].is_string()) {
        locked = Utf8FromTextString(names->array()[0].text());
      }
    }
    for (const Field* fld : filled_text_) {
      if (fld->name == locked) mark_ = fld;
    }
    if (!locked.empty() && mark_ == nullptr) {
      Forbid("forbidden.rubric", field.ref.num,
             "rubric signature '" + filled_[0] + "' without its mark field '" + locked + "' filled");
    }
    if (mark_ != nullptr) {
      a_.mark_field = mark_->name;
      mark_ref_ = mark_->ref;
      for (Ref w : mark_->widgets) {
        auto mark_widget = f_.Get(w, r_);
        if (!mark_widget.ok()) return mark_widget.status();
        const Object* ap = mark_widget->Get("AP");
        const Object* n = ap && ap->is_dict() ? ap->Get("N") : nullptr;
        if (n == nullptr || !n->is_ref() || (mark_ap_ref_ && !(*mark_ap_ref_ == n->ref()))) {
          Forbid("forbidden.rubric", w.num, "the widgets of mark '" + mark_->name + "' do not share one appearance");
          break;
        }
        mark_ap_ref_ = n->ref();
        RETURN_IF_ERROR(CheckWidgetSize(*mark_widget, "a widget of mark '" + mark_->name + "'", w.num));
      }
    }
    if (ap_ref_) RETURN_IF_ERROR(CheckWidgetSize(widget, "the appearance of '" + filled_[0] + "'", field.ref.num));
    if (ap_ref_) CollectReachable(Object::MakeRef(*ap_ref_), appearance_, 0);
  }

  for (const Field* fld : filled_text_) {
    if (fld == mark_) continue;
    Forbid("forbidden.rubric", fld->ref.num,
           "text field '" + fld->name + "' is filled without the rubric signature that locks it");
  }
  return Status::Ok();
}

// The appearance objects of the new empty signature fields (whose widgets have no area, see
// IsNewEmptySignatureField) are theirs.
Status Analyzer::JudgeEmptySignatureFields() {
  for (const Field* field : empty_fields_) {
    ASSIGN_OR_RETURN(Object widget, f_.Get(field->widgets[0], r_));
    if (const Object* ap = widget.Get("AP")) CollectReachable(*ap, empty_field_appearance_, 0);
  }
  return Status::Ok();
}

bool Analyzer::IsDocTimestamp(const Field& field) {
  const Object* v = field.dict.Get("V");
  if (v == nullptr || !v->is_ref()) return false;
  auto sig = f_.Find(v->ref(), r_);
  const Object* type = sig.ok() ? (*sig)->Get("Type") : nullptr;
  return type && type->is_name("DocTimeStamp");
}

Result<double> Analyzer::PageArea(const Object& widget, size_t rev) {
  const Object* p = widget.Get("P");
  if (p == nullptr || !p->is_ref()) return 612.0 * 792.0;
  ASSIGN_OR_RETURN(const Object* page, f_.Find(p->ref(), rev));
  const Object* mb = page->Get("MediaBox");
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
  auto sig = f_.Find(v->ref(), r_);
  if (!sig.ok() || f_.DefiningRevision(v->ref().num, r_ - 1)) return false;
  return (*sig)->Get("ByteRange") != nullptr;
}

// A field new in this revision that is an empty signature field with one widget, both new
// objects, that draws nothing (no appearance, or a widget of no area): what signing tools
// add for a signature to come (DSS, Acrobat's "prepare form"). It holds no value, so it
// signs nothing; one that draws before it is signed can hide what was signed, and stays a
// forbidden new field.
bool Analyzer::IsNewEmptySignatureField(const Field& field) {
  if (field.type != "Sig" || field.widgets.size() != 1 || field.dict.Get("V") != nullptr) return false;
  if (f_.DefiningRevision(field.ref.num, r_ - 1)) return false;
  if (!(field.widgets[0] == field.ref) && f_.DefiningRevision(field.widgets[0].num, r_ - 1)) return false;
  auto widget = field.widgets[0] == field.ref ? Result<Object>(field.dict) : f_.Get(field.widgets[0], r_);
  if (!widget.ok() || !widget->is_dict()) return false;
  const Object* rect = widget->Get("Rect");
  return widget->Get("AP") == nullptr || (rect != nullptr && Area(*rect) == 0);
}

}  // namespace rubrica::pdf::cos::revision_internal
