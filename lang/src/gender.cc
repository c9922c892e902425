#include "rubrica/lang/gender.h"

namespace rubrica::lang {

std::string_view GenderName(Gender gender) {
  switch (gender) {
    case Gender::kFeminine:
      return "femenino";
    case Gender::kMasculine:
      return "masculino";
    case Gender::kNeutral:
      break;
  }
  return "neutro";
}

std::optional<Gender> ParseGender(std::string_view name) {
  if (name == "femenino") return Gender::kFeminine;
  if (name == "masculino") return Gender::kMasculine;
  if (name == "neutro") return Gender::kNeutral;
  return std::nullopt;
}

}  // namespace rubrica::lang
