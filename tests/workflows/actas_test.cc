#include <gtest/gtest.h>

#include <algorithm>

#include "acta_helpers.h"
#include "rubrica/store/audit_log.h"

namespace rubrica::workflows::testing {
namespace {

bool Contains(const std::vector<int64_t>& v, int64_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(RequiredSignersTest, AnInstallationActaNeedsEveryTitularAndSubstitutePlusSubscribers) {
  World w(Shape::kStm);
  auto acta = w.wf().actas().CreateDraft(
      w.Facilitator(), {ActaKind::kInstallation, w.secretariat, std::nullopt, "Acta de instalación",
                        "{}", kInstalled});
  ASSERT_TRUE(acta.ok()) << acta.status().ToString();
  auto rec = w.wf().actas().Get(*acta);
  ASSERT_TRUE(rec.ok());
  ASSERT_EQ(rec->signers.size(), 10u);
  for (const auto& seat : w.seats) {
    EXPECT_TRUE(Contains(SignerIds(*rec), seat.titular));
    EXPECT_TRUE(Contains(SignerIds(*rec), seat.substitute));
  }
  // Whoever else subscribes it (as in Zamora): added by the facilitator, audited.
  ASSERT_TRUE(
      w.wf().actas().AddRequiredSigner(w.Facilitator(), *acta, w.outsider, "subscriber").ok());
  ASSERT_TRUE(
      w.wf().actas().AddRequiredSigner(w.Facilitator(), *acta, w.facilitator, "facilitator").ok());
  ExpectRefusal(w, "workflows.already_required", [&] {
    return w.wf().actas().AddRequiredSigner(w.Facilitator(), *acta, w.outsider, "subscriber");
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf().actas().AddRequiredSigner(Actor::Person(w.seats[0].titular), *acta, w.outsider,
                                            "x");
  });
  ASSERT_TRUE(w.wf().actas().RemoveRequiredSigner(w.Facilitator(), *acta, w.outsider).ok());
  rec = w.wf().actas().Get(*acta);
  EXPECT_EQ(rec->signers.size(), 11u);
  EXPECT_TRUE(rec->signers.back().added_by_facilitator);
  auto log = store::AuditLog(w.clock).List(w.db(), 0, 1000);
  ASSERT_TRUE(log.ok());
  int adjustments = 0;
  for (const auto& e : *log) {
    adjustments += e.entry.action == "acta.signer_add" || e.entry.action == "acta.signer_remove";
  }
  EXPECT_EQ(adjustments, 3);
  // Until approval only.
  ReviewAndApprove(w, *acta);
  ExpectRefusal(w, "workflows.out_of_turn", [&] {
    return w.wf().actas().AddRequiredSigner(w.Facilitator(), *acta, w.outsider, "subscriber");
  });
  ExpectRefusal(w, "workflows.out_of_turn", [&] {
    return w.wf().actas().RemoveRequiredSigner(w.Facilitator(), *acta, w.seats[0].titular);
  });
}

TEST(RequiredSignersTest, ASessionMinuteNamesTheSubstituteWhoStoodInNotTheTitular) {
  for (bool facilitator_signs : {false, true}) {
    SCOPED_TRACE(facilitator_signs ? "facilitator signs" : "facilitator does not sign");
    World w(Shape::kStm,
            [&](SecretariatConfig& c) { c.facilitator_signs_minutes = facilitator_signs; });
    const auto& stood_in = w.SeatOf("civil_society");
    const int64_t acta = DraftMinute(w, 2026y / June / 16,
                                     {w.seats[0].titular, w.seats[1].titular, stood_in.substitute});
    auto rec = w.wf().actas().Get(acta);
    ASSERT_TRUE(rec.ok());
    const auto ids = SignerIds(*rec);
    EXPECT_TRUE(Contains(ids, stood_in.substitute));
    EXPECT_FALSE(Contains(ids, stood_in.titular));
    EXPECT_FALSE(Contains(ids, w.seats[3].titular)) << "absent seats do not sign";
    EXPECT_EQ(Contains(ids, w.facilitator), facilitator_signs);
    EXPECT_EQ(ids.size(), facilitator_signs ? 4u : 3u);
    for (const auto& s : rec->signers) {
      if (s.person_id == stood_in.substitute) {
        EXPECT_EQ(s.capacity, "substitute");
        EXPECT_EQ(s.seat_id, stood_in.seat);
      }
    }
  }
}

TEST(ActaLifeTest, DraftReviewApproveRubricFootArchiveDeliver) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, 2026y / June / 16, w.Titulars());
  auto v2 = w.wf().actas().AddVersion(w.Facilitator(), acta, R"({"asistencia":"completa","v":2})");
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(*v2, 2);
  ASSERT_TRUE(w.wf().actas().SubmitForReview(w.Facilitator(), acta).ok());
  ASSERT_TRUE(
      w.wf().actas().Comment(Actor::Person(w.seats[2].titular), acta, "Corregir el punto 2.").ok());
  auto v3 = w.wf().actas().AddVersion(w.Facilitator(), acta, R"({"asistencia":"completa","v":3})");
  ASSERT_TRUE(v3.ok());
  auto v1 = w.wf().actas().Version(acta, 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(*v1, R"({"asistencia":"completa"})") << "every version is kept";
  auto comments = w.wf().actas().Comments(acta);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ((*comments)[0].version, 2);

  std::vector<VoteInput> votes = w.Votes(w.Titulars());
  votes[2].choice = VoteChoice::kNo;
  auto approval = w.wf().actas().Approve(w.Facilitator(), acta, votes);
  ASSERT_TRUE(approval.ok()) << approval.status().ToString();
  EXPECT_EQ(approval->tally.method, DecisionMethod::kMajority);
  EXPECT_EQ(approval->version, 3);
  EXPECT_EQ(approval->approved_on, 2026y / June / 16);
  ASSERT_EQ(w.engine->certified.size(), 1u);
  EXPECT_EQ(w.engine->certified[0].content_json, R"({"asistencia":"completa","v":3})");
  EXPECT_EQ(w.engine->certified[0].signers.size(), 3u);
  auto rec = w.wf().actas().Get(acta);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->state, ActaState::kRubric);
  EXPECT_EQ(rec->current_blob_id, approval->certified_blob_id);

  std::string previous = rec->current_blob_id;
  for (size_t i = 0; i < w.seats.size(); ++i) {
    auto r = w.wf().actas().Rubricate(Actor::Person(w.seats[i].titular), acta, Pin("1234"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(w.engine->signed_requests.back().input_blob_id, previous) << "revisions chain";
    previous = r->blob_id;
    EXPECT_EQ(r->state, i + 1 < w.seats.size() ? ActaState::kRubric : ActaState::kFootSignature);
  }
  for (size_t i = 0; i < w.seats.size(); ++i) {
    auto r = w.wf().actas().SignFoot(Actor::Person(w.seats[i].titular), acta, Pin("1234"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->complete, i + 1 == w.seats.size());
    EXPECT_TRUE(r->warning.empty());
  }
  rec = w.wf().actas().Get(acta);
  ASSERT_TRUE(rec->complete);
  ASSERT_EQ(rec->signatures.size(), 6u);
  for (const auto& s : rec->signatures) {
    EXPECT_EQ(s.local_date, 2026y / June / 16);
    EXPECT_TRUE(w.blobs().Contains(s.blob_id));
  }
  ASSERT_TRUE(w.wf().actas().Archive(w.Garante(), acta).ok());
  auto receipt = w.blobs().Put("acuse de recibo");
  ASSERT_TRUE(receipt.ok());
  ASSERT_TRUE(w.wf().actas().MarkDelivered(w.Facilitator(), acta, *receipt).ok());
  rec = w.wf().actas().Get(acta);
  EXPECT_EQ(rec->state, ActaState::kDelivered);
  EXPECT_EQ(rec->delivered_to, "Secretaría Anticorrupción y Buen Gobierno");
  auto sealed = w.blobs().Get(rec->archived_blob_id);
  ASSERT_TRUE(sealed.ok());
  EXPECT_NE(sealed->find("sealed"), std::string::npos);
}

TEST(ActaLifeTest, RefusesEveryOutOfStateTransition) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, 2026y / June / 16, w.Titulars());
  const Actor fac = w.Facilitator();
  const Actor member = Actor::Person(w.seats[0].titular);
  auto& actas = w.wf().actas();
  auto receipt = w.blobs().Put("acuse");
  ASSERT_TRUE(receipt.ok());
  using Op = std::function<Status()>;
  const std::vector<std::pair<const char*, Op>> in_draft = {
      {"comment in draft", [&] { return actas.Comment(member, acta, "x").status(); }},
      {"approve in draft",
       [&] { return actas.Approve(fac, acta, w.Votes(w.Titulars())).status(); }},
      {"certify in draft", [&] { return actas.Certify(fac, acta); }},
      {"rubric in draft", [&] { return actas.Rubricate(member, acta, Pin("1234")).status(); }},
      {"foot in draft", [&] { return actas.SignFoot(member, acta, Pin("1234")).status(); }},
      {"archive in draft", [&] { return actas.Archive(fac, acta); }},
      {"deliver in draft", [&] { return actas.MarkDelivered(fac, acta, *receipt); }},
      {"reapprove in draft",
       [&] { return actas.Reapprove(fac, acta, w.Votes(w.Titulars())).status(); }},
  };
  for (const auto& [name, op] : in_draft) {
    SCOPED_TRACE(name);
    ExpectRefusal(w, "workflows.out_of_turn", op);
  }
  ASSERT_TRUE(actas.SubmitForReview(fac, acta).ok());
  ExpectRefusal(w, "workflows.out_of_turn", [&] { return actas.SubmitForReview(fac, acta); });
  ExpectRefusal(w, "workflows.out_of_turn",
                [&] { return actas.Rubricate(member, acta, Pin("1234")).status(); });
  ASSERT_TRUE(actas.Approve(fac, acta, w.Votes(w.Titulars())).ok());
  const std::vector<std::pair<const char*, Op>> in_rubric = {
      {"approve again", [&] { return actas.Approve(fac, acta, w.Votes(w.Titulars())).status(); }},
      {"new version after approval", [&] { return actas.AddVersion(fac, acta, "{}").status(); }},
      {"comment after approval", [&] { return actas.Comment(member, acta, "x").status(); }},
      {"foot before the rubrics", [&] { return actas.SignFoot(member, acta, Pin("1234")).status(); }},
      {"archive before signatures", [&] { return actas.Archive(fac, acta); }},
      {"certify twice", [&] { return actas.Certify(fac, acta); }},
      {"deliver before archive", [&] { return actas.MarkDelivered(fac, acta, *receipt); }},
  };
  for (const auto& [name, op] : in_rubric) {
    SCOPED_TRACE(name);
    ExpectRefusal(w, "workflows.out_of_turn", op);
  }
  auto foot_early = actas.SignFoot(member, acta, Pin("1234"));
  EXPECT_NE(foot_early.status().message_es().find("falta la rúbrica de"), std::string::npos);
}

TEST(ActaLifeTest, EachTransitionOnlyToItsRole) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, 2026y / June / 16, w.Titulars());
  auto& actas = w.wf().actas();
  const Actor member = Actor::Person(w.seats[0].titular);  // authority: not garante
  const Actor outsider = Actor::Person(w.outsider);
  using Op = std::function<Status()>;
  const std::vector<std::pair<const char*, Op>> draft_ops = {
      {"a member drafts",
       [&] {
         return actas
             .CreateDraft(member, {ActaKind::kInstallation, w.secretariat, std::nullopt, "X", "{}",
                                   kInstalled})
             .status();
       }},
      {"the administrator drafts",
       [&] {
         return actas
             .CreateDraft(Actor::Administrator(), {ActaKind::kInstallation, w.secretariat,
                                                   std::nullopt, "X", "{}", kInstalled})
             .status();
       }},
      {"a member publishes a version",
       [&] { return actas.AddVersion(member, acta, "{}").status(); }},
      {"the garante submits for review", [&] { return actas.SubmitForReview(w.Garante(), acta); }},
  };
  for (const auto& [name, op] : draft_ops) {
    SCOPED_TRACE(name);
    ExpectRefusal(w, "workflows.role_not_allowed", op);
  }
  ASSERT_TRUE(actas.SubmitForReview(w.Facilitator(), acta).ok());
  ExpectRefusal(w, "workflows.role_not_allowed",
                [&] { return actas.Comment(outsider, acta, "x").status(); });
  ExpectRefusal(w, "workflows.role_not_allowed",
                [&] { return actas.Approve(member, acta, w.Votes(w.Titulars())).status(); });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return actas.Approve(Actor::Administrator(), acta, w.Votes(w.Titulars())).status();
  });
  ASSERT_TRUE(actas.Approve(w.Facilitator(), acta, w.Votes(w.Titulars())).ok());
  SignAll(w, acta);
  ExpectRefusal(w, "workflows.role_not_allowed", [&] { return actas.Archive(member, acta); });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] { return actas.Archive(outsider, acta); });
  ASSERT_TRUE(actas.Archive(w.Facilitator(), acta).ok());
  auto receipt = w.blobs().Put("acuse");
  ExpectRefusal(w, "workflows.role_not_allowed",
                [&] { return actas.MarkDelivered(member, acta, *receipt); });
  EXPECT_EQ(actas.Archive(member, acta).message_es(),
            "Solo el facilitador o el organismo garante puede archivar el acta completa.");
}

TEST(ActaDraftTest, RefusesBadContentAnOpenSessionAndASecondMinute) {
  World w(Shape::kStm);
  std::vector<int64_t> present = w.Titulars();
  present.push_back(w.facilitator);
  const int64_t session = w.OpenSession(2026y / June / 16, present);
  auto draft = [&](const std::string& content) {
    return w.wf()
        .actas()
        .CreateDraft(w.Facilitator(), {ActaKind::kSessionMinute, w.secretariat, session, "Acta",
                                       content, std::nullopt})
        .status();
  };
  ExpectRefusal(w, "workflows.out_of_turn", [&] { return draft("{}"); });
  ASSERT_TRUE(w.wf().sessions().Close(w.Presider(), session).ok());
  for (const char* bad : {"", "[1,2]", "{\"a\":", "nulo", "\"texto\""}) {
    SCOPED_TRACE(bad);
    ExpectRefusal(w, "workflows.bad_content", [&] { return draft(bad); });
  }
  ExpectRefusal(w, "workflows.bad_content",
                [&] { return draft("{\"x\":\"" + std::string(1 << 20, 'a') + "\"}"); });
  ASSERT_TRUE(draft("{}").ok());
  ExpectRefusal(w, "workflows.acta_exists", [&] { return draft("{}"); });
  ExpectRefusal(w, "workflows.bad_input", [&] {
    return w.wf()
        .actas()
        .CreateDraft(w.Facilitator(), {ActaKind::kSessionMinute, w.secretariat, std::nullopt,
                                       "Acta", "{}", std::nullopt})
        .status();
  });
}

}  // namespace
}  // namespace rubrica::workflows::testing
