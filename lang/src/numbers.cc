#include "rubrica/lang/numbers.h"

#include <string_view>

namespace rubrica::lang {
namespace {

constexpr std::string_view kUnits[30] = {
    "cero",         "uno",         "dos",        "tres",        "cuatro",     "cinco",
    "seis",         "siete",       "ocho",       "nueve",       "diez",       "once",
    "doce",         "trece",       "catorce",    "quince",      "dieciséis",  "diecisiete",
    "dieciocho",    "diecinueve",  "veinte",     "veintiuno",   "veintidós",  "veintitrés",
    "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve"};
constexpr std::string_view kTens[10] = {"",          "",        "",        "treinta", "cuarenta",
                                        "cincuenta", "sesenta", "setenta", "ochenta", "noventa"};
constexpr std::string_view kHundreds[10] = {
    "",           "ciento",      "doscientos",  "trescientos", "cuatrocientos",
    "quinientos", "seiscientos", "setecientos", "ochocientos", "novecientos"};

// 0 < n < 1000, standalone form.
std::string Below1000(int n) {
  std::string out;
  if (n == 100) return "cien";
  if (n >= 100) {
    out = kHundreds[n / 100];
    n %= 100;
    if (n == 0) return out;
    out += ' ';
  }
  if (n < 30) return out + std::string(kUnits[n]);
  out += kTens[n / 10];
  if (n % 10 != 0) out += " y " + std::string(kUnits[n % 10]);
  return out;
}

// The apocope of a final "uno" before a noun: "veintiuno" -> "veintiún", "uno" -> "un".
std::string Apocope(std::string words) {
  constexpr std::string_view kVeintiuno = "veintiuno";
  if (words.size() >= kVeintiuno.size() &&
      words.compare(words.size() - kVeintiuno.size(), kVeintiuno.size(), kVeintiuno) == 0) {
    words.replace(words.size() - 3, 3, "\xC3\xBAn");  // veintiún
  } else if (words.size() >= 3 && words.compare(words.size() - 3, 3, "uno") == 0 &&
             (words.size() == 3 || words[words.size() - 4] == ' ')) {
    words.erase(words.size() - 1);  // un
  }
  return words;
}

}  // namespace

std::string NumberInWords(int64_t n) {
  if (n < 0 || n >= 1'000'000'000'000) return std::to_string(n);
  if (n == 0) return "cero";
  std::string out;
  auto add = [&out](const std::string& part) {
    if (!out.empty()) out += ' ';
    out += part;
  };
  const int64_t millions = n / 1'000'000;
  const int thousands = static_cast<int>(n / 1000 % 1000);
  const int rest = static_cast<int>(n % 1000);
  if (millions > 0) {
    add(millions == 1 ? std::string("un millón") : Apocope(NumberInWords(millions)) + " millones");
  }
  if (thousands > 0)
    add(thousands == 1 ? std::string("mil") : Apocope(Below1000(thousands)) + " mil");
  if (rest > 0) add(Below1000(rest));
  return out;
}

std::string NumberInWordsBeforeNoun(int64_t n) { return Apocope(NumberInWords(n)); }

}  // namespace rubrica::lang
