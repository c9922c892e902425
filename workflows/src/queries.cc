// Read-only listings the HTTP API shows: every secretariat, person, seat, session, plan
// and acta of a scope, and what a person is in a secretariat today. Each listing reads in
// one transaction, except plans, whose loader opens its own.
#include "acta_rows.h"
#include "context.h"
#include "refusal.h"
#include "rubrica/workflows/action_plans.h"
#include "rubrica/workflows/actas.h"
#include "rubrica/workflows/people.h"
#include "rubrica/workflows/secretariats.h"
#include "rubrica/workflows/sessions.h"
#include "session_rows.h"
#include "terms.h"

namespace rubrica::workflows {

namespace {

// Ids of the rows `sql` (one bound secretariat id) selects. The statement ends before the
// caller loads each row with statements of its own.
Result<std::vector<int64_t>> Ids(store::Transaction& tx, std::string_view sql,
                                 std::optional<int64_t> secretariat_id) {
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare(sql));
  if (secretariat_id) st.Bind(1, *secretariat_id);
  std::vector<int64_t> ids;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ids.push_back(st.ColumnInt(0));
  }
  return ids;
}

// workflows.not_found unless the secretariat exists (an empty list must mean "none yet").
Status RequireSecretariat(store::Transaction& tx, int64_t secretariat_id) {
  ASSIGN_OR_RETURN(auto ids, Ids(tx, "SELECT id FROM wf_secretariat WHERE id = ?", secretariat_id));
  if (ids.empty()) return NotFound("secretariat", "el secretariado", secretariat_id);
  return Status::Ok();
}

}  // namespace

Result<std::vector<SecretariatRecord>> Secretariats::List() const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(auto ids, Ids(tx, "SELECT id FROM wf_secretariat ORDER BY id", std::nullopt));
  std::vector<SecretariatRecord> out;
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, id));
    SecretariatRecord r{id, std::move(s.config)};
    ASSIGN_OR_RETURN(r.config.agencies, LoadAgencies(tx, id));
    ASSIGN_OR_RETURN(r.config.extra_holidays, LoadHolidays(tx, id));
    out.push_back(std::move(r));
  }
  return out;
}

Result<PersonRecord> People::GetPerson(int64_t person_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT id, full_name, title, email, gender FROM wf_person WHERE id = ?"));
  st.Bind(1, person_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("person", "la persona", person_id);
  return PersonRecord{st.ColumnInt(0), st.ColumnText(1), st.ColumnText(2), st.ColumnText(3),
                      StoredGender(st.ColumnText(4))};
}

Result<std::vector<PersonRecord>> People::ListPeople() const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT id, full_name, title, email, gender FROM wf_person ORDER BY id"));
  std::vector<PersonRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.ColumnInt(0), st.ColumnText(1), st.ColumnText(2), st.ColumnText(3),
                   StoredGender(st.ColumnText(4))});
  }
  return out;
}

Result<std::vector<SeatRecord>> People::Seats(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  RETURN_IF_ERROR(RequireSecretariat(tx, secretariat_id));
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT id, secretariat_id, member_type, represents FROM wf_seat "
                              "WHERE secretariat_id = ? ORDER BY id"));
  st.Bind(1, secretariat_id);
  std::vector<SeatRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.ColumnInt(0), st.ColumnInt(1), st.ColumnText(2), st.ColumnText(3)});
  }
  return out;
}

Result<RolesToday> People::RolesOf(const Actor& actor, int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(Authorized auth, Authorize(tx, clock_, secretariat_id, actor, 0, "", ""));
  return RolesToday{auth.roles.administrator, auth.roles.facilitator, auth.roles.garante,
                    auth.roles.seat};
}

Result<std::vector<SessionRecord>> Sessions::List(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  RETURN_IF_ERROR(RequireSecretariat(tx, secretariat_id));
  ASSIGN_OR_RETURN(auto ids, Ids(tx,
                                 "SELECT id FROM wf_session WHERE secretariat_id = ? "
                                 "ORDER BY starts_at, id",
                                 secretariat_id));
  std::vector<SessionRecord> out;
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(SessionRecord s, LoadSession(tx, id));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<PlanRecord>> ActionPlans::List(int64_t secretariat_id) const {
  std::vector<int64_t> ids;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
    RETURN_IF_ERROR(RequireSecretariat(tx, secretariat_id));
    ASSIGN_OR_RETURN(ids, Ids(tx, "SELECT id FROM wf_plan WHERE secretariat_id = ? ORDER BY id",
                              secretariat_id));
  }
  std::vector<PlanRecord> out;
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(PlanRecord p, Get(id));
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<ActaRecord>> Actas::List(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  RETURN_IF_ERROR(RequireSecretariat(tx, secretariat_id));
  ASSIGN_OR_RETURN(auto ids, Ids(tx,
                                 "SELECT id FROM wf_acta WHERE secretariat_id = ? "
                                 "ORDER BY acta_date, id",
                                 secretariat_id));
  std::vector<ActaRecord> out;
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(ActaRecord a, LoadActa(tx, id));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace rubrica::workflows
