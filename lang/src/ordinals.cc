#include "rubrica/lang/ordinals.h"

#include <array>
#include <string_view>

namespace rubrica::lang {

namespace {

// Masculine stems; the feminine replaces the final 'o' with 'a'.
constexpr std::array<std::string_view, 10> kUnits = {
    "", "primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo", "octavo",
    "noveno"};
constexpr std::array<std::string_view, 10> kTens = {
    "",           "décimo",      "vigésimo",   "trigésimo", "cuadragésimo",
    "quincuagésimo", "sexagésimo", "septuagésimo", "octogésimo", "nonagésimo"};

std::string Agree(std::string_view word, Gender gender) {
  std::string out(word);
  if (gender == Gender::kFeminine && !out.empty() && out.back() == 'o') out.back() = 'a';
  return out;
}

}  // namespace

std::string OrdinalInWords(int64_t n, Gender gender) {
  if (n < 1 || n > 99) {
    return std::to_string(n) + (gender == Gender::kFeminine ? "ª" : "º");
  }
  const auto tens = static_cast<size_t>(n / 10);
  const auto units = static_cast<size_t>(n % 10);
  std::string out = Agree(kTens[tens], gender);
  if (units != 0) {
    if (!out.empty()) out += ' ';
    out += Agree(kUnits[units], gender);
  }
  return out;
}

}  // namespace rubrica::lang
