// Agreements (acuerdos) and their follow-up notes.
#include "handler_util.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

Status ReplyAgreement(Call& c, int status, int64_t id) {
  ASSIGN_OR_RETURN(AgreementRecord a, c.ctx.wf.agreements().Get(id));
  JsonWriter w;
  WriteAgreement(w, a);
  return Reply(c, status, w);
}

Status List(Call& c) {
  ASSIGN_OR_RETURN(auto list, c.ctx.wf.agreements().List(c.secretariat_id));
  JsonWriter w;
  w.BeginObject().Key("agreements").BeginArray();
  for (const auto& a : list) WriteAgreement(w, a);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status Record(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  AgreementInput in;
  ASSIGN_OR_RETURN(in.session_id, j.Int("session_id"));
  ASSIGN_OR_RETURN(in.decision_id, j.OptionalInt("decision_id"));
  ASSIGN_OR_RETURN(in.text, j.String("text", 8000));
  ASSIGN_OR_RETURN(in.owner_person_id, j.Int("owner_person_id"));
  ASSIGN_OR_RETURN(in.due_on, j.Date("due_on"));
  RETURN_IF_ERROR(j.Finish());
  // The session must be this secretariat's: the path names where the agreement goes.
  ASSIGN_OR_RETURN(SessionRecord session, c.ctx.wf.sessions().Get(in.session_id));
  if (session.secretariat_id != c.secretariat_id) {
    return BadField("session_id", "session of another secretariat",
                    "la sesión es de otro secretariado");
  }
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.agreements().Record(c.actor(), in));
  return ReplyAgreement(c, 201, id);
}

Status Get(Call& c) { return ReplyAgreement(c, 200, c.Id("agreement_id")); }

Status AddNote(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string note, j.String("note", 8000));
  ASSIGN_OR_RETURN(std::string status,
                   j.Enum("status", {"open", "in_progress", "done", "cancelled"}));
  RETURN_IF_ERROR(j.Finish());
  const AgreementStatus s = status == "open"          ? AgreementStatus::kOpen
                            : status == "in_progress" ? AgreementStatus::kInProgress
                            : status == "done"        ? AgreementStatus::kDone
                                                      : AgreementStatus::kCancelled;
  RETURN_IF_ERROR(c.ctx.wf.agreements().AddNote(c.actor(), c.Id("agreement_id"), note, s));
  return ReplyAgreement(c, 200, c.Id("agreement_id"));
}

}  // namespace

std::vector<RouteSpec> AgreementRoutes() {
  return {
      {"GET", "/api/secretariats/{secretariat_id}/agreements", "listAgreements", "agreements",
       "The secretariat's agreements and their follow-up", kPublic, Scope::kSecretariat, false,
       "", "agreements", 200, List},
      {"POST", "/api/secretariats/{secretariat_id}/agreements", "recordAgreement",
       "agreements", "Record an agreement of a held session", kFacilitator,
       Scope::kSecretariat, false,
       "session_id:integer! decision_id:integer text:string! owner_person_id:integer! "
       "due_on:date!",
       "the agreement", 201, Record},
      {"GET", "/api/agreements/{agreement_id}", "getAgreement", "agreements", "An agreement",
       kPublic, Scope::kAgreement, false, "", "the agreement", 200, Get},
      {"POST", "/api/agreements/{agreement_id}/notes", "addAgreementNote", "agreements",
       "Add a follow-up note (the facilitator or the agreement's owner)", kFacilitator | kSelf,
       Scope::kAgreement, false, "note:string! status:open|in_progress|done|cancelled!",
       "the agreement", 200, AddNote},
  };
}

}  // namespace rubrica::server::api
