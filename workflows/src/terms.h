// Reading terms and people inside a transaction (shared by people, sessions and actas).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/people.h"

namespace rubrica::workflows {

/// The columns ReadTerm expects, in order, for a query over `wf_term t`.
inline constexpr std::string_view kTermColumns =
    "t.id, t.secretariat_id, t.seat_id, t.person_id, t.role, t.starts_on, t.ends_on, "
    "t.reelection_count, t.removed_on";

Result<TermRecord> ReadTerm(const store::Statement& st);
Result<TermRole> ParseTermRole(std::string_view name);
Result<TermRecord> LoadTerm(store::Transaction& tx, int64_t term_id);

/// Terms of `secretariat_id` in force on `date`: by seat (titular, then substitute), then
/// the facilitator's.
Result<std::vector<TermRecord>> LoadTermsInForce(store::Transaction& tx, int64_t secretariat_id,
                                                 std::chrono::year_month_day date);
/// Seats with a titular or a substitute among `terms`.
int CountSeats(const std::vector<TermRecord>& terms);

struct PersonRow {
  int64_t id = 0;
  std::string full_name;
  std::string title;
  lang::Gender gender = lang::Gender::kNeutral;
};
/// The gender stored in wf_person (a CHECK constraint keeps it one of the three names).
lang::Gender StoredGender(std::string_view name);
/// workflows.not_found when absent.
Result<PersonRow> LoadPerson(store::Transaction& tx, int64_t person_id);

/// The institution or sector a seat represents ("" when `seat_id` is 0).
Result<std::string> SeatRepresents(store::Transaction& tx, int64_t seat_id);

}  // namespace rubrica::workflows
