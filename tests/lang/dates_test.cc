// Dates and times written out the same way everywhere, and in words as actas write them.
#include "rubrica/lang/dates.h"

#include <gtest/gtest.h>

#include "rubrica/lang/numbers.h"

namespace rubrica::lang {
namespace {

using namespace std::chrono;

TEST(DateEsTest, WritesDayMonthYear) {
  struct Case {
    year_month_day date;
    const char* expected;
  };
  const Case cases[] = {
      {2023y / March / 16, "16 de marzo de 2023"},
      {2022y / November / 14, "14 de noviembre de 2022"},
      {2024y / January / 1, "1 de enero de 2024"},
      {2026y / September / 30, "30 de septiembre de 2026"},
      {2023y / December / 31, "31 de diciembre de 2023"},
  };
  for (const Case& c : cases) EXPECT_EQ(DateEs(c.date), c.expected);
}

Instant Utc(year_month_day d, int h, int m) {
  return Instant(sys_days(d).time_since_epoch() + hours(h) + minutes(m));
}

TEST(DateTimeEsTest, WritesLocalDateTimeAndOffset) {
  const TimeZone mexico = *TimeZone::Load("America/Mexico_City");
  const TimeZone utc = TimeZone::Utc();
  struct Case {
    Instant t;
    const TimeZone* zone;
    const char* expected;
  };
  const Case cases[] = {
      // 23:08 UTC is 17:08 in Mexico City (UTC-6, no DST since 2022).
      {Utc(2023y / March / 16, 23, 8), &mexico, "16 de marzo de 2023, 17:08 h (UTC\u22126)"},
      // Late at night UTC is still the previous day in Mexico.
      {Utc(2022y / November / 15, 3, 5), &mexico, "14 de noviembre de 2022, 21:05 h (UTC\u22126)"},
      {Utc(2022y / November / 14, 16, 25), &mexico,
       "14 de noviembre de 2022, 10:25 h (UTC\u22126)"},
      // Summer time before 2022: UTC-5.
      {Utc(2021y / July / 1, 15, 0), &mexico, "1 de julio de 2021, 10:00 h (UTC\u22125)"},
      {Utc(2023y / March / 16, 9, 0), &utc, "16 de marzo de 2023, 9:00 h (UTC)"},
  };
  for (const Case& c : cases) EXPECT_EQ(DateTimeEs(c.t, *c.zone), c.expected);
}

TEST(UtcOffsetEsTest, UsesTheMinusSignAndMinutesWhenAny) {
  EXPECT_EQ(UtcOffsetEs(hours(-6)), "UTC\u22126");
  EXPECT_EQ(UtcOffsetEs(hours(-8)), "UTC\u22128");
  EXPECT_EQ(UtcOffsetEs(hours(1)), "UTC+1");
  EXPECT_EQ(UtcOffsetEs(hours(5) + minutes(30)), "UTC+5:30");
  EXPECT_EQ(UtcOffsetEs(-(hours(3) + minutes(30))), "UTC\u22123:30");
  EXPECT_EQ(UtcOffsetEs(seconds(0)), "UTC");
}

TEST(DateInWordsTest, WritesDatesAsTheSeedsDo) {
  struct Case {
    year_month_day date;
    const char* expected;
  };
  const Case cases[] = {
      {2022y / November / 14, "catorce de noviembre de dos mil veintidós"},
      {2016y / May / 16, "dieciséis de mayo de dos mil dieciséis"},
      {2023y / March / 21, "veintiuno de marzo de dos mil veintitrés"},
      {2024y / February / 1, "primero de febrero de dos mil veinticuatro"},
      {2030y / October / 26, "veintiséis de octubre de dos mil treinta"},
      {2000y / June / 30, "treinta de junio de dos mil"},
      {2101y / August / 31, "treinta y uno de agosto de dos mil ciento uno"},
  };
  for (const Case& c : cases) EXPECT_EQ(DateInWords(c.date), c.expected);
}

TEST(TimeInWordsTest, WritesHoursAndMinutes) {
  struct Case {
    int h, m;
    const char* expected;
  };
  const Case cases[] = {
      {10, 25, "diez horas con veinticinco minutos"},
      {14, 35, "catorce horas con treinta y cinco minutos"},
      {1, 0, "una hora"},
      {13, 1, "trece horas con un minuto"},
      {21, 21, "veintiuna horas con veintiún minutos"},
      {0, 31, "cero horas con treinta y un minutos"},
      {17, 0, "diecisiete horas"},
  };
  for (const Case& c : cases) EXPECT_EQ(TimeInWords(c.h, c.m), c.expected);
}

TEST(NumberInWordsTest, CardinalsStandaloneAndBeforeANoun) {
  struct Case {
    int64_t n;
    const char* standalone;
    const char* before_noun;
  };
  const Case cases[] = {
      {0, "cero", "cero"},
      {1, "uno", "un"},
      {15, "quince", "quince"},
      {16, "dieciséis", "dieciséis"},
      {21, "veintiuno", "veintiún"},
      {22, "veintidós", "veintidós"},
      {23, "veintitrés", "veintitrés"},
      {31, "treinta y uno", "treinta y un"},
      {99, "noventa y nueve", "noventa y nueve"},
      {100, "cien", "cien"},
      {101, "ciento uno", "ciento un"},
      {115, "ciento quince", "ciento quince"},
      {500, "quinientos", "quinientos"},
      {999, "novecientos noventa y nueve", "novecientos noventa y nueve"},
      {1000, "mil", "mil"},
      {1001, "mil uno", "mil un"},
      {2022, "dos mil veintidós", "dos mil veintidós"},
      {21000, "veintiún mil", "veintiún mil"},
      {100000, "cien mil", "cien mil"},
      {101000, "ciento un mil", "ciento un mil"},
      {1000000, "un millón", "un millón"},
      {2500000, "dos millones quinientos mil", "dos millones quinientos mil"},
      {21000000, "veintiún millones", "veintiún millones"},
      {-3, "-3", "-3"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NumberInWords(c.n), c.standalone) << c.n;
    EXPECT_EQ(NumberInWordsBeforeNoun(c.n), c.before_noun) << c.n;
  }
}

TEST(MonthNameTest, NamesTwelveMonthsAndNothingElse) {
  EXPECT_EQ(MonthName(1), "enero");
  EXPECT_EQ(MonthName(9), "septiembre");
  EXPECT_EQ(MonthName(12), "diciembre");
  EXPECT_EQ(MonthName(0), "");
  EXPECT_EQ(MonthName(13), "");
}

}  // namespace
}  // namespace rubrica::lang
