#include <gtest/gtest.h>

#include "rubrica/store/audit_log.h"
#include "world.h"

namespace rubrica::workflows::testing {
namespace {

constexpr VoteChoice Y = VoteChoice::kYes;
constexpr VoteChoice N = VoteChoice::kNo;
constexpr VoteChoice A = VoteChoice::kAbstain;

TEST(DecisionTest, ConsensusElseMajorityOfThosePresentWithTheTallyRecorded) {
  struct Case {
    const char* name;
    std::vector<VoteChoice> votes;  // seat order; a titular for seats 0-3, the substitute for 4
    DecisionMethod method;
    DecisionOutcome outcome;
  };
  const std::vector<Case> cases = {
      {"consensus", {Y, Y, Y, Y, Y}, DecisionMethod::kConsensus, DecisionOutcome::kApproved},
      {"majority", {Y, Y, Y, N, N}, DecisionMethod::kMajority, DecisionOutcome::kApproved},
      {"tie", {Y, Y, N, N, A}, DecisionMethod::kMajority, DecisionOutcome::kTied},
      {"rejected by majority",
       {Y, N, N, N, A},
       DecisionMethod::kMajority,
       DecisionOutcome::kRejected},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    World w(Shape::kStm);
    std::vector<int64_t> present = {w.seats[0].titular, w.seats[1].titular,    w.seats[2].titular,
                                    w.seats[3].titular, w.seats[4].substitute, w.facilitator};
    const int64_t session = w.OpenSession(2026y / June / 16, present);
    std::vector<VoteInput> votes;
    for (size_t i = 0; i < c.votes.size(); ++i) votes.push_back({present[i], c.votes[i]});
    auto d = w.wf().sessions().RecordDecision(w.Facilitator(), session,
                                              {2, "Aprobar el calendario de sesiones", votes});
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->tally.method, c.method);
    EXPECT_EQ(d->tally.outcome, c.outcome);
    EXPECT_EQ(d->tally.seats, 5);
    // The tally is in the audit log with each seat's vote.
    auto entries = store::AuditLog(w.clock).List(w.db(), 0, 1000);
    ASSERT_TRUE(entries.ok());
    const auto& last = entries->back().entry;
    EXPECT_EQ(last.action, "session.decision");
    EXPECT_NE(
        last.payload.find("\"outcome\":\"" + std::string(DecisionOutcomeName(c.outcome)) + "\""),
        std::string::npos);
    EXPECT_NE(last.payload.find("\"person\":" + std::to_string(w.seats[4].substitute)),
              std::string::npos)
        << "the substitute's vote counts for the seat";
  }
}

TEST(DecisionTest, RefusesTheFacilitatorsVoteAndBadTallies) {
  World w(Shape::kStm);
  std::vector<int64_t> present = {w.seats[0].titular, w.seats[1].titular, w.seats[2].substitute,
                                  w.facilitator};
  const int64_t session = w.OpenSession(2026y / June / 16, present);
  auto decide = [&](std::vector<VoteInput> votes) {
    return w.wf()
        .sessions()
        .RecordDecision(w.Facilitator(), session, {2, "Asunto", std::move(votes)})
        .status();
  };
  struct Case {
    const char* name;
    std::vector<VoteInput> votes;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"facilitator votes",
       {{w.seats[0].titular, Y},
        {w.seats[1].titular, Y},
        {w.seats[2].substitute, N},
        {w.facilitator, Y}},
       "workflows.facilitator_cannot_vote"},
      {"absent titular of a seat whose substitute attends",
       {{w.seats[0].titular, Y}, {w.seats[1].titular, Y}, {w.seats[2].titular, Y}},
       "workflows.not_present"},
      {"an observer-like outsider", {{w.outsider, Y}}, "workflows.not_present"},
      {"a seat votes twice",
       {{w.seats[0].titular, Y}, {w.seats[0].titular, N}, {w.seats[1].titular, Y}},
       "workflows.duplicate_vote"},
      {"a seat present does not vote",
       {{w.seats[0].titular, Y}, {w.seats[1].titular, Y}},
       "workflows.vote_incomplete"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectRefusal(w, c.code, [&] { return decide(c.votes); });
  }
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf()
        .sessions()
        .RecordDecision(w.Garante(), session, {2, "Asunto", w.Votes({w.seats[0].titular})})
        .status();
  });
  ExpectRefusal(w, "workflows.not_found", [&] {
    return w.wf()
        .sessions()
        .RecordDecision(w.Facilitator(), session, {9, "Asunto", w.Votes({w.seats[0].titular})})
        .status();
  });
  auto refused = decide({{w.facilitator, Y}});
  EXPECT_EQ(refused.message_es(),
            "El facilitador tiene derecho a voz sin voto (lineamiento III.9).");
}

}  // namespace
}  // namespace rubrica::workflows::testing
