#include "render/text_layout.h"

namespace rubrica::pdf::render {
namespace {

struct Word {
  std::vector<LineRun> pieces;
  double width = 0;
  FontStyle space_style = FontStyle::kRegular;  // style of the space that follows
  bool break_after = false;
};

void AppendChar(std::vector<LineRun>& pieces, FontStyle style, char c) {
  if (pieces.empty() || pieces.back().style != style) pieces.push_back({style, ""});
  pieces.back().text.push_back(c);
}

std::vector<Word> SplitWords(const std::vector<StyledRun>& runs, double size,
                             const FontSet& fonts) {
  std::vector<Word> words(1);
  for (const StyledRun& run : runs) {
    for (char c : run.text) {
      Word& w = words.back();
      if (c == ' ') {
        if (!w.pieces.empty()) {
          w.space_style = run.style;
          words.emplace_back();
        }
      } else if (c == '\n') {
        w.break_after = true;
        words.emplace_back();
      } else {
        AppendChar(w.pieces, run.style, c);
        w.width += fonts.CharWidth(run.style, static_cast<unsigned char>(c), size);
      }
    }
  }
  if (words.back().pieces.empty() && !words.back().break_after) words.pop_back();
  return words;
}

class LineBuilder {
 public:
  LineBuilder(double size, const FontSet& fonts, std::vector<TextLine>& out)
      : size_(size), fonts_(fonts), out_(out) {}

  bool empty() const { return line_.runs.empty(); }
  double width() const { return line_.width; }
  double SpaceWidth(FontStyle style) const { return fonts_.CharWidth(style, ' ', size_); }

  void AddSpace(FontStyle style) {
    Append({style, " "}, SpaceWidth(style));
    ++line_.spaces;
  }
  void Append(const LineRun& piece, double width) {
    if (!line_.runs.empty() && line_.runs.back().style == piece.style) {
      line_.runs.back().text += piece.text;
    } else {
      line_.runs.push_back(piece);
    }
    line_.width += width;
  }
  void AddWord(const Word& w) {
    for (const LineRun& p : w.pieces) Append(p, fonts_.Width(p.style, p.text, size_));
  }
  void Emit(bool last) {
    line_.last = last;
    out_.push_back(std::move(line_));
    line_ = TextLine();
  }

 private:
  double size_;
  const FontSet& fonts_;
  std::vector<TextLine>& out_;
  TextLine line_;
};

// A word wider than a whole line: cut between characters, each full piece on its own line.
void AddLongWord(const Word& w, double max_width, double size, const FontSet& fonts,
                 LineBuilder& line) {
  for (const LineRun& piece : w.pieces) {
    for (char c : piece.text) {
      double cw = fonts.CharWidth(piece.style, static_cast<unsigned char>(c), size);
      if (!line.empty() && line.width() + cw > max_width) line.Emit(false);
      line.Append({piece.style, std::string(1, c)}, cw);
    }
  }
}

}  // namespace

std::vector<TextLine> BreakLines(const std::vector<StyledRun>& runs, double max_width, double size,
                                 const FontSet& fonts) {
  std::vector<TextLine> lines;
  std::vector<Word> words = SplitWords(runs, size, fonts);
  LineBuilder line(size, fonts, lines);
  constexpr double kSlack = 1e-6;
  FontStyle gap_style = FontStyle::kRegular;
  for (const Word& w : words) {
    if (!w.pieces.empty()) {
      double gap = line.empty() ? 0 : line.SpaceWidth(gap_style);
      if (!line.empty() && line.width() + gap + w.width > max_width + kSlack) {
        line.Emit(false);
        gap = 0;
      }
      if (line.empty() && w.width > max_width + kSlack) {
        AddLongWord(w, max_width, size, fonts, line);
      } else {
        if (gap > 0) line.AddSpace(gap_style);
        line.AddWord(w);
      }
    }
    gap_style = w.space_style;
    if (w.break_after) {
      if (line.empty()) {
        lines.push_back(TextLine{{}, 0, 0, true});  // an empty line from "\n\n"
      } else {
        line.Emit(true);
      }
    }
  }
  if (!line.empty()) line.Emit(true);
  if (!lines.empty()) lines.back().last = true;
  return lines;
}

}  // namespace rubrica::pdf::render
