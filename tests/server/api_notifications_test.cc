// GET /api/secretariats/{id}/notifications on the real service: what the outbox sent about
// a secretariat (convocation, "firme hoy"), who may read it, its filters and pages. The
// failed-SMTP case (retrying with its attempts) is in notify_test.cc, beside its SMTP peer.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "api_world.h"

namespace rubrica::server::testing {
namespace {

std::string Path(int64_t secretariat, const std::string& query = "") {
  return "/api/secretariats/" + std::to_string(secretariat) + "/notifications" + query;
}

struct Row {
  std::string id, kind, subject, recipient, state, sent_at, next_attempt_at;
  int64_t person_id = 0, session_id = 0, acta_id = 0, attempts = 0;
};

std::vector<Row> Rows(const Reply& r) {
  std::vector<Row> out;
  for (int i = 0; i < r.Size("notifications"); ++i) {
    const std::string p = "notifications[" + std::to_string(i) + "].";
    out.push_back({r.Str(p + "id"), r.Str(p + "kind"), r.Str(p + "subject"),
                   r.Str(p + "recipient.full_name"), r.Str(p + "state"), r.Str(p + "sent_at"),
                   r.Str(p + "next_attempt_at"), r.Int(p + "recipient.person_id"),
                   r.Int(p + "session_id"), r.Int(p + "acta_id"), r.Int(p + "attempts")});
  }
  return out;
}

std::vector<Row> OfKind(const std::vector<Row>& rows, const std::string& kind) {
  std::vector<Row> out;
  for (const auto& r : rows) {
    if (r.kind == kind) out.push_back(r);
  }
  return out;
}

// Waits (real time) until the sender delivered `n` messages of `kind`.
std::vector<Row> WaitSent(ApiWorld& w, const std::string& kind, size_t n) {
  std::vector<Row> sent;
  for (int i = 0; i < 150; ++i) {
    Reply r = w.As("facilitator").Get(Path(w.secretariat, "?limit=200&kind=" + kind));
    EXPECT_EQ(r.status, 200) << Describe(r);
    sent.clear();
    for (const auto& row : Rows(r)) {
      if (row.state == "sent") sent.push_back(row);
    }
    if (sent.size() >= n) return sent;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return sent;
}

TEST(NotificationsApiTest, TheConvocationAndTheFirmeHoyMailAreListedByPersonWithTheirState) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kRubric);  // convened, held, approved on 2026-02-16
  ASSERT_FALSE(::testing::Test::HasFatalFailure());

  // Every required signer got "firme hoy", by name, about this acta and its session.
  const auto signers = w.Signers();
  auto firme = WaitSent(w, "acta.approved", signers.size());
  ASSERT_EQ(firme.size(), signers.size());
  std::set<int64_t> to;
  for (const auto& r : firme) {
    EXPECT_EQ(r.subject.rfind("Firme hoy: ", 0), 0u) << r.subject;
    EXPECT_EQ(r.acta_id, w.acta);
    EXPECT_EQ(r.session_id, w.session);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_FALSE(r.sent_at.empty());
    EXPECT_TRUE(r.next_attempt_at.empty()) << "nothing is due once sent";
    to.insert(r.person_id);
  }
  std::set<int64_t> expected;
  for (const auto& k : signers) expected.insert(w.person(k).id);
  EXPECT_EQ(to, expected);

  // The held session's convocation, to the facilitator among the members.
  Reply session = w.As("garante").Get(Path(w.secretariat, "?limit=200&session_id=" + std::to_string(w.session)));
  ASSERT_EQ(session.status, 200) << Describe(session);
  const auto rows = Rows(session);
  auto convocations = OfKind(rows, "session.convened");
  ASSERT_FALSE(convocations.empty()) << session.body;
  bool facilitator = false;
  for (const auto& r : convocations) {
    EXPECT_EQ(r.subject.rfind("Convocatoria: sesión ordinaria del ", 0), 0u) << r.subject;
    EXPECT_EQ(r.session_id, w.session);
    EXPECT_EQ(r.state, "sent");
    if (r.person_id == w.person("facilitator").id) {
      facilitator = true;
      EXPECT_EQ(r.recipient, w.person("facilitator").name);
    }
  }
  EXPECT_TRUE(facilitator);
  for (const auto& r : rows) EXPECT_EQ(r.session_id, w.session) << r.id;
  // No address reaches the list: the garante reads it too.
  EXPECT_EQ(session.body.find('@'), std::string::npos) << session.body;

  // The next session's convocation is not in the held session's list, but in the whole one.
  Reply all = w.As("facilitator").Get(Path(w.secretariat, "?limit=200"));
  ASSERT_EQ(all.status, 200);
  const auto everything = Rows(all);
  EXPECT_GT(everything.size(), rows.size());
  bool next = false;
  for (const auto& r : everything) next = next || (r.kind == "session.convened" && r.session_id == w.next_session);
  EXPECT_TRUE(next);
  EXPECT_TRUE(all.Str("next_cursor").empty() || all.Str("next_cursor") == "null");

  // Pages of two, newest first, cover the list once, in the same order.
  std::vector<std::string> paged;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    Reply p = w.As("facilitator").Get(Path(w.secretariat, "?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor)));
    ASSERT_EQ(p.status, 200) << Describe(p);
    for (const auto& r : Rows(p)) paged.push_back(r.id);
    cursor = p.Str("next_cursor");
    if (cursor.empty() || cursor == "null") break;
  }
  std::vector<std::string> whole;
  for (const auto& r : everything) whole.push_back(r.id);
  EXPECT_EQ(paged, whole);
}

TEST(NotificationsApiTest, TheFacilitatorTheGaranteAndAdministratorsReadItNobodyElse) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  // Another secretariat, whose list this one's members may not read.
  Reply other = w.As("admin").Post("/api/secretariats", R"({"template":"stm",)"
                                   R"("name":"Secretariado Técnico Municipal de Gobierno Abierto de San Ejemplo",)"
                                   R"("place":"San Ejemplo, Michoacán","administration_ends":"2027-08-31",)"
                                   R"("agencies":[{"name":"Instituto Estatal de Transparencia de Prueba",)"
                                   R"("address":"","effective_from":"2016-01-01","effective_to":"2026-12-31"}]})");
  ASSERT_EQ(other.status, 201) << Describe(other);
  const int64_t other_id = other.Int("id");

  const std::map<std::string, int> expected = {
      {"admin", 200},   {"facilitator", 200}, {"garante", 200},  {"titular", 403},
      {"suplente", 403}, {"archivist", 403},  {"observer", 403}, {"public", 401}};
  for (const auto& [role, status] : expected) {
    Reply r = w.As(role).Get(Path(w.secretariat));
    EXPECT_EQ(r.status, status) << role << ": " << Describe(r);
    if (status == 200) {
      EXPECT_GE(r.Size("notifications"), 0) << role << ": a list";
    }
  }
  for (const char* role : {"facilitator", "garante", "titular"}) {
    Reply r = w.As(role).Get(Path(other_id));
    EXPECT_EQ(r.status, 403) << role << " of another secretariat: " << Describe(r);
  }
  EXPECT_EQ(w.As("admin").Get(Path(other_id)).status, 200);
  // Anonymous callers are refused before any lookup: an id that does not exist answers the same.
  EXPECT_EQ(w.As("public").Get(Path(987654)).status, 401);
  EXPECT_EQ(w.As("public").Get(Path(w.secretariat)).Code(), w.As("public").Get(Path(987654)).Code());

  // Bad filters get a stable code.
  Client f = w.As("facilitator");
  EXPECT_EQ(f.Get(Path(w.secretariat, "?kind=account.mail")).Code(), "api.bad_parameter");
  EXPECT_EQ(f.Get(Path(w.secretariat, "?limit=0")).Code(), "api.bad_parameter");
  EXPECT_EQ(f.Get(Path(w.secretariat, "?limit=201")).Code(), "api.bad_parameter");
  EXPECT_EQ(f.Get(Path(w.secretariat, "?cursor=abc")).Code(), "api.bad_parameter");
  EXPECT_EQ(f.Get(Path(w.secretariat, "?session_id=-1")).Code(), "api.bad_parameter");
  EXPECT_EQ(f.Get(Path(w.secretariat, "?to=x@example.invalid")).Code(), "api.unknown_parameter");
}

}  // namespace
}  // namespace rubrica::server::testing
