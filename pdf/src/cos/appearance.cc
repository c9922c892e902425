#include "rubrica/pdf/cos/appearance.h"

#include <algorithm>
#include <cstdio>

#include "rubrica/pdf/cos/object.h"

namespace rubrica::pdf::cos {

namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// Largest size <= `max_size` at which `text` fits in `width`.
double FitSize(const FontMetrics& m, const std::string& text, double width, double max_size) {
  double w1 = m.Width(text, 1.0);
  if (w1 <= 0) return max_size;
  return std::max(3.0, std::min(max_size, width / w1));
}

void Text(std::string& out, const std::string& font, double size, double x, double y,
          const std::string& cp1252) {
  out += "BT /" + font + " " + Num(size) + " Tf " + Num(x) + " " + Num(y) + " Td " +
         ContentString(cp1252) + " Tj ET\n";
}

}  // namespace

std::string ContentString(const std::string& s) {
  std::string out = "(";
  for (char c : s) {
    if (c == '(' || c == ')' || c == '\\') out.push_back('\\');
    if (c == '\r') {
      out += "\\r";
      continue;
    }
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  out.push_back(')');
  return out;
}

std::string DrawFootAppearance(const FontMetrics& regular, const FontMetrics& bold, double w,
                               double h, const std::vector<std::string>& lines) {
  std::string out = "q\n0.55 0.6 0.7 RG 0.6 w 0.5 0.5 " + Num(w - 1) + " " + Num(h - 1) + " re S\n";
  out += "0.96 0.97 1 rg 1 1 " + Num(w - 2) + " " + Num(h - 2) + " re f\n";
  if (lines.empty()) return out + "Q\n";
  const double pad = 4;
  const double avail = w - 2 * pad;
  // Name line at most 11 pt, others at most 7 pt; all shrink together to fit the height.
  std::vector<std::string> enc;
  std::vector<double> sizes;
  double total = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    enc.push_back(Cp1252FromUtf8(lines[i]));
    const FontMetrics& m = i == 1 ? bold : regular;
    sizes.push_back(FitSize(m, enc.back(), avail, i == 1 ? 11 : 7));
    total += sizes.back() * 1.25;
  }
  double scale = std::min(1.0, (h - 2 * pad) / total);
  double y = h - pad;
  for (size_t i = 0; i < enc.size(); ++i) {
    double size = sizes[i] * scale;
    y -= size;
    out += i == 1 ? "0.08 0.15 0.45 rg\n" : "0.2 0.2 0.2 rg\n";
    Text(out, i == 1 ? "RbSansB" : "RbSans", size, pad, y, enc[i]);
    y -= size * 0.25;
  }
  return out + "Q\n";
}

std::string DrawRubricMark(const FontMetrics& regular, const FontMetrics& bold, double w, double h,
                           const std::string& initials, const std::vector<std::string>& lines) {
  std::string out = "q\n0.08 0.15 0.45 rg 0.08 0.15 0.45 RG 0.5 w\n";
  const double pad = 2;
  const double avail = w - 2 * pad;
  std::string ini = Cp1252FromUtf8(initials);
  double big = FitSize(bold, ini, avail, std::min(16.0, h * 0.45));
  double y = h - pad - big;
  double x = (w - bold.Width(ini, big)) / 2;
  Text(out, "RbSansB", big, x, y, ini);
  // A short flourish under the initials.
  out += Num(pad + 2) + " " + Num(y - 2) + " m " + Num(w - pad - 2) + " " + Num(y - 2) + " l S\n";
  y -= 3;
  for (const std::string& line : lines) {
    std::string enc = Cp1252FromUtf8(line);
    double size = FitSize(regular, enc, avail, 5.5);
    y -= size * 1.15;
    if (y < pad) break;
    Text(out, "RbSans", size, (w - regular.Width(enc, size)) / 2, y, enc);
  }
  return out + "Q\n";
}

}  // namespace rubrica::pdf::cos
