// Several threads writing through one Workflows (as the HTTP workers will): every write
// lands once, the audit chain stays intact, and concurrent signers extend one linear chain
// of revisions: the acta's lock puts them in order, so none is refused for having raced
// another, none forks the chain, and their keys are unlocked in parallel, outside the lock.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "acta_helpers.h"
#include "rubrica/store/audit_log.h"

namespace rubrica::workflows::testing {
namespace {

TEST(ConcurrencyTest, ParallelWritersLandEveryChangeOnceWithAnIntactAuditChain) {
  World w(Shape::kStm);
  const DbSnapshot before = Snapshot(w.db_path());
  constexpr int kThreads = 4;
  constexpr int kEach = 15;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto p = w.wf().people().AddPerson(
            Actor::Administrator(),
            {"Persona " + std::to_string(t) + "-" + std::to_string(i), "", ""});
        const year_month_day day{sys_days(2027y / January / 1) + days(t * kEach + i)};
        Status h =
            w.wf().secretariats().AddHoliday(Actor::Administrator(), w.secretariat, day, "x");
        if (!p.ok() || !h.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const DbSnapshot after = Snapshot(w.db_path());
  EXPECT_EQ(after.rows.at("wf_person"), before.rows.at("wf_person") + kThreads * kEach);
  EXPECT_EQ(after.rows.at("wf_holiday"), kThreads * kEach);
  EXPECT_EQ(after.audit_entries, before.audit_entries + 2 * kThreads * kEach);
  auto v = store::AuditLog(w.clock).Verify(w.db());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->detail;
}

TEST(ConcurrencyTest, ConcurrentSignersExtendOneLinearChainOfRevisions) {
  World w(Shape::kStm);
  const int64_t acta = DraftMinute(w, 2026y / June / 16, w.Titulars());
  ReviewAndApprove(w, acta);
  std::atomic<int> retries{0};
  std::vector<std::thread> threads;
  for (int64_t p : w.Titulars()) {
    threads.emplace_back([&, p] {
      for (SignatureKind kind : {SignatureKind::kRubric, SignatureKind::kFoot}) {
        // A wall-clock bound only guards the test against a livelock; the rules use w.clock.
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        for (;;) {
          auto r = kind == SignatureKind::kRubric
                       ? w.wf().actas().Rubricate(Actor::Person(p), acta, Pin("1"))
                       : w.wf().actas().SignFoot(Actor::Person(p), acta, Pin("1"));
          if (r.ok()) break;
          // Only a foot signature that comes before every rubric is in is refused: never
          // a signature that merely raced another one.
          ASSERT_EQ(kind, SignatureKind::kFoot) << r.status().ToString();
          ASSERT_EQ(r.status().code(), "workflows.out_of_turn") << r.status().ToString();
          ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "no progress";
          ++retries;
          std::this_thread::yield();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  auto rec = w.wf().actas().Get(acta);
  ASSERT_TRUE(rec.ok());
  EXPECT_TRUE(rec->complete);
  ASSERT_EQ(rec->signatures.size(), 10u);
  // Linear: each recorded signature's revision is the input of the next one recorded.
  std::string previous = rec->approvals.back().certified_blob_id;
  for (const auto& s : rec->signatures) {
    bool found = false;
    for (const auto& req : w.engine->signed_requests) {
      if (req.input_blob_id == previous && req.signer.person_id == s.person_id &&
          req.kind == s.kind) {
        found = true;
      }
    }
    EXPECT_TRUE(found) << "signature " << s.id << " does not extend the previous revision";
    previous = s.blob_id;
  }
  EXPECT_EQ(rec->current_blob_id, previous);
  auto v = store::AuditLog(w.clock).Verify(w.db());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok);
  RecordProperty("retries", retries.load());
}

TEST(ConcurrencyTest, SignersOfOneActaUnlockTheirKeysAtTheSameTime) {
  World w(Shape::kStm);
  const int64_t acta = DraftMinute(w, 2026y / June / 16, w.Titulars());
  ReviewAndApprove(w, acta);
  const std::vector<int64_t> signers = w.Titulars();
  ASSERT_GE(signers.size(), 3u);
  // Every Unlock (the scrypt of a real PIN) waits until all of them run at once: if the
  // workflow unlocked keys under the acta's lock, they would run one by one and fail.
  w.engine->unlock_rendezvous = static_cast<int>(signers.size());
  std::vector<Status> results(signers.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < signers.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] = w.wf().actas().Rubricate(Actor::Person(signers[i]), acta, Pin("1")).status();
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  auto rec = w.wf().actas().Get(acta);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->signatures.size(), signers.size());
  EXPECT_EQ(rec->state, ActaState::kFootSignature);
}

}  // namespace
}  // namespace rubrica::workflows::testing
