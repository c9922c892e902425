// Signature boxes and rubric marks stay legible however many signers an acta has: text is
// wrapped, never shrunk below 7 pt in a foot box nor 6 pt in a rubric mark; what still does
// not fit is shortened with an ellipsis (a name is first abbreviated), never drawn smaller.
#include "rubrica/pdf/cos/appearance.h"

#include <algorithm>
#include <cstdio>

#include "rubrica/pdf/cos/object.h"

namespace rubrica::pdf::cos {

namespace {

constexpr char kEllipsis = '\x85';  // "…" in CP1252

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

void Text(std::string& out, const std::string& font, double size, double x, double y,
          const std::string& cp1252) {
  out += "BT /" + font + " " + Num(size) + " Tf " + Num(x) + " " + Num(y) + " Td " +
         ContentString(cp1252) + " Tj ET\n";
}

// Greedy word wrap of CP1252 `text` into at most `max_lines` lines of `width` at `size`; a
// word wider than a line is cut between characters; the last line is ellipsized when text
// is left over.
std::vector<std::string> Wrap(const FontMetrics& m, const std::string& text, double width,
                              double size, size_t max_lines) {
  std::vector<std::string> lines;
  std::string current;
  size_t pos = 0;
  bool left_over = false;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) continue;
    const std::string joined = current.empty() ? word : current + " " + word;
    if (m.Width(joined, size) <= width) {
      current = joined;
      continue;
    }
    if (!current.empty()) {
      lines.push_back(current);
      current.clear();
    }
    while (m.Width(word, size) > width && word.size() > 1) {
      size_t n = word.size();
      while (n > 1 && m.Width(word.substr(0, n), size) > width) --n;
      lines.push_back(word.substr(0, n));
      word = word.substr(n);
    }
    current = word;
    if (lines.size() >= max_lines) {
      left_over = true;
      break;
    }
  }
  if (!current.empty() && lines.size() < max_lines) {
    lines.push_back(current);
  } else if (!current.empty()) {
    left_over = true;
  }
  if (lines.size() > max_lines) lines.resize(max_lines);
  if (left_over && !lines.empty()) {
    std::string last = lines.back();
    while (!last.empty() && m.Width(last + kEllipsis, size) > width) last.pop_back();
    while (!last.empty() && last.back() == ' ') last.pop_back();
    lines.back() = last + kEllipsis;
  }
  return lines;
}

// "Mtra. Verónica Itzel Paredes Núñez" -> "V. I. Paredes Núñez": honorifics dropped, given
// names to initials, the last two words (the surnames) kept.
std::string AbbreviateName(const std::string& cp1252) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos <= cp1252.size()) {
    size_t end = cp1252.find(' ', pos);
    if (end == std::string::npos) end = cp1252.size();
    const std::string word = cp1252.substr(pos, end - pos);
    // Particles ("de la") go with what they join; abbreviated names drop them.
    if (!word.empty() && word != "de" && word != "del" && word != "la" && word != "las" &&
        word != "los" && word != "y") {
      words.push_back(word);
    }
    pos = end + 1;
  }
  if (!words.empty() && words.size() > 2 && words.front().back() == '.') words.erase(words.begin());
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += i + 2 < words.size() ? words[i].substr(0, 1) + "." : words[i];
  }
  return out;
}

struct Block {
  const FontMetrics* metrics;
  const char* font;
  double size;
  const char* color;
  std::vector<std::string> lines;
};

double Height(const std::vector<Block>& blocks, double leading) {
  double h = 0;
  for (const Block& b : blocks) h += b.lines.size() * b.size * leading;
  return h;
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
  constexpr double kPad = 4, kLeading = 1.2;
  const double avail = w - 2 * kPad;
  const double room = h - 2 * kPad;
  const char* kGray = "0.2 0.2 0.2 rg";
  const char* kInk = "0.08 0.15 0.45 rg";
  // The name: the largest size from 11 down to 7 pt on one line, else wrapped at 7 pt.
  double name_size = kMinFootTextSize;
  std::string name = lines.size() > 1 ? Cp1252FromUtf8(lines[1]) : std::string();
  for (double s = 11; s >= kMinFootTextSize; s -= 0.5) {
    if (bold.Width(name, s) <= avail) {
      name_size = s;
      break;
    }
  }
  std::vector<Block> blocks;
  blocks.push_back({&regular, "RbSans", kMinFootTextSize, kGray,
                    Wrap(regular, Cp1252FromUtf8(lines[0]), avail, kMinFootTextSize, 1)});
  if (lines.size() > 1) blocks.push_back({&bold, "RbSansB", name_size, kInk, Wrap(bold, name, avail, name_size, 2)});
  for (size_t i = 2; i < lines.size(); ++i) {
    // The post (line 2) wraps on up to three lines; the others on two.
    blocks.push_back({&regular, "RbSans", kMinFootTextSize, kGray,
                      Wrap(regular, Cp1252FromUtf8(lines[i]), avail, kMinFootTextSize,
                           i == 2 ? 3 : 2)});
  }
  // Too tall: a smaller name (never under 7 pt), then without the label, then lines cut
  // from the post.
  while (Height(blocks, kLeading) > room && blocks.size() > 1 && blocks[1].size > 9 &&
         blocks[1].lines.size() == 1) {
    blocks[1].size -= 0.5;
  }
  if (Height(blocks, kLeading) > room) blocks.erase(blocks.begin());
  while (Height(blocks, kLeading) > room && blocks.size() > 2 && blocks[1].lines.size() > 1) {
    blocks[1].lines = Wrap(regular, Cp1252FromUtf8(lines[2]), avail, kMinFootTextSize,
                           blocks[1].lines.size() - 1);
  }
  double y = h - kPad;
  for (const Block& b : blocks) {
    out += std::string(b.color) + "\n";
    for (const std::string& line : b.lines) {
      y -= b.size;
      if (y < kPad * 0.5) return out + "Q\n";
      Text(out, b.font, b.size, kPad, y, line);
      y -= b.size * (kLeading - 1);
    }
  }
  return out + "Q\n";
}

std::string DrawRubricMark(const FontMetrics& regular, const FontMetrics& bold, double w, double h,
                           const std::string& initials, const std::vector<std::string>& lines) {
  std::string out = "q\n0.08 0.15 0.45 rg 0.08 0.15 0.45 RG 0.5 w\n";
  constexpr double kPad = 2, kLeading = 7.0 / 6.0, kFlourish = 4;
  const double avail = w - 2 * kPad;
  const std::string ini = Cp1252FromUtf8(initials);
  const double ini_width = std::max(1.0, bold.Width(ini, 1.0));
  double big = std::min({16.0, h * 0.4, avail / ini_width});
  big = std::max(big, kMinRubricTextSize);
  const double s = kMinRubricTextSize;
  std::vector<std::string> encoded;
  for (const std::string& line : lines) encoded.push_back(Cp1252FromUtf8(line));
  // The name on up to three lines; the date and time (the last line) on up to four, so that
  // "14 de noviembre de 2022, 12:14 h (UTC−6)" is never cut in a narrow slot.
  auto wrap_all = [&](const std::vector<std::string>& texts) {
    std::vector<std::string> out_lines;
    for (size_t i = 0; i < texts.size(); ++i) {
      const size_t max_lines = i + 1 == texts.size() ? 4 : 3;
      for (std::string& l : Wrap(regular, texts[i], avail, s, max_lines)) {
        out_lines.push_back(std::move(l));
      }
    }
    return out_lines;
  };
  std::vector<std::string> small = wrap_all(encoded);
  auto fits = [&](double initials_size) {
    return kPad + initials_size + kFlourish + small.size() * s * kLeading <= h;
  };
  // Room first from the initials (down to 10 pt), then an abbreviated name, then without
  // the name; what still does not fit is left out at the bottom.
  while (!fits(big) && big > 10) big -= 0.5;
  if (!fits(big) && encoded.size() > 1) {
    encoded[0] = AbbreviateName(encoded[0]);
    small = wrap_all(encoded);
  }
  if (!fits(big) && encoded.size() > 1) {
    encoded.erase(encoded.begin());
    small = wrap_all(encoded);
  }
  while (!fits(big) && big > kMinRubricTextSize) big -= 0.5;
  double y = h - kPad - big;
  Text(out, "RbSansB", big, (w - bold.Width(ini, big)) / 2, y, ini);
  // A short flourish under the initials.
  out += Num(kPad + 2) + " " + Num(y - 2) + " m " + Num(w - kPad - 2) + " " + Num(y - 2) + " l S\n";
  y -= kFlourish - 1;
  for (const std::string& line : small) {
    y -= s * kLeading;
    if (y < kPad / 2) break;
    Text(out, "RbSans", s, (w - regular.Width(line, s)) / 2, y, line);
  }
  return out + "Q\n";
}

}  // namespace rubrica::pdf::cos
