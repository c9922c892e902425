#include "rubrica/store/outbox.h"

#include <gtest/gtest.h>

#include "rubrica/store/write_transaction.h"
#include "support/test_support.h"

namespace rubrica::store {
namespace {

using namespace std::chrono;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  // A fresh connection to the same file: what a restarted service sees.
  void Reopen() {
    db_.reset();
    auto db = Database::Open(dir_ / "outbox.db");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("outbox", Outbox::Migrations()).ok());
  }

  bool Enqueue(const std::string& id, std::optional<int64_t> subscription = std::nullopt) {
    auto r = WriteTransaction(*db_, [&](Transaction& tx) {
      return outbox_.Enqueue(tx, {id, "mail", "ana@example.invalid", "body of " + id,
                                  "session.convened", subscription});
    });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }

  std::vector<std::string> ClaimIds(int limit = 10) {
    auto claimed = outbox_.Claim(*db_, limit, 60s);
    EXPECT_TRUE(claimed.ok());
    std::vector<std::string> ids;
    if (claimed.ok()) {
      for (const auto& e : *claimed) ids.push_back(e.message.id);
    }
    return ids;
  }

  testing::TempDir dir_;
  ManualClock clock_{sys_days(2026y / 11 / 21)};
  Outbox outbox_{clock_};
  std::unique_ptr<Database> db_;
};

TEST_F(OutboxTest, EnqueuingTheSameIdTwiceKeepsOneMessage) {
  EXPECT_TRUE(Enqueue("m1"));
  EXPECT_FALSE(Enqueue("m1"));
  EXPECT_EQ(ClaimIds(), std::vector<std::string>{"m1"});
}

TEST_F(OutboxTest, ARolledBackChangeLeavesNoMessage) {
  auto s = WriteTransaction(*db_, [&](Transaction& tx) -> Status {
    RETURN_IF_ERROR(outbox_.Enqueue(tx, {"m1", "mail", "a@example.invalid", "x", "e", {}}).status());
    return Status::Error(ErrorKind::kConflict, "test.refused", "the change is refused");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(ClaimIds().empty());
}

TEST_F(OutboxTest, AClaimedMessageIsNotClaimedAgainUntilItsLeaseRunsOut) {
  Enqueue("m1");
  EXPECT_EQ(ClaimIds().size(), 1u);
  EXPECT_TRUE(ClaimIds().empty());
  // The sender that claimed it crashed: after the lease, another sender (or the same
  // service restarted) claims it again, nothing is lost.
  Reopen();
  clock_.Advance(61s);
  EXPECT_EQ(ClaimIds(), std::vector<std::string>{"m1"});
  auto e = outbox_.Get(*db_, "m1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->attempts, 2);
}

TEST_F(OutboxTest, ASentMessageIsNeverClaimedAgain) {
  Enqueue("m1");
  ASSERT_EQ(ClaimIds().size(), 1u);
  ASSERT_TRUE(outbox_.MarkSent(*db_, "m1", "250 OK").ok());
  clock_.Advance(hours(24));
  EXPECT_TRUE(ClaimIds().empty());
  auto e = outbox_.Get(*db_, "m1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->state, OutboxState::kSent);
  ASSERT_TRUE(e->sent_at.has_value());
}

TEST_F(OutboxTest, AFailedMessageIsDueAgainAtItsRetryTimeAndEveryAttemptIsLogged) {
  Enqueue("m1", 7);
  ASSERT_EQ(ClaimIds().size(), 1u);
  ASSERT_TRUE(outbox_.MarkFailed(*db_, "m1", "connection refused\r\nX-Injected: 1", clock_.Now() + 30s).ok());
  EXPECT_TRUE(ClaimIds().empty());
  auto due = outbox_.NextDue(*db_);
  ASSERT_TRUE(due.ok());
  ASSERT_TRUE(due->has_value());
  EXPECT_EQ(**due, clock_.Now() + 30s);
  clock_.Advance(30s);
  ASSERT_EQ(ClaimIds().size(), 1u);
  ASSERT_TRUE(outbox_.MarkSent(*db_, "m1", "200").ok());
  auto log = outbox_.AttemptsOfSubscription(*db_, 7, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_TRUE((*log)[0].ok);
  EXPECT_EQ((*log)[0].attempt, 2);
  EXPECT_FALSE((*log)[1].ok);
  EXPECT_EQ((*log)[1].detail, "connection refused  X-Injected: 1");  // one line
}

TEST_F(OutboxTest, AMessageWithoutRetryIsDead) {
  Enqueue("m1");
  ASSERT_EQ(ClaimIds().size(), 1u);
  ASSERT_TRUE(outbox_.MarkFailed(*db_, "m1", "550 no such user", std::nullopt).ok());
  clock_.Advance(hours(24));
  EXPECT_TRUE(ClaimIds().empty());
  auto dead = outbox_.Count(*db_, OutboxState::kDead);
  ASSERT_TRUE(dead.ok());
  EXPECT_EQ(*dead, 1);
}

TEST_F(OutboxTest, OnlyADeadMessageIsRevivedAndItIsDueAtOnceWithItsAttemptsKept) {
  Enqueue("m1");
  auto revive = [&](const std::string& id) {
    auto r = WriteTransaction(*db_, [&](Transaction& tx) { return outbox_.Revive(tx, id); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  };
  EXPECT_FALSE(revive("m1")) << "a pending message is not dead";
  EXPECT_FALSE(revive("nope"));
  ASSERT_EQ(ClaimIds().size(), 1u);
  ASSERT_TRUE(outbox_.MarkFailed(*db_, "m1", "550 no such user", std::nullopt).ok());
  EXPECT_TRUE(ClaimIds().empty());
  EXPECT_TRUE(revive("m1"));
  auto claimed = outbox_.Claim(*db_, 10, 60s);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].attempts, 1) << "its count starts again";
  ASSERT_TRUE(outbox_.MarkSent(*db_, "m1", "250 ok").ok());
  EXPECT_FALSE(revive("m1")) << "a sent message is never sent again";
  auto log = outbox_.AttemptsOf(*db_, "m1");
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u) << "the attempt before it died stays in the log";
  EXPECT_FALSE((*log)[0].ok);
  EXPECT_TRUE((*log)[1].ok);
}

TEST_F(OutboxTest, ClaimsOldestDueFirstWithinTheLimit) {
  Enqueue("b");
  clock_.Advance(1s);
  Enqueue("a");
  EXPECT_EQ(ClaimIds(1), std::vector<std::string>{"b"});
  EXPECT_EQ(ClaimIds(1), std::vector<std::string>{"a"});
}

TEST_F(OutboxTest, AMessageEnqueuedClaimedIsNotTakenBySendersUnlessItsClaimerNeverReports) {
  auto e = WriteTransaction(*db_, [&](Transaction& tx) {
    return outbox_.EnqueueClaimed(tx, {"m1", "mail", "a@example.invalid", "x", "e", {}}, 60s);
  });
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->attempts, 1);
  EXPECT_GT(e->seq, 0);
  EXPECT_TRUE(ClaimIds().empty()) << "the claimer is trying it";
  clock_.Advance(61s);  // the claimer died before reporting
  EXPECT_EQ(ClaimIds(), std::vector<std::string>{"m1"});
}

TEST_F(OutboxTest, RefusesAMessageWithoutDestination) {
  auto r = WriteTransaction(*db_, [&](Transaction& tx) {
    return outbox_.Enqueue(tx, {"m1", "mail", "", "x", "e", {}});
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "store.bad_outbox_message");
}

TEST_F(OutboxTest, ListConcerningSelectsBySecretariatSessionAndKindNewestFirstInPages) {
  struct Row {
    std::string id;
    int64_t secretariat;
    std::optional<int64_t> session;
    std::string event;
    std::string channel = "mail";
  };
  const std::vector<Row> rows = {
      {"conv-1", 1, 10, "session.convened"},   {"firme-1", 1, 10, "acta.approved"},
      {"other-sec", 2, 20, "session.convened"}, {"due-1", 1, std::nullopt, "delivery.due"},
      {"hook-1", 1, 10, "session.convened", "webhook"}, {"conv-2", 1, 11, "session.convened"},
  };
  for (const auto& r : rows) {
    auto added = WriteTransaction(*db_, [&](Transaction& tx) {
      OutboxMessage m{r.id, r.channel, "ana@example.invalid", "body", r.event, std::nullopt};
      m.secretariat_id = r.secretariat;
      m.session_id = r.session;
      m.person_id = 7;
      m.subject = "Asunto de " + r.id;
      return outbox_.Enqueue(tx, m);
    });
    ASSERT_TRUE(added.ok() && *added) << r.id;
    clock_.Advance(1s);
  }
  auto ids = [&](OutboxQuery q) {
    auto list = outbox_.ListConcerning(*db_, q);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    std::vector<std::string> out;
    if (list.ok()) {
      for (const auto& e : *list) out.push_back(e.message.id);
    }
    return out;
  };
  using V = std::vector<std::string>;
  OutboxQuery all;
  all.secretariat_id = 1;
  EXPECT_EQ(ids(all), (V{"conv-2", "due-1", "firme-1", "conv-1"}));
  OutboxQuery session = all;
  session.session_id = 10;
  EXPECT_EQ(ids(session), (V{"firme-1", "conv-1"}));
  OutboxQuery kind = all;
  kind.event = "session.convened";
  EXPECT_EQ(ids(kind), (V{"conv-2", "conv-1"}));
  OutboxQuery hooks = all;
  hooks.channel = "webhook";
  EXPECT_EQ(ids(hooks), V{"hook-1"});
  // Pages of two, the next one from the last seq of the previous.
  OutboxQuery page = all;
  page.limit = 2;
  auto first = outbox_.ListConcerning(*db_, page);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  page.before_seq = first->back().seq;
  EXPECT_EQ(ids(page), (V{"firme-1", "conv-1"}));
  // What a message concerns survives a reopen, as written.
  Reopen();
  auto got = outbox_.Get(*db_, "firme-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->message.secretariat_id, 1);
  EXPECT_EQ(got->message.session_id, 10);
  EXPECT_EQ(got->message.acta_id, std::nullopt);
  EXPECT_EQ(got->message.person_id, 7);
  EXPECT_EQ(got->message.subject, "Asunto de firme-1");
}

// A database made before outbox migration 2: its messages stay, concerning nothing, and new
// ones record what they concern.
TEST_F(OutboxTest, MigrationTwoKeepsOlderMessagesAndListsOnlyTheNewOnes) {
  db_.reset();
  auto old = Database::Open(dir_ / "old.db");
  ASSERT_TRUE(old.ok());
  std::vector<Migration> first = {Outbox::Migrations().front()};
  ASSERT_TRUE((*old)->Migrate("outbox", first).ok());
  ASSERT_TRUE(WriteTransaction(**old, [&](Transaction& tx) -> Status {
                ASSIGN_OR_RETURN(auto st, tx.Prepare("INSERT INTO outbox_messages(id, channel, destination, payload, "
                                                     "event, created_us, next_attempt_us) VALUES "
                                                     "('before', 'mail', 'a@example.invalid', 'x', 'session.convened', 1, 1)"));
                return st.Run();
              }).ok());
  ASSERT_TRUE((*old)->Migrate("outbox", Outbox::Migrations()).ok());
  db_ = std::move(*old);
  auto before = outbox_.Get(*db_, "before");
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->message.secretariat_id, std::nullopt);
  EXPECT_EQ(before->message.subject, "");
  OutboxMessage m{"after", "mail", "a@example.invalid", "x", "session.convened", std::nullopt};
  m.secretariat_id = 1;
  ASSERT_TRUE(WriteTransaction(*db_, [&](Transaction& tx) { return outbox_.Enqueue(tx, m); }).ok());
  OutboxQuery q;
  q.secretariat_id = 1;
  auto list = outbox_.ListConcerning(*db_, q);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().message.id, "after");
}

TEST_F(OutboxTest, CursorsSurviveAReopen) {
  ASSERT_TRUE(WriteTransaction(*db_, [](Transaction& tx) { return Outbox::SetCursor(tx, "audit", 41); }).ok());
  Reopen();
  auto tx = db_->BeginRead();
  ASSERT_TRUE(tx.ok());
  auto pos = Outbox::Cursor(*tx, "audit");
  ASSERT_TRUE(pos.ok());
  EXPECT_EQ(*pos, 41);
}

}  // namespace
}  // namespace rubrica::store
