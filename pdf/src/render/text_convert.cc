#include "render/text_convert.h"

#include <cstdio>

#include "render/winansi.h"

namespace rubrica::pdf::render {

std::string WinAnsiConverter::ToWinAnsi(std::string_view utf8, std::string_view where) {
  std::string out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    char32_t cp = rubrica::NextCodePoint(utf8, pos);
    if (cp == '\n') {
      out.push_back('\n');
      continue;
    }
    if (cp == '\t') cp = ' ';
    if (cp == 0x00AD) continue;  // soft hyphen: we never hyphenate, so it never shows
    unsigned char b = WinAnsiByte(cp);
    if (b == 0) {
      Unmapped& u = unmapped_[cp];
      if (u.count++ == 0) u.first_place = std::string(where);
      b = '?';
    }
    out.push_back(static_cast<char>(b));
  }
  return out;
}

std::vector<StyledRun> WinAnsiConverter::Convert(const RichText& text, std::string_view where,
                                                 bool force_bold) {
  std::vector<StyledRun> runs;
  for (const TextSpan& span : text) {
    FontStyle style = (span.bold || force_bold) ? FontStyle::kBold
                      : span.italic             ? FontStyle::kItalic
                                                : FontStyle::kRegular;
    std::string converted = ToWinAnsi(span.text, where);
    if (converted.empty()) continue;
    if (!runs.empty() && runs.back().style == style) {
      runs.back().text += converted;
    } else {
      runs.push_back({style, std::move(converted)});
    }
  }
  return runs;
}

std::vector<StyledRun> WinAnsiConverter::ConvertPlain(std::string_view text, FontStyle style,
                                                      std::string_view where) {
  std::vector<StyledRun> runs;
  std::string converted = ToWinAnsi(text, where);
  if (!converted.empty()) runs.push_back({style, std::move(converted)});
  return runs;
}

std::vector<std::string> WinAnsiConverter::Warnings() const {
  std::vector<std::string> out;
  for (const auto& [cp, u] : unmapped_) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
    out.push_back(std::string(code) + " is not in WinAnsi (CP1252) and was printed as '?' (" +
                  std::to_string(u.count) + (u.count == 1 ? " time" : " times") + ", first at " +
                  u.first_place + ")");
  }
  return out;
}

}  // namespace rubrica::pdf::render
