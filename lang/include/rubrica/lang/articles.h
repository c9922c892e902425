// Articles before names, as Spanish requires and a person would write them:
//   - institutions and bodies take the definite article of their head noun, contracted
//     after "a" and "de": "al Instituto Michoacano…", "de la Secretaría de Hacienda",
//     "del H. Ayuntamiento", "al IMAIP" (acronyms the table knows);
//   - a bare personal name never takes one: "a Gerardo Elías Fuentes Mora", never
//     "el Gerardo…";
//   - a name with an honorific ("Mtra. Ana Ruiz", "C. Julián Andrade") takes the article
//     of the person's gender ("la Mtra.", "el C."), or of the honorific when it has one
//     (Mtra., Dra. are feminine; Mtro., Dr. masculine); none when neither tells;
//   - a name whose head noun is unknown gets no article: a missing article reads better
//     than a wrong one. A name that starts with its own article ("El Colegio de
//     Michoacán") keeps it and is not contracted ("de El Colegio de Michoacán").
//
// Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "rubrica/lang/gender.h"

namespace rubrica::lang {

enum class Preposition { kNone, kA, kDe, kEn, kPor, kCon, kPara };

/// The definite article an institution's name takes ("el", "la", "los", "las"), or ""
/// when none applies (personal names, unknown head nouns, names with their own article).
std::string_view InstitutionArticle(std::string_view name);

/// `name` (an institution, body or agency) after `preposition` with its article:
/// (kA, "Instituto Michoacano…") -> "al Instituto Michoacano…"; (kNone, …) -> "el
/// Instituto…"; (kDe, "Gerardo Fuentes") -> "de Gerardo Fuentes".
std::string WithArticle(Preposition preposition, std::string_view name);

/// A person's name after `preposition`: the article only when the name opens with an
/// honorific (see above). (kNone, "Gerardo Fuentes", any) -> "Gerardo Fuentes";
/// (kA, "Mtra. Ana Ruiz", kFeminine) -> "a la Mtra. Ana Ruiz"; (kDe, "C. Julián
/// Andrade", kMasculine) -> "del C. Julián Andrade".
std::string PersonWithArticle(Preposition preposition, std::string_view name, Gender gender);

}  // namespace rubrica::lang
