// Ordinals in words, as actas number their sessions.
#include "rubrica/lang/ordinals.h"

#include <gtest/gtest.h>

namespace rubrica::lang {
namespace {

TEST(OrdinalInWordsTest, AgreesWithTheNounsGender) {
  struct Case {
    int64_t n;
    Gender gender;
    const char* expected;
  };
  const Case cases[] = {
      {1, Gender::kFeminine, "primera"},
      {1, Gender::kMasculine, "primero"},
      {1, Gender::kNeutral, "primero"},
      {2, Gender::kFeminine, "segunda"},
      {3, Gender::kFeminine, "tercera"},
      {7, Gender::kFeminine, "séptima"},
      {9, Gender::kMasculine, "noveno"},
      {10, Gender::kFeminine, "décima"},
      {11, Gender::kFeminine, "décima primera"},
      {12, Gender::kMasculine, "décimo segundo"},
      {20, Gender::kFeminine, "vigésima"},
      {21, Gender::kFeminine, "vigésima primera"},
      {24, Gender::kFeminine, "vigésima cuarta"},
      {36, Gender::kMasculine, "trigésimo sexto"},
      {99, Gender::kFeminine, "nonagésima novena"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(OrdinalInWords(c.n, c.gender), c.expected) << c.n;
  }
}

TEST(OrdinalInWordsTest, OutOfRangeComesBackAsDigits) {
  EXPECT_EQ(OrdinalInWords(0, Gender::kFeminine), "0ª");
  EXPECT_EQ(OrdinalInWords(100, Gender::kFeminine), "100ª");
  EXPECT_EQ(OrdinalInWords(-3, Gender::kMasculine), "-3º");
}

}  // namespace
}  // namespace rubrica::lang
