#include "rubrica/base/time_zone.h"

#include <gtest/gtest.h>

namespace rubrica {
namespace {

using namespace std::chrono;

TEST(TimeZoneTest, MexicoCityIsUtcMinusSixWithoutDstSince2022) {
  auto tz = TimeZone::Load("America/Mexico_City");
  ASSERT_TRUE(tz.ok()) << tz.status().ToString();
  // July 2026: no DST any more.
  EXPECT_EQ(tz->OffsetAt(sys_days(2026y / 7 / 1)), -6h);
  EXPECT_EQ(tz->OffsetAt(sys_days(2026y / 12 / 1)), -6h);
}

TEST(TimeZoneTest, MexicoCityHadDstBefore2022) {
  auto tz = TimeZone::Load("America/Mexico_City");
  ASSERT_TRUE(tz.ok());
  // July 2021 was still CDT (UTC-5). Needs Debian's tzdata (installed by scripts/setup.sh).
  EXPECT_EQ(tz->OffsetAt(sys_days(2021y / 7 / 1)), -5h);
}

TEST(TimeZoneTest, LocalDateCrossesMidnight) {
  auto tz = TimeZone::Load("America/Mexico_City");
  ASSERT_TRUE(tz.ok());
  // 2026-11-22 05:59 UTC is still 2026-11-21 23:59 in Mexico City.
  Instant late = sys_days(2026y / 11 / 22) + 5h + 59min;
  EXPECT_EQ(tz->LocalDate(late), 2026y / 11 / 21);
  EXPECT_EQ(tz->LocalDate(late + 1min), 2026y / 11 / 22);
  EXPECT_EQ(tz->FormatLocal(late), "2026-11-21 23:59:00 -06:00");
}

TEST(TimeZoneTest, FromLocalInvertsToLocal) {
  auto tz = TimeZone::Load("America/Mexico_City");
  ASSERT_TRUE(tz.ok());
  local_seconds noon = local_days(2026y / 3 / 16) + 12h;
  Instant t = tz->FromLocal(noon);
  EXPECT_EQ(t, Instant(sys_days(2026y / 3 / 16) + 18h));
  EXPECT_EQ(tz->ToLocal(t), noon);
}

TEST(TimeZoneTest, TijuanaFollowsUsDst) {
  auto tz = TimeZone::Load("America/Tijuana");
  ASSERT_TRUE(tz.ok()) << tz.status().ToString();
  EXPECT_EQ(tz->OffsetAt(sys_days(2026y / 7 / 1)), -7h);
  EXPECT_EQ(tz->OffsetAt(sys_days(2026y / 12 / 1)), -8h);
}

TEST(TimeZoneTest, UnknownZoneIsAnError) {
  EXPECT_EQ(TimeZone::Load("Mars/Olympus_Mons").status().code(), "base.unknown_time_zone");
  EXPECT_EQ(TimeZone::Load("../etc/passwd").status().code(), "base.unknown_time_zone");
}

}  // namespace
}  // namespace rubrica
