// Letter case of Spanish text in UTF-8: ASCII letters and the Latin-1 letters Spanish uses
// (á é í ó ú ü ñ and the rest of U+00C0..U+00FE). Other characters pass through unchanged.
//
// The capitalisation rule every text follows: a post or role printed on its own (under a
// signature line, in a signature box, in a rubric, in a table cell) starts with a capital
// ("Facilitadora", "Suplente — Academia"); inside running text it is lower case ("la
// facilitadora declaró…"). Headings of the acta are printed as written.
//
// Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace rubrica::lang {

/// The first letter upper case, the rest as written: "órgano garante" -> "Órgano garante".
std::string CapitalizeFirst(std::string_view text);
/// The first letter lower case, the rest as written: "Suplente" -> "suplente".
std::string LowercaseFirst(std::string_view text);
/// Every letter upper case: "catorce de noviembre" -> "CATORCE DE NOVIEMBRE".
std::string UpperCase(std::string_view text);
/// Every letter lower case.
std::string LowerCase(std::string_view text);
/// The Latin-1 letters without their marks, for identifiers built from names:
/// "Michoacán de Ocampo" -> "Michoacan de Ocampo", "Ñuu" -> "Nuu". Other non-ASCII
/// characters are dropped.
std::string AsciiFold(std::string_view text);

}  // namespace rubrica::lang
