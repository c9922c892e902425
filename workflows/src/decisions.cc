// Sessions::RecordDecision: decisions by consensus, else by majority of the seats present
// (seed IV, III.9); removals decided by a vote of every seat (seed I.3).
#include <map>
#include <set>

#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "rubrica/workflows/sessions.h"
#include "session_rows.h"
#include "terms.h"
#include "transaction.h"
#include "votes.h"

namespace rubrica::workflows {

Result<DecisionRecord> Sessions::RecordDecision(const Actor& actor, int64_t session_id,
                                                const DecisionInput& in) {
  if (in.subject.empty()) {
    return BadInput("decision without a subject", "Falta el asunto de la decisión.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Result<DecisionRecord> {
    ASSIGN_OR_RETURN(SessionRecord session, LoadSession(tx, session_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, session.secretariat_id, actor, kFacilitator,
                               "record a decision", "registrar las decisiones y la votación"));
    const Secretariat& s = auth.secretariat;
    if (session.status != SessionStatus::kOpen) {
      return OutOfTurn("session " + std::to_string(session.id) + " is " +
                           std::string(SessionStatusName(session.status)) +
                           "; decisions need it open",
                       "Las decisiones se toman en una sesión abierta.");
    }
    if (!session.agenda_approved) {
      return Refusal(ErrorKind::kRejected, "agenda_not_approved",
                     "agenda of session " + std::to_string(session.id) + " not approved yet",
                     "Primero se aprueba el orden del día (lineamiento III.1).");
    }
    if (in.item_position < 1 || in.item_position > static_cast<int>(session.agenda.size())) {
      return NotFound("agenda item", "el punto del orden del día", in.item_position);
    }
    const AgendaItem& item = session.agenda[in.item_position - 1];

    ASSIGN_OR_RETURN(auto attendance, LoadAttendance(tx, session.id));
    ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, session.session_date));
    std::map<int64_t, int64_t> eligible;
    std::set<int64_t> facilitators;
    for (const auto& a : attendance) {
      if (a.seat_id) eligible[a.person_id] = *a.seat_id;
      if (a.capacity == Capacity::kFacilitator) facilitators.insert(a.person_id);
    }
    for (const auto& t : terms) {
      if (t.role == TermRole::kFacilitator) facilitators.insert(t.person_id);
    }
    ASSIGN_OR_RETURN(auto votes, CheckVotes(in.votes, eligible, facilitators, /*every_seat=*/true));

    if (item.removal_id) {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("SELECT status FROM wf_removal WHERE id = ?"));
      st.Bind(1, *item.removal_id);
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row || st.ColumnText(0) != "proposed") {
        return Refusal(ErrorKind::kConflict, "already_decided",
                       "removal " + std::to_string(*item.removal_id) + " is already decided",
                       "La remoción ya fue votada.");
      }
      const int seats = CountSeats(terms);
      if (static_cast<int>(eligible.size()) < seats) {
        return Refusal(ErrorKind::kRejected, "removal_needs_all_members",
                       "removal vote with " + std::to_string(eligible.size()) + " of " +
                           std::to_string(seats) + " seats present",
                       "La remoción se somete a votación de todos los integrantes (lineamiento "
                       "I.3); están presentes " +
                           std::to_string(eligible.size()) + " de " + std::to_string(seats) +
                           " asientos.");
      }
    }

    std::vector<VoteChoice> choices;
    for (const auto& v : votes) choices.push_back(v.choice);
    const Tally tally = TallyVotes(choices);

    ASSIGN_OR_RETURN(store::Statement item_q, tx.Prepare("SELECT id FROM wf_agenda_item WHERE "
                                                         "session_id = ? AND position = ?"));
    item_q.Bind(1, session.id).Bind(2, int64_t{in.item_position});
    ASSIGN_OR_RETURN(bool item_row, item_q.Step());
    if (!item_row) return NotFound("agenda item", "el punto del orden del día", in.item_position);
    const int64_t item_id = item_q.ColumnInt(0);

    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_decision(session_id, item_id, subject, method, "
                                "outcome, yes, no, abstain, seats_present, decided_at) "
                                "VALUES(?,?,?,?,?,?,?,?,?,?)"));
    ins.Bind(1, session.id)
        .Bind(2, item_id)
        .Bind(3, in.subject)
        .Bind(4, DecisionMethodName(tally.method))
        .Bind(5, DecisionOutcomeName(tally.outcome))
        .Bind(6, int64_t{tally.yes})
        .Bind(7, int64_t{tally.no})
        .Bind(8, int64_t{tally.abstain})
        .Bind(9, int64_t{tally.seats})
        .Bind(10, FormatRfc3339UtcMicros(clock_.Now()));
    RETURN_IF_ERROR(ins.Run());
    const int64_t id = tx.LastInsertId();
    for (const auto& v : votes) {
      ASSIGN_OR_RETURN(store::Statement vs,
                       tx.Prepare("INSERT INTO wf_vote(decision_id, seat_id, person_id, choice) "
                                  "VALUES(?,?,?,?)"));
      vs.Bind(1, id).Bind(2, v.seat_id).Bind(3, v.person_id).Bind(4, VoteChoiceName(v.choice));
      RETURN_IF_ERROR(vs.Run());
    }
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "session.decision", "session", session.id,
                          Payload()
                              .Add("decision", id)
                              .Add("item", in.item_position)
                              .Add("subject", in.subject)
                              .Add("method", DecisionMethodName(tally.method))
                              .Add("outcome", DecisionOutcomeName(tally.outcome))
                              .AddRaw("votes", VotesJson(votes))));

    if (item.removal_id) {
      const bool removed = tally.outcome == DecisionOutcome::kApproved;
      ASSIGN_OR_RETURN(store::Statement up,
                       tx.Prepare("UPDATE wf_removal SET status = ?, decided_session_id = ? "
                                  "WHERE id = ?"));
      up.Bind(1, removed ? "removed" : "kept").Bind(2, session.id).Bind(3, *item.removal_id);
      RETURN_IF_ERROR(up.Run());
      if (removed) {
        ASSIGN_OR_RETURN(store::Statement term_up,
                         tx.Prepare("UPDATE wf_term SET removed_on = ? WHERE id = "
                                    "(SELECT target_term_id FROM wf_removal WHERE id = ?)"));
        term_up.Bind(1, FormatDate(session.session_date)).Bind(2, *item.removal_id);
        RETURN_IF_ERROR(term_up.Run());
      }
      RETURN_IF_ERROR(Audit(tx, clock_, actor, "removal.decide", "removal", *item.removal_id,
                            Payload().Add("session", session.id).Add("removed", removed)));
    }
    return DecisionRecord{id, tally};
  });
}

}  // namespace rubrica::workflows
