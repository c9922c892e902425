// Letter case of Spanish text.
#include "rubrica/lang/text.h"

#include <gtest/gtest.h>

namespace rubrica::lang {
namespace {

TEST(TextCaseTest, HandlesAccentedLettersAndLeavesOthersAlone) {
  struct Case {
    const char* in;
    const char* capitalized;
    const char* upper;
    const char* lower;
  };
  const Case cases[] = {
      {"órgano garante", "Órgano garante", "ÓRGANO GARANTE", "órgano garante"},
      {"ñandú", "Ñandú", "ÑANDÚ", "ñandú"},
      {"facilitadora", "Facilitadora", "FACILITADORA", "facilitadora"},
      {"Suplente — Academia", "Suplente — Academia", "SUPLENTE — ACADEMIA", "suplente — academia"},
      {"catorce de noviembre de dos mil veintidós", "Catorce de noviembre de dos mil veintidós",
       "CATORCE DE NOVIEMBRE DE DOS MIL VEINTIDÓS", "catorce de noviembre de dos mil veintidós"},
      {"ü × ÷ 3 €", "Ü × ÷ 3 €", "Ü × ÷ 3 €", "ü × ÷ 3 €"},
      {"", "", "", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CapitalizeFirst(c.in), c.capitalized) << c.in;
    EXPECT_EQ(UpperCase(c.in), c.upper) << c.in;
    EXPECT_EQ(LowerCase(c.upper), c.lower) << c.in;
  }
  EXPECT_EQ(LowercaseFirst("Suplente"), "suplente");
  EXPECT_EQ(LowercaseFirst("Órgano"), "órgano");
}

TEST(AsciiFoldTest, DropsMarksForIdentifiers) {
  EXPECT_EQ(AsciiFold("Michoacán de Ocampo"), "Michoacan de Ocampo");
  EXPECT_EQ(AsciiFold("ÁÉÍÓÚÜÑ áéíóúüñ"), "AEIOUUN aeiouun");
  EXPECT_EQ(AsciiFold("Zamora × 2 €"), "Zamora  2 ");
}

}  // namespace
}  // namespace rubrica::lang
