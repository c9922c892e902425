// Sessions: convocation, cancellation, attendance, opening, agenda, discussion, decisions,
// closing.
#include "handler_util.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

// The session as every route answers it. Who acknowledged the convocation (and when) is
// shown to the secretariat's insiders (facilitator, members) only.
Status ReplySession(Call& c, int status, int64_t id) {
  ASSIGN_OR_RETURN(SessionRecord s, c.ctx.wf.sessions().Get(id));
  ASSIGN_OR_RETURN(auto attendance, c.ctx.wf.sessions().Attendance(id));
  ASSIGN_OR_RETURN(QuorumReport quorum, c.ctx.wf.sessions().Quorum(id));
  JsonWriter w;
  w.BeginObject().Key("session");
  WriteSession(w, s);
  w.Key("attendance").BeginArray();
  for (const auto& a : attendance) WriteAttendance(w, a);
  w.EndArray().Key("quorum");
  WriteQuorum(w, quorum);
  if (c.roles & kInsiders) {
    ASSIGN_OR_RETURN(auto acks, c.ctx.wf.sessions().Acknowledgements(id));
    w.Key("acknowledgements").BeginArray();
    for (const auto& a : acks) {
      w.BeginObject().Field("person_id", a.person_id).Field("seat_id", a.seat_id).Key("at");
      w.Time(a.at).EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return Reply(c, status, w);
}

int64_t SessionId(const Call& c) { return c.Id("session_id"); }

Status List(Call& c) {
  ASSIGN_OR_RETURN(auto sessions, c.ctx.wf.sessions().List(c.secretariat_id));
  auto due = c.ctx.wf.sessions().NextOrdinaryDue(c.secretariat_id);
  JsonWriter w;
  w.BeginObject().Key("sessions").BeginArray();
  for (const auto& s : sessions) WriteSession(w, s);
  w.EndArray().Key("next_ordinary_due");
  if (due.ok()) {
    w.Date(*due);
  } else {
    w.Null();
  }
  w.EndObject();
  return Reply(c, 200, w);
}

Status Convene(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  Convocation conv;
  // Read in place: GCC 12 at -O3 misreports a string moved out of the Result as
  // maybe-uninitialized here.
  const Result<std::string> kind = j.Enum("kind", {"ordinary", "extraordinary"});
  if (!kind.ok()) return kind.status();
  conv.kind = *kind == "ordinary" ? SessionKind::kOrdinary : SessionKind::kExtraordinary;
  ASSIGN_OR_RETURN(conv.starts_at, j.Time("starts_at"));
  ASSIGN_OR_RETURN(conv.place, j.Line("place", 300));
  ASSIGN_OR_RETURN(conv.agenda, j.LineArray("agenda", 100, 1000));
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.sessions().Convene(c.actor(), c.secretariat_id, conv));
  return ReplySession(c, 201, id);
}

Status Get(Call& c) { return ReplySession(c, 200, SessionId(c)); }

Status ApproveCancellation(Call& c) {
  RETURN_IF_ERROR(c.ctx.wf.sessions().ApproveCancellation(c.actor(), SessionId(c)));
  return ReplySession(c, 200, SessionId(c));
}

Status AcknowledgeConvocation(Call& c) {
  RETURN_IF_ERROR(c.ctx.wf.sessions().AcknowledgeConvocation(c.actor(), SessionId(c)).status());
  return ReplySession(c, 200, SessionId(c));
}

Status Cancel(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string reason, j.String("reason", 2000));
  RETURN_IF_ERROR(j.Finish());
  RETURN_IF_ERROR(c.ctx.wf.sessions().Cancel(c.actor(), SessionId(c), reason));
  return ReplySession(c, 200, SessionId(c));
}

Result<int64_t> PersonField(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(int64_t person, j.Int("person_id"));
  RETURN_IF_ERROR(j.Finish());
  return person;
}

Status RecordAttendance(Call& c) {
  ASSIGN_OR_RETURN(int64_t person, PersonField(c));
  RETURN_IF_ERROR(c.ctx.wf.sessions().RecordAttendance(c.actor(), SessionId(c), person).status());
  return ReplySession(c, 200, SessionId(c));
}

Status RecordObserver(Call& c) {
  ASSIGN_OR_RETURN(int64_t person, PersonField(c));
  RETURN_IF_ERROR(c.ctx.wf.sessions().RecordObserver(c.actor(), SessionId(c), person));
  return ReplySession(c, 200, SessionId(c));
}

Status Open(Call& c) {
  RETURN_IF_ERROR(c.ctx.wf.sessions().Open(c.actor(), SessionId(c)).status());
  return ReplySession(c, 200, SessionId(c));
}

Status ApproveAgenda(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(auto approving, j.IntArray("approving", 100));
  RETURN_IF_ERROR(j.Finish());
  RETURN_IF_ERROR(c.ctx.wf.sessions().ApproveAgenda(c.actor(), SessionId(c), approving));
  return ReplySession(c, 200, SessionId(c));
}

Status RecordDiscussion(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(int64_t item, j.Int("item_position", 1, 1000));
  ASSIGN_OR_RETURN(std::string summary, j.String("summary", 64 * 1024));
  RETURN_IF_ERROR(j.Finish());
  RETURN_IF_ERROR(c.ctx.wf.sessions().RecordDiscussion(c.actor(), SessionId(c),
                                                       static_cast<int>(item), summary));
  return ReplySession(c, 200, SessionId(c));
}

Status RecordDecision(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  DecisionInput d;
  ASSIGN_OR_RETURN(int64_t item, j.Int("item_position", 1, 1000));
  d.item_position = static_cast<int>(item);
  ASSIGN_OR_RETURN(d.subject, j.String("subject", 4000));
  ASSIGN_OR_RETURN(d.votes, ReadVotes(j, "votes"));
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(DecisionRecord r, c.ctx.wf.sessions().RecordDecision(c.actor(), SessionId(c), d));
  JsonWriter w;
  w.BeginObject().Field("decision_id", r.id).Key("tally");
  WriteTally(w, r.tally);
  w.EndObject();
  return Reply(c, 201, w);
}

Status Close(Call& c) {
  RETURN_IF_ERROR(c.ctx.wf.sessions().Close(c.actor(), SessionId(c)));
  return ReplySession(c, 200, SessionId(c));
}

}  // namespace

std::vector<RouteSpec> SessionRoutes() {
  const unsigned kOfficers = kFacilitator | kGarante;  // the workflow picks by configuration
  return {
      {"GET", "/api/secretariats/{secretariat_id}/sessions", "listSessions", "sessions",
       "The secretariat's sessions and when the next ordinary one is due", kPublic,
       Scope::kSecretariat, false, "", "sessions and next_ordinary_due", 200, List},
      {"POST", "/api/secretariats/{secretariat_id}/sessions", "convene", "sessions",
       "Convene a session with its agenda (the convener by configuration)", kOfficers,
       Scope::kSecretariat, false,
       "kind:ordinary|extraordinary! starts_at:time! place:string! agenda:string[]!",
       "the session", 201, Convene},
      {"GET", "/api/sessions/{session_id}", "getSession", "sessions",
       "A session with its agenda, attendance and quorum (and, for insiders, who acknowledged "
       "the convocation)",
       kPublic, Scope::kSession, false, "",
       "the session", 200, Get},
      {"POST", "/api/sessions/{session_id}/cancellation-approvals", "approveCancellation",
       "sessions", "Approve cancelling the session (one approval per seat)", kMembers,
       Scope::kSession, false, "", "the session", 200, ApproveCancellation},
      {"POST", "/api/sessions/{session_id}/acknowledge", "acknowledgeConvocation", "sessions",
       "Acknowledge having received the convocation (idempotent; a member of a convened "
       "session)",
       kMembers, Scope::kSession, false, "", "the session, with who acknowledged", 200,
       AcknowledgeConvocation},
      {"POST", "/api/sessions/{session_id}/cancellation", "cancelSession", "sessions",
       "Issue the cancellation notice (approved by every seat, 24 h ahead)", kOfficers,
       Scope::kSession, false, "reason:string!", "the session", 200, Cancel},
      {"POST", "/api/sessions/{session_id}/attendance", "recordAttendance", "sessions",
       "Record a member or the facilitator as present", kFacilitator, Scope::kSession, false,
       "person_id:integer!", "the session", 200, RecordAttendance},
      {"POST", "/api/sessions/{session_id}/observers", "recordObserver", "sessions",
       "Record an observer as present", kFacilitator, Scope::kSession, false,
       "person_id:integer!", "the session", 200, RecordObserver},
      {"POST", "/api/sessions/{session_id}/opening", "openSession", "sessions",
       "Open the session when the quorum is met (the presider by configuration)", kOfficers,
       Scope::kSession, false, "", "the session", 200, Open},
      {"POST", "/api/sessions/{session_id}/agenda-approval", "approveAgenda", "sessions",
       "Record that every seat present approved the agenda", kFacilitator, Scope::kSession,
       false, "approving:integer[]!", "the session", 200, ApproveAgenda},
      {"POST", "/api/sessions/{session_id}/discussion", "recordDiscussion", "sessions",
       "Record the discussion of an agenda item", kFacilitator, Scope::kSession, false,
       "item_position:integer! summary:string!", "the session", 200, RecordDiscussion},
      {"POST", "/api/sessions/{session_id}/decisions", "recordDecision", "sessions",
       "Record a decision with one vote per seat present", kFacilitator, Scope::kSession,
       false, "item_position:integer! subject:string! votes:object[]!",
       "decision_id and tally", 201, RecordDecision},
      {"POST", "/api/sessions/{session_id}/closing", "closeSession", "sessions",
       "Close the session (the presider by configuration)", kOfficers, Scope::kSession, false,
       "", "the session", 200, Close},
  };
}

}  // namespace rubrica::server::api
