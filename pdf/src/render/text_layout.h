// Breaking styled text into lines of a given width (greedy, no hyphenation). Spaces
// (byte 32) are the only break opportunities besides forced breaks; no-break spaces
// (0xA0) hold words together; a word wider than the line is cut between characters.
#pragma once

#include <string>
#include <vector>

#include "render/font_set.h"
#include "render/text_convert.h"

namespace rubrica::pdf::render {

struct LineRun {
  FontStyle style = FontStyle::kRegular;
  std::string text;  // CP1252
};

struct TextLine {
  std::vector<LineRun> runs;
  double width = 0;   // natural width at the size it was broken for
  int spaces = 0;     // byte-32 spaces inside the line (what word spacing stretches)
  bool last = false;  // last line of the paragraph or before a forced break: not justified
};

/// Lines of `runs` at `size` points, none wider than `max_width` (a single character wider
/// than the line still gets a line of its own). Empty input gives no lines.
std::vector<TextLine> BreakLines(const std::vector<StyledRun>& runs, double max_width, double size,
                                 const FontSet& fonts);

}  // namespace rubrica::pdf::render
