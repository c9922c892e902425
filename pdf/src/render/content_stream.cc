#include "render/content_stream.h"

#include <charconv>
#include <cmath>
#include <numbers>

namespace rubrica::pdf::render {

std::string ContentStream::Number(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  double rounded = std::round(v * scale) / scale;
  if (rounded == 0) rounded = 0;  // no "-0"
  char buf[64];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, rounded, std::chars_format::fixed, decimals);
  std::string s(buf, ec == std::errc() ? end : buf);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s.empty() ? "0" : s;
}

std::string ContentStream::Literal(std::string_view bytes) {
  std::string out = "(";
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '(' || c == ')' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (b < 0x20) {
      const char octal[] = {'\\', static_cast<char>('0' + (b >> 6)),
                            static_cast<char>('0' + ((b >> 3) & 7)),
                            static_cast<char>('0' + (b & 7))};
      out.append(octal, 4);
    } else {
      out.push_back(c);
    }
  }
  out.push_back(')');
  return out;
}

void ContentStream::ShowLine(const TextLine& line, double x, double y, double size,
                             double word_spacing) {
  if (line.runs.empty()) return;
  out_ += "BT\n1 0 0 1 " + Number(x) + " " + Number(y) + " Tm\n";
  const bool spaced = word_spacing > 0.005;
  if (spaced) out_ += Number(word_spacing) + " Tw\n";
  for (const LineRun& run : line.runs) {
    UseFont(run.style);
    out_ += "/" + std::string(FontResourceName(run.style)) + " " + Number(size) + " Tf " +
            Literal(run.text) + " Tj\n";
  }
  if (spaced) out_ += "0 Tw\n";
  out_ += "ET\n";
}

void ContentStream::ShowText(FontStyle style, double size, std::string_view text, double x,
                             double y) {
  TextLine line;
  line.runs.push_back({style, std::string(text)});
  ShowLine(line, x, y, size);
}

void ContentStream::ShowRotatedText(FontStyle style, double size, std::string_view text, double x,
                                    double y, double degrees, double gray) {
  const double rad = degrees * std::numbers::pi / 180.0;
  const double c = std::cos(rad), s = std::sin(rad);
  UseFont(style);
  out_ += "q " + Number(gray) + " g\nBT\n";
  // Four decimals for the rotation: two would visibly skew long text.
  out_ += Number(c, 4) + " " + Number(s, 4) + " " + Number(-s, 4) + " " + Number(c, 4) + " " +
          Number(x) + " " + Number(y) + " Tm\n";
  out_ += "/" + std::string(FontResourceName(style)) + " " + Number(size) + " Tf " + Literal(text) +
          " Tj\nET\nQ\n";
}

void ContentStream::Append(const ContentStream& other) {
  out_ += other.out_;
  font_mask_ |= other.font_mask_;
  uses_form_ = uses_form_ || other.uses_form_;
}

void ContentStream::DrawForm(const char* name, double units, const Rect& box) {
  uses_form_ = true;
  out_ += "q " + Number(box.width() / units, 4) + " 0 0 " + Number(box.height() / units, 4) + " " +
          Number(box.left) + " " + Number(box.bottom) + " cm /" + name + " Do Q\n";
}

void ContentStream::Rule(double x1, double y1, double x2, double y2, double width, double gray) {
  out_ += "q " + Number(gray) + " G " + Number(width) + " w " + Number(x1) + " " + Number(y1) +
          " m " + Number(x2) + " " + Number(y2) + " l S Q\n";
}

void ContentStream::FillRect(const Rect& r, double gray) {
  out_ += "q " + Number(gray) + " g " + Number(r.left) + " " + Number(r.bottom) + " " +
          Number(r.width()) + " " + Number(r.height()) + " re f Q\n";
}

void ContentStream::StrokeRect(const Rect& r, double width, double gray) {
  out_ += "q " + Number(gray) + " G " + Number(width) + " w " + Number(r.left) + " " +
          Number(r.bottom) + " " + Number(r.width()) + " " + Number(r.height()) + " re S Q\n";
}

}  // namespace rubrica::pdf::render
