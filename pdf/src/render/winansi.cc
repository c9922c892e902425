#include "render/winansi.h"

#include <cstdint>

namespace rubrica::pdf::render {
namespace {

// CP1252 0x80..0x9F; 0 marks the bytes Windows leaves undefined.
constexpr char32_t kHighControls[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

}  // namespace

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
