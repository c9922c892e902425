// Ordinal numbers in words, as actas name sessions ("la tercera sesión ordinaria").
#pragma once

#include <cstdint>
#include <string>

#include "rubrica/lang/gender.h"

namespace rubrica::lang {

/// `n` (1..99) as an ordinal agreeing with a noun of `gender`, lower case: (1, kFeminine)
/// "primera", (3, kMasculine) "tercero", (11, kFeminine) "décima primera", (21, kFeminine)
/// "vigésima primera". kNeutral writes the masculine form. Other values come back as
/// digits followed by "ª" (feminine) or "º" ("100ª").
std::string OrdinalInWords(int64_t n, Gender gender);

}  // namespace rubrica::lang
