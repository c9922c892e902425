// Action plans: commitments, activities and progress.
#include "handler_util.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

Status ReplyPlan(Call& c, int status, int64_t id) {
  ASSIGN_OR_RETURN(PlanRecord p, c.ctx.wf.plans().Get(id));
  JsonWriter w;
  WritePlan(w, p);
  return Reply(c, status, w);
}

Status List(Call& c) {
  ASSIGN_OR_RETURN(auto plans, c.ctx.wf.plans().List(c.secretariat_id));
  JsonWriter w;
  w.BeginObject().Key("plans").BeginArray();
  for (const auto& p : plans) WritePlan(w, p);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Result<std::string> TitleField(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string title, j.Line("title", 500));
  RETURN_IF_ERROR(j.Finish());
  return title;
}

Status Create(Call& c) {
  ASSIGN_OR_RETURN(std::string title, TitleField(c));
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.plans().CreatePlan(c.actor(), c.secretariat_id, title));
  return ReplyPlan(c, 201, id);
}

Status Get(Call& c) { return ReplyPlan(c, 200, c.Id("plan_id")); }

Status AddCommitment(Call& c) {
  ASSIGN_OR_RETURN(std::string title, TitleField(c));
  RETURN_IF_ERROR(c.ctx.wf.plans().AddCommitment(c.actor(), c.Id("plan_id"), title).status());
  return ReplyPlan(c, 201, c.Id("plan_id"));
}

// A commitment or activity id must belong to the plan the path names.
Status CheckInPlan(Call& c, int64_t commitment_id, int64_t activity_id) {
  ASSIGN_OR_RETURN(PlanRecord p, c.ctx.wf.plans().Get(c.Id("plan_id")));
  for (const auto& cm : p.commitments) {
    if (commitment_id && cm.id == commitment_id) return Status::Ok();
    for (const auto& a : cm.activities) {
      if (activity_id && a.id == activity_id) return Status::Ok();
    }
  }
  return Status::Error(ErrorKind::kNotFound, "api.not_found",
                       "no such commitment or activity in plan " + std::to_string(p.id),
                       "El plan de acción no tiene ese compromiso o actividad.");
}

Status AddActivity(Call& c) {
  const int64_t commitment = c.Id("commitment_id");
  RETURN_IF_ERROR(CheckInPlan(c, commitment, 0));
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string title, j.Line("title", 500));
  ASSIGN_OR_RETURN(auto owner, j.OptionalInt("owner_person_id"));
  ASSIGN_OR_RETURN(auto due, j.Date("due_on"));
  RETURN_IF_ERROR(j.Finish());
  RETURN_IF_ERROR(
      c.ctx.wf.plans().AddActivity(c.actor(), commitment, title, owner, due).status());
  return ReplyPlan(c, 201, c.Id("plan_id"));
}

Status ReportProgress(Call& c) {
  const int64_t activity = c.Id("activity_id");
  RETURN_IF_ERROR(CheckInPlan(c, 0, activity));
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(int64_t percent, j.Int("percent", 0, 100));
  ASSIGN_OR_RETURN(std::string note, j.OptionalString("note", "", 4000));
  RETURN_IF_ERROR(j.Finish());
  RETURN_IF_ERROR(c.ctx.wf.plans().ReportProgress(c.actor(), activity,
                                                  static_cast<int>(percent), note));
  return ReplyPlan(c, 200, c.Id("plan_id"));
}

}  // namespace

std::vector<RouteSpec> PlanRoutes() {
  return {
      {"GET", "/api/secretariats/{secretariat_id}/plans", "listPlans", "plans",
       "The secretariat's action plans with progress", kPublic, Scope::kSecretariat, false, "",
       "plans", 200, List},
      {"POST", "/api/secretariats/{secretariat_id}/plans", "createPlan", "plans",
       "Create an action plan", kFacilitator, Scope::kSecretariat, false, "title:string!",
       "the plan", 201, Create},
      {"GET", "/api/plans/{plan_id}", "getPlan", "plans", "An action plan", kPublic,
       Scope::kPlan, false, "", "the plan", 200, Get},
      {"POST", "/api/plans/{plan_id}/commitments", "addCommitment", "plans",
       "Add a commitment", kFacilitator, Scope::kPlan, false, "title:string!", "the plan", 201,
       AddCommitment},
      {"POST", "/api/plans/{plan_id}/commitments/{commitment_id}/activities", "addActivity",
       "plans", "Add an activity to a commitment", kFacilitator, Scope::kPlan, false,
       "title:string! owner_person_id:integer due_on:date!", "the plan", 201, AddActivity},
      {"POST", "/api/plans/{plan_id}/activities/{activity_id}/progress", "reportProgress",
       "plans", "Report an activity's progress (the facilitator or its owner)",
       kAuthenticated, Scope::kPlan, false, "percent:integer! note:string", "the plan", 200,
       ReportProgress},
  };
}

}  // namespace rubrica::server::api
