#include "rubrica/base/text.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <cstdio>
#include <vector>

namespace rubrica {

namespace {

Status Refused(std::string_view code, const std::string& en, const std::string& es) {
  return Status::Error(ErrorKind::kInvalidArgument, std::string(code), en, es);
}

std::string CodePointName(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

bool IsBidiFormatting(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

// Decodes one code point at `i`; returns its length, or 0 when the bytes are not UTF-8.
size_t DecodeOne(std::string_view s, size_t i, char32_t* out) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *out = c;
    return 1;
  }
  size_t n;
  char32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  *out = cp;
  return n;
}

// The checks on the characters; counts code points into *chars.
Status CheckCharacters(std::string_view text, const TextRules& rules, size_t* chars) {
  size_t count = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const size_t n = DecodeOne(text, i, &c);
    if (n == 0) {
      return Refused("base.text_not_utf8", "not UTF-8 at byte " + std::to_string(i),
                     "el texto no está en UTF-8");
    }
    ++count;
    const std::string where = " at character " + std::to_string(count);
    const std::string where_es = " en el carácter " + std::to_string(count);
    const bool line_break = c == '\n' || c == '\t' ||
                            (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
    if ((c < 0x20 && !(rules.multiline && line_break)) || (c >= 0x7F && c <= 0x9F)) {
      return Refused("base.text_control",
                     CodePointName(c) + " (a control character)" + where + " is not allowed" +
                         (c == '\n' ? " in a single-line text" : ""),
                     (c == '\n' ? "no se admiten saltos de línea (" : "no se admiten caracteres de control (") +
                         CodePointName(c) + ")" + where_es);
    }
    if ((c == 0x2028 || c == 0x2029) && !rules.multiline) {
      return Refused("base.text_control",
                     CodePointName(c) + " (a line separator)" + where + " is not allowed in a single-line text",
                     "no se admiten saltos de línea (" + CodePointName(c) + ")" + where_es);
    }
    if (IsBidiFormatting(c)) {
      return Refused("base.text_bidi",
                     CodePointName(c) + " (bidirectional formatting, which changes the order in which the "
                                        "text is shown)" + where + " is not allowed",
                     "no se admiten caracteres que alteran la dirección del texto (" +
                         CodePointName(c) + ")" + where_es);
    }
    i += n;
  }
  *chars = count;
  return Status::Ok();
}

Status TooLong(size_t chars, size_t max) {
  return Refused("base.text_too_long",
                 std::to_string(chars) + " characters, longer than " + std::to_string(max),
                 "es demasiado largo (" + std::to_string(chars) + " caracteres; máximo " +
                     std::to_string(max) + ")");
}

Status IcuFailed(UErrorCode err) {
  return Status::Error(ErrorKind::kInternal, "base.unicode_failed",
                       std::string("Unicode normalisation failed: ") + u_errorName(err));
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    char32_t c;
    const size_t n = DecodeOne(text, i, &c);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

bool IsValidUtf8(std::string_view text) { return FirstInvalidUtf8(text) == std::string_view::npos; }

char32_t NextCodePoint(std::string_view text, size_t& pos) {
  char32_t cp = 0;
  const size_t n = DecodeOne(text, pos, &cp);
  if (n == 0) {
    ++pos;
    return 0xFFFD;
  }
  pos += n;
  return cp;
}

Status CheckText(std::string_view text, const TextRules& rules) {
  size_t chars = 0;
  RETURN_IF_ERROR(CheckCharacters(text, rules, &chars));
  if (chars > rules.max_chars) return TooLong(chars, rules.max_chars);
  return Status::Ok();
}

Result<std::string> NormalizeText(std::string_view text, const TextRules& rules) {
  size_t chars = 0;
  RETURN_IF_ERROR(CheckCharacters(text, rules, &chars));
  // ASCII is its own NFC.
  bool ascii = true;
  for (char ch : text) ascii = ascii && static_cast<unsigned char>(ch) < 0x80;
  if (ascii) {
    if (chars > rules.max_chars) return TooLong(chars, rules.max_chars);
    return std::string(text);
  }
  if (text.size() > (1u << 24)) return TooLong(chars, rules.max_chars);
  UErrorCode err = U_ZERO_ERROR;
  const UNormalizer2* nfc = unorm2_getNFCInstance(&err);
  if (U_FAILURE(err)) return IcuFailed(err);
  std::vector<UChar> utf16(text.size() + 1);
  int32_t len16 = 0;
  u_strFromUTF8(utf16.data(), static_cast<int32_t>(utf16.size()), &len16, text.data(),
                static_cast<int32_t>(text.size()), &err);
  if (U_FAILURE(err)) return IcuFailed(err);
  std::string out;
  if (unorm2_quickCheck(nfc, utf16.data(), len16, &err) == UNORM_YES && U_SUCCESS(err)) {
    out.assign(text);
  } else {
    err = U_ZERO_ERROR;
    // NFC of a string is at most three times as long in UTF-16 (Unicode's stated bound).
    std::vector<UChar> normal(static_cast<size_t>(len16) * 3 + 1);
    const int32_t nlen = unorm2_normalize(nfc, utf16.data(), len16, normal.data(),
                                          static_cast<int32_t>(normal.size()), &err);
    if (U_FAILURE(err)) return IcuFailed(err);
    int32_t len8 = 0;
    u_strToUTF8(nullptr, 0, &len8, normal.data(), nlen, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) return IcuFailed(err);
    err = U_ZERO_ERROR;
    out.resize(static_cast<size_t>(len8));
    u_strToUTF8(out.data(), len8, &len8, normal.data(), nlen, &err);
    if (U_FAILURE(err) && err != U_STRING_NOT_TERMINATED_WARNING) return IcuFailed(err);
    chars = static_cast<size_t>(u_countChar32(normal.data(), nlen));
  }
  if (chars > rules.max_chars) return TooLong(chars, rules.max_chars);
  return out;
}

}  // namespace rubrica
