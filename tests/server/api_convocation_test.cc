// A member acknowledges the convocation of a session (issue 12): recorded once with its
// time and audited, shown to the facilitator in the session, and the "convocation" task
// of GET /api/me/tasks goes away; on the real service.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "api_world.h"

namespace rubrica::server::testing {
namespace {

int64_t Count(const ApiWorld& w, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2((w.data_dir() + "/rubrica.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

// The index of `who`'s task of `kind` about session `session` (-1 when none).
int TaskIndex(const Reply& tasks, const std::string& kind, int64_t session) {
  for (int i = 0; i < tasks.Size("tasks"); ++i) {
    const std::string p = "tasks[" + std::to_string(i) + "]";
    if (tasks.Str(p + ".kind") == kind && tasks.Int(p + ".session_id") == session) return i;
  }
  return -1;
}

TEST(ConvocationAcknowledgementTest, IsRecordedOnceAuditedShownToTheFacilitatorAndEndsTheTask) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kSessionHeld);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string s = "/api/sessions/" + std::to_string(w.next_session);

  // Every member has the convened session's convocation to acknowledge, due on its date.
  for (const std::string who : {"titular", "titular2", "suplente", "garante"}) {
    Reply tasks = w.As(who).Get("/api/me/tasks");
    ASSERT_EQ(tasks.status, 200) << Describe(tasks);
    const int i = TaskIndex(tasks, "convocation", w.next_session);
    ASSERT_GE(i, 0) << who << "\n" << tasks.body;
    const std::string p = "tasks[" + std::to_string(i) + "]";
    EXPECT_EQ(tasks.Str(p + ".deadline"), "2026-03-09") << who;
    EXPECT_EQ(tasks.Str(p + ".api.method"), "POST");
    EXPECT_EQ(tasks.Str(p + ".api.path"), s + "/acknowledge");
    EXPECT_EQ(tasks.Str(p + ".title_es"),
              "Acuse recibo de la convocatoria a la sesión ordinaria del 9 de marzo de 2026");
    // The held session has nothing to acknowledge.
    EXPECT_EQ(TaskIndex(tasks, "convocation", w.session), -1) << who;
  }
  // Not the facilitator (voice, no seat), not an observer.
  EXPECT_EQ(TaskIndex(w.As("facilitator").Get("/api/me/tasks"), "convocation", w.next_session), -1);
  EXPECT_EQ(TaskIndex(w.As("observer").Get("/api/me/tasks"), "convocation", w.next_session), -1);

  const Instant first = w.clock().Now();
  Reply ack = w.As("titular").Post(s + "/acknowledge");
  ASSERT_EQ(ack.status, 200) << Describe(ack);
  ASSERT_EQ(ack.Size("acknowledgements"), 1) << ack.body;
  EXPECT_EQ(ack.Int("acknowledgements[0].person_id"), w.person("titular").id);
  EXPECT_EQ(ack.Int("acknowledgements[0].seat_id"), w.seats["authority"]);
  const std::string at = ack.Str("acknowledgements[0].at");
  EXPECT_EQ(at, FormatRfc3339UtcMicros(first)) << at;

  // Again, an hour later: the same acknowledgement, its first time, one audit entry.
  w.SetClock(first + std::chrono::hours(1));
  Reply again = w.As("titular").Post(s + "/acknowledge");
  ASSERT_EQ(again.status, 200) << Describe(again);
  ASSERT_EQ(again.Size("acknowledgements"), 1);
  EXPECT_EQ(again.Str("acknowledgements[0].at"), at);
  EXPECT_EQ(
      Count(w, "SELECT count(*) FROM audit_log WHERE action = 'session.convocation_acknowledge'"),
      1);

  // The titular's task is gone; the others' stay until they acknowledge.
  EXPECT_EQ(TaskIndex(w.As("titular").Get("/api/me/tasks"), "convocation", w.next_session), -1);
  EXPECT_GE(TaskIndex(w.As("garante").Get("/api/me/tasks"), "convocation", w.next_session), 0);
  ASSERT_EQ(w.As("garante").Post(s + "/acknowledge").status, 200);
  EXPECT_EQ(TaskIndex(w.As("garante").Get("/api/me/tasks"), "convocation", w.next_session), -1);

  // The facilitator sees who acknowledged and when; the public sees the session without it.
  Reply seen = w.As("facilitator").Get(s);
  ASSERT_EQ(seen.status, 200);
  ASSERT_EQ(seen.Size("acknowledgements"), 2) << seen.body;
  EXPECT_EQ(seen.Int("acknowledgements[0].person_id"), w.person("titular").id);
  EXPECT_EQ(seen.Str("acknowledgements[0].at"), at);
  EXPECT_EQ(seen.Int("acknowledgements[1].person_id"), w.person("garante").id);
  Reply open_read = w.As("public").Get(s);
  ASSERT_EQ(open_read.status, 200);
  EXPECT_EQ(open_read.Size("acknowledgements"), -1) << open_read.body;

  // Only members acknowledge, and only a convened session.
  EXPECT_EQ(w.As("facilitator").Post(s + "/acknowledge").status, 403);
  EXPECT_EQ(w.As("observer").Post(s + "/acknowledge").status, 403);
  EXPECT_EQ(w.As("public").Post(s + "/acknowledge").status, 401);
  Reply held = w.As("titular2").Post("/api/sessions/" + std::to_string(w.session) + "/acknowledge");
  EXPECT_EQ(held.status, 409) << Describe(held);
  EXPECT_EQ(held.Code(), "workflows.out_of_turn");
  EXPECT_EQ(Count(w, "SELECT count(*) FROM wf_convocation_ack"), 2);
}

}  // namespace
}  // namespace rubrica::server::testing
