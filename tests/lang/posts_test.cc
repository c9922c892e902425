// Posts in the person's grammatical gender: what the PDF, the e-mails and the API messages
// print for a member's capacity and title.
#include "rubrica/lang/posts.h"

#include <gtest/gtest.h>

#include "rubrica/lang/text.h"

namespace rubrica::lang {
namespace {

struct PostCase {
  Post post;
  Gender gender;
  const char* expected;
};

TEST(PostNameTest, WritesEachPostInTheGenderRecordedAndNeutralWhenUnknown) {
  const PostCase cases[] = {
      {Post::kFacilitador, Gender::kFeminine, "facilitadora"},
      {Post::kFacilitador, Gender::kMasculine, "facilitador"},
      {Post::kFacilitador, Gender::kNeutral, "persona facilitadora"},
      {Post::kSuscriptor, Gender::kFeminine, "suscriptora"},
      {Post::kSuscriptor, Gender::kMasculine, "suscriptor"},
      {Post::kSuscriptor, Gender::kNeutral, "persona suscriptora"},
      {Post::kObservador, Gender::kFeminine, "observadora"},
      {Post::kObservador, Gender::kNeutral, "persona observadora"},
      {Post::kTitular, Gender::kFeminine, "titular"},
      {Post::kTitular, Gender::kNeutral, "titular"},
      {Post::kSuplente, Gender::kMasculine, "suplente"},
      {Post::kSuplente, Gender::kNeutral, "suplente"},
      {Post::kIntegrante, Gender::kFeminine, "integrante"},
  };
  for (const PostCase& c : cases) {
    EXPECT_EQ(PostName(c.post, c.gender), c.expected)
        << static_cast<int>(c.post) << " " << GenderName(c.gender);
  }
}

TEST(PostNameTest, CapitalisedOnItsOwnLineLowerCaseInText) {
  EXPECT_EQ(CapitalizeFirst(PostName(Post::kFacilitador, Gender::kFeminine)), "Facilitadora");
  EXPECT_EQ(CapitalizeFirst(PostName(Post::kSuscriptor, Gender::kNeutral)), "Persona suscriptora");
  EXPECT_EQ("la " + PostName(Post::kFacilitador, Gender::kFeminine) + " declaró",
            "la facilitadora declaró");
}

TEST(PostFromNameTest, ReadsApiCodesAndEverySpanishForm) {
  struct Case {
    const char* name;
    std::optional<Post> post;
  };
  const Case cases[] = {
      {"titular", Post::kTitular},
      {"substitute", Post::kSuplente},
      {"suplente", Post::kSuplente},
      {"Suplente", Post::kSuplente},
      {"facilitator", Post::kFacilitador},
      {"facilitadora", Post::kFacilitador},
      {"Persona facilitadora", Post::kFacilitador},
      {"subscriber", Post::kSuscriptor},
      {"suscriptora", Post::kSuscriptor},
      {"member", Post::kIntegrante},
      {"observer", Post::kObservador},
      {"Secretario", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(PostFromName(c.name), c.post) << c.name;
}

TEST(AgreePostTest, AgreesLeadingPostNounsAndKeepsTheRestAsWritten) {
  struct Case {
    const char* post;
    Gender gender;
    const char* expected;
  };
  const Case cases[] = {
      {"Comisionado Presidente del IMAIP", Gender::kFeminine, "Comisionada Presidenta del IMAIP"},
      {"Comisionada Presidenta del IMAIP", Gender::kMasculine, "Comisionado Presidente del IMAIP"},
      {"Subcoordinador de Estado Abierto y Transparencia Proactiva y Enlace del IMAIP",
       Gender::kFeminine,
       "Subcoordinadora de Estado Abierto y Transparencia Proactiva y Enlace del IMAIP"},
      {"Secretario del Ayuntamiento de Zamora, Michoacán", Gender::kFeminine,
       "Secretaria del Ayuntamiento de Zamora, Michoacán"},
      {"Presidente Municipal de Zamora", Gender::kFeminine, "Presidenta Municipal de Zamora"},
      {"Directora de Innovación Gubernamental", Gender::kFeminine,
       "Directora de Innovación Gubernamental"},
      {"Representante suplente de la Academia", Gender::kFeminine,
       "Representante suplente de la Academia"},
      {"Enlace Responsable de la Unidad de Transparencia", Gender::kFeminine,
       "Enlace Responsable de la Unidad de Transparencia"},
      {"facilitador", Gender::kFeminine, "facilitadora"},
      {"Secretario Técnico", Gender::kFeminine, "Secretaria Técnica"},
      // Unknown gender: people's own words are never rewritten.
      {"Comisionado Presidente del IMAIP", Gender::kNeutral, "Comisionado Presidente del IMAIP"},
      // Words that are not posts stop the agreement ("Jefe" inside a name is not agreed).
      {"Coordinador del Programa Jefe Municipal", Gender::kFeminine,
       "Coordinadora del Programa Jefe Municipal"},
      {"", Gender::kFeminine, ""},
  };
  for (const Case& c : cases) EXPECT_EQ(AgreePost(c.post, c.gender), c.expected) << c.post;
}

TEST(GenderTest, NamesRoundTripAndOthersAreRefused) {
  for (Gender g : {Gender::kNeutral, Gender::kFeminine, Gender::kMasculine}) {
    EXPECT_EQ(ParseGender(GenderName(g)), g);
  }
  EXPECT_EQ(GenderName(Gender::kFeminine), "femenino");
  EXPECT_EQ(GenderName(Gender::kMasculine), "masculino");
  EXPECT_EQ(GenderName(Gender::kNeutral), "neutro");
  for (const char* bad : {"", "Femenino", "female", "f", "otro"}) {
    EXPECT_EQ(ParseGender(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace rubrica::lang
