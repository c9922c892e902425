// A secretariat ready for tests: a real SQLite database (audit + workflows migrations) in a
// temporary directory, a ManualClock, a blob store, the engine double, and the people of
// an STL (three seats) or a Zamora-shaped STM (five seats), each seat with a titular and a
// substitute, plus a facilitator. Every name is fictional.
//
// Times are given in the secretariat's zone (America/Mexico_City, UTC-6 in 2026).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fake_engine.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/workflows.h"
#include "support/test_support.h"

namespace rubrica::workflows::testing {

using namespace std::chrono;

enum class Shape { kStl, kStm };

/// Records log events (for the same-date warning).
class CapturingLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view event, const std::vector<LogField>&) override {
    if (level >= LogLevel::kWarn) warnings.emplace_back(event);
  }
  std::vector<std::string> warnings;
};

struct SeatPeople {
  int64_t seat = 0;
  std::string member_type;
  int64_t titular = 0;
  int64_t substitute = 0;
  int64_t titular_term = 0;
  int64_t substitute_term = 0;
};

/// The day the test secretariats are installed and their terms begin.
inline constexpr year_month_day kInstalled = 2026y / January / 5;

/// A PIN credential (the fake engine takes any PIN but the empty one).
inline SigningCredential Pin(std::string_view pin) {
  return SigningCredential::Pin(SecretString::Copy(pin));
}

class World {
 public:
  explicit World(Shape shape, const std::function<void(SecretariatConfig&)>& tweak = {});

  Workflows& wf() { return *wf_; }
  store::Database& db() { return *db_; }
  const store::BlobStore& blobs() const { return *blobs_; }
  const std::string& db_path() const { return db_path_; }

  /// The instant of local wall time `d` `h`:`m` in America/Mexico_City.
  Instant Local(year_month_day d, int h, int m = 0) const;
  /// Sets the clock to that instant.
  void SetLocal(year_month_day d, int h, int m = 0) { clock.Set(Local(d, h, m)); }

  Actor Facilitator() const { return Actor::Person(facilitator); }
  /// The titular of the organismo garante seat.
  Actor Garante() const;
  const SeatPeople& SeatOf(const std::string& member_type) const;

  /// Convenes an ordinary session on `date` at 10:00 (the clock moved forward to 14 days
  /// before when it is earlier; never moved back), records
  /// `attendees`, opens it and records the agenda approval by every seat present. Leaves
  /// the clock at `date` 10:30 and the session open. Fails the test on any refusal.
  int64_t OpenSession(year_month_day date, const std::vector<int64_t>& attendees,
                      const std::vector<std::string>& agenda = {"Lista de asistencia",
                                                                "Seguimiento del plan de acción"});
  /// The convener (garante or facilitator, by the secretariat's rules).
  Actor Convener() const;
  Actor Presider() const;

  /// Every titular / every seat's present person, as VoteInputs with one choice.
  std::vector<VoteInput> Votes(const std::vector<int64_t>& people,
                               VoteChoice c = VoteChoice::kYes) const;
  std::vector<int64_t> Titulars() const;

  ManualClock clock{sys_days(kInstalled)};
  FakeEngine* engine = nullptr;
  CapturingLogger logger;
  Shape shape;
  int64_t secretariat = 0;
  std::vector<SeatPeople> seats;
  int64_t facilitator = 0;
  int64_t facilitator_term = 0;
  int64_t outsider = 0;  // a registered person with no term (an observer, say)
  std::map<int64_t, std::string> names;

 private:
  rubrica::testing::TempDir dir_;
  std::string db_path_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::BlobStore> blobs_;
  std::unique_ptr<FakeEngine> engine_;
  std::unique_ptr<Workflows> wf_;
  TimeZone zone_ = TimeZone::Utc();
};

/// Every row of every table of the database at `path`, as text (read through a separate
/// read-only connection), and the number of audit entries.
struct DbSnapshot {
  std::string dump;
  int64_t audit_entries = 0;
  std::map<std::string, int64_t> rows;  // table -> row count
};
DbSnapshot Snapshot(const std::string& db_path);

/// Runs `op` and expects a refusal with `code`, an English and a specific Spanish message,
/// and the database (every row of every table, the audit log) unchanged.
void ExpectRefusal(World& w, const std::string& code, const std::function<Status()>& op);

}  // namespace rubrica::workflows::testing
