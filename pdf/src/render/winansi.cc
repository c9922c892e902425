#include "render/winansi.h"

#include <cstdint>

namespace rubrica::pdf::render {
namespace {

// CP1252 0x80..0x9F; 0 marks the bytes Windows leaves undefined.
constexpr char32_t kHighControls[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Decodes one sequence; returns its length, or 0 when malformed.
size_t Decode(std::string_view s, size_t pos, char32_t& out) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) {
    out = b0;
    return 1;
  }
  size_t len;
  char32_t cp;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (pos + len > s.size()) return 0;
  for (size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  out = cp;
  return len;
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp;
    size_t len = Decode(text, pos, cp);
    if (len == 0) return pos;
    pos += len;
  }
  return std::string_view::npos;
}

bool IsValidUtf8(std::string_view text) { return FirstInvalidUtf8(text) == std::string_view::npos; }

char32_t NextCodePoint(std::string_view text, size_t& pos) {
  char32_t cp = 0;
  size_t len = Decode(text, pos, cp);
  if (len == 0) {
    ++pos;
    return 0xFFFD;
  }
  pos += len;
  return cp;
}

unsigned char WinAnsiByte(char32_t cp) {
  if ((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 && cp <= 0xFF)) {
    return static_cast<unsigned char>(cp);
  }
  // U+2212 MINUS SIGN ("UTC−6", lang/dates.h) prints as the en dash, its usual stand-in.
  if (cp == 0x2212) return 0x96;
  for (int i = 0; i < 32; ++i) {
    if (kHighControls[i] != 0 && kHighControls[i] == cp) {
      return static_cast<unsigned char>(0x80 + i);
    }
  }
  return 0;
}

char32_t WinAnsiToUnicode(unsigned char b) {
  if (b < 0x20 || b == 0x7F) return 0;
  if (b >= 0x80 && b < 0xA0) return kHighControls[b - 0x80];
  return b;
}

}  // namespace rubrica::pdf::render
