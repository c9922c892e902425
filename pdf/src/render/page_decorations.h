// What every page carries besides its body: the margin strip reserved for rubrics (a thin
// rule and the label "Rúbricas"), the footer, and on drafts a light diagonal watermark
// "BORRADOR — versión N" kept inside the text area (drawn first, under the text).
//
// The footer of a certified version (a folio is given) fills the band under the text
// area: the verification QR code at its left; to its right "Folio <folio>" and "Hoja X de
// Y", the verification address, and on the last page the "cadena" (the SHA-256 of the
// approved content in full). Without a folio it is "Hoja X de Y", centred.
#pragma once

#include <string>

#include "render/content_stream.h"
#include "render/font_set.h"
#include "render/page_geometry.h"

namespace rubrica::pdf::render {

struct PageDecorations {
  bool draft = false;
  int version = 1;
  std::string folio;        // ASCII; empty: simple footer
  std::string address;      // ASCII verification address printed (without the hash); may be empty
  std::string cadena;       // 64 hex; printed on the last page; may be empty
  int qr_modules = 0;       // > 0: the QR Form XObject (kQrFormName) is drawn, this many modules wide
};

/// The final content stream of page `page` (1-based) of `total`.
ContentStream DecoratePage(const ContentStream& body, int page, int total,
                           const PageDecorations& decorations, const PageGeometry& geometry,
                           const FontSet& fonts);

}  // namespace rubrica::pdf::render
