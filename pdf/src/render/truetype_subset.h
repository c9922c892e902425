// A TrueType subsetter for fonts embedded as simple fonts.
//
// Glyph ids are kept (the PDF's WinAnsi codes map through the font's own cmap), so the
// subset keeps every table's structure: glyphs outside the kept set get an empty outline
// (zero-length glyf entry), the closure over composite glyphs' components is kept, tables
// a PDF consumer never reads (GSUB, GPOS, GDEF, kern, gasp, FFTM, DSIG, hdmx, ...) are
// dropped, and 'post' becomes version 3 (no glyph names). Hinting goes too: the glyph
// programs, 'fpgm', 'prep' and 'cvt ' are more than half of Liberation's outline data, and
// PDF rasterisers (poppler, pdf.js, MuPDF) do not run them at screen resolutions.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "render/truetype_font.h"
#include "rubrica/base/status.h"

namespace rubrica::pdf::render {

/// Builds the subset font file keeping `glyphs` (glyph 0 is always kept). Fails with
/// pdf.bad_font when a kept glyph is damaged.
Result<std::string> SubsetTrueType(const TrueTypeFont& font, std::set<uint16_t> glyphs);

/// `glyph` (glyf data) without its hinting instructions. Empty stays empty.
Result<std::string> StripInstructions(std::string_view glyph, const std::string& font_name);

}  // namespace rubrica::pdf::render
