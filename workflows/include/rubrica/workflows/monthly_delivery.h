// The monthly obligation (seed III.8; STL V.5): every acta of a month is due to the
// secretariat's agency (the one in force on the acta's date) by the last day of that
// month, in the secretariat's zone.
//
// For a month the schedule lists every acta dated in it and every session held (opened)
// in it that has no minute yet, each with its status and the reasons it is not delivered:
//   no_minute           the session was held but no minute was drafted
//   not_approved        the acta is still in draft or review
//   signatures_missing  approved, but a required signer has not rubricated or signed
//   not_archived        complete but not sealed
//   not_delivered       archived but not delivered
//   no_agency           no agency is configured for the acta's date
// Read-only; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/database.h"

namespace rubrica::workflows {

enum class ObligationStatus {
  kPending,          // not delivered; the due date has not passed
  kLate,             // not delivered; the due date has passed
  kDeliveredOnTime,  // delivered on or before the due date
  kDeliveredLate,    // delivered after the due date
};
std::string_view ObligationStatusName(ObligationStatus s);  // "pending", "late", ...

struct Obligation {
  std::optional<int64_t> acta_id;
  std::optional<int64_t> session_id;
  std::string title;
  std::chrono::year_month_day acta_date;
  std::chrono::year_month_day due_on;  // last day of the acta's month
  std::string agency;                  // empty when none is configured
  std::string state;                   // acta state name, or "no_minute"
  ObligationStatus status = ObligationStatus::kPending;
  std::vector<std::string> reasons;  // codes above; empty when delivered
  std::string explanation_es;        // one Spanish sentence for people
};

class MonthlyDelivery {
 public:
  MonthlyDelivery(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// What is due for `month`, oldest first.
  Result<std::vector<Obligation>> ForMonth(int64_t secretariat_id,
                                           std::chrono::year_month month) const;
  /// Every late obligation of the secretariat, as of the clock's today.
  Result<std::vector<Obligation>> Late(int64_t secretariat_id) const;

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace rubrica::workflows
