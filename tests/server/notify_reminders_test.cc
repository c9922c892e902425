// Reminders on the injected clock, and the approval-day "firme hoy", read from the outbox
// folder (no smtp.host) with Python's email package.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "api_world.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::RunCommand;
using rubrica::testing::SourceDir;

struct Mail {
  std::string to, id, subject, method, uid, sequence, start, status;
};

std::vector<Mail> OutboxMails(ApiWorld& w) {
  auto r = RunCommand({"/usr/bin/python3", SourceDir() + "/tests/server/peers/ics_check.py",
                       w.data_dir() + "/outbox"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<Mail> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = rubrica::testing::SplitFields(line, '|');
    if (f.size() == 8) out.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]});
  }
  return out;
}

// Recipients of the mails whose subject starts with `prefix`, with how many each got.
std::map<std::string, int> To(ApiWorld& w, const std::string& prefix) {
  std::map<std::string, int> out;
  for (const auto& m : OutboxMails(w)) {
    if (m.subject.rfind(prefix, 0) == 0) ++out[m.to];
  }
  return out;
}

// Lets the background sender run a few passes (it wakes every 500 ms).
void Settle() { std::this_thread::sleep_for(std::chrono::milliseconds(1500)); }

std::map<std::string, int> WaitFor(ApiWorld& w, const std::string& prefix, size_t n) {
  for (int i = 0; i < 150; ++i) {
    auto got = To(w, prefix);
    if (got.size() >= n) return got;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return To(w, prefix);
}

TEST(NotifyRemindersTest, MembersAreRemindedOnceTheDayBeforeASession) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.SetClock(ApiWorld::Local(2026, 1, 26, 9));
  Reply r = w.As("facilitator")
                .Post("/api/secretariats/" + std::to_string(w.secretariat) + "/sessions",
                      "{\"kind\":\"ordinary\",\"starts_at\":" + Q(ApiWorld::LocalText(2026, 2, 16, 10)) +
                          R"(,"place":"Sala de Cabildo","agenda":["Lista de asistencia"]})");
  ASSERT_EQ(r.status, 201) << Describe(r);
  // The facilitator asks for 48 hours; the garante may read the settings, not change them.
  const std::string settings = "/api/secretariats/" + std::to_string(w.secretariat) + "/reminders";
  EXPECT_EQ(w.As("garante").Get(settings).Int("session_hours"), 24);
  EXPECT_EQ(w.As("garante").Post(settings, R"({"session_hours":1,"due_business_days":1})").status, 403);
  Reply set = w.As("facilitator").Post(settings, R"({"session_hours":48,"due_business_days":3})");
  ASSERT_EQ(set.status, 200) << Describe(set);
  EXPECT_EQ(w.As("facilitator").Post(settings, R"({"session_hours":-1,"due_business_days":3})").status, 400);
  // 49 hours before: nothing yet.
  w.clock().Set(ApiWorld::Local(2026, 2, 14, 9));
  Settle();
  EXPECT_TRUE(To(w, "Recordatorio").empty());
  // 47 hours before: every member, once, however many passes run.
  w.clock().Set(ApiWorld::Local(2026, 2, 14, 11));
  auto got = WaitFor(w, "Recordatorio", 6);
  for (int i = 0; i < 3; ++i) {
    w.clock().Advance(std::chrono::hours(6));
    Settle();
  }
  got = To(w, "Recordatorio");
  EXPECT_EQ(got.size(), 6u);
  for (const auto& [to, n] : got) EXPECT_EQ(n, 1) << to;
  EXPECT_EQ(got.count(w.person("titular").email), 1u);
  EXPECT_EQ(got.count(w.person("observer").email), 0u) << "observers hold no term";
}

TEST(NotifyRemindersTest, SignersGetFirmeHoyOnTheApprovalDayAndTheFacilitatorHearsOfTheDeadline) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kRubric);  // approved on 2026-02-16
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::set<std::string> signers;
  for (const auto& key : w.Signers()) signers.insert(w.person(key).email);
  auto firme = WaitFor(w, "Firme hoy", signers.size());
  std::set<std::string> got;
  for (const auto& [to, n] : firme) {
    got.insert(to);
    EXPECT_EQ(n, 1) << to;
  }
  EXPECT_EQ(got, signers);
  // Two business days before the monthly deadline (Saturday 28 February): the facilitator
  // and the signers who still owe signatures hear of it; more passes add nothing.
  w.SetClock(ApiWorld::Local(2026, 2, 25, 9));
  auto due = WaitFor(w, "Entrega mensual", 1 + signers.size());
  EXPECT_EQ(due.count(w.person("facilitator").email), 1u);
  for (const auto& s : signers) EXPECT_EQ(due.count(s), 1u) << s;
  Settle();
  const auto due_once = To(w, "Entrega mensual");
  w.clock().Advance(std::chrono::hours(20));
  Settle();
  EXPECT_EQ(To(w, "Entrega mensual"), due_once) << "a reminder is sent once";
  // The deadline passed: the facilitator and the garante (only) are told it is late, once.
  w.SetClock(ApiWorld::Local(2026, 3, 2, 9));
  auto late = WaitFor(w, "Entrega vencida", 2);
  Settle();
  late = To(w, "Entrega vencida");
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(late.count(w.person("facilitator").email), 1u);
  EXPECT_EQ(late.count(w.person("garante").email), 1u);
  w.clock().Advance(std::chrono::hours(30));
  Settle();
  EXPECT_EQ(To(w, "Entrega vencida"), late) << "a late notice is sent once";
}

}  // namespace
}  // namespace rubrica::server::testing
