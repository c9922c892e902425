// Helpers for the rendering tests: fixtures, fixed render options, running the poppler and
// qpdf tools on rendered files, and memoised renders of the fixtures (rendering the long
// minute under the sanitizers takes a while; tests only read the results).
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "rubrica/pdf/acta_document.h"
#include "rubrica/pdf/render.h"
#include "support/test_support.h"

namespace rubrica::pdf::testing {

inline constexpr char kZamora[] = "stm-zamora-instalacion.json";
inline constexpr char kStlTemplate[] = "stl-plantilla-instalacion.json";
inline constexpr char kLongMinute[] = "stm-zamora-sesion-ordinaria-2023-03.json";

/// tests/fixtures/actas/<name>.
std::string FixturePath(const std::string& name);
std::string ReadFixture(const std::string& name);
/// Parses a fixture; fails the test (and returns an empty acta) when it does not parse.
ActaDocument LoadActa(const std::string& name);

/// A plan made of the fixture's preview signers, approved on 2022-11-14, their roles and
/// posts agreed with their genders (lang/), as the engine writes plans.
SignaturePlan PlanFromPreview(const ActaDocument& acta);

/// The folio and public address certified test renders print (fictional).
inline constexpr char kTestFolio[] = "STM-ZAMORA-2022-001";
inline constexpr char kTestPublicUrl[] = "https://actas.zamora.example";

/// Options with a fixed creation date (2022-11-14T16:25:00Z).
RenderOptions PlainOptions();
RenderOptions DraftOptions(int version);
RenderOptions ApprovedOptions(const SignaturePlan& plan, int version = 3);
/// ApprovedOptions plus kTestFolio, `content_sha256` and kTestPublicUrl: what a
/// certification prints (folio and QR on every page, the cadena on the last).
RenderOptions CertifiedOptions(const SignaturePlan& plan, const std::string& content_sha256,
                               int version = 3);

enum class Mode { kDraft, kApproved };
/// The fixture rendered as a draft (version 2) or as the certified version 3
/// (CertifiedOptions, the plan from its preview signers, the fixture's SHA-256 as content
/// hash). Memoised; fails the test when rendering fails.
const RenderedActa& Rendered(const std::string& fixture, Mode mode);
/// The rendered file written once to a scratch directory; its path.
const std::string& RenderedFile(const std::string& fixture, Mode mode);

/// Runs a tool and returns stdout; records a test failure when it exits non-zero.
std::string Tool(const std::vector<std::string>& argv);
/// Whitespace runs (newlines, form feeds) collapsed to one space.
std::string Collapse(const std::string& text);
/// `qpdf --json` of a file, parsed, with accessors for its object table.
class QpdfDoc {
 public:
  explicit QpdfDoc(const std::string& path);
  const Poco::JSON::Object::Ptr& json() const { return json_; }
  /// The dictionary of object "N 0 R" (a stream's dictionary for streams); null when absent.
  Poco::JSON::Object::Ptr Dict(const std::string& ref) const;
  bool IsStream(const std::string& ref) const;
  Poco::JSON::Object::Ptr Trailer() const { return Dict("trailer"); }
  /// Page objects ("N 0 R") in page order.
  std::vector<std::string> Pages() const;
  /// acroform.fields: one entry per widget.
  Poco::JSON::Array::Ptr Fields() const;

 private:
  Poco::JSON::Object::Ptr json_;
  Poco::JSON::Object::Ptr objects_;
};

/// Numbers of a JSON array (e.g. a /Rect).
std::vector<double> Numbers(const Poco::Dynamic::Var& array);

/// A word of `pdftotext -bbox`: page (1-based) and box in points, origin top-left.
struct Word {
  int page = 0;
  double x_min = 0, y_min = 0, x_max = 0, y_max = 0;
  std::string text;
};
std::vector<Word> BoundingBoxes(const std::string& pdf_path);

}  // namespace rubrica::pdf::testing
