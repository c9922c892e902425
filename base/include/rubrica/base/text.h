// Text that people will read inside a certificate, a PDF or an e-mail: checked and put in
// one canonical form, in one place.
//
// A text is accepted when it is UTF-8 and holds none of:
//   - C0 control characters (U+0000..U+001F) and DEL (U+007F), except TAB and LF (and CR
//     before LF) in a multi-line text;
//   - C1 control characters (U+0080..U+009F);
//   - bidirectional formatting characters, which make a text display in another order than
//     it is stored: the embeddings and overrides U+202A..U+202E, the isolates
//     U+2066..U+2069, and the marks U+200E, U+200F and U+061C;
//   - the line and paragraph separators U+2028, U+2029 in a single-line text;
// and, once in Unicode Normalization Form C (NFC, so "é" is one code point however it was
// typed), is at most `max_chars` code points long. The normal form comes from ICU (Debian's
// libicu, the tables of the Unicode version it ships), linked privately into base.
//
// Errors are kInvalidArgument with a stable code and a message naming what and where
// ("U+202E (bidirectional formatting) at character 4"):
//   base.text_not_utf8     not UTF-8
//   base.text_control      a control character
//   base.text_bidi         a bidirectional formatting character
//   base.text_too_long     longer than max_chars
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "rubrica/base/status.h"

namespace rubrica {

struct TextRules {
  /// Longest text accepted, in code points after normalisation. Default 300.
  size_t max_chars = 300;
  /// Whether TAB, LF and CR LF are allowed (paragraphs, comments). Default false.
  bool multiline = false;
};

/// The NFC form of `text` when it follows `rules` (see above).
Result<std::string> NormalizeText(std::string_view text, const TextRules& rules = {});

/// Whether `text` follows `rules`, without rewriting it (for text that cannot be rewritten,
/// e.g. already stored). Does not require NFC.
Status CheckText(std::string_view text, const TextRules& rules = {});

/// Whether `text` is valid UTF-8 (no overlong forms, surrogates or code points past
/// U+10FFFF).
bool IsValidUtf8(std::string_view text);

/// Offset of the first byte of `text` that does not start a well-formed UTF-8 sequence (as
/// IsValidUtf8 judges it), or std::string_view::npos when there is none.
size_t FirstInvalidUtf8(std::string_view text);

/// Decodes the code point at `pos` and advances past it. A malformed sequence yields
/// U+FFFD and advances one byte. `pos` must be < text.size().
char32_t NextCodePoint(std::string_view text, size_t& pos);

}  // namespace rubrica
