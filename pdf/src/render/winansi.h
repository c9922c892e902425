// The WinAnsi (CP1252) encoding our simple fonts use (UTF-8 decoding: rubrica/base/text.h).
#pragma once

#include <string_view>

#include "rubrica/base/text.h"

namespace rubrica::pdf::render {

/// The CP1252 byte for `cp`, or 0 when CP1252 has no such character (0 is never a
/// printable code here). U+2212 MINUS SIGN maps to the en dash (0x96).
unsigned char WinAnsiByte(char32_t cp);

/// The Unicode character of CP1252 byte `b`, or 0 for the five undefined bytes and for
/// control bytes below 0x20.
char32_t WinAnsiToUnicode(unsigned char b);

}  // namespace rubrica::pdf::render
