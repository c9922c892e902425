#include "rubrica/base/clock.h"

#include <gtest/gtest.h>

namespace rubrica {
namespace {

using namespace std::chrono;

TEST(ClockTest, ManualClockMovesOnlyWhenTold) {
  ManualClock c(sys_days(2026y / 11 / 21) + 12h);
  Instant t0 = c.Now();
  EXPECT_EQ(c.Now(), t0);
  c.Advance(90s);
  EXPECT_EQ(c.Now() - t0, 90s);
}

TEST(ClockTest, FormatsRfc3339) {
  Instant t = sys_days(2026y / 1 / 5) + 3h + 4min + 5s + 123456us;
  EXPECT_EQ(FormatRfc3339Utc(t), "2026-01-05T03:04:05Z");
  EXPECT_EQ(FormatRfc3339UtcMicros(t), "2026-01-05T03:04:05.123456Z");
}

TEST(ClockTest, ParsesRfc3339Variants) {
  struct Case {
    const char* text;
    Instant want;
  } cases[] = {
      {"2026-11-21T12:00:00Z", sys_days(2026y / 11 / 21) + 12h},
      {"2026-11-21T06:00:00-06:00", sys_days(2026y / 11 / 21) + 12h},
      {"2026-11-21T12:00:00.5Z", sys_days(2026y / 11 / 21) + 12h + 500ms},
      {"2026-11-21", Instant(sys_days(2026y / 11 / 21))},
      {"2026-11-21T12:00:00+14:00", sys_days(2026y / 11 / 20) + 22h},
      {"2026-11-21T12:00:00-12:00", sys_days(2026y / 11 / 22)},
      {"2026-11-21T12:00:00.123456789Z", sys_days(2026y / 11 / 21) + 12h + 123456us},
  };
  for (const auto& c : cases) {
    auto r = ParseRfc3339(c.text);
    ASSERT_TRUE(r.ok()) << c.text;
    EXPECT_EQ(*r, c.want) << c.text;
  }
  for (const char* bad : {"", "2026-13-01", "2026-02-30", "2026-11-21T25:00:00Z",
                          "2026-11-21T12:00:00", "yesterday", "2026-11-21T12:00:00Zjunk",
                          // strict fields: leap seconds, offsets past ±14:00, minutes past 59,
                          // more than nanoseconds
                          "2026-11-21T12:00:60Z", "2026-11-21T12:00:00+99:99", "2026-11-21T12:00:00-14:01",
                          "2026-11-21T12:00:00+05:60", "2026-11-21T12:60:00Z",
                          "2026-11-21T12:00:00.1234567890Z", "2026-11-21T12:00:00.Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace rubrica
