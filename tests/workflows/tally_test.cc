#include "rubrica/workflows/tally.h"

#include <gtest/gtest.h>

#include "rubrica/workflows/secretariat_config.h"

namespace rubrica::workflows {
namespace {

constexpr VoteChoice Y = VoteChoice::kYes;
constexpr VoteChoice N = VoteChoice::kNo;
constexpr VoteChoice A = VoteChoice::kAbstain;

TEST(TallyTest, ConsensusElseMajorityOfSeatsPresentElseTie) {
  struct Case {
    std::vector<VoteChoice> votes;
    DecisionMethod method;
    DecisionOutcome outcome;
  };
  const std::vector<Case> cases = {
      {{Y, Y, Y}, DecisionMethod::kConsensus, DecisionOutcome::kApproved},
      {{N, N, N}, DecisionMethod::kConsensus, DecisionOutcome::kRejected},
      {{Y, Y, N}, DecisionMethod::kMajority, DecisionOutcome::kApproved},
      {{Y, N, N}, DecisionMethod::kMajority, DecisionOutcome::kRejected},
      {{Y, Y, Y, N, N}, DecisionMethod::kMajority, DecisionOutcome::kApproved},
      {{Y, Y, N, N}, DecisionMethod::kMajority, DecisionOutcome::kTied},
      {{Y, Y, N, N, A}, DecisionMethod::kMajority, DecisionOutcome::kTied},
      // Two of five is no majority of those present even with three abstaining.
      {{Y, Y, A, A, A}, DecisionMethod::kMajority, DecisionOutcome::kRejected},
      {{Y, A, A}, DecisionMethod::kMajority, DecisionOutcome::kRejected},
      {{A, A, A}, DecisionMethod::kMajority, DecisionOutcome::kRejected},
      {{}, DecisionMethod::kMajority, DecisionOutcome::kRejected},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const Tally t = TallyVotes(cases[i].votes);
    EXPECT_EQ(t.method, cases[i].method) << "case " << i;
    EXPECT_EQ(t.outcome, cases[i].outcome) << "case " << i;
    EXPECT_EQ(t.yes + t.no + t.abstain, static_cast<int>(cases[i].votes.size()));
  }
}

TEST(QuorumTest, AllSeatsOrHalfPlusOne) {
  struct Case {
    QuorumRule rule;
    int seats, needed;
  };
  const std::vector<Case> cases = {
      {QuorumRule::kAllSeats, 3, 3}, {QuorumRule::kMajority, 5, 3}, {QuorumRule::kMajority, 4, 3},
      {QuorumRule::kMajority, 6, 4}, {QuorumRule::kMajority, 1, 1},
  };
  for (const auto& c : cases) EXPECT_EQ(QuorumNeeded(c.rule, c.seats), c.needed) << c.seats;
}

}  // namespace
}  // namespace rubrica::workflows
