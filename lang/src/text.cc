#include "rubrica/lang/text.h"

namespace rubrica::lang {
namespace {

// Latin-1 letters are the two-byte sequences C3 80..C3 BE: capitals at 80..9E, small
// letters at A0..BE, 0x20 apart (× C3 97 and ÷ C3 B7 are not letters).
constexpr unsigned char kLatin1Lead = 0xC3;

bool IsLatin1Upper(unsigned char second) {
  return second >= 0x80 && second <= 0x9E && second != 0x97;
}
bool IsLatin1Lower(unsigned char second) {
  return second >= 0xA0 && second <= 0xBE && second != 0xB7;
}

// Changes the case of the letter at `pos` (if it is one) in place; returns its length.
size_t ChangeCase(std::string& s, size_t pos, bool upper) {
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c < 0x80) {
    if (upper && c >= 'a' && c <= 'z') s[pos] = static_cast<char>(c - 0x20);
    if (!upper && c >= 'A' && c <= 'Z') s[pos] = static_cast<char>(c + 0x20);
    return 1;
  }
  if (c == kLatin1Lead && pos + 1 < s.size()) {
    const auto d = static_cast<unsigned char>(s[pos + 1]);
    if (upper && IsLatin1Lower(d)) s[pos + 1] = static_cast<char>(d - 0x20);
    if (!upper && IsLatin1Upper(d)) s[pos + 1] = static_cast<char>(d + 0x20);
    return 2;
  }
  // Another sequence: skip its continuation bytes.
  size_t len = 1;
  while (pos + len < s.size() && (static_cast<unsigned char>(s[pos + len]) & 0xC0) == 0x80) ++len;
  return len;
}

std::string ChangeAll(std::string_view text, bool upper) {
  std::string s(text);
  for (size_t pos = 0; pos < s.size();) pos += ChangeCase(s, pos, upper);
  return s;
}

}  // namespace

std::string CapitalizeFirst(std::string_view text) {
  std::string s(text);
  if (!s.empty()) ChangeCase(s, 0, true);
  return s;
}

std::string LowercaseFirst(std::string_view text) {
  std::string s(text);
  if (!s.empty()) ChangeCase(s, 0, false);
  return s;
}

std::string UpperCase(std::string_view text) { return ChangeAll(text, true); }

std::string AsciiFold(std::string_view text) {
  // Base letters of U+00C0..U+00FF ('\0' where there is none: ×, ÷ and the like).
  static constexpr char kBase[65] =
      "AAAAAAACEEEEIIII"
      "DNOOOOO\0OUUUUYTs"
      "aaaaaaaceeeeiiii"
      "dnooooo\0ouuuuyty";
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c == kLatin1Lead && i + 1 < text.size()) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0x80 && d <= 0xBF && kBase[d - 0x80] != '\0') out.push_back(kBase[d - 0x80]);
      ++i;
    }
  }
  return out;
}
std::string LowerCase(std::string_view text) { return ChangeAll(text, false); }

}  // namespace rubrica::lang
