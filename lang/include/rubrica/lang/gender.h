// Grammatical gender of a person, as recorded with the person (workflows people table,
// API field `gender`). It decides how posts ("facilitadora"), articles ("la Mtra.") and
// agreements are written. Unknown gender is kNeutral: texts then use neutral wording
// ("persona facilitadora") and never guess.
//
// Plain values and pure functions: thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace rubrica::lang {

enum class Gender { kNeutral, kFeminine, kMasculine };

/// "neutro", "femenino", "masculino": the stable names stored and sent in the API.
std::string_view GenderName(Gender gender);

/// The gender named exactly "neutro", "femenino" or "masculino"; nullopt otherwise.
std::optional<Gender> ParseGender(std::string_view name);

}  // namespace rubrica::lang
