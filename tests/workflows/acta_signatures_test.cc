#include <gtest/gtest.h>

#include "acta_helpers.h"

namespace rubrica::workflows::testing {
namespace {

constexpr year_month_day kDay = 2026y / June / 16;
constexpr year_month_day kNextDay = 2026y / June / 17;

TEST(SignatureTest, OnlyRequiredSignersOnceEach) {
  World w(Shape::kStm);
  const auto& stood_in = w.seats[2];
  const int64_t acta =
      DraftMinute(w, kDay, {w.seats[0].titular, w.seats[1].titular, stood_in.substitute});
  ReviewAndApprove(w, acta);
  for (int64_t p : {stood_in.titular, w.seats[3].titular, w.outsider, w.facilitator}) {
    SCOPED_TRACE(p);
    ExpectRefusal(w, "workflows.not_a_required_signer", [&] {
      return w.wf().actas().Rubricate(Actor::Person(p), acta, Pin("1234")).status();
    });
  }
  ExpectRefusal(w, "workflows.not_a_required_signer", [&] {
    return w.wf().actas().Rubricate(Actor::Administrator(), acta, Pin("1234")).status();
  });
  ASSERT_TRUE(w.wf().actas().Rubricate(Actor::Person(stood_in.substitute), acta, Pin("1234")).ok());
  ExpectRefusal(w, "workflows.already_signed", [&] {
    return w.wf().actas().Rubricate(Actor::Person(stood_in.substitute), acta, Pin("1234")).status();
  });
  for (int64_t p : {w.seats[0].titular, w.seats[1].titular}) {
    ASSERT_TRUE(w.wf().actas().Rubricate(Actor::Person(p), acta, Pin("1234")).ok());
  }
  ASSERT_TRUE(w.wf().actas().SignFoot(Actor::Person(stood_in.substitute), acta, Pin("1234")).ok());
  ExpectRefusal(w, "workflows.already_signed", [&] {
    return w.wf().actas().SignFoot(Actor::Person(stood_in.substitute), acta, Pin("1234")).status();
  });
  ExpectRefusal(w, "workflows.incomplete",
                [&] { return w.wf().actas().Archive(w.Facilitator(), acta); });
  // The engine's own errors (a wrong PIN) pass through and write nothing.
  ExpectRefusal(w, "keys.wrong_pin", [&] {
    return w.wf().actas().SignFoot(Actor::Person(w.seats[0].titular), acta, Pin("")).status();
  });
}

TEST(SignatureTest, SameDateRuleRefusesOrWarnsByConfiguration) {
  struct Case {
    const char* name;
    SameDateRule rule;
    SignatureKind kind;  // the signature attempted the day after approval
  };
  const std::vector<Case> cases = {
      {"foot, refuse", SameDateRule::kRefuse, SignatureKind::kFoot},
      {"rubric, refuse", SameDateRule::kRefuse, SignatureKind::kRubric},
      {"foot, warn", SameDateRule::kWarn, SignatureKind::kFoot},
      {"rubric, warn", SameDateRule::kWarn, SignatureKind::kRubric},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    World w(Shape::kStl, [&](SecretariatConfig& cfg) { cfg.same_date = c.rule; });
    const int64_t acta = DraftMinute(w, kDay, w.Titulars());
    ReviewAndApprove(w, acta);
    const Actor late = Actor::Person(w.seats[2].titular);
    for (const auto& seat : w.seats) {
      if (c.kind == SignatureKind::kFoot || seat.titular != w.seats[2].titular) {
        ASSERT_TRUE(w.wf().actas().Rubricate(Actor::Person(seat.titular), acta, Pin("1234")).ok());
      }
    }
    if (c.kind == SignatureKind::kFoot) {
      for (int i : {0, 1}) {
        ASSERT_TRUE(w.wf().actas().SignFoot(Actor::Person(w.seats[i].titular), acta, Pin("1234")).ok());
      }
    }
    w.SetLocal(kNextDay, 0, 1);  // one minute past midnight in Mexico City
    auto sign = [&] {
      return c.kind == SignatureKind::kFoot ? w.wf().actas().SignFoot(late, acta, Pin("1234"))
                                            : w.wf().actas().Rubricate(late, acta, Pin("1234"));
    };
    if (c.rule == SameDateRule::kRefuse) {
      ExpectRefusal(w, "workflows.signature_date_passed", [&] { return sign().status(); });
      EXPECT_NE(sign().status().message_es().find(
                    "se aprobó el 16 de junio de 2026 y hoy es 17 de junio de 2026"),
                std::string::npos);
    } else {
      auto r = sign();
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_NE(r->warning.find("lineamiento III.6"), std::string::npos);
      EXPECT_EQ(w.logger.warnings, std::vector<std::string>{"workflows.signature_off_date"});
      auto rec = w.wf().actas().Get(acta);
      EXPECT_EQ(rec->signatures.back().warning, r->warning);
      EXPECT_EQ(rec->signatures.back().local_date, kNextDay);
    }
  }
}

TEST(SignatureTest, JustBeforeMidnightLocalIsStillTheApprovalDate) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  ReviewAndApprove(w, acta);
  w.SetLocal(kDay, 23, 59);  // 05:59 UTC on the 17th
  EXPECT_TRUE(w.wf().actas().Rubricate(Actor::Person(w.seats[0].titular), acta, Pin("1234")).ok());
}

TEST(ReapprovalTest, ANewDateMakesANewRoundAndKeepsTheSupersededOne) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  ReviewAndApprove(w, acta);
  ExpectRefusal(w, "workflows.reapproval_not_needed", [&] {
    return w.wf().actas().Reapprove(w.Facilitator(), acta, w.Votes(w.Titulars())).status();
  });
  for (int i : {0, 1}) {
    ASSERT_TRUE(w.wf().actas().Rubricate(Actor::Person(w.seats[i].titular), acta, Pin("1234")).ok());
  }
  w.SetLocal(kNextDay, 11);
  ExpectRefusal(w, "workflows.signature_date_passed", [&] {
    return w.wf().actas().Rubricate(Actor::Person(w.seats[2].titular), acta, Pin("1234")).status();
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf().actas().Reapprove(w.Garante(), acta, w.Votes(w.Titulars())).status();
  });
  auto round2 = w.wf().actas().Reapprove(w.Facilitator(), acta, w.Votes(w.Titulars()));
  ASSERT_TRUE(round2.ok()) << round2.status().ToString();
  EXPECT_EQ(round2->round, 2);
  EXPECT_EQ(round2->approved_on, kNextDay);
  ASSERT_EQ(w.engine->certified.size(), 2u);
  EXPECT_EQ(w.engine->certified[1].approval_round, 2);
  EXPECT_NE(round2->certified_blob_id, w.wf().actas().Get(acta)->approvals[0].certified_blob_id);
  SignAll(w, acta);  // everyone again, including the two who rubricated in round 1
  auto rec = w.wf().actas().Get(acta);
  ASSERT_TRUE(rec.ok());
  EXPECT_TRUE(rec->complete);
  ASSERT_EQ(rec->approvals.size(), 2u);
  EXPECT_TRUE(rec->approvals[0].superseded);
  EXPECT_FALSE(rec->approvals[1].superseded);
  ASSERT_EQ(rec->signatures.size(), 8u) << "2 superseded rubrics stay on record";
  EXPECT_EQ(rec->signatures[0].approval_round, 1);
  EXPECT_EQ(rec->signatures[0].local_date, kDay);
  EXPECT_EQ(rec->signatures[2].approval_round, 2);
  ExpectRefusal(w, "workflows.out_of_turn", [&] {
    return w.wf().actas().Reapprove(w.Facilitator(), acta, w.Votes(w.Titulars())).status();
  });
}

TEST(ApprovalTest, NeedsQuorumAndConsensusOrMajority) {
  World w(Shape::kStm);
  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  ASSERT_TRUE(w.wf().actas().SubmitForReview(w.Facilitator(), acta).ok());
  const auto t = w.Titulars();
  struct Case {
    const char* name;
    std::vector<VoteInput> votes;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"2 of 5 seats vote",
       {{t[0], VoteChoice::kYes}, {t[1], VoteChoice::kYes}},
       "workflows.quorum_not_met"},
      {"tie",
       {{t[0], VoteChoice::kYes},
        {t[1], VoteChoice::kYes},
        {t[2], VoteChoice::kNo},
        {t[3], VoteChoice::kNo}},
       "workflows.approval_not_reached"},
      {"majority against",
       {{t[0], VoteChoice::kNo}, {t[1], VoteChoice::kNo}, {t[2], VoteChoice::kYes}},
       "workflows.approval_not_reached"},
      {"the facilitator votes",
       {{t[0], VoteChoice::kYes}, {t[1], VoteChoice::kYes}, {w.facilitator, VoteChoice::kYes}},
       "workflows.facilitator_cannot_vote"},
      {"an outsider votes",
       {{t[0], VoteChoice::kYes}, {t[1], VoteChoice::kYes}, {w.outsider, VoteChoice::kYes}},
       "workflows.not_present"},
      {"titular and substitute of one seat",
       {{t[0], VoteChoice::kYes},
        {w.seats[0].substitute, VoteChoice::kYes},
        {t[1], VoteChoice::kYes}},
       "workflows.duplicate_vote"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectRefusal(w, c.code,
                  [&] { return w.wf().actas().Approve(w.Facilitator(), acta, c.votes).status(); });
  }
  EXPECT_TRUE(w.engine->certified.empty());
  auto ok = w.wf().actas().Approve(
      w.Facilitator(), acta,
      {{t[0], VoteChoice::kYes}, {t[1], VoteChoice::kYes}, {t[2], VoteChoice::kNo}});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->tally.method, DecisionMethod::kMajority);
}

TEST(ApprovalTest, AnEngineFailureLeavesTheActaApprovedUntilCertifyRetries) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  ASSERT_TRUE(w.wf().actas().SubmitForReview(w.Facilitator(), acta).ok());
  w.engine->FailNext();
  auto a = w.wf().actas().Approve(w.Facilitator(), acta, w.Votes(w.Titulars()));
  EXPECT_EQ(a.status().code(), "engine.unavailable");
  auto rec = w.wf().actas().Get(acta);
  EXPECT_EQ(rec->state, ActaState::kApproved);
  EXPECT_TRUE(rec->current_blob_id.empty());
  ExpectRefusal(w, "workflows.out_of_turn", [&] {
    return w.wf().actas().Rubricate(Actor::Person(w.seats[0].titular), acta, Pin("1234")).status();
  });
  ASSERT_TRUE(w.wf().actas().Certify(w.Facilitator(), acta).ok());
  rec = w.wf().actas().Get(acta);
  EXPECT_EQ(rec->state, ActaState::kRubric);
  EXPECT_EQ(rec->current_blob_id, rec->approvals.back().certified_blob_id);
}

TEST(SignatureTest, ASignatureThatLandsWhileAnotherUnlocksIsExtendedNotRefused) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  ReviewAndApprove(w, acta);
  const Actor first = Actor::Person(w.seats[0].titular);
  const Actor second = Actor::Person(w.seats[1].titular);
  // The first signer read the acta and is unlocking their key when the second one signs.
  Status inner;
  w.engine->during_next_unlock = [&] {
    inner = w.wf().actas().Rubricate(second, acta, Pin("1234")).status();
  };
  auto r = w.wf().actas().Rubricate(first, acta, Pin("1234"));
  ASSERT_TRUE(inner.ok()) << inner.ToString();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto rec = w.wf().actas().Get(acta);
  ASSERT_EQ(rec->signatures.size(), 2u);
  EXPECT_EQ(rec->signatures[0].person_id, w.seats[1].titular);
  EXPECT_EQ(rec->signatures[1].person_id, w.seats[0].titular);
  // The first signature was applied to the revision the second produced, not the one read.
  EXPECT_EQ(w.engine->signed_requests.back().input_blob_id, rec->signatures[0].blob_id);
  EXPECT_EQ(rec->current_blob_id, rec->signatures[1].blob_id);
  EXPECT_EQ(r->acta.current_blob_id, rec->current_blob_id);
  EXPECT_EQ(r->acta.signatures.size(), 2u);
}

TEST(SignatureTest, SigningAnActaTheCallerReadReadsItNoMoreAndReturnsItSigned) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  ReviewAndApprove(w, acta);
  const std::vector<int64_t> signers = w.Titulars();
  for (SignatureKind kind : {SignatureKind::kRubric, SignatureKind::kFoot}) {
    for (int64_t p : signers) {
      auto seen = w.wf().actas().Get(acta);
      ASSERT_TRUE(seen.ok());
      const uint64_t reads = ActaReadsSoFar();
      auto r = w.wf().actas().Sign(Actor::Person(p), *seen, kind, Pin("1234"));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(ActaReadsSoFar(), reads) << "the acta was read again";
      // What it returns is what a fresh read gives.
      auto now = w.wf().actas().Get(acta);
      ASSERT_TRUE(now.ok());
      EXPECT_EQ(r->acta.current_blob_id, now->current_blob_id);
      EXPECT_EQ(r->acta.state, now->state);
      EXPECT_EQ(r->acta.complete, now->complete);
      ASSERT_EQ(r->acta.signatures.size(), now->signatures.size());
      const ActaSignature& mine = r->acta.signatures.back();
      const ActaSignature& stored = now->signatures.back();
      EXPECT_EQ(mine.id, stored.id);
      EXPECT_EQ(mine.person_id, stored.person_id);
      EXPECT_EQ(mine.kind, stored.kind);
      EXPECT_EQ(mine.at, stored.at);
      EXPECT_EQ(mine.local_date, stored.local_date);
      EXPECT_EQ(mine.blob_id, stored.blob_id);
      EXPECT_EQ(mine.approval_round, stored.approval_round);
    }
  }
  auto done = w.wf().actas().Get(acta);
  EXPECT_TRUE(done->complete);
  EXPECT_EQ(done->state, ActaState::kFootSignature);
}

}  // namespace
}  // namespace rubrica::workflows::testing
