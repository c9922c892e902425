#include "render/page_decorations.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "render/pdf_assembly.h"

namespace rubrica::pdf::render {
namespace {

// CP1252: "Rúbricas", "BORRADOR — versión ".
constexpr char kStripLabel[] =
    "R\xFA"
    "bricas";
constexpr char kWatermarkPrefix[] = "BORRADOR \x97 versi\xF3n ";

void Watermark(ContentStream& out, int version, const PageGeometry& g, const FontSet& fonts) {
  const std::string text = kWatermarkPrefix + std::to_string(version);
  const Rect& a = g.text_area;
  const double angle = std::atan2(a.height(), a.width());
  const double c = std::cos(angle), s = std::sin(angle);
  const double unit = fonts.Width(FontStyle::kBold, text, 1);
  // The largest size whose rotated box stays within 90 % of the text area.
  const double size = std::min(0.9 * a.width() / (unit * c + s), 0.9 * a.height() / (unit * s + c));
  const double w = unit * size;
  const double cx = (a.left + a.right) / 2, cy = (a.bottom + a.top) / 2;
  const double x = cx - (w / 2 * c - 0.35 * size * s);
  const double y = cy - (w / 2 * s + 0.35 * size * c);
  out.ShowRotatedText(FontStyle::kBold, size, text, x, y, angle * 180 / std::numbers::pi, 0.85);
}

// The footer band of a certified version (see page_decorations.h).
void FolioFooter(ContentStream& out, int page, int total, const PageDecorations& d,
                 const PageGeometry& g, const FontSet& fonts) {
  if (d.qr_modules > 0) out.DrawForm(kQrFormName, d.qr_modules, g.qr);
  const double left = d.qr_modules > 0 ? g.footer_text_left : g.text_area.left;
  const double right = g.text_area.right;
  const std::string folio = "Folio " + d.folio;
  out.ShowText(FontStyle::kBold, 9, folio, left, 66);
  const std::string sheet = "Hoja " + std::to_string(page) + " de " + std::to_string(total);
  out.ShowText(FontStyle::kRegular, 9, sheet, right - fonts.Width(FontStyle::kRegular, sheet, 9), 66);
  double y = 56;
  if (!d.address.empty()) {
    // "Verifique este documento en <address>", at most 7 pt, never under 6 pt (the address
    // is limited in length so that it always fits).
    const std::string line = "Verifique este documento en " + d.address;
    const double width = fonts.Width(FontStyle::kRegular, line, 1);
    const double size = std::max(6.0, std::min(7.0, (right - left) / width));
    out.ShowText(FontStyle::kRegular, size, line, left, y);
    y -= 9;
  }
  if (page == total && !d.cadena.empty()) {
    out.ShowText(FontStyle::kRegular, 7, "Cadena (SHA-256 del contenido aprobado):", left, y);
    out.ShowText(FontStyle::kRegular, 7, d.cadena, left, y - 9);
  }
}

}  // namespace

ContentStream DecoratePage(const ContentStream& body, int page, int total,
                           const PageDecorations& decorations, const PageGeometry& g,
                           const FontSet& fonts) {
  ContentStream out;
  if (decorations.draft) Watermark(out, decorations.version, g, fonts);
  out.Append(body);

  out.Rule(g.strip.left, g.strip.bottom, g.strip.left, g.strip.top, 0.5, 0.55);
  const double label_width = fonts.Width(FontStyle::kRegular, kStripLabel, g.strip_label_size);
  out.Append("q 0.4 g\n");
  out.ShowText(FontStyle::kRegular, g.strip_label_size, kStripLabel,
               (g.strip.left + g.strip.right - label_width) / 2, g.strip_label_baseline);
  out.Append("Q\n");

  if (!decorations.folio.empty()) {
    FolioFooter(out, page, total, decorations, g, fonts);
    return out;
  }
  const std::string footer = "Hoja " + std::to_string(page) + " de " + std::to_string(total);
  const double footer_width = fonts.Width(FontStyle::kRegular, footer, 9);
  out.ShowText(FontStyle::kRegular, 9, footer,
               (g.text_area.left + g.text_area.right - footer_width) / 2, g.footer_baseline);
  return out;
}

}  // namespace rubrica::pdf::render
