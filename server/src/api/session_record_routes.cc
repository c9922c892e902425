// The session's record read whole (GET /api/sessions/{id}/record) and the first draft of
// its minute generated from it (POST /api/sessions/{id}/minute).
#include "handler_util.h"
#include "rubrica/documents/minute_draft.h"
#include "rubrica/lang/gender.h"
#include "rubrica/workflows/session_minutes_record.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

void WriteRecordPerson(JsonWriter& w, const RecordPerson& p) {
  w.BeginObject()
      .Field("id", p.id)
      .Field("full_name", p.full_name)
      .Field("title", p.title)
      .Field("gender", lang::GenderName(p.gender))
      .EndObject();
}

void WriteOptionalPerson(JsonWriter& w, std::string_view key, const std::optional<RecordPerson>& p) {
  w.Key(key);
  if (p) {
    WriteRecordPerson(w, *p);
  } else {
    w.Null();
  }
}

void WriteOptionalTime(JsonWriter& w, std::string_view key, const std::optional<Instant>& t) {
  w.Key(key);
  if (t) {
    w.Time(*t);
  } else {
    w.Null();
  }
}

void WriteRecord(JsonWriter& w, const SessionMinutesRecord& r) {
  w.BeginObject().Key("session");
  WriteSession(w, r.session);
  w.Field("number_in_year", r.number_in_year);
  WriteOptionalTime(w, "opened_at", r.opened_at);
  WriteOptionalTime(w, "closed_at", r.closed_at);
  w.Key("secretariat")
      .BeginObject()
      .Field("id", r.session.secretariat_id)
      .Field("name", r.secretariat_name)
      .Field("place", r.secretariat_place)
      .Field("time_zone", r.time_zone)
      .Field("facilitator_signs_minutes", r.facilitator_signs_minutes)
      .EndObject();
  w.Key("quorum")
      .BeginObject()
      .Field("seats", r.quorum.seats)
      .Field("present", r.quorum.present)
      .Field("needed", r.quorum.needed)
      .Field("met", r.quorum.met)
      .Field("rule", QuorumRuleName(r.quorum_rule))
      .Field("rule_es", r.quorum_rule_es)
      .EndObject();
  w.Key("seats").BeginArray();
  for (const auto& s : r.seats) {
    w.BeginObject()
        .Field("seat_id", s.seat_id)
        .Field("member_type", s.member_type)
        .Field("member_type_label", s.member_type_label)
        .Field("represents", s.represents);
    WriteOptionalPerson(w, "titular", s.titular);
    WriteOptionalPerson(w, "substitute", s.substitute);
    w.Field("presence", SeatPresenceName(s.presence)).EndObject();
  }
  w.EndArray();
  WriteOptionalPerson(w, "facilitator", r.facilitator);
  w.Field("facilitator_present", r.facilitator_present);
  w.Key("observers").BeginArray();
  for (const auto& o : r.observers) WriteRecordPerson(w, o);
  w.EndArray().Key("decisions").BeginArray();
  for (const auto& d : r.decisions) {
    w.BeginObject()
        .Field("id", d.id)
        .Field("item_position", d.item_position)
        .Field("subject", d.subject)
        .Key("tally");
    WriteTally(w, d.tally);
    w.Key("votes").BeginArray();
    for (const auto& v : d.votes) {
      w.BeginObject().Field("seat_id", v.seat_id).Key("person");
      WriteRecordPerson(w, v.person);
      w.Field("choice", VoteChoiceName(v.choice)).EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().Key("agreements").BeginArray();
  for (const auto& a : r.agreements) {
    w.BeginObject().Field("id", a.id).Field("decision_id", a.decision_id).Field("text", a.text);
    w.Key("owner");
    WriteRecordPerson(w, a.owner);
    w.Key("due_on").Date(a.due_on).EndObject();
  }
  w.EndArray().EndObject();
}

Status GetRecord(Call& c) {
  ASSIGN_OR_RETURN(SessionMinutesRecord r, c.ctx.wf.sessions().MinutesRecord(c.Id("session_id")));
  JsonWriter w;
  WriteRecord(w, r);
  return Reply(c, 200, w);
}

Status CreateMinute(Call& c) {
  const int64_t session = c.Id("session_id");
  ASSIGN_OR_RETURN(SessionMinutesRecord r, c.ctx.wf.sessions().MinutesRecord(session));
  ASSIGN_OR_RETURN(documents::MinuteDraft draft, documents::SessionMinuteDraft(r));
  NewActa in;
  in.kind = ActaKind::kSessionMinute;
  in.secretariat_id = c.secretariat_id;
  in.session_id = session;
  in.title = draft.title;
  in.content_json = std::move(draft.content_json);
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.actas().CreateDraft(c.actor(), in));
  return ReplyActa(c, 201, id);
}

}  // namespace

std::vector<RouteSpec> SessionRecordRoutes() {
  return {
      {"GET", "/api/sessions/{session_id}/record", "getSessionRecord", "sessions",
       "The session's whole record: seats and who sat in each, observers, quorum and its "
       "rule, decisions with their votes, agreements",
       kPublic, Scope::kSession, false, "", "the session's record", 200, GetRecord},
      {"POST", "/api/sessions/{session_id}/minute", "createSessionMinute", "actas",
       "Create the session's minute in draft, its version 1 written from the session's record",
       kFacilitator, Scope::kSession, false, "", "the new acta", 201, CreateMinute},
  };
}

}  // namespace rubrica::server::api
