// Counting votes (seed IV: "por consenso, y sólo en caso de existir distintas posturas,
// por mayoría de votos").
//
// One vote per seat present; the facilitator never votes (III.9). The rule:
//   - consensus: every vote is "yes" (approved) or every vote is "no" (rejected);
//   - otherwise majority of the seats present: approved when yes > seats / 2;
//     tied when yes == no (and yes > 0): nothing is adopted;
//     rejected otherwise (including when abstentions keep "yes" from a majority).
// Pure functions, thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace rubrica::workflows {

enum class VoteChoice { kYes, kNo, kAbstain };
enum class DecisionMethod { kConsensus, kMajority };
enum class DecisionOutcome { kApproved, kRejected, kTied };

std::string_view VoteChoiceName(VoteChoice c);            // "yes", "no", "abstain"
std::string_view DecisionMethodName(DecisionMethod m);    // "consensus", "majority"
std::string_view DecisionOutcomeName(DecisionOutcome o);  // "approved", "rejected", "tied"

struct Tally {
  int yes = 0;
  int no = 0;
  int abstain = 0;
  int seats = 0;  // votes counted (one per seat present)
  DecisionMethod method = DecisionMethod::kConsensus;
  DecisionOutcome outcome = DecisionOutcome::kRejected;
};

/// Tallies one vote per seat. An empty list is rejected by majority (nothing to adopt).
Tally TallyVotes(const std::vector<VoteChoice>& votes);

}  // namespace rubrica::workflows
