// Rendering an acta to PDF 1.7, conforming to PDF/A-3b (ISO 19005-3): Letter pages,
// embedded subset Liberation Sans (simple TrueType, WinAnsiEncoding), XMP metadata with
// the PDF/A identification, an sRGB output intent, a footer "Hoja X de Y" and a margin
// strip reserved for the rubrics on every page, a diagonal watermark on drafts, and for
// approved versions the signature block, the empty signature/rubric form fields, the
// embedded firmantes.json (an associated file, /AFRelationship /Data) and, when a folio
// is given, the folio and a verification QR code on every page and the "cadena" (the
// approved content's SHA-256) on the last.
//
// Layout of an approved version (the contract the incremental signing writer relies on;
// docs/acta-format.md describes it in full):
//   - one revision, classic xref table, trailer with /Size /Root /Info /ID; no object
//     streams, no xref streams, no encryption;
//   - catalog /AcroForm (indirect): /Fields, /SigFlags 3, /DA (/RbSans 0 Tf 0 g), /DR with
//     the fonts /RbSans (regular) and /RbSansB (bold);
//   - `certificacion` and `rubrica_k`: invisible signature fields on page 1 (rubrica_k locks
//     marca_k); `marca_k`: a text field with one widget per page in signer k's slot of the
//     margin strip, all sharing one empty appearance XObject; `firma_k`: a visible signature
//     field over signer k's line in the signature block;
//   - `firmantes.json` in /Names /EmbeddedFiles and /AF.
// With RenderOptions::single_seal_field the form is `firma_1` alone (one seal signs it).
//
// Determinism: the same document and options give the same bytes (dates come only from
// RenderOptions::created_at; /ID is derived from the content).
//
// Thread safety: RenderActa may be called from any thread. PoDoFo 0.9.8 is not thread-safe
// (global encodings and filters), so every use of PoDoFo inside rubrica::pdf is serialised
// behind one module-wide mutex: concurrent renders run their layout in parallel and
// take turns only to build and write the PDF objects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/pdf/acta_document.h"
#include "rubrica/pdf/signature_plan.h"

namespace rubrica::pdf {

/// A rectangle in PDF user space (points, origin at the bottom-left of the page).
struct Rect {
  double left = 0;
  double bottom = 0;
  double right = 0;
  double top = 0;
  double width() const { return right - left; }
  double height() const { return top - bottom; }
  bool operator==(const Rect&) const = default;
};

/// A rectangle on one page (1-based page number).
struct PageRect {
  int page = 0;
  Rect rect;
  bool operator==(const PageRect&) const = default;
};

struct RenderOptions {
  /// A draft: diagonal watermark "BORRADOR — sin validez — versión <version>", no form fields.
  /// Must not be combined with `plan`.
  bool draft = false;
  /// Version number of the acta (printed on drafts, written to firmantes.json). >= 1.
  int version = 1;
  /// The creation date written to /Info (CreationDate, ModDate). Never "now" implicitly.
  Instant created_at{};
  /// Time zone for the /Info dates; the plan's time zone wins when a plan is present.
  std::string time_zone = "America/Mexico_City";
  /// Present for the approved version: the required signers.
  std::optional<SignaturePlan> plan;
  /// The form of a document one seal signs once (the constancia de verificación), not an
  /// acta: its plan names exactly one signer, and the form holds only that signer's
  /// visible signature field `firma_1`: no `certificacion`, no rubric nor mark fields, no
  /// embedded firmantes.json (it would name fields that do not exist). Needs `plan`.
  bool single_seal_field = false;
  /// Where LiberationSans-{Regular,Bold,Italic}.ttf are (Debian's fonts-liberation).
  std::string font_dir = "/usr/share/fonts/truetype/liberation";
  /// The sRGB ICC profile of the PDF/A output intent (Debian's icc-profiles-free).
  std::string icc_profile = "/usr/share/color/icc/sRGB.icc";
  /// Approved versions only, all optional:
  ///  - `folio`: the acta's folio ("STM-ZAMORA-2022-001"; A-Z, 0-9 and '-', at most 40),
  ///    printed beside "Hoja X de Y" on every page and written to the XMP (dc:identifier);
  ///  - `content_sha256`: the SHA-256 of the approved content (64 lower-case hex), printed
  ///    in full on the last page (the "cadena"); needs `folio`;
  ///  - `public_url`: the service's public base URL ("https://actas.example.mx", http or
  ///    https, at most 100 characters): every page then carries a QR code of
  ///    <public_url>/v/<folio>/<CONTENT_SHA256> (the hash in capitals, so that the QR
  ///    code's alphanumeric mode holds it) and prints the address
  ///    <public_url>/verificar/<folio>; needs `folio` and `content_sha256`.
  std::string folio;
  std::string content_sha256;
  std::string public_url;
  /// Rendering stops with pdf.too_many_pages (kTooLarge) past this many pages.
  int max_pages = 1000;
  /// Limits checked on the document before rendering.
  ActaLimits limits;
};

struct RenderedActa {
  std::string pdf;  // the PDF bytes
  int pages = 0;
  /// The strip reserved for rubrics on every page, and the area text may use.
  Rect margin_strip;
  Rect text_area;
  /// Approved versions: signer k's rubric slot (index k-1), the same on every page; it is
  /// the /Rect of every widget of marca_k. Empty with single_seal_field.
  std::vector<Rect> rubric_slots;
  /// Approved versions: signer k's foot-signature slot (the /Rect of firma_k) and its page.
  std::vector<PageRect> foot_slots;
  /// Approved versions: the embedded firmantes.json (empty with single_seal_field).
  std::string signer_list_json;
  /// What the QR code on every page encodes (empty without `public_url`).
  std::string verification_url;
  /// Things that rendered but not as written (characters outside WinAnsi printed as '?').
  std::vector<std::string> warnings;
};

/// Renders `acta`. Errors: pdf.bad_acta (ValidateActa), pdf.bad_signature_plan,
/// pdf.bad_render_options (draft with plan, version < 1, unknown time zone, a single
/// seal field without a plan of exactly one signer, a folio,
/// hash or URL that is malformed, given without a plan or without what it needs),
/// pdf.font_unavailable (kIoError: font files missing or unreadable), pdf.icc_unavailable
/// (kIoError: the ICC profile), pdf.too_many_pages (kTooLarge), pdf.render_failed
/// (kInternal: PoDoFo failed).
Result<RenderedActa> RenderActa(const ActaDocument& acta, const RenderOptions& options);

}  // namespace rubrica::pdf
