// Civil time in a named IANA zone, read from the system's TZif files
// (/usr/share/zoneinfo, Debian's tzdata). No global state, no TZ variable, no localtime():
// safe from any thread.
//
// The secretariats' default zone is America/Mexico_City (UTC-6, no DST since 2022-10-30);
// border municipalities use their own (America/Tijuana, America/Matamoros, ...).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"

namespace rubrica {

class TimeZone {
 public:
  /// Loads `name` ("America/Mexico_City") from `zoneinfo_dir`. Fails with
  /// base.unknown_time_zone when the file is missing or not a valid TZif file. When tzdata
  /// is not installed, America/Mexico_City and UTC still load from built-in rules.
  static Result<TimeZone> Load(const std::string& name,
                               const std::string& zoneinfo_dir = "/usr/share/zoneinfo");
  /// UTC (offset 0).
  static TimeZone Utc();

  const std::string& name() const { return name_; }
  /// Offset from UTC at instant `t` (e.g. -6 h for Mexico City in 2026).
  std::chrono::seconds OffsetAt(Instant t) const;
  /// The local calendar date at `t`.
  std::chrono::year_month_day LocalDate(Instant t) const;
  /// The local wall-clock time at `t`, as a "local seconds" time point.
  std::chrono::local_seconds ToLocal(Instant t) const;
  /// The UTC instant of local wall time `local`. In a gap or overlap (DST switch) the
  /// earlier offset wins.
  Instant FromLocal(std::chrono::local_seconds local) const;
  /// "2026-11-21 12:04:05 -06:00".
  std::string FormatLocal(Instant t) const;

 private:
  struct Transition {
    int64_t at;      // UTC seconds
    int32_t offset;  // seconds east of UTC from `at` on
  };
  std::string name_;
  int32_t initial_offset_ = 0;
  std::vector<Transition> transitions_;  // sorted by `at`
};

}  // namespace rubrica
