// UTF-8 decoding and the WinAnsi (CP1252) encoding our simple fonts use.
#pragma once

#include <string_view>

namespace rubrica::pdf::render {

/// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view text);
/// Offset of the first byte that is not well-formed UTF-8, or npos.
size_t FirstInvalidUtf8(std::string_view text);

/// Decodes the code point at `pos` and advances past it. A malformed sequence yields
/// U+FFFD and advances one byte.
char32_t NextCodePoint(std::string_view text, size_t& pos);

/// The CP1252 byte for `cp`, or 0 when CP1252 has no such character (0 is never a
/// printable code here). U+2212 MINUS SIGN maps to the en dash (0x96).
unsigned char WinAnsiByte(char32_t cp);

/// The Unicode character of CP1252 byte `b`, or 0 for the five undefined bytes and for
/// control bytes below 0x20.
char32_t WinAnsiToUnicode(unsigned char b);

}  // namespace rubrica::pdf::render
