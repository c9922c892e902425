// The whole life of a Zamora-shaped STM (fictional people): installation acta with its
// subscribers, a session with a substitute standing in, a vote, an agreement, the session
// minute through every state, monthly delivery; then the audit chain verifies.
#include <gtest/gtest.h>

#include <algorithm>

#include "acta_helpers.h"
#include "rubrica/store/audit_log.h"

namespace rubrica::workflows::testing {
namespace {

std::vector<std::string> ActionsFor(const std::vector<store::StoredAuditEntry>& log,
                                    const std::string& type, int64_t id) {
  std::vector<std::string> actions;
  for (const auto& e : log) {
    if (e.entry.object_type == type && e.entry.object_id == std::to_string(id)) {
      actions.push_back(e.entry.action);
    }
  }
  return actions;
}

TEST(ScenarioTest, ZamoraShapedSecretariatFromInstallationToDeliveryKeepsAVerifiableAudit) {
  World w(Shape::kStm, [](SecretariatConfig& c) { c.facilitator_signs_minutes = true; });
  auto& wf = w.wf();
  const Actor fac = w.Facilitator();

  // Installation acta, 5 January 2026: every titular and substitute, plus those who subscribe it.
  auto president = wf.people().AddPerson(Actor::Administrator(),
                                         {"Alonso Villaseñor Ríos", "Presidente Municipal", ""});
  ASSERT_TRUE(president.ok());
  w.SetLocal(kInstalled, 10, 25);
  auto installation = wf.actas().CreateDraft(
      fac, {ActaKind::kInstallation, w.secretariat, std::nullopt,
            "Acta de instalación y lineamientos de operación del Secretariado Técnico Municipal",
            R"({"lineamientos":["I","II","III","IV","V","VI","VII","VIII"]})", kInstalled});
  ASSERT_TRUE(installation.ok()) << installation.status().ToString();
  ASSERT_TRUE(wf.actas().AddRequiredSigner(fac, *installation, *president, "subscriber").ok());
  ASSERT_TRUE(wf.actas().AddRequiredSigner(fac, *installation, w.facilitator, "facilitator").ok());
  ASSERT_TRUE(wf.actas().SubmitForReview(fac, *installation).ok());
  ASSERT_TRUE(
      wf.actas()
          .Comment(Actor::Person(w.seats[3].titular), *installation, "Agregar el domicilio.")
          .ok());
  ASSERT_TRUE(
      wf.actas()
          .AddVersion(fac, *installation, R"({"lineamientos":["I"],"domicilio":"Sala de Cabildo"})")
          .ok());
  auto approved = wf.actas().Approve(fac, *installation, w.Votes(w.Titulars()));
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->tally.method, DecisionMethod::kConsensus);
  SignAll(w, *installation);
  ASSERT_TRUE(wf.actas().Archive(w.Garante(), *installation).ok());
  auto receipt = w.blobs().Put("acuse IMAIP enero");
  ASSERT_TRUE(receipt.ok());
  ASSERT_TRUE(wf.actas().MarkDelivered(w.Garante(), *installation, *receipt).ok());
  auto inst = wf.actas().Get(*installation);
  ASSERT_TRUE(inst.ok());
  EXPECT_EQ(inst->signers.size(), 12u);
  EXPECT_EQ(inst->signatures.size(), 24u);
  EXPECT_EQ(inst->state, ActaState::kDelivered);

  // First ordinary session, 10 February 2026 (2 February is a holiday; notice counts it out).
  w.SetLocal(2026y / January / 27, 12);
  auto session = wf.sessions().Convene(
      fac, w.secretariat,
      {SessionKind::kOrdinary,
       w.Local(2026y / February / 10, 10),
       "Sala de Cabildo, Guerrero Oriente 82",
       {"Lista de asistencia y declaración de quórum", "Aprobación del orden del día",
        "Calendario de sesiones ordinarias", "Asuntos generales"}});
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  w.SetLocal(2026y / February / 10, 10);
  const auto& academia = w.SeatOf("academia");
  std::vector<int64_t> members = {w.seats[0].titular, w.seats[1].titular, w.seats[2].titular,
                                  academia.substitute, w.seats[4].titular};
  for (int64_t p : members) ASSERT_TRUE(wf.sessions().RecordAttendance(fac, *session, p).ok());
  ASSERT_TRUE(wf.sessions().RecordAttendance(fac, *session, w.facilitator).ok());
  ASSERT_TRUE(wf.sessions().RecordObserver(fac, *session, w.outsider).ok());
  auto quorum = wf.sessions().Open(fac, *session);
  ASSERT_TRUE(quorum.ok()) << quorum.status().ToString();
  EXPECT_EQ(quorum->present, 5);
  ASSERT_TRUE(wf.sessions().ApproveAgenda(fac, *session, members).ok());
  ASSERT_TRUE(
      wf.sessions()
          .RecordDiscussion(fac, *session, 3, "Se propone sesionar el segundo martes de cada mes.")
          .ok());
  std::vector<VoteInput> votes = w.Votes(members);
  votes[4].choice = VoteChoice::kNo;
  auto decision = wf.sessions().RecordDecision(
      fac, *session, {3, "Sesionar el segundo martes de cada mes", votes});
  ASSERT_TRUE(decision.ok());
  EXPECT_EQ(decision->tally.method, DecisionMethod::kMajority);
  EXPECT_EQ(decision->tally.outcome, DecisionOutcome::kApproved);
  auto agreement =
      wf.agreements().Record(fac, {*session, decision->id, "Publicar el calendario de sesiones",
                                   w.facilitator, 2026y / February / 20});
  ASSERT_TRUE(agreement.ok());
  ASSERT_TRUE(wf.sessions().Close(fac, *session).ok());

  // The session minute: the academia seat is signed by the substitute who stood in.
  w.SetLocal(2026y / February / 12, 9);
  auto minute =
      wf.actas().CreateDraft(fac, {ActaKind::kSessionMinute, w.secretariat, *session,
                                   "Acta de la primera sesión ordinaria",
                                   R"({"acuerdos":["Calendario de sesiones"]})", std::nullopt});
  ASSERT_TRUE(minute.ok()) << minute.status().ToString();
  auto draft = wf.actas().Get(*minute);
  const auto signers = SignerIds(*draft);
  EXPECT_EQ(signers.size(), 6u);
  EXPECT_NE(std::find(signers.begin(), signers.end(), academia.substitute), signers.end());
  EXPECT_EQ(std::find(signers.begin(), signers.end(), academia.titular), signers.end());
  EXPECT_NE(std::find(signers.begin(), signers.end(), w.facilitator), signers.end());
  ASSERT_TRUE(wf.actas().SubmitForReview(fac, *minute).ok());
  w.SetLocal(2026y / February / 17, 11);
  ASSERT_TRUE(wf.actas().Approve(fac, *minute, w.Votes(w.Titulars())).ok());
  SignAll(w, *minute);
  ASSERT_TRUE(wf.actas().Archive(fac, *minute).ok());
  w.SetLocal(2026y / February / 27, 9);
  auto receipt2 = w.blobs().Put("acuse IMAIP febrero");
  ASSERT_TRUE(wf.actas().MarkDelivered(fac, *minute, *receipt2).ok());
  auto signed_minute = wf.actas().Get(*minute);
  ASSERT_TRUE(signed_minute.ok());
  for (const auto& s : signed_minute->signatures) EXPECT_EQ(s.local_date, 2026y / February / 17);

  auto february = wf.deliveries().ForMonth(w.secretariat, 2026y / February);
  ASSERT_TRUE(february.ok());
  ASSERT_EQ(february->size(), 1u);
  EXPECT_EQ((*february)[0].status, ObligationStatus::kDeliveredOnTime);
  EXPECT_EQ((*february)[0].agency.rfind("Instituto Michoacano", 0), 0u);

  // The audit chain verifies, and tells the acta's life in order.
  store::AuditLog audit(w.clock);
  auto verified = audit.Verify(w.db());
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->ok) << verified->problem << ": " << verified->detail;
  auto log = audit.List(w.db(), 0, 100000);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(verified->entries_checked, static_cast<int64_t>(log->size()));
  std::vector<std::string> expected = {"acta.create", "acta.submit", "acta.approve",
                                       "acta.certify"};
  for (int i = 0; i < 6; ++i) expected.push_back("acta.rubric");
  for (int i = 0; i < 6; ++i) expected.push_back("acta.foot");
  expected.push_back("acta.archive");
  expected.push_back("acta.deliver");
  EXPECT_EQ(ActionsFor(*log, "acta", *minute), expected);
  const auto session_actions = ActionsFor(*log, "session", *session);
  EXPECT_EQ(session_actions.front(), "session.convene");
  EXPECT_EQ(session_actions.back(), "session.close");
  EXPECT_EQ(std::count(session_actions.begin(), session_actions.end(), "session.attendance"), 7);
}

}  // namespace
}  // namespace rubrica::workflows::testing
