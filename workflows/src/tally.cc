#include "rubrica/workflows/tally.h"

namespace rubrica::workflows {

std::string_view VoteChoiceName(VoteChoice c) {
  switch (c) {
    case VoteChoice::kYes:
      return "yes";
    case VoteChoice::kNo:
      return "no";
    case VoteChoice::kAbstain:
      return "abstain";
  }
  return "abstain";
}

std::string_view DecisionMethodName(DecisionMethod m) {
  return m == DecisionMethod::kConsensus ? "consensus" : "majority";
}

std::string_view DecisionOutcomeName(DecisionOutcome o) {
  switch (o) {
    case DecisionOutcome::kApproved:
      return "approved";
    case DecisionOutcome::kRejected:
      return "rejected";
    case DecisionOutcome::kTied:
      return "tied";
  }
  return "rejected";
}

Tally TallyVotes(const std::vector<VoteChoice>& votes) {
  Tally t;
  for (VoteChoice v : votes) {
    if (v == VoteChoice::kYes) ++t.yes;
    if (v == VoteChoice::kNo) ++t.no;
    if (v == VoteChoice::kAbstain) ++t.abstain;
  }
  t.seats = static_cast<int>(votes.size());
  if (t.seats > 0 && (t.yes == t.seats || t.no == t.seats)) {
    t.method = DecisionMethod::kConsensus;
    t.outcome = t.yes == t.seats ? DecisionOutcome::kApproved : DecisionOutcome::kRejected;
    return t;
  }
  t.method = DecisionMethod::kMajority;
  if (2 * t.yes > t.seats) {
    t.outcome = DecisionOutcome::kApproved;
  } else if (t.yes == t.no && t.yes > 0) {
    t.outcome = DecisionOutcome::kTied;
  } else {
    t.outcome = DecisionOutcome::kRejected;
  }
  return t;
}

}  // namespace rubrica::workflows
