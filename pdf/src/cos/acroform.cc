#include "rubrica/pdf/cos/acroform.h"

#include <algorithm>
#include <set>

namespace rubrica::pdf::cos {

namespace {

Status FormError(const std::string& what) {
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_acroform", what,
                       "El formulario del PDF no es válido.");
}

// The /AcroForm dictionary as the file keeps it (PdfFile::Find: no copy).
Result<const Object*> AcroForm(const PdfFile& file, size_t rev) {
  ASSIGN_OR_RETURN(const Object* cat, file.FindCatalog(rev));
  const Object* af = cat->Get("AcroForm");
  if (af == nullptr) {
    return Status::Error(ErrorKind::kInvalidArgument, "pdf.no_acroform",
                         "the document has no interactive form (/AcroForm)",
                         "El PDF no tiene campos de firma.");
  }
  ASSIGN_OR_RETURN(const Object* form, file.Deref(*af, rev));
  if (!form->is_dict()) return FormError("/AcroForm is not a dictionary");
  return form;
}

// Object numbers seen, one bit each below the largest number the file lists (every number
// a well-formed file uses; at most 2^20 bits), a set beyond: ReadFields runs once per
// revision over the whole form, and a std::set's node per field was a fifth of its time.
class SeenNumbers {
 public:
  explicit SeenNumbers(const PdfFile& file) {
    int largest = 0;
    for (const Revision& r : file.revisions()) {
      if (!r.entries.empty()) largest = std::max(largest, r.entries.rbegin()->first);
    }
    bits_.resize(std::min<size_t>(static_cast<size_t>(largest) + 1, size_t{1} << 20));
  }
  /// False when `n` was seen before.
  bool Insert(int n) {
    if (n >= 0 && static_cast<size_t>(n) < bits_.size()) {
      if (bits_[n]) return false;
      bits_[n] = true;
    } else if (!rest_.insert(n).second) {
      return false;
    }
    ++size_;
    return true;
  }
  size_t size() const { return size_; }

 private:
  std::vector<bool> bits_;
  std::set<int> rest_;
  size_t size_ = 0;
};

}  // namespace

namespace {

// The widget annotations of every page of revision `rev`, walking the page tree (bounded,
// each node once).
Result<std::vector<Ref>> PageWidgets(const PdfFile& file, size_t rev, size_t max_fields) {
  ASSIGN_OR_RETURN(const Object* cat, file.FindCatalog(rev));
  std::vector<Ref> widgets;
  const Object* pages = cat->Get("Pages");
  if (pages == nullptr || !pages->is_ref()) return widgets;
  std::vector<std::pair<Ref, int>> stack = {{pages->ref(), 0}};
  std::set<int> seen, seen_widgets;
  while (!stack.empty()) {
    auto [ref, depth] = stack.back();
    stack.pop_back();
    if (!seen.insert(ref.num).second || depth > 64 || seen.size() > 200000) {
      return FormError("the page tree has a cycle or is too large");
    }
    ASSIGN_OR_RETURN(const Object* node, file.Find(ref, rev));
    if (const Object* kids = node->Get("Kids")) {
      ASSIGN_OR_RETURN(const Object* k, file.Deref(*kids, rev));
      if (!k->is_array()) continue;
      for (auto it = k->array().rbegin(); it != k->array().rend(); ++it) {
        if (it->is_ref()) stack.push_back({it->ref(), depth + 1});
      }
      continue;
    }
    const Object* annots = node->Get("Annots");
    if (annots == nullptr) continue;
    ASSIGN_OR_RETURN(const Object* a, file.Deref(*annots, rev));
    if (!a->is_array()) continue;
    for (const Object& item : a->array()) {
      if (!item.is_ref() || !seen_widgets.insert(item.ref().num).second) continue;
      ASSIGN_OR_RETURN(const Object* annot, file.Find(item.ref(), rev));
      const Object* st = annot->Get("Subtype");
      if (st && st->is_name("Widget")) widgets.push_back(item.ref());
      if (widgets.size() > max_fields) return FormError("too many widgets");
    }
  }
  return widgets;
}

// Fields reached from widgets: the widget itself when it has /T, else its /Parent; names
// and /FT through the /Parent chain.
Result<std::map<std::string, Field>> FieldsFromWidgets(const PdfFile& file, size_t rev, size_t max_fields) {
  ASSIGN_OR_RETURN(std::vector<Ref> widgets, PageWidgets(file, rev, max_fields));
  std::map<std::string, Field> out;
  std::map<int, std::string> named;  // field object -> name
  for (Ref w : widgets) {
    ASSIGN_OR_RETURN(const Object* wd, file.Find(w, rev));
    Ref field_ref = w;
    const Object* field = wd;
    if (wd->Get("T") == nullptr) {
      const Object* parent = wd->Get("Parent");
      if (parent == nullptr || !parent->is_ref()) continue;  // a widget of no field
      field_ref = parent->ref();
      ASSIGN_OR_RETURN(field, file.Find(field_ref, rev));
    }
    if (auto it = named.find(field_ref.num); it != named.end()) {
      out.at(it->second).widgets.push_back(w);
      continue;
    }
    std::string name, ft;
    const Object* node = field;
    std::set<int> chain = {field_ref.num};
    for (int depth = 0; depth < 16; ++depth) {
      if (const Object* t = node->Get("T"); t && t->is_string()) {
        const std::string part = Utf8FromTextString(t->text());
        name = name.empty() ? part : part + "." + name;
      }
      if (const Object* f = node->Get("FT"); f && f->is_name() && ft.empty()) ft = f->text();
      const Object* parent = node->Get("Parent");
      if (parent == nullptr || !parent->is_ref() || !chain.insert(parent->ref().num).second) break;
      ASSIGN_OR_RETURN(node, file.Find(parent->ref(), rev));
    }
    if (out.count(name)) return FormError("two fields named '" + name + "'");
    Field f;
    f.name = name;
    f.ref = field_ref;
    f.type = ft;
    f.widgets.push_back(w);
    f.dict = *field;
    named[field_ref.num] = name;
    out.emplace(name, std::move(f));
    if (out.size() > max_fields) return FormError("too many fields");
  }
  return out;
}

}  // namespace

Result<std::map<std::string, Field>> ReadFields(const PdfFile& file, size_t rev, size_t max_fields,
                                                FieldSource* source) {
  if (source != nullptr) *source = FieldSource::kAcroForm;
  {
    ASSIGN_OR_RETURN(const Object* cat, file.FindCatalog(rev));
    if (cat->Get("AcroForm") == nullptr) {
      if (source != nullptr) *source = FieldSource::kPageAnnotations;
      return FieldsFromWidgets(file, rev, max_fields);
    }
  }
  // Read once per revision by the revision analysis: every object through Find (the
  // file's own, parsed once), and only each terminal field's dictionary copied.
  ASSIGN_OR_RETURN(const Object* form, AcroForm(file, rev));
  const Object* fields = form->Get("Fields");
  if (fields == nullptr) return FormError("/AcroForm has no /Fields");
  ASSIGN_OR_RETURN(const Object* arr, file.Deref(*fields, rev));
  if (!arr->is_array()) return FormError("/Fields is not an array");

  std::map<std::string, Field> out;
  SeenNumbers seen(file);
  struct Pending {
    const Object* item;  // in an array the file keeps
    std::string parent_name;
    std::string inherited_ft;
    int depth;
  };
  std::vector<Pending> stack;
  for (auto it = arr->array().rbegin(); it != arr->array().rend(); ++it) stack.push_back({&*it, "", "", 0});
  while (!stack.empty()) {
    Pending p = std::move(stack.back());
    stack.pop_back();
    if (!p.item->is_ref()) return FormError("a field is not an indirect object");
    Ref ref = p.item->ref();
    if (!seen.Insert(ref.num)) return FormError("field object " + std::to_string(ref.num) + " appears twice (cycle?)");
    if (seen.size() > max_fields || p.depth > 16) return FormError("too many fields or too deep");
    ASSIGN_OR_RETURN(const Object* dict, file.Find(ref, rev));
    if (!dict->is_dict()) return FormError("field " + std::to_string(ref.num) + " is not a dictionary");
    std::string partial;
    if (const Object* t = dict->Get("T"); t && t->is_string()) partial = Utf8FromTextString(t->text());
    std::string name = p.parent_name.empty() ? partial
                       : partial.empty()     ? p.parent_name
                                             : p.parent_name + "." + partial;
    std::string ft = p.inherited_ft;
    if (const Object* f = dict->Get("FT"); f && f->is_name()) ft = f->text();
    const Object* kids = dict->Get("Kids");
    // Kids with /T are child fields; kids without /T are this field's widgets.
    bool has_child_fields = false;
    const Array* kid_items = nullptr;
    if (kids != nullptr) {
      ASSIGN_OR_RETURN(const Object* k, file.Deref(*kids, rev));
      if (!k->is_array()) return FormError("/Kids of field " + std::to_string(ref.num) + " is not an array");
      kid_items = &k->array();
      for (const Object& kid : *kid_items) {
        if (!kid.is_ref()) return FormError("a kid of field " + std::to_string(ref.num) + " is not indirect");
        ASSIGN_OR_RETURN(const Object* kd, file.Find(kid.ref(), rev));
        if (kd->Get("T") != nullptr) has_child_fields = true;
      }
    }
    if (has_child_fields) {
      for (auto it = kid_items->rbegin(); it != kid_items->rend(); ++it) {
        stack.push_back({&*it, name, ft, p.depth + 1});
      }
      continue;
    }
    Field f;
    f.name = name;
    f.ref = ref;
    f.type = ft;
    if (kids != nullptr) {
      for (const Object& kid : *kid_items) {
        if (!seen.Insert(kid.ref().num)) return FormError("widget " + std::to_string(kid.ref().num) + " shared by two fields");
        f.widgets.push_back(kid.ref());
      }
    } else {
      f.widgets.push_back(ref);
    }
    if (out.count(name)) return FormError("two fields named '" + name + "'");
    f.dict = *dict;
    out.emplace(name, std::move(f));
  }
  return out;
}

Result<Field> FindField(const PdfFile& file, size_t rev, const std::string& name) {
  auto not_found = [&] {
    return Status::Error(ErrorKind::kNotFound, "pdf.no_such_field",
                         "the document has no field named '" + name + "'",
                         "El documento no tiene el campo '" + name + "'.");
  };
  if (name.find('.') != std::string::npos) {
    ASSIGN_OR_RETURN(auto all, ReadFields(file, rev));
    auto it = all.find(name);
    if (it == all.end()) return not_found();
    return it->second;
  }
  ASSIGN_OR_RETURN(const Object* form, AcroForm(file, rev));
  const Object* fields = form->Get("Fields");
  if (fields == nullptr) return FormError("/AcroForm has no /Fields");
  ASSIGN_OR_RETURN(const Object* arr, file.Deref(*fields, rev));
  if (!arr->is_array()) return FormError("/Fields is not an array");
  const std::string wanted = TextStringFromUtf8(name);
  for (const Object& item : arr->array()) {
    if (!item.is_ref()) return FormError("a field is not an indirect object");
    ASSIGN_OR_RETURN(const Object* found, file.Find(item.ref(), rev));
    const Object& dict = *found;
    const Object* t = dict.Get("T");
    if (t == nullptr || !t->is_string() || t->text() != wanted) continue;
    Field f;
    f.name = name;
    f.ref = item.ref();
    if (const Object* ft = dict.Get("FT"); ft && ft->is_name()) f.type = ft->text();
    if (const Object* kids = dict.Get("Kids")) {
      ASSIGN_OR_RETURN(Object k, file.Resolve(*kids, rev));
      if (!k.is_array()) return FormError("/Kids of field '" + name + "' is not an array");
      for (const Object& kid : k.array()) {
        if (!kid.is_ref()) return FormError("a kid of field '" + name + "' is not indirect");
        ASSIGN_OR_RETURN(const Object* kd, file.Find(kid.ref(), rev));
        if (kd->Get("T") != nullptr) return not_found();  // a parent of fields, not a terminal one
        f.widgets.push_back(kid.ref());
      }
    } else {
      f.widgets.push_back(f.ref);
    }
    f.dict = dict;
    return f;
  }
  return not_found();
}

double FontMetrics::Width(std::string_view text, double size) const {
  double total = 0;
  for (unsigned char c : text) {
    int i = static_cast<int>(c) - first_char;
    total += (i >= 0 && static_cast<size_t>(i) < widths.size()) ? widths[i] : missing_width;
  }
  return total * size / 1000.0;
}

Result<FontMetrics> ReadFormFont(const PdfFile& file, size_t rev, const std::string& name) {
  ASSIGN_OR_RETURN(const Object* form, AcroForm(file, rev));
  const Object* dr = form->Get("DR");
  if (dr == nullptr) return FormError("/AcroForm has no /DR");
  ASSIGN_OR_RETURN(Object drd, file.Resolve(*dr, rev));
  const Object* fonts = drd.Get("Font");
  if (fonts == nullptr) return FormError("/DR has no /Font");
  ASSIGN_OR_RETURN(Object fd, file.Resolve(*fonts, rev));
  const Object* f = fd.Get(name);
  if (f == nullptr || !f->is_ref()) return FormError("/DR /Font has no indirect /" + name);
  ASSIGN_OR_RETURN(Object font, file.Get(f->ref(), rev));
  FontMetrics m;
  m.ref = f->ref();
  const Object* first = font.Get("FirstChar");
  const Object* widths = font.Get("Widths");
  if (first == nullptr || !first->is_int() || widths == nullptr) {
    return FormError("font /" + name + " has no /FirstChar and /Widths");
  }
  m.first_char = static_cast<int>(first->as_int());
  ASSIGN_OR_RETURN(Object w, file.Resolve(*widths, rev));
  if (!w.is_array() || w.array().size() > 256) return FormError("font /" + name + " has bad /Widths");
  for (const Object& x : w.array()) m.widths.push_back(x.is_number() ? x.as_number() : 0);
  return m;
}

}  // namespace rubrica::pdf::cos
