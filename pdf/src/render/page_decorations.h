// What every page carries besides its body: the margin strip reserved for rubrics (a thin
// rule and the label "Rúbricas"), the footer "Hoja X de Y", and on drafts a light diagonal
// watermark "BORRADOR — versión N" kept inside the text area (drawn first, under the text).
#pragma once

#include <string>

#include "render/content_stream.h"
#include "render/font_set.h"
#include "render/page_geometry.h"

namespace rubrica::pdf::render {

struct PageDecorations {
  bool draft = false;
  int version = 1;
};

/// The final content stream of page `page` (1-based) of `total`.
ContentStream DecoratePage(const ContentStream& body, int page, int total,
                           const PageDecorations& decorations, const PageGeometry& geometry,
                           const FontSet& fonts);

}  // namespace rubrica::pdf::render
