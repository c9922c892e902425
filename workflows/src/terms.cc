#include "terms.h"

#include <set>

#include "dates.h"
#include "refusal.h"

namespace rubrica::workflows {

Result<TermRole> ParseTermRole(std::string_view name) {
  if (name == "titular") return TermRole::kTitular;
  if (name == "substitute") return TermRole::kSubstitute;
  if (name == "facilitator") return TermRole::kFacilitator;
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_role",
                       "stored term role '" + std::string(name) + "' is unknown");
}

Result<TermRecord> ReadTerm(const store::Statement& st) {
  TermRecord t;
  t.id = st.ColumnInt(0);
  t.secretariat_id = st.ColumnInt(1);
  if (!st.ColumnIsNull(2)) t.seat_id = st.ColumnInt(2);
  t.person_id = st.ColumnInt(3);
  ASSIGN_OR_RETURN(t.role, ParseTermRole(st.ColumnText(4)));
  ASSIGN_OR_RETURN(t.starts_on, ParseStoredDate(st.ColumnText(5)));
  ASSIGN_OR_RETURN(t.ends_on, ParseStoredDate(st.ColumnText(6)));
  t.reelection_count = static_cast<int>(st.ColumnInt(7));
  if (!st.ColumnIsNull(8)) {
    ASSIGN_OR_RETURN(t.removed_on, ParseStoredDate(st.ColumnText(8)));
  }
  return t;
}

Result<TermRecord> LoadTerm(store::Transaction& tx, int64_t term_id) {
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT " + std::string(kTermColumns) +
                                                   " FROM wf_term t WHERE t.id = ?"));
  st.Bind(1, term_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("term", "el periodo de integrante", term_id);
  return ReadTerm(st);
}

Result<std::vector<TermRecord>> LoadTermsInForce(store::Transaction& tx, int64_t secretariat_id,
                                                 std::chrono::year_month_day date) {
  ASSIGN_OR_RETURN(
      store::Statement st,
      tx.Prepare("SELECT " + std::string(kTermColumns) +
                 " FROM wf_term t WHERE t.secretariat_id = ?1 AND t.starts_on <= ?2 "
                 "AND t.ends_on >= ?2 AND (t.removed_on IS NULL OR t.removed_on > ?2) "
                 "ORDER BY t.seat_id IS NULL, t.seat_id, "
                 "CASE t.role WHEN 'titular' THEN 0 WHEN 'substitute' THEN 1 ELSE 2 END, t.id"));
  st.Bind(1, secretariat_id).Bind(2, FormatDate(date));
  std::vector<TermRecord> terms;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(TermRecord t, ReadTerm(st));
    terms.push_back(std::move(t));
  }
  return terms;
}

int CountSeats(const std::vector<TermRecord>& terms) {
  std::set<int64_t> seats;
  for (const auto& t : terms) {
    if (t.seat_id) seats.insert(*t.seat_id);
  }
  return static_cast<int>(seats.size());
}

Result<PersonRow> LoadPerson(store::Transaction& tx, int64_t person_id) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT id, full_name, title, gender FROM wf_person WHERE id = ?"));
  st.Bind(1, person_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("person", "la persona", person_id);
  return PersonRow{st.ColumnInt(0), st.ColumnText(1), st.ColumnText(2),
                   StoredGender(st.ColumnText(3))};
}

lang::Gender StoredGender(std::string_view name) {
  return lang::ParseGender(name).value_or(lang::Gender::kNeutral);
}

Result<std::string> SeatRepresents(store::Transaction& tx, int64_t seat_id) {
  if (seat_id == 0) return std::string();
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT represents FROM wf_seat WHERE id = ?"));
  st.Bind(1, seat_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("seat", "el asiento", seat_id);
  return st.ColumnText(0);
}

}  // namespace rubrica::workflows
