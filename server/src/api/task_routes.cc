// GET /api/me/tasks: what is waiting for the person logged in, across secretariats, each
// with its deadline, the web page where it is done and the API route that does it,
// ordered by deadline (those without one last).
//
// Tasks (kind: when):
//   review       an acta in review, for the members in force and its required signers;
//   rubric       a required signer without their rubric in the current approval round, while
//                the acta is in rubric (deadline: the approval date, in the secretariat's
//                zone; the foot signature is listed too, not yet ready);
//   foot         a required signer without their foot signature, in rubric or
//                foot_signature (deadline: the approval date);
//   delivery     for the garante and the facilitator: a minute of this month not yet
//                delivered (deadline: the month's last day), or a late one (overdue);
//   cannot_sign  a member or the facilitator whose account has no active signing
//                credential yet (see CannotSignYetTask);
//   convocation  a member of a convened session who has not acknowledged its convocation
//                (deadline: the session date; gone once acknowledged).
#include <algorithm>

#include "handler_util.h"
#include "rubrica/documents/holder_id.h"
#include "rubrica/lang/dates.h"
#include "rubrica/workflows/monthly_delivery.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;
using std::chrono::year_month_day;

struct Task {
  std::string kind;
  std::string title_es;
  int64_t secretariat_id = 0;
  std::string secretariat_name;
  std::optional<int64_t> acta_id;
  std::optional<int64_t> session_id;
  std::optional<year_month_day> deadline;
  bool overdue = false;
  bool ready = true;  // false: waits for others first (the foot signature after all rubrics)
  std::string web_route;
  std::string api_method;
  std::string api_path;
};

std::string ActaRoute(int64_t id) { return "/actas/" + std::to_string(id); }
std::string ActaApi(int64_t id, std::string_view tail) {
  return "/api/actas/" + std::to_string(id) + std::string(tail);
}

bool HasSigned(const ActaRecord& a, int64_t person, SignatureKind kind) {
  if (a.approvals.empty()) return false;
  const int round = a.approvals.back().round;
  return std::any_of(a.signatures.begin(), a.signatures.end(), [&](const ActaSignature& s) {
    return s.approval_round == round && s.person_id == person && s.kind == kind;
  });
}

void ActaTasks(const ActaRecord& a, int64_t person, unsigned roles, year_month_day today,
               const SecretariatRecord& s, std::vector<Task>& out) {
  const bool required = std::any_of(a.signers.begin(), a.signers.end(),
                                    [&](const RequiredSigner& r) { return r.person_id == person; });
  auto task = [&](std::string kind, std::string title) {
    Task t;
    t.kind = std::move(kind);
    t.title_es = std::move(title);
    t.secretariat_id = s.id;
    t.secretariat_name = s.config.name;
    t.acta_id = a.id;
    t.web_route = ActaRoute(a.id);
    return t;
  };
  const std::string named = "el acta «" + a.title + "»";
  const std::string of_named = "del acta «" + a.title + "»";  // "de" + "el" contracts
  if (a.state == ActaState::kReview && (required || (roles & kMembers))) {
    Task t = task("review", "Revise el borrador " + of_named + " y, si lo desea, coméntelo");
    t.api_method = "POST";
    t.api_path = ActaApi(a.id, "/comments");
    out.push_back(std::move(t));
  }
  const bool signing = a.state == ActaState::kRubric || a.state == ActaState::kFootSignature;
  if (!signing || !required || a.approvals.empty()) return;
  const year_month_day approved_on = a.approvals.back().approved_on;
  if (a.state == ActaState::kRubric && !HasSigned(a, person, SignatureKind::kRubric)) {
    Task t = task("rubric", "Rubrique todas las hojas " + of_named);
    t.deadline = approved_on;
    t.overdue = today > approved_on;
    t.api_method = "POST";
    t.api_path = ActaApi(a.id, "/rubric");
    out.push_back(std::move(t));
  }
  if (!HasSigned(a, person, SignatureKind::kFoot)) {
    Task t = task("foot", "Firme al calce " + named);
    t.deadline = approved_on;
    t.overdue = today > approved_on;
    t.ready = a.state == ActaState::kFootSignature;
    t.api_method = "POST";
    t.api_path = ActaApi(a.id, "/foot-signature");
    out.push_back(std::move(t));
  }
}

Status ConvocationTasks(Call& c, int64_t person, const SecretariatRecord& s,
                        std::vector<Task>& out) {
  ASSIGN_OR_RETURN(auto sessions, c.ctx.wf.sessions().List(s.id));
  for (const auto& session : sessions) {
    if (session.status != SessionStatus::kConvened) continue;
    ASSIGN_OR_RETURN(auto acks, c.ctx.wf.sessions().Acknowledgements(session.id));
    if (std::any_of(acks.begin(), acks.end(),
                    [&](const ConvocationAcknowledgement& a) { return a.person_id == person; })) {
      continue;
    }
    Task t;
    t.kind = "convocation";
    t.title_es = std::string("Acuse recibo de la convocatoria a la sesión ") +
                 (session.kind == SessionKind::kOrdinary ? "ordinaria" : "extraordinaria") +
                 " del " + lang::DateEs(session.session_date);
    t.secretariat_id = s.id;
    t.secretariat_name = s.config.name;
    t.session_id = session.id;
    t.deadline = session.session_date;
    t.web_route = "/secretariados/" + std::to_string(s.id);
    t.api_method = "POST";
    t.api_path = "/api/sessions/" + std::to_string(session.id) + "/acknowledge";
    out.push_back(std::move(t));
  }
  return Status::Ok();
}

Status DeliveryTasks(Call& c, const SecretariatRecord& s, year_month_day today,
                     std::vector<Task>& out) {
  ASSIGN_OR_RETURN(auto month, c.ctx.wf.deliveries().ForMonth(s.id, today.year() / today.month()));
  ASSIGN_OR_RETURN(auto late, c.ctx.wf.deliveries().Late(s.id));
  for (auto& o : late) month.push_back(std::move(o));
  for (const auto& o : month) {
    if (o.status != ObligationStatus::kPending && o.status != ObligationStatus::kLate) continue;
    if (std::any_of(out.begin(), out.end(), [&](const Task& t) {
          return t.kind == "delivery" && t.acta_id == o.acta_id && o.acta_id.has_value();
        })) {
      continue;  // late and of this month
    }
    Task t;
    t.kind = "delivery";
    const bool late_now = o.status == ObligationStatus::kLate;
    t.title_es = std::string(late_now ? "Entrega atrasada: " : "Entregue ") + "«" + o.title +
                 "» " + (o.agency.empty() ? "al órgano garante" : "a " + o.agency);
    t.secretariat_id = s.id;
    t.secretariat_name = s.config.name;
    t.acta_id = o.acta_id;
    t.deadline = o.due_on;
    t.overdue = late_now;
    t.web_route = o.acta_id ? ActaRoute(*o.acta_id) : "/secretariados/" + std::to_string(s.id);
    t.api_method = o.acta_id ? "POST" : "GET";
    t.api_path = o.acta_id ? ActaApi(*o.acta_id, "/delivery")
                           : "/api/secretariats/" + std::to_string(s.id) + "/deliveries";
    out.push_back(std::move(t));
  }
  return Status::Ok();
}

// Hook for the account's signing state. Today: an account whose person holds no active
// credential (no server-held key under a PIN, no registered device certificate) cannot
// sign. When accounts record how their member will sign (the "security" work on
// invitations: a signing method chosen at invitation), read that state here instead.
Result<std::optional<Task>> CannotSignYetTask(Call& c, int64_t person) {
  ASSIGN_OR_RETURN(auto credentials, c.ctx.keys.ListByHolder(documents::HolderIdFor(person)));
  for (const auto& cred : credentials) {
    if (cred.active()) return std::optional<Task>();
  }
  Task t;
  t.kind = "cannot_sign";
  t.title_es = "Registre cómo firmará: un PIN para su llave en el servicio o el certificado de "
               "su dispositivo (e.firma)";
  t.web_route = "/mi-firma";
  t.api_method = "POST";
  t.api_path = "/api/me/credentials";
  return std::optional<Task>(std::move(t));
}

void WriteTask(JsonWriter& w, const Task& t) {
  w.BeginObject().Field("kind", t.kind).Field("title_es", t.title_es);
  w.Key("secretariat_id");
  if (t.secretariat_id) {
    w.Int(t.secretariat_id);
  } else {
    w.Null();
  }
  w.Field("secretariat_name", t.secretariat_name)
      .Field("acta_id", t.acta_id)
      .Field("session_id", t.session_id)
      .Key("deadline");
  if (t.deadline) {
    w.Date(*t.deadline);
  } else {
    w.Null();
  }
  w.Field("overdue", t.overdue)
      .Field("ready", t.ready)
      .Field("web_route", t.web_route)
      .Key("api")
      .BeginObject()
      .Field("method", t.api_method)
      .Field("path", t.api_path)
      .EndObject()
      .EndObject();
}

Status MyTasks(Call& c) {
  std::vector<Task> tasks;
  const int64_t person = c.person_id();
  if (person != 0) {
    ASSIGN_OR_RETURN(auto secretariats, c.ctx.wf.secretariats().List());
    bool insider = false;
    for (const auto& s : secretariats) {
      const unsigned roles = RolesIn(c.ctx, *c.principal, s.id);
      insider = insider || (roles & kInsiders) != 0;
      ASSIGN_OR_RETURN(TimeZone zone, c.ctx.wf.secretariats().Zone(s.id));
      const year_month_day today = zone.LocalDate(c.ctx.clock.Now());
      ASSIGN_OR_RETURN(auto actas, c.ctx.wf.actas().List(s.id));
      for (const auto& a : actas) ActaTasks(a, person, roles, today, s, tasks);
      if (roles & kMembers) RETURN_IF_ERROR(ConvocationTasks(c, person, s, tasks));
      if (roles & (kFacilitator | kGarante)) RETURN_IF_ERROR(DeliveryTasks(c, s, today, tasks));
    }
    if (insider) {
      ASSIGN_OR_RETURN(std::optional<Task> t, CannotSignYetTask(c, person));
      if (t) tasks.insert(tasks.begin(), std::move(*t));
    }
  }
  auto kind_rank = [](const std::string& k) {
    return k == "cannot_sign"   ? 0
           : k == "convocation" ? 1
           : k == "review"      ? 2
           : k == "rubric"      ? 3
           : k == "foot"        ? 4
                                : 5;
  };
  std::stable_sort(tasks.begin(), tasks.end(), [&](const Task& a, const Task& b) {
    if (a.deadline.has_value() != b.deadline.has_value()) return a.deadline.has_value();
    if (a.deadline && *a.deadline != *b.deadline) return *a.deadline < *b.deadline;
    if (a.acta_id != b.acta_id) return a.acta_id < b.acta_id;
    return kind_rank(a.kind) < kind_rank(b.kind);
  });
  JsonWriter w;
  w.BeginObject().Key("tasks").BeginArray();
  for (const auto& t : tasks) WriteTask(w, t);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

}  // namespace

std::vector<RouteSpec> TaskRoutes() {
  return {
      {"GET", "/api/me/tasks", "listMyTasks", "auth",
       "What is waiting for the caller across secretariats (a convocation to acknowledge, "
       "review, rubric, foot signature, delivery, registering how to sign), ordered by deadline",
       kAuthenticated, Scope::kNone, false, "", "tasks", 200, MyTasks},
  };
}

}  // namespace rubrica::server::api
