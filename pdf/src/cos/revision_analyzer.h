// The analysis of one revision against the one before it (revision_analysis.h), in stages,
// each in the file named after its concern:
//   revision_analysis.cc  the reader's notes, the trailer, LTV-only updates, the driver;
//   revision_fields.cc    which signature (and rubric mark) this revision fills, its
//                         appearance and certification;
//   revision_objects.cc   every object the revision writes, new or changed, judged against
//                         what filling that signature may touch;
//   shadow_attacks.cc     naming the shadow attacks "replace" and "hide-and-replace" among
//                         what the other stages forbade, after a signature.
// A new attack class gets its own stage (and file) that Run() calls in order.
// Internal to the COS layer.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/cos/revision_analysis.h"

namespace rubrica::pdf::cos::revision_internal {

using Fields = std::map<std::string, Field>;

/// Where two values being compared live, to resolve a reference met against a direct
/// value: `a` as of revision `rev_a`, `b` as of `rev_b`.
struct ValueScope {
  const PdfFile& file;
  size_t rev_a, rev_b;
};

/// Whether two values mean the same to a reader: dictionaries whatever the order of their
/// keys, numbers by value (`612` and `612.0`), and, with a scope, a reference and the
/// direct value it resolves to. Two references are the same only when they name the same
/// object (that object's own changes are judged where it is written).
bool SameValue(const Object& a, const Object& b, const ValueScope* scope = nullptr);
/// Keys whose values differ (SameValue) between two dictionaries (added, removed or
/// changed).
std::vector<std::string> ChangedKeys(const Object& a, const Object& b, const ValueScope* scope = nullptr);
/// True when `ref` is a non-null object as of revision `rev`.
Result<bool> Exists(const PdfFile& f, Ref ref, size_t rev);
/// "/A, /B" for a list of keys.
std::string Join(const std::vector<std::string>& keys);
/// "Type/Subtype", "stream", "dictionary" or "object".
std::string Describe(const Object& o);

class Analyzer {
 public:
  Analyzer(const PdfFile& file, size_t rev, const Fields& before, const Fields& after,
           bool certified_before, int docmdp_before, bool signed_before)
      : f_(file), r_(rev), before_(before), after_(after), certified_before_(certified_before),
        docmdp_before_(docmdp_before), signed_before_(signed_before) {}

  /// The stages in order; the findings keep the order in which the stages make them.
  Result<RevisionAnalysis> Run();

 private:
  // Stages (revision_analysis.cc).
  void JudgeReaderNotes();
  void JudgeTrailer();
  void RecognizeLtvUpdate();
  // Stages (revision_fields.cc).
  void FindFilledFields();
  Status ReadSignedField();
  Status JudgeEmptySignatureFields();
  // Stages (revision_objects.cc).
  Status CollectCatalogParts();
  Status JudgeObjects();
  // Stages (shadow_attacks.cc).
  Status NameShadowAttacks();
  bool AfterASignature() const;

  void Allow(const std::string& code, int obj, const std::string& msg) {
    a_.findings.push_back({true, code, obj, msg});
  }
  void Forbid(const std::string& code, int obj, const std::string& msg) {
    a_.findings.push_back({false, code, obj, msg});
  }
  static std::string Obj(int num) { return "object " + std::to_string(num); }

  // revision_fields.cc
  Result<double> PageArea(const Object& widget, size_t rev);
  Status CheckWidgetSize(const Object& widget, const std::string& what, int num);
  void CollectReachable(const Object& o, std::set<int>& out, int depth);
  bool IsNewSignature(const Field& field);
  bool IsDocTimestamp(const Field& field);
  bool IsNewEmptySignatureField(const Field& field);
  // revision_objects.cc
  void JudgeNewObject(int num, const Object& neu);
  void JudgeChangedObject(int num, const Object& old, const Object& neu);
  bool ReachableFromTrailer(int num);
  bool ListsOnlyKnownObjects(const Object& array, const std::set<int>& added);
  bool IsInfo(int num) const;
  bool IsAcroForm(int num);
  bool FormChangeAllowed(const Object& old, const Object& neu, const std::vector<std::string>& keys,
                         const std::set<int>& added);
  bool InlineFormChangeAllowed(const Object& old_form, const Object* new_form);
  bool IsStructureOfNewField(int num, const Object& neu);
  bool StructureTreeGrows(const Object& old, const Object& neu, const std::vector<std::string>& keys);
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

  // What FindFilledFields found.
  std::vector<std::string> filled_;         // signature fields filled here
  const Field* new_field_ = nullptr;        // a new signature field filled here
  std::set<int> new_field_objects_;         // its field and widget objects
  std::vector<const Field*> filled_text_;   // text fields filled here
  std::vector<const Field*> empty_fields_;  // new empty signature fields added here
  std::set<int> empty_field_objects_;       // their field and widget objects
  std::set<int> empty_field_appearance_;    // objects their widgets' appearances reach
  std::set<int> added_fields_;  // field and widget objects of every signature field added here
  // What ReadSignedField found: the objects this revision may touch.
  std::optional<Ref> field_ref_, sig_ref_, ap_ref_, mark_ref_, mark_ap_ref_;
  const Field* mark_ = nullptr;  // the rubric mark locked by the signed field
  // What CollectCatalogParts found.
  int catalog_num_ = -1;
  std::set<int> ltv_;         // objects reachable from /DSS
  std::set<int> extensions_;  // from the catalog's /Extensions (developer extensions)
};

}  // namespace rubrica::pdf::cos::revision_internal
