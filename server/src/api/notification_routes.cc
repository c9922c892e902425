// The messages the service sent, or is sending, about a secretariat: convocations, the
// review and "firme hoy" mail, reminders before sessions and deadlines, late notices,
// refused packages (docs/api.md "Notifications"). Read from the transactional outbox.
//
// Recipients are named by person (id and full name), never by address: the garante may
// read the list but not the members' addresses. Webhook calls have their own log
// (listWebhookDeliveries); account mail (invitations, resets) concerns no secretariat.
#include <map>

#include "handler_util.h"
#include "openapi_responses.h"
#include "rubrica/store/outbox.h"

namespace rubrica::server::api {

namespace {

// The kinds of mail a secretariat's list holds (the outbox's event names).
constexpr std::string_view kKinds =
    "session.convened|session.cancelled|acta.review_opened|acta.approved|acta.archived|"
    "reminder.session|delivery.due|delivery.late|package.refused|package.cosign_requested|"
    "package.cosign_withdrawn";
constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;

// pending with no attempt yet; retrying once an attempt failed and another is due.
std::string_view StateOf(const store::OutboxEntry& e) {
  if (e.state == store::OutboxState::kPending && e.attempts > 0 && !e.last_error.empty()) {
    return "retrying";
  }
  return store::OutboxStateName(e.state);
}

Result<store::OutboxQuery> ParseQuery(Call& c) {
  store::OutboxQuery q;
  q.secretariat_id = c.secretariat_id;
  q.limit = kDefaultLimit;
  for (const auto& name : c.ex.QueryNames()) {
    const std::string value = c.ex.Query(name);
    if (name == "session_id") {
      ASSIGN_OR_RETURN(q.session_id, PositiveInt(name, value));
    } else if (name == "kind") {
      bool known = false;
      for (const auto& k : SplitOn(kKinds, '|')) known = known || k == value;
      if (!known) return BadParameter(name, "not a notification kind: '" + value + "'", "no es un tipo de aviso");
      q.event = value;
    } else if (name == "limit") {
      ASSIGN_OR_RETURN(q.limit, PageLimit(name, value, kMaxLimit));
    } else if (name == "cursor") {
      ASSIGN_OR_RETURN(q.before_seq, PositiveInt(name, value));
    }
  }
  return q;
}

Status List(Call& c) {
  ASSIGN_OR_RETURN(store::OutboxQuery q, ParseQuery(c));
  store::Outbox outbox(c.ctx.clock);
  ASSIGN_OR_RETURN(std::vector<store::OutboxEntry> entries, outbox.ListConcerning(c.ctx.db, q));
  std::map<int64_t, std::string> names;
  auto name_of = [&](int64_t person_id) -> Result<std::string> {
    auto it = names.find(person_id);
    if (it != names.end()) return it->second;
    ASSIGN_OR_RETURN(workflows::PersonRecord p, c.ctx.wf.people().GetPerson(person_id));
    return names[person_id] = p.full_name;
  };
  JsonWriter w;
  w.BeginObject().Key("notifications").BeginArray();
  for (const auto& e : entries) {
    const store::OutboxMessage& m = e.message;
    w.BeginObject()
        .Field("id", m.id)
        .Field("kind", m.event)
        .Field("subject", m.subject)
        .Key("recipient")
        .BeginObject()
        .Field("person_id", m.person_id);
    if (m.person_id) {
      ASSIGN_OR_RETURN(std::string name, name_of(*m.person_id));
      w.Field("full_name", name);
    } else {
      w.Field("full_name", "");
    }
    w.EndObject()
        .Field("session_id", m.session_id)
        .Field("acta_id", m.acta_id)
        .Key("created_at").Time(e.created_at)
        .Field("state", StateOf(e))
        .Field("attempts", e.attempts)
        .Key("next_attempt_at");
    if (e.state == store::OutboxState::kPending) {
      w.Time(e.next_attempt_at);
    } else {
      w.Null();
    }
    w.Key("sent_at");
    if (e.sent_at) {
      w.Time(*e.sent_at);
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray().Key("next_cursor");
  if (static_cast<int>(entries.size()) == q.limit && !entries.empty()) {
    w.String(std::to_string(entries.back().seq));
  } else {
    w.Null();
  }
  w.EndObject();
  return Reply(c, 200, w);
}

}  // namespace

std::vector<RouteSpec> NotificationRoutes() {
  static const std::string kQuery =
      "session_id:integer kind:" + std::string(kKinds) + " limit:integer cursor:string";
  return {
      {"GET", "/api/secretariats/{secretariat_id}/notifications", "listNotifications",
       "notifications",
       "The mail sent or being sent about the secretariat (convocations, review, \"firme hoy\", "
       "reminders, late notices, refused packages), newest first, a page at a time: kind, "
       "Spanish subject, recipient by person, delivery state and attempts",
       kAdmin | kFacilitator | kGarante, Scope::kSecretariat, false, "",
       "a page of notifications and the next page's cursor", 200, List, false, kQuery},
  };
}

}  // namespace rubrica::server::api
