// Articles before institutions and people: "al Instituto", "de la Secretaría", never "el
// Gerardo…".
#include "rubrica/lang/articles.h"

#include <gtest/gtest.h>

namespace rubrica::lang {
namespace {

TEST(WithArticleTest, InstitutionsTakeTheArticleOfTheirHeadNounContracted) {
  struct Case {
    Preposition p;
    const char* name;
    const char* expected;
  };
  const char* imaip =
      "Instituto Michoacano de Transparencia, Acceso a la Información y Protección de Datos "
      "Personales";
  const Case cases[] = {
      {Preposition::kA, imaip,
       "al Instituto Michoacano de Transparencia, Acceso a la "
       "Información y Protección de Datos Personales"},
      {Preposition::kDe, "Instituto Nacional Electoral", "del Instituto Nacional Electoral"},
      {Preposition::kNone, "Instituto Nacional Electoral", "el Instituto Nacional Electoral"},
      {Preposition::kA, "Secretaría Técnica de la Comisión Permanente",
       "a la Secretaría Técnica de la Comisión Permanente"},
      {Preposition::kDe, "Secretaría de Hacienda", "de la Secretaría de Hacienda"},
      {Preposition::kEn, "Comisión Permanente", "en la Comisión Permanente"},
      {Preposition::kPor, "Secretariado Técnico Municipal",
       "por el Secretariado Técnico Municipal"},
      {Preposition::kCon, "Universidad Michoacana", "con la Universidad Michoacana"},
      {Preposition::kPara, "Red Vecinal Zamora Participa", "para la Red Vecinal Zamora Participa"},
      {Preposition::kDe, "H. Ayuntamiento de Zamora", "del H. Ayuntamiento de Zamora"},
      {Preposition::kA, "Organizaciones de la sociedad civil",
       "a las Organizaciones de la sociedad civil"},
      {Preposition::kA, "IMAIP", "al IMAIP"},
      {Preposition::kDe, "INAI", "del INAI"},
      {Preposition::kA, "SESNA", "a la SESNA"},
      // A name with its own article keeps it, uncontracted.
      {Preposition::kDe, "El Colegio de Michoacán", "de El Colegio de Michoacán"},
      // Personal names and unknown head nouns: no article.
      {Preposition::kA, "Gerardo Elías Fuentes Mora", "a Gerardo Elías Fuentes Mora"},
      {Preposition::kNone, "Gerardo Elías Fuentes Mora", "Gerardo Elías Fuentes Mora"},
      {Preposition::kA, "XYZ", "a XYZ"},
      {Preposition::kDe, "", "de "},
  };
  for (const Case& c : cases) EXPECT_EQ(WithArticle(c.p, c.name), c.expected) << c.name;
}

TEST(InstitutionArticleTest, IsCaseInsensitiveOnTheNounAndEmptyForNames) {
  EXPECT_EQ(InstitutionArticle("instituto de algo"), "el");
  EXPECT_EQ(InstitutionArticle("SECRETARÍA DE HACIENDA"), "la");
  EXPECT_EQ(InstitutionArticle("Órgano Interno de Control"), "el");
  EXPECT_EQ(InstitutionArticle("Verónica Itzel Paredes Núñez"), "");
  EXPECT_EQ(InstitutionArticle("La Red"), "");
}

TEST(PersonWithArticleTest, BareNamesNeverTakeAnArticleHonorificsTakeThePersonsGender) {
  struct Case {
    Preposition p;
    const char* name;
    Gender gender;
    const char* expected;
  };
  const Case cases[] = {
      {Preposition::kNone, "Gerardo Elías Fuentes Mora", Gender::kMasculine,
       "Gerardo Elías Fuentes Mora"},
      {Preposition::kA, "Gerardo Elías Fuentes Mora", Gender::kMasculine,
       "a Gerardo Elías Fuentes Mora"},
      {Preposition::kNone, "Araceli Núñez Castañeda", Gender::kFeminine, "Araceli Núñez Castañeda"},
      {Preposition::kNone, "Mtra. Verónica Itzel Paredes Núñez", Gender::kFeminine,
       "la Mtra. Verónica Itzel Paredes Núñez"},
      {Preposition::kNone, "Mtra. Verónica Itzel Paredes Núñez", Gender::kNeutral,
       "la Mtra. Verónica Itzel Paredes Núñez"},
      {Preposition::kA, "Mtro. Óscar Begoña Iturbide", Gender::kNeutral,
       "al Mtro. Óscar Begoña Iturbide"},
      {Preposition::kDe, "C. Julián Andrade Pineda", Gender::kMasculine,
       "del C. Julián Andrade Pineda"},
      {Preposition::kNone, "Lic. Rebeca Sandoval Mier", Gender::kFeminine,
       "la Lic. Rebeca Sandoval Mier"},
      // An epicene honorific and no recorded gender: no guess.
      {Preposition::kNone, "Lic. Rebeca Sandoval Mier", Gender::kNeutral,
       "Lic. Rebeca Sandoval Mier"},
      {Preposition::kA, "L.I. Adrián Medina Solórzano", Gender::kMasculine,
       "al L.I. Adrián Medina Solórzano"},
      {Preposition::kCon, "Dra. Natalia Cervantes Ochoa", Gender::kFeminine,
       "con la Dra. Natalia Cervantes Ochoa"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PersonWithArticle(c.p, c.name, c.gender), c.expected) << c.name;
  }
}

}  // namespace
}  // namespace rubrica::lang
