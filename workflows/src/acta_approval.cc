// Actas: approval (and re-approval on a new date), then render + certify by the engine.
#include <map>
#include <set>

#include "acta_rows.h"
#include "audit.h"
#include "context.h"
#include "dates.h"
#include "folio.h"
#include "rubrica/base/crypto_util.h"
#include "refusal.h"
#include "rubrica/workflows/actas.h"
#include "session_rows.h"
#include "terms.h"
#include "transaction.h"
#include "votes.h"

namespace rubrica::workflows {

using namespace std::chrono;

Result<ActaApproval> Actas::Approve(const Actor& actor, int64_t acta_id,
                                    const std::vector<VoteInput>& votes) {
  return ApproveRound(actor, acta_id, votes, /*reapproval=*/false);
}

Result<ActaApproval> Actas::Reapprove(const Actor& actor, int64_t acta_id,
                                      const std::vector<VoteInput>& votes) {
  return ApproveRound(actor, acta_id, votes, /*reapproval=*/true);
}

Result<ActaApproval> Actas::ApproveRound(const Actor& actor, int64_t acta_id,
                                         const std::vector<VoteInput>& votes, bool reapproval) {
  // Held through the certification: a signature must never land between a re-approval
  // and the new round's certified revision.
  KeyedMutex::Guard lock(acta_locks_, acta_id);
  ActaApproval approval;
  RETURN_IF_ERROR(Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, acta.secretariat_id, actor, kFacilitator,
                               reapproval ? "record a re-approval" : "record the approval",
                               "registrar la aprobación del acta"));
    const Secretariat& s = auth.secretariat;
    const year_month_day today = auth.today;
    const ActaApproval* previous = CurrentApproval(acta);
    if (!reapproval && acta.state != ActaState::kReview) {
      return ActaOutOfTurn(acta, "approval", "aprobarla", {ActaState::kReview});
    }
    if (reapproval) {
      if ((acta.state != ActaState::kRubric && acta.state != ActaState::kFootSignature) ||
          acta.complete) {
        return ActaOutOfTurn(acta, "re-approval of an incomplete acta",
                             "aprobarla de nuevo (con firmas pendientes)",
                             {ActaState::kRubric, ActaState::kFootSignature});
      }
      if (previous->approved_on == today) {
        return Refusal(ErrorKind::kRejected, "reapproval_not_needed",
                       "acta " + std::to_string(acta.id) +
                           " was approved today; signatures "
                           "can still be collected",
                       "El acta se aprobó hoy: las rúbricas y firmas pendientes pueden recabarse "
                       "hoy mismo sin aprobarla de nuevo.");
      }
    }
    // Voters: the members in force today, one per seat; the facilitator has no vote.
    ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, today));
    std::map<int64_t, int64_t> eligible;
    std::set<int64_t> facilitators;
    for (const auto& t : terms) {
      if (t.seat_id) eligible.emplace(t.person_id, *t.seat_id);
      if (t.role == TermRole::kFacilitator) facilitators.insert(t.person_id);
    }
    ASSIGN_OR_RETURN(auto counted, CheckVotes(votes, eligible, facilitators, /*every_seat=*/false));
    const int seats = CountSeats(terms);
    const int needed = QuorumNeeded(s.config.quorum, seats);
    if (static_cast<int>(counted.size()) < needed) {
      return Refusal(
          ErrorKind::kRejected, "quorum_not_met",
          "acta " + std::to_string(acta.id) + ": " + std::to_string(counted.size()) + " of " +
              std::to_string(seats) + " seats voted, " + std::to_string(needed) + " needed",
          "Para aprobar el acta deben votar " + QuorumRuleEs(s.config.quorum) + ": " +
              std::to_string(needed) + " de " + std::to_string(seats) +
              " asientos (lineamiento III.2); votaron " + std::to_string(counted.size()) + ".");
    }
    std::vector<VoteChoice> choices;
    for (const auto& v : counted) choices.push_back(v.choice);
    const Tally tally = TallyVotes(choices);
    if (tally.outcome != DecisionOutcome::kApproved) {
      return Refusal(
          ErrorKind::kRejected, "approval_not_reached",
          "acta " + std::to_string(acta.id) + " not approved: " + std::to_string(tally.yes) +
              " yes, " + std::to_string(tally.no) + " no, " + std::to_string(tally.abstain) +
              " abstain",
          "El acta no se aprueba: " + std::to_string(tally.yes) + " a favor, " +
              std::to_string(tally.no) + " en contra y " + std::to_string(tally.abstain) +
              " abstenciones; se decide por consenso o, si hay distintas posturas, "
              "por mayoría de votos (lineamiento IV).");
    }
    const Instant now = clock_.Now();
    if (previous) {
      ASSIGN_OR_RETURN(store::Statement sup, tx.Prepare("UPDATE wf_acta_approval SET "
                                                        "superseded_at = ? WHERE id = ?"));
      sup.Bind(1, FormatRfc3339UtcMicros(now)).Bind(2, previous->id);
      RETURN_IF_ERROR(sup.Run());
    }
    approval.round = previous ? previous->round + 1 : 1;
    approval.version = acta.current_version;
    approval.approved_on = today;
    approval.tally = tally;
    ASSIGN_OR_RETURN(const std::string content, LoadVersionContent(tx, acta.id, approval.version));
    approval.content_sha256 = Sha256Hex(content);
    ASSIGN_OR_RETURN(const std::string folio, EnsureFolio(tx, s, acta.id, today));
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_acta_approval(acta_id, round, version, "
                                "approved_on, approved_at, method, yes, no, abstain, "
                                "content_sha256) VALUES(?,?,?,?,?,?,?,?,?,?)"));
    ins.Bind(1, acta.id)
        .Bind(2, int64_t{approval.round})
        .Bind(3, int64_t{approval.version})
        .Bind(4, FormatDate(today))
        .Bind(5, FormatRfc3339UtcMicros(now))
        .Bind(6, DecisionMethodName(tally.method))
        .Bind(7, int64_t{tally.yes})
        .Bind(8, int64_t{tally.no})
        .Bind(9, int64_t{tally.abstain})
        .Bind(10, approval.content_sha256);
    RETURN_IF_ERROR(ins.Run());
    approval.id = tx.LastInsertId();
    for (const auto& v : counted) {
      ASSIGN_OR_RETURN(store::Statement vs,
                       tx.Prepare("INSERT INTO wf_acta_approval_vote(approval_id, seat_id, "
                                  "person_id, choice) VALUES(?,?,?,?)"));
      vs.Bind(1, approval.id)
          .Bind(2, v.seat_id)
          .Bind(3, v.person_id)
          .Bind(4, VoteChoiceName(v.choice));
      RETURN_IF_ERROR(vs.Run());
    }
    ASSIGN_OR_RETURN(store::Statement up,
                     tx.Prepare("UPDATE wf_acta SET state = 'approved' WHERE id = ?"));
    up.Bind(1, acta.id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, reapproval ? "acta.reapprove" : "acta.approve", "acta",
                          acta.id,
                          Payload()
                              .Add("from", ActaStateName(acta.state))
                              .Add("to", "approved")
                              .Add("round", approval.round)
                              .Add("version", approval.version)
                              .Add("approved_on", FormatDate(today))
                              .Add("folio", folio)
                              .Add("content_sha256", approval.content_sha256)
                              .Add("method", DecisionMethodName(tally.method))
                              .AddRaw("votes", VotesJson(counted))));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(CertifyLocked(actor, acta_id));
  ASSIGN_OR_RETURN(ActaRecord after, Get(acta_id));
  return after.approvals.back();
}

Status Actas::Certify(const Actor& actor, int64_t acta_id) {
  KeyedMutex::Guard lock(acta_locks_, acta_id);
  return CertifyLocked(actor, acta_id);
}

Status Actas::CertifyLocked(const Actor& actor, int64_t acta_id) {
  CertifyRequest request;
  int64_t approval_id = 0;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
    ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, acta.secretariat_id, actor, kFacilitator,
                               "certify an acta", "certificar el acta aprobada"));
    const Secretariat& s = auth.secretariat;
    if (acta.state != ActaState::kApproved) {
      return ActaOutOfTurn(acta, "certification", "certificarla", {ActaState::kApproved});
    }
    const ActaApproval& approval = acta.approvals.back();
    approval_id = approval.id;
    request.acta_id = acta.id;
    request.approval_round = approval.round;
    request.version = approval.version;
    request.kind = std::string(ActaKindName(acta.kind));
    request.title = acta.title;
    request.secretariat_name = s.config.name;
    request.place = s.config.place;
    request.approved_on = approval.approved_on;
    request.folio = acta.folio;
    ASSIGN_OR_RETURN(request.content_json, LoadVersionContent(tx, acta.id, approval.version));
    request.content_sha256 = Sha256Hex(request.content_json);
    // (Approvals recorded before the hash was kept have none to compare.)
    if (!approval.content_sha256.empty() && request.content_sha256 != approval.content_sha256) {
      return Refusal(ErrorKind::kDataLoss, "content_changed",
                     "acta " + std::to_string(acta.id) + " version " +
                         std::to_string(approval.version) + " no longer matches its approved hash",
                     "El contenido aprobado del acta fue alterado en la base de datos.");
    }
    for (const auto& r : acta.signers) {
      ASSIGN_OR_RETURN(PersonRow p, LoadPerson(tx, r.person_id));
      ASSIGN_OR_RETURN(std::string represents, SeatRepresents(tx, r.seat_id.value_or(0)));
      request.signers.push_back({p.id, p.full_name, p.title, r.capacity, represents, p.gender});
    }
  }
  // Slow work (rendering, signing) outside any transaction; the acta's lock keeps it approved
  // in this round meanwhile.
  ASSIGN_OR_RETURN(Certification certified, engine_.RenderAndCertify(request));
  const std::string& blob = certified.blob_id;
  return Write(db_, [&](store::Transaction& tx) -> Status {
    // Each signature of this round must use the key the certified signer list binds.
    for (const auto& [person, key] : certified.bound_keys) {
      ASSIGN_OR_RETURN(store::Statement bk,
                       tx.Prepare("INSERT OR REPLACE INTO wf_acta_signer_key(approval_id, "
                                  "person_id, key_sha256) VALUES(?,?,?)"));
      bk.Bind(1, approval_id).Bind(2, person).Bind(3, key);
      RETURN_IF_ERROR(bk.Run());
    }
    ASSIGN_OR_RETURN(store::Statement ap, tx.Prepare("UPDATE wf_acta_approval SET "
                                                     "certified_blob_id = ? WHERE id = ?"));
    ap.Bind(1, blob).Bind(2, approval_id);
    RETURN_IF_ERROR(ap.Run());
    ASSIGN_OR_RETURN(store::Statement up, tx.Prepare("UPDATE wf_acta SET state = 'rubric', "
                                                     "current_blob_id = ? WHERE id = ?"));
    up.Bind(1, blob).Bind(2, acta_id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "acta.certify", "acta", acta_id,
                          Payload()
                              .Add("from", "approved")
                              .Add("to", "rubric")
                              .Add("round", request.approval_round)
                              .Add("blob", blob)));
    return Status::Ok();
  });
}

}  // namespace rubrica::workflows
