// Builds small PDFs for COS-layer tests, shaped like Rúbrica's approved actas (classic
// xref, one revision, AcroForm with certificacion / rubrica_k / marca_k / firma_k fields,
// /RbSans fonts in /DR), without depending on the renderer.
#pragma once

#include <string>
#include <vector>

#include "rubrica/pdf/cos/object.h"

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

}  // namespace rubrica::pdf::testpdf
