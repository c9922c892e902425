// A page content stream under construction: text lines, rules and boxes, written as PDF
// operators with locale-independent numbers (two decimals at most).
#pragma once

#include <string>
#include <string_view>

#include "render/font_set.h"
#include "render/text_layout.h"
#include "rubrica/pdf/render.h"

namespace rubrica::pdf::render {

class ContentStream {
 public:
  /// "12.5", "0", "-3.25": at most `decimals` decimals, no exponent, '.' whatever the
  /// locale.
  static std::string Number(double v, int decimals = 2);
  /// A PDF literal string "(...)" for CP1252 bytes, escaping '(', ')', '\\' and controls.
  static std::string Literal(std::string_view bytes);

  /// One line of text with its baseline starting at (x, y). `word_spacing` stretches the
  /// spaces (justification).
  void ShowLine(const TextLine& line, double x, double y, double size, double word_spacing = 0);
  /// A single run of text.
  void ShowText(FontStyle style, double size, std::string_view text, double x, double y);
  /// Text rotated by `degrees` around its start, filled with `gray` (0 black, 1 white).
  void ShowRotatedText(FontStyle style, double size, std::string_view text, double x, double y,
                       double degrees, double gray);
  /// A straight rule.
  void Rule(double x1, double y1, double x2, double y2, double width, double gray);
  void FillRect(const Rect& r, double gray);
  void StrokeRect(const Rect& r, double width, double gray);
  /// Paints the Form XObject named `name`, whose /BBox is [0 0 units units], scaled to
  /// the square `box`.
  void DrawForm(const char* name, double units, const Rect& box);
  /// Raw operators (no text).
  void Append(std::string_view ops) { out_.append(ops); }
  /// Another stream's operators.
  void Append(const ContentStream& other);

  const std::string& str() const { return out_; }
  bool empty() const { return out_.empty(); }
  /// Bit (1 << FontStyle) set for every face this stream shows text with.
  int font_mask() const { return font_mask_; }
  /// Whether DrawForm was called (the page's resources then name the XObject).
  bool uses_form() const { return uses_form_; }

 private:
  void UseFont(FontStyle style) { font_mask_ |= 1 << static_cast<int>(style); }
  std::string out_;
  int font_mask_ = 0;
  bool uses_form_ = false;
};

}  // namespace rubrica::pdf::render
