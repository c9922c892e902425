// Injected time. Every rule that depends on "now" (deadlines, same-day signing, key
// lock-outs, ticket expiry) takes a Clock, so tests run on any date.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "rubrica/base/status.h"

namespace rubrica {

/// An instant, UTC, microsecond precision.
using Instant = std::chrono::sys_time<std::chrono::microseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  /// The current instant. Must be thread-safe.
  virtual Instant Now() const = 0;
};

/// The system's wall clock.
class SystemClock final : public Clock {
 public:
  Instant Now() const override;
};

/// A clock that moves only when told. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : micros_(start.time_since_epoch().count()) {}
  Instant Now() const override { return Instant(std::chrono::microseconds(micros_.load())); }
  void Set(Instant t) { micros_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::microseconds d) { micros_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> micros_;
};

/// Microseconds since the Unix epoch, and back: how the SQLite tables store instants
/// (INTEGER columns named *_us).
inline int64_t UnixMicros(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromUnixMicros(int64_t us) { return Instant(std::chrono::microseconds(us)); }

/// RFC 3339 in UTC with a Z suffix, e.g. "2026-11-21T18:04:05Z" (seconds precision).
std::string FormatRfc3339Utc(Instant t);
/// Same, with microseconds ("2026-11-21T18:04:05.123456Z").
std::string FormatRfc3339UtcMicros(Instant t);
/// Parses RFC 3339 ("2026-11-21T12:00:00Z", "...-06:00", optional fraction of up to 9
/// digits, kept to the microsecond) or a bare date ("2026-11-21", taken as 00:00 UTC).
/// Strict: every field in range (a real calendar day, hour 0-23, minute and second 0-59:
/// leap seconds are not accepted), offsets within ±14:00. base.bad_time otherwise.
Result<Instant> ParseRfc3339(std::string_view text);

}  // namespace rubrica
