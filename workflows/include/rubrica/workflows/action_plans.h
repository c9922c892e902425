// The action plan of a secretariat (Plan de Acción Local for an STL, Municipal for an
// STM; seed II.2-3, II.6): commitments, their activities and progress.
//
// The facilitator creates plans, commitments and activities; progress is reported by the
// facilitator or the activity's owner, as a percentage 0..100 with a note, each report
// kept. A commitment's progress is the mean of its activities' progress (0 when none).
// Audited; a refusal writes nothing. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/actor.h"

namespace rubrica::workflows {

struct ActivityRecord {
  int64_t id = 0;
  std::string title;
  std::optional<int64_t> owner_person_id;
  std::chrono::year_month_day due_on;
  int progress = 0;  // percent
};

struct CommitmentRecord {
  int64_t id = 0;
  std::string title;
  int progress = 0;  // mean of the activities, rounded down
  std::vector<ActivityRecord> activities;
};

struct PlanRecord {
  int64_t id = 0;
  int64_t secretariat_id = 0;
  std::string title;  // "Plan de Acción Municipal 2023-2024"
  std::vector<CommitmentRecord> commitments;
};

class ActionPlans {
 public:
  ActionPlans(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// Facilitator. Returns the plan id.
  Result<int64_t> CreatePlan(const Actor& actor, int64_t secretariat_id, const std::string& title);
  Result<int64_t> AddCommitment(const Actor& actor, int64_t plan_id, const std::string& title);
  Result<int64_t> AddActivity(const Actor& actor, int64_t commitment_id, const std::string& title,
                              std::optional<int64_t> owner_person_id,
                              std::chrono::year_month_day due_on);
  /// Facilitator or the activity's owner. `percent` 0..100 (workflows.bad_input); progress
  /// may go down (a report may correct an earlier one).
  Status ReportProgress(const Actor& actor, int64_t activity_id, int percent,
                        const std::string& note);
  Result<PlanRecord> Get(int64_t plan_id) const;
  /// The plans of a secretariat, by id. workflows.not_found for an unknown secretariat.
  Result<std::vector<PlanRecord>> List(int64_t secretariat_id) const;

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace rubrica::workflows
