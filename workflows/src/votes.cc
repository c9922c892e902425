#include "votes.h"

#include "audit.h"
#include "refusal.h"

namespace rubrica::workflows {

Result<std::vector<CountedVote>> CheckVotes(const std::vector<VoteInput>& votes,
                                            const std::map<int64_t, int64_t>& eligible,
                                            const std::set<int64_t>& facilitators,
                                            bool every_seat) {
  std::vector<CountedVote> counted;
  std::set<int64_t> seats;
  for (const auto& v : votes) {
    if (facilitators.count(v.person_id)) {
      return Refusal(
          ErrorKind::kRejected, "facilitator_cannot_vote",
          "person " + std::to_string(v.person_id) + " is the facilitator and cannot vote",
          "El facilitador tiene derecho a voz sin voto (lineamiento III.9).");
    }
    auto it = eligible.find(v.person_id);
    if (it == eligible.end()) {
      return Refusal(ErrorKind::kRejected, "not_present",
                     "person " + std::to_string(v.person_id) + " may not vote here",
                     "Solo votan los integrantes presentes, uno por asiento (titular o suplente).");
    }
    if (!seats.insert(it->second).second) {
      return Refusal(ErrorKind::kRejected, "duplicate_vote",
                     "seat " + std::to_string(it->second) + " voted twice",
                     "Cada asiento tiene un solo voto: el del titular o el de su suplente.");
    }
    counted.push_back({v.person_id, it->second, v.choice});
  }
  if (every_seat) {
    std::set<int64_t> all;
    for (const auto& [person, seat] : eligible) all.insert(seat);
    if (all.size() != seats.size()) {
      return Refusal(ErrorKind::kRejected, "vote_incomplete",
                     std::to_string(seats.size()) + " of " + std::to_string(all.size()) +
                         " seats present voted",
                     "Debe registrarse el voto de cada integrante presente (a favor, en contra o "
                     "abstención); votaron " +
                         std::to_string(seats.size()) + " de " + std::to_string(all.size()) + ".");
    }
  }
  return counted;
}

std::string VotesJson(const std::vector<CountedVote>& votes) {
  std::string json = "[";
  for (size_t i = 0; i < votes.size(); ++i) {
    if (i) json += ',';
    json += Payload()
                .Add("person", votes[i].person_id)
                .Add("seat", votes[i].seat_id)
                .Add("choice", VoteChoiceName(votes[i].choice))
                .str();
  }
  return json + "]";
}

}  // namespace rubrica::workflows
