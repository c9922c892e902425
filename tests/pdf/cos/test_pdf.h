// Builds small PDFs for COS-layer tests, shaped like Rúbrica's approved actas (classic
// xref, one revision, AcroForm with certificacion / rubrica_k / marca_k / firma_k fields,
// /RbSans fonts in /DR), without depending on the renderer.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rubrica/pdf/cos/incremental_update.h"
#include "rubrica/pdf/cos/object.h"
#include "rubrica/pdf/cos/pdf_file.h"

namespace rubrica::pdf::testpdf {

struct TestPdfOptions {
  int pages = 3;
  int signers = 2;
  /// Extra text drawn on page 1 (for attack tests).
  std::string page1_text = "Acta de prueba";
  /// Extra objects appended as-is (for attack tests that need hidden content).
  std::vector<cos::Object> extra_objects;
};

/// Writes a complete single-revision PDF.
std::string BuildTestPdf(const TestPdfOptions& options = {});

/// Writes a single-revision PDF from numbered objects (objects[i] is object i+1) with the
/// given catalog number.
std::string WriteSingleRevision(const std::vector<cos::Object>& objects, int root_num);

/// Appends an incremental update made by `edit` (an attacker's, in the tests that use it).
std::string Update(const std::string& pdf,
                   const std::function<void(const cos::PdfFile&, cos::IncrementalUpdate&)>& edit);

/// The reference of page `index` (0-based) in the latest revision.
cos::Ref PageRef(const cos::PdfFile& file, int index);

}  // namespace rubrica::pdf::testpdf
