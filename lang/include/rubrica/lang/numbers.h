// Cardinal numbers in Spanish words, as actas write dates and times ("catorce de noviembre
// de dos mil veintidós", "diez horas con veinticinco minutos"). Pure: thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace rubrica::lang {

/// `n` in words, standalone form: 0 "cero", 1 "uno", 16 "dieciséis", 21 "veintiuno", 100
/// "cien", 101 "ciento uno", 2022 "dos mil veintidós", 21000 "veintiún mil", 1000000 "un
/// millón". Defined for 0 <= n < 10^12; other values come back as digits.
std::string NumberInWords(int64_t n);

/// The form before a masculine noun: "veintiún" (días), "un" (minuto), "treinta y un".
/// Equal to NumberInWords except when it ends in "uno".
std::string NumberInWordsBeforeNoun(int64_t n);

}  // namespace rubrica::lang
