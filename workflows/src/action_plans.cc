#include "rubrica/workflows/action_plans.h"

#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "transaction.h"

namespace rubrica::workflows {

using namespace std::chrono;

namespace {

// The secretariat that owns a plan, commitment or activity.
Result<int64_t> OwnerSecretariat(store::Transaction& tx, std::string_view sql, int64_t id,
                                 std::string_view object_en, std::string_view object_es) {
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare(sql));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound(object_en, object_es, id);
  return st.ColumnInt(0);
}

constexpr std::string_view kPlanOwner = "SELECT secretariat_id FROM wf_plan WHERE id = ?";
constexpr std::string_view kCommitmentOwner =
    "SELECT p.secretariat_id FROM wf_commitment c JOIN wf_plan p ON p.id = c.plan_id "
    "WHERE c.id = ?";
constexpr std::string_view kActivityOwner =
    "SELECT p.secretariat_id FROM wf_activity a JOIN wf_commitment c ON c.id = a.commitment_id "
    "JOIN wf_plan p ON p.id = c.plan_id WHERE a.id = ?";

Status RequireFacilitator(store::Transaction& tx, const Clock& clock, int64_t secretariat_id,
                          const Actor& actor, std::string_view action_en,
                          std::string_view action_es) {
  auto auth = Authorize(tx, clock, secretariat_id, actor, kFacilitator, action_en, action_es);
  return auth.ok() ? Status::Ok() : auth.status();
}

}  // namespace

Result<int64_t> ActionPlans::CreatePlan(const Actor& actor, int64_t secretariat_id,
                                        const std::string& title) {
  if (title.empty()) return BadInput("plan without a title", "Falta el título del plan de acción.");
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    RETURN_IF_ERROR(RequireFacilitator(tx, clock_, secretariat_id, actor, "create an action plan",
                                       "registrar el plan de acción"));
    ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("INSERT INTO wf_plan(secretariat_id, title, "
                                                     "created_at) VALUES(?,?,?)"));
    st.Bind(1, secretariat_id).Bind(2, title).Bind(3, FormatRfc3339UtcMicros(clock_.Now()));
    RETURN_IF_ERROR(st.Run());
    const int64_t id = tx.LastInsertId();
    RETURN_IF_ERROR(
        Audit(tx, clock_, actor, "plan.create", "plan", id, Payload().Add("title", title)));
    return id;
  });
}

Result<int64_t> ActionPlans::AddCommitment(const Actor& actor, int64_t plan_id,
                                           const std::string& title) {
  if (title.empty())
    return BadInput("commitment without a title", "Falta el título del compromiso.");
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(int64_t sid,
                     OwnerSecretariat(tx, kPlanOwner, plan_id, "plan", "el plan de acción"));
    RETURN_IF_ERROR(RequireFacilitator(tx, clock_, sid, actor, "add a commitment",
                                       "registrar compromisos del plan de acción"));
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("INSERT INTO wf_commitment(plan_id, title) VALUES(?,?)"));
    st.Bind(1, plan_id).Bind(2, title);
    RETURN_IF_ERROR(st.Run());
    const int64_t id = tx.LastInsertId();
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "plan.commitment_add", "plan", plan_id,
                          Payload().Add("commitment", id).Add("title", title)));
    return id;
  });
}

Result<int64_t> ActionPlans::AddActivity(const Actor& actor, int64_t commitment_id,
                                         const std::string& title,
                                         std::optional<int64_t> owner_person_id,
                                         year_month_day due_on) {
  if (title.empty() || !due_on.ok()) {
    return BadInput("activity needs a title and a valid due date",
                    "La actividad necesita título y una fecha válida.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(int64_t sid, OwnerSecretariat(tx, kCommitmentOwner, commitment_id,
                                                   "commitment", "el compromiso"));
    RETURN_IF_ERROR(RequireFacilitator(tx, clock_, sid, actor, "add an activity",
                                       "registrar actividades del plan de acción"));
    if (owner_person_id) {
      ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT 1 FROM wf_person WHERE id = ?"));
      st.Bind(1, *owner_person_id);
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return NotFound("person", "la persona", *owner_person_id);
    }
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("INSERT INTO wf_activity(commitment_id, title, owner_person_id, "
                                "due_on, progress) VALUES(?,?,?,?,0)"));
    st.Bind(1, commitment_id).Bind(2, title).Bind(4, FormatDate(due_on));
    BindOptionalId(st, 3, owner_person_id);
    RETURN_IF_ERROR(st.Run());
    const int64_t id = tx.LastInsertId();
    RETURN_IF_ERROR(
        Audit(tx, clock_, actor, "plan.activity_add", "commitment", commitment_id,
              Payload().Add("activity", id).Add("title", title).Add("due_on", FormatDate(due_on))));
    return id;
  });
}

Status ActionPlans::ReportProgress(const Actor& actor, int64_t activity_id, int percent,
                                   const std::string& note) {
  if (percent < 0 || percent > 100) {
    return BadInput("progress " + std::to_string(percent) + " is not 0..100",
                    "El avance se expresa en porcentaje, de 0 a 100.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(int64_t sid,
                     OwnerSecretariat(tx, kActivityOwner, activity_id, "activity", "la actividad"));
    ASSIGN_OR_RETURN(store::Statement q,
                     tx.Prepare("SELECT owner_person_id FROM wf_activity WHERE id = ?"));
    q.Bind(1, activity_id);
    ASSIGN_OR_RETURN(bool row, q.Step());
    const int64_t owner = row && !q.ColumnIsNull(0) ? q.ColumnInt(0) : 0;
    ASSIGN_OR_RETURN(Authorized auth, Authorize(tx, clock_, sid, actor, 0, "", ""));
    RETURN_IF_ERROR(RequireSelfOr(auth.roles, kFacilitator, actor, owner, "report progress",
                                  "el facilitador o el responsable de la actividad",
                                  "reportar el avance de la actividad"));
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_activity_progress(activity_id, at, progress, note, "
                                "by_person_id) VALUES(?,?,?,?,?)"));
    ins.Bind(1, activity_id)
        .Bind(2, FormatRfc3339UtcMicros(clock_.Now()))
        .Bind(3, int64_t{percent})
        .Bind(4, note)
        .Bind(5, actor.person_id);
    RETURN_IF_ERROR(ins.Run());
    ASSIGN_OR_RETURN(store::Statement up,
                     tx.Prepare("UPDATE wf_activity SET progress = ? WHERE id = ?"));
    up.Bind(1, int64_t{percent}).Bind(2, activity_id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "plan.progress", "activity", activity_id,
                          Payload().Add("progress", percent).Add("note", note)));
    return Status::Ok();
  });
}

Result<PlanRecord> ActionPlans::Get(int64_t plan_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  PlanRecord plan;
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT id, secretariat_id, title FROM wf_plan WHERE id = ?"));
    st.Bind(1, plan_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound("plan", "el plan de acción", plan_id);
    plan.id = st.ColumnInt(0);
    plan.secretariat_id = st.ColumnInt(1);
    plan.title = st.ColumnText(2);
  }
  {
    ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT id, title FROM wf_commitment WHERE "
                                                     "plan_id = ? ORDER BY id"));
    st.Bind(1, plan.id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      CommitmentRecord c;
      c.id = st.ColumnInt(0);
      c.title = st.ColumnText(1);
      plan.commitments.push_back(std::move(c));
    }
  }
  for (auto& c : plan.commitments) {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT id, title, owner_person_id, due_on, progress FROM "
                                "wf_activity WHERE commitment_id = ? ORDER BY id"));
    st.Bind(1, c.id);
    int sum = 0;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ActivityRecord a;
      a.id = st.ColumnInt(0);
      a.title = st.ColumnText(1);
      if (!st.ColumnIsNull(2)) a.owner_person_id = st.ColumnInt(2);
      ASSIGN_OR_RETURN(a.due_on, ParseStoredDate(st.ColumnText(3)));
      a.progress = static_cast<int>(st.ColumnInt(4));
      sum += a.progress;
      c.activities.push_back(std::move(a));
    }
    c.progress = c.activities.empty() ? 0 : sum / static_cast<int>(c.activities.size());
  }
  return plan;
}

}  // namespace rubrica::workflows
