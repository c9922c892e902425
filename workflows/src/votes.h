// Checking a list of votes: one per seat, only members who may vote, never the
// facilitator (seed III.9).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/workflows/sessions.h"

namespace rubrica::workflows {

struct CountedVote {
  int64_t person_id = 0;
  int64_t seat_id = 0;
  VoteChoice choice = VoteChoice::kYes;
};

/// `eligible` maps each person who may vote to their seat. Refusals:
/// workflows.facilitator_cannot_vote (a person in `facilitators`), workflows.not_present
/// (not eligible), workflows.duplicate_vote (two votes for one seat), and, when
/// `every_seat` is set, workflows.vote_incomplete (an eligible seat has no vote).
Result<std::vector<CountedVote>> CheckVotes(const std::vector<VoteInput>& votes,
                                            const std::map<int64_t, int64_t>& eligible,
                                            const std::set<int64_t>& facilitators, bool every_seat);

/// JSON array [{"person":1,"seat":2,"choice":"yes"},...] for audit payloads.
std::string VotesJson(const std::vector<CountedVote>& votes);

}  // namespace rubrica::workflows
