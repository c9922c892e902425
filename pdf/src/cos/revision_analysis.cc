#include "rubrica/pdf/cos/revision_analysis.h"

#include <string_view>
#include <unordered_map>

#include "revision_analyzer.h"

namespace rubrica::pdf::cos {

bool RevisionAnalysis::ok() const {
  for (const auto& f : findings) {
    if (!f.allowed) return false;
  }
  return true;
}

namespace revision_internal {

namespace {

// How deep SameValue follows nested arrays, dictionaries and resolved references; deeper
// values are compared as they are written.
constexpr int kMaxSameValueDepth = 32;

bool SameValueAt(const Object& a, const Object& b, const ValueScope* scope, int depth);

// Keys are looked up through an index, not Object::Get: a scan per key is quadratic, and
// hostile dictionaries have 100000 keys. A key written twice counts with its first value
// (the reader names the ambiguity on its own).
bool SameDict(const Dict& a, const Dict& b, const ValueScope* scope, int depth) {
  if (a.size() != b.size()) return false;
  std::unordered_map<std::string_view, const Object*> in_a;
  for (const auto& [k, v] : a) in_a.emplace(k, &v);
  if (in_a.size() != a.size()) return a == b;  // duplicate keys: only the same bytes are the same
  for (const auto& [k, v] : b) {
    auto old = in_a.find(k);
    if (old == in_a.end() || !SameValueAt(*old->second, v, scope, depth + 1)) return false;
  }
  return true;
}

bool SameValueAt(const Object& a, const Object& b, const ValueScope* scope, int depth) {
  if (depth > kMaxSameValueDepth) return a == b;
  if (a.is_number() && b.is_number()) {
    return a.type() == b.type() ? a == b : a.as_number() == b.as_number();
  }
  if (a.is_ref() != b.is_ref() && scope != nullptr) {
    // A value written directly in one revision and through a reference in the other.
    auto ra = scope->file.Deref(a, scope->rev_a);
    auto rb = scope->file.Deref(b, scope->rev_b);
    return ra.ok() && rb.ok() && !(*ra)->is_ref() && !(*rb)->is_ref() && !(*ra)->is_stream() &&
           !(*rb)->is_stream() && SameValueAt(**ra, **rb, scope, depth + 1);
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Object::Type::kArray: {
      if (a.array().size() != b.array().size()) return false;
      for (size_t i = 0; i < a.array().size(); ++i) {
        if (!SameValueAt(a.array()[i], b.array()[i], scope, depth + 1)) return false;
      }
      return true;
    }
    case Object::Type::kDict:
      return SameDict(a.dict(), b.dict(), scope, depth);
    case Object::Type::kStream:
      return a.stream_data() == b.stream_data() && SameDict(a.dict(), b.dict(), scope, depth);
    default:
      return a == b;
  }
}

}  // namespace

bool SameValue(const Object& a, const Object& b, const ValueScope* scope) {
  return SameValueAt(a, b, scope, 0);
}

std::vector<std::string> ChangedKeys(const Object& a, const Object& b, const ValueScope* scope) {
  std::unordered_map<std::string_view, const Object*> in_a, in_b;
  for (const auto& [k, v] : a.dict()) in_a.emplace(k, &v);
  for (const auto& [k, v] : b.dict()) in_b.emplace(k, &v);
  std::vector<std::string> out;
  for (const auto& [k, v] : b.dict()) {
    auto old = in_a.find(k);
    if (old == in_a.end() || !SameValue(*old->second, v, scope)) out.push_back(k);
  }
  for (const auto& [k, v] : a.dict()) {
    if (!in_b.count(k)) out.push_back(k);
  }
  return out;
}

Result<bool> Exists(const PdfFile& f, Ref ref, size_t rev) {
  if (!f.DefiningRevision(ref.num, rev)) return false;
  ASSIGN_OR_RETURN(const Object* o, f.Find(ref, rev));
  return !o->is_null();
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

Result<RevisionAnalysis> Analyzer::Run() {
  a_.revision = r_;
  JudgeReaderNotes();
  JudgeTrailer();
  FindFilledFields();
  RETURN_IF_ERROR(ReadSignedField());
  RETURN_IF_ERROR(JudgeEmptySignatureFields());
  RETURN_IF_ERROR(CollectCatalogParts());
  RETURN_IF_ERROR(JudgeObjects());
  RETURN_IF_ERROR(NameShadowAttacks());
  RecognizeLtvUpdate();
  a_.document_timestamp = new_field_ != nullptr && !a_.signed_field.empty() && IsDocTimestamp(*new_field_);
  return a_;
}

// What the reader met in this revision's own bytes: ambiguities (a key twice, an object
// listed or defined twice) and objects placed in an earlier revision's bytes (shadow
// attacks) are manipulations after signing.
void Analyzer::JudgeReaderNotes() {
  for (const ReadNote& n : f_.notes()) {
    if (n.revision != r_) continue;
    if (n.code.rfind("ambiguity.", 0) == 0 || n.code.rfind("manipulation.", 0) == 0) Forbid(n.code, n.object, n.message);
  }
}

// Trailer: same catalog; the document information may be replaced by one that differs
// only in what signing tools write (/Producer, /ModDate). And no revision at all after a
// certification with DocMDP P=1.
void Analyzer::JudgeTrailer() {
  const Revision& rv = f_.revisions()[r_];
  const Revision& prev_rv = f_.revisions()[r_ - 1];
  if (docmdp_before_ == 1) {
    Forbid("forbidden.after_docmdp_p1", 0,
           "the certification forbids any change (DocMDP P=1), yet revision " + std::to_string(r_) + " exists");
  }
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
        const ValueScope scope{f_, r_ - 1, r_};
        for (const auto& k : ChangedKeys(*old_info, *new_info, &scope)) {
          ok = ok && (k == "Producer" || k == "ModDate" || (ia == nullptr && k == "CreationDate"));
        }
      }
      if (ok) info_ref_ = ib->ref().num;
    }
    if (ok) Allow("change.info", 0, "the document information was replaced (/Producer, /ModDate)");
    else Forbid("forbidden.trailer", 0, "the trailer's /Info changed");
  }
}

// A revision that only adds validation material (/DSS, its objects, the catalog entry,
// document information) needs no signature: it is what LTV updates look like.
void Analyzer::RecognizeLtvUpdate() {
  if (!no_signature_) return;
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
  // A revision that only adds empty signature fields (with their widgets) for signers to
  // come, as DSS and Acrobat do before a signature is made in them.
  bool empty_fields_only = !empty_fields_.empty();
  for (size_t i = 0; i < a_.findings.size(); ++i) {
    if (i != *no_signature_) empty_fields_only = empty_fields_only && a_.findings[i].allowed;
  }
  if (empty_fields_only) {
    a_.findings[*no_signature_] = {true, "change.empty_field_update", 0,
                                   "revision " + std::to_string(r_) + " adds empty signature fields only"};
  }
  // A save that changes nothing (no object, or objects written again unchanged), as
  // Microsoft's "Print to PDF" leaves between two signatures.
  bool nothing = true;
  for (size_t i = 0; i < a_.findings.size(); ++i) {
    nothing = nothing && (i == *no_signature_ || a_.findings[i].code == "change.unchanged_rewrite");
  }
  if (nothing) {
    a_.findings[*no_signature_] = {true, "change.empty_update", 0,
                                   "revision " + std::to_string(r_) + " changes nothing"};
  }
}

}  // namespace revision_internal

namespace {

using revision_internal::Fields;

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

// After the archive seal (a document timestamp) a document is in the archive: the only
// revisions that may follow are renewals (validation material and a new document
// timestamp, PAdES-LTA) and validation material alone. A signature, a filled field or any
// other change, even one the rules above allow after an ordinary signature, is named.
void JudgeAfterSeal(RevisionAnalysis& a) {
  if (a.document_timestamp) return;
  for (const auto& f : a.findings) {
    if (f.code == "change.ltv_update") return;
  }
  a.findings.push_back({false, "forbidden.after_archive_seal", 0,
                        "revision " + std::to_string(a.revision) +
                            " follows the archive seal (a document timestamp) and is neither a renewal "
                            "(validation material and a new document timestamp) nor validation material"});
}

}  // namespace

Result<std::vector<RevisionAnalysis>> AnalyzeRevisions(const PdfFile& file) {
  std::vector<RevisionAnalysis> out;
  bool certified = false, signed_before = false, sealed = false;
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
    revision_internal::Analyzer an(file, r, before, after, certified, docmdp, signed_before);
    ASSIGN_OR_RETURN(RevisionAnalysis a, an.Run());
    if (sealed) JudgeAfterSeal(a);
    sealed = sealed || a.document_timestamp;
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
