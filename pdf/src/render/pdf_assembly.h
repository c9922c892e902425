// Building and writing the PDF objects of a laid-out acta with PoDoFo: catalog, pages,
// embedded fonts, /Info and the PDF/A-3b metadata and output intent, the verification QR
// code, and for approved versions the signature form and firmantes.json.
// The only place rendering touches PoDoFo; it holds the module's PoDoFo lock throughout.
#pragma once

#include <string>
#include <vector>

#include "render/content_stream.h"
#include "render/font_set.h"
#include "render/page_geometry.h"
#include "render/pdfa.h"
#include "render/qr_code.h"
#include "rubrica/base/status.h"
#include "rubrica/pdf/render.h"

namespace rubrica::pdf::render {

/// /Creator and /Producer (and their XMP counterparts).
inline constexpr char kCreator[] = "Rúbrica";
inline constexpr char kProducer[] = "Rúbrica (PoDoFo 0.9.8)";

struct DocumentInfo {
  std::string title;     // UTF-8
  std::string author;    // UTF-8 (the secretariat)
  std::string subject;   // UTF-8
  std::string pdf_date;  // "D:20221114102500-06'00'"
};

/// The approved version's form: one slot per signer.
struct SignatureForm {
  std::vector<Rect> rubric_slots;    // signer k at k-1, same on every page (none: no rubric/mark fields)
  std::vector<PageRect> foot_slots;  // signer k at k-1
  std::string signer_list_json;      // firmantes.json (empty: none embedded)
  bool certification = true;         // the invisible `certificacion` field
};

/// Resource name of the QR code's Form XObject (ContentStream::DrawForm).
inline constexpr char kQrFormName[] = "RbQR";

struct AssemblyInput {
  const FontSet* fonts = nullptr;
  const PageGeometry* geometry = nullptr;
  std::vector<ContentStream> pages;  // final content of each page
  DocumentInfo info;
  /// The catalog's /Metadata (uncompressed, as PDF/A asks) and the ICC profile of its
  /// /OutputIntents (GTS_PDFA1, sRGB IEC61966-2.1).
  std::string xmp;
  std::string icc_profile;
  /// The verification QR code, a Form XObject named kQrFormName on the pages that draw it.
  const QrCode* qr = nullptr;
  const SignatureForm* form = nullptr;  // null for drafts and plain renders
};

/// Writes the PDF: version 1.7, one revision, classic xref table, no object streams, with
/// a content-derived /ID (the first 16 bytes of the SHA-256 of the file as written).
/// Fails with pdf.render_failed (kInternal) when PoDoFo does.
Result<std::string> AssemblePdf(const AssemblyInput& input);

}  // namespace rubrica::pdf::render
