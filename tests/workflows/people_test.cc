#include <gtest/gtest.h>

#include "rubrica/base/crypto_util.h"
#include "world.h"

namespace rubrica::workflows::testing {
namespace {

TEST(TermsTest, ReelectionIsLimitedByConfiguration) {
  struct Case {
    const char* name;
    int max_reelections;
    int allowed;  // re-elections accepted before the refusal (-1: never refused in 3 tries)
  };
  const std::vector<Case> cases = {
      {"STL template: once", 1, 1},
      {"no re-election", 0, 0},
      {"no limit", -1, -1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    World w(Shape::kStl, [&](SecretariatConfig& cfg) { cfg.max_reelections = c.max_reelections; });
    int64_t term = w.seats[2].titular_term;
    for (int i = 1; i <= 3; ++i) {
      if (c.allowed >= 0 && i > c.allowed) {
        ExpectRefusal(w, "workflows.reelection_limit", [&] {
          return w.wf().people().Reelect(Actor::Administrator(), term).status();
        });
        break;
      }
      auto next = w.wf().people().Reelect(Actor::Administrator(), term);
      ASSERT_TRUE(next.ok()) << next.status().ToString();
      auto rec = w.wf().people().GetTerm(*next);
      ASSERT_TRUE(rec.ok());
      EXPECT_EQ(rec->reelection_count, i);
      EXPECT_EQ(rec->starts_on, (kInstalled.year() + years(i)) / January / 5)
          << "terms follow each other";
      term = *next;
    }
  }
}

TEST(TermsTest, AOneYearTermEndsTheDayBeforeItsAnniversary) {
  World w(Shape::kStl);
  auto t = w.wf().people().GetTerm(w.seats[0].titular_term);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->starts_on, kInstalled);
  EXPECT_EQ(t->ends_on, 2027y / January / 4);
  World m(Shape::kStm);
  auto u = m.wf().people().GetTerm(m.seats[0].titular_term);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->ends_on, 2027y / August / 31) << "STM terms last the administration";
}

TEST(TermsTest, RefusesASecondHolderTheFacilitatorInASeatAndAMemberAppointing) {
  World w(Shape::kStm);
  ExpectRefusal(w, "workflows.seat_taken", [&] {
    return w.wf()
        .people()
        .StartTerm(
            Actor::Administrator(), w.secretariat,
            {w.outsider, TermRole::kTitular, w.seats[1].seat, 2026y / March / 1, std::nullopt})
        .status();
  });
  ExpectRefusal(w, "workflows.facilitator_cannot_hold_seat", [&] {
    return w.wf()
        .people()
        .StartTerm(Actor::Administrator(), w.secretariat,
                   {w.facilitator, TermRole::kSubstitute, w.seats[1].seat, 2026y / March / 1,
                    std::nullopt})
        .status();
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf()
        .people()
        .StartTerm(
            Actor::Person(w.seats[0].titular), w.secretariat,
            {w.outsider, TermRole::kTitular, w.seats[1].seat, 2027y / September / 1, std::nullopt})
        .status();
  });
  ExpectRefusal(w, "workflows.bad_input", [&] {
    return w.wf()
        .people()
        .StartTerm(Actor::Administrator(), w.secretariat,
                   {w.outsider, TermRole::kTitular, w.seats[1].seat, 2027y / August / 1,
                    2027y / December / 31})
        .status();
  });
  ExpectRefusal(w, "workflows.unknown_member_type", [&] {
    return w.wf()
        .people()
        .AddSeat(Actor::Administrator(), w.secretariat, {"empresarios", "X"})
        .status();
  });
}

TEST(RemovalTest, NeedsTwoProposersFromOtherSeats) {
  World w(Shape::kStm);
  w.SetLocal(2026y / March / 2, 9);
  const auto& target = w.seats[4];
  struct Case {
    const char* name;
    std::vector<int64_t> proposers;
    bool accepted;
  };
  const std::vector<Case> cases = {
      {"nobody", {}, false},
      {"one member", {w.seats[0].titular}, false},
      {"one member and an outsider", {w.seats[0].titular, w.outsider}, false},
      {"titular and substitute of one seat", {w.seats[0].titular, w.seats[0].substitute}, false},
      {"one member and the target", {w.seats[0].titular, target.titular}, false},
      {"the same member twice", {w.seats[0].titular, w.seats[0].titular}, false},
      {"two members of two seats", {w.seats[0].titular, w.seats[2].substitute}, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Actor actor = c.proposers.empty() ? w.Facilitator() : Actor::Person(c.proposers[0]);
    auto op = [&] {
      return w.wf()
          .people()
          .ProposeRemoval(actor, target.titular_term, c.proposers, "Inasistencias reiteradas")
          .status();
    };
    if (c.accepted) {
      EXPECT_TRUE(op().ok()) << op().ToString();
    } else {
      ExpectRefusal(w, "workflows.removal_needs_two_proposers", op);
    }
  }
  ExpectRefusal(w, "workflows.removal_pending", [&] {
    return w.wf()
        .people()
        .ProposeRemoval(w.Facilitator(), target.titular_term,
                        {w.seats[0].titular, w.seats[1].titular}, "Otra vez")
        .status();
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    // A member who is not among the proposers cannot file it in their name.
    return w.wf()
        .people()
        .ProposeRemoval(Actor::Person(w.seats[3].titular), w.seats[2].titular_term,
                        {w.seats[0].titular, w.seats[1].titular}, "Motivo")
        .status();
  });
}

TEST(RemovalTest, GoesOnTheNextAgendaAndIsDecidedByEverySeat) {
  World w(Shape::kStm);
  w.SetLocal(2026y / March / 2, 9);
  const auto& target = w.seats[4];
  auto removal = w.wf().people().ProposeRemoval(
      Actor::Person(w.seats[0].titular), target.titular_term,
      {w.seats[0].titular, w.seats[1].titular}, "Inasistencias reiteradas");
  ASSERT_TRUE(removal.ok()) << removal.status().ToString();

  // Four of five seats present: a removal vote needs every member.
  std::vector<int64_t> four = {w.seats[0].titular, w.seats[1].titular, w.seats[2].titular,
                               w.seats[3].titular, w.facilitator};
  const int64_t s1 = w.OpenSession(2026y / April / 7, four);
  auto session = w.wf().sessions().Get(s1);
  ASSERT_TRUE(session.ok());
  ASSERT_EQ(session->agenda.size(), 3u);
  EXPECT_EQ(session->agenda[2].removal_id, *removal);
  EXPECT_NE(session->agenda[2].title.find("Sofía Medina Arreola"), std::string::npos);
  ExpectRefusal(w, "workflows.removal_needs_all_members", [&] {
    return w.wf()
        .sessions()
        .RecordDecision(w.Facilitator(), s1,
                        {3, "Remoción",
                         w.Votes({w.seats[0].titular, w.seats[1].titular, w.seats[2].titular,
                                  w.seats[3].titular})})
        .status();
  });
  ASSERT_TRUE(w.wf().sessions().Close(w.Presider(), s1).ok());

  // It carries over to the next session, where every seat votes.
  std::vector<int64_t> all = w.Titulars();
  all.push_back(w.facilitator);
  const int64_t s2 = w.OpenSession(2026y / May / 5, all);
  auto next = w.wf().sessions().Get(s2);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->agenda.size(), 3u);
  EXPECT_EQ(next->agenda[2].removal_id, *removal);
  std::vector<VoteInput> votes = w.Votes(w.Titulars());
  votes[4].choice = VoteChoice::kNo;  // the member concerned votes against
  auto d = w.wf().sessions().RecordDecision(w.Facilitator(), s2, {3, "Remoción", votes});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->tally.outcome, DecisionOutcome::kApproved);
  auto term = w.wf().people().GetTerm(target.titular_term);
  ASSERT_TRUE(term.ok());
  EXPECT_EQ(term->removed_on, 2026y / May / 5);
  auto in_force = w.wf().people().TermsInForce(w.secretariat, 2026y / May / 6);
  ASSERT_TRUE(in_force.ok());
  for (const auto& t : *in_force) EXPECT_NE(t.id, target.titular_term);
  ExpectRefusal(w, "workflows.already_decided", [&] {
    return w.wf().sessions().RecordDecision(w.Facilitator(), s2, {3, "Remoción", votes}).status();
  });
}

TEST(EndOfTermTest, ReportThenHandOverEveryDocumentToTheSuccessorAndFacilitator) {
  World w(Shape::kStl);
  const auto& seat = w.SeatOf("civil_society");
  auto report_blob = w.blobs().Put("Informe de actividades 2026");
  ASSERT_TRUE(report_blob.ok());
  // An acta of the term, so there is a document to hand over.
  std::vector<int64_t> present = w.Titulars();
  present.push_back(w.facilitator);
  const int64_t session = w.OpenSession(2026y / June / 9, present);
  ASSERT_TRUE(w.wf().sessions().Close(w.Presider(), session).ok());
  auto acta = w.wf().actas().CreateDraft(w.Facilitator(), {ActaKind::kSessionMinute, w.secretariat,
                                                           session, "Minuta", "{}", std::nullopt});
  ASSERT_TRUE(acta.ok()) << acta.status().ToString();

  w.SetLocal(2027y / January / 4, 12);
  ExpectRefusal(w, "workflows.report_missing", [&] {
    return w.wf()
        .people()
        .RecordHandover(Actor::Person(seat.titular), seat.titular_term, {})
        .status();
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf()
        .people()
        .FileTermReport(Actor::Person(w.seats[0].titular), seat.titular_term, *report_blob,
                        "Informe")
        .status();
  });
  ExpectRefusal(w, "workflows.bad_input", [&] {
    return w.wf()
        .people()
        .FileTermReport(Actor::Person(seat.titular), seat.titular_term, "no-es-un-blob", "Informe")
        .status();
  });
  ASSERT_TRUE(
      w.wf()
          .people()
          .FileTermReport(Actor::Person(seat.titular), seat.titular_term, *report_blob, "Informe")
          .ok());
  ExpectRefusal(w, "workflows.report_exists", [&] {
    return w.wf()
        .people()
        .FileTermReport(Actor::Person(seat.titular), seat.titular_term, *report_blob, "Otra vez")
        .status();
  });
  ExpectRefusal(w, "workflows.no_successor", [&] {
    return w.wf()
        .people()
        .RecordHandover(Actor::Person(seat.titular), seat.titular_term, {})
        .status();
  });
  ASSERT_TRUE(
      w.wf()
          .people()
          .StartTerm(Actor::Administrator(), w.secretariat,
                     {w.outsider, TermRole::kTitular, seat.seat, 2027y / January / 5, std::nullopt})
          .ok());
  const std::string extra = Sha256Hex("evidencia");
  auto h = w.wf().people().RecordHandover(Actor::Person(seat.titular), seat.titular_term,
                                          {{"other", "Fotografías de sesiones", extra}});
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->recipients, (std::vector<int64_t>{w.outsider, w.facilitator}));
  ASSERT_EQ(h->documents.size(), 3u);
  EXPECT_EQ(h->documents[0].kind, "term_report");
  EXPECT_EQ(h->documents[0].blob_id, *report_blob);
  EXPECT_EQ(h->documents[1].ref, "acta:" + std::to_string(*acta));
  EXPECT_EQ(h->documents[2].blob_id, extra);
  ExpectRefusal(w, "workflows.handover_exists", [&] {
    return w.wf().people().RecordHandover(w.Facilitator(), seat.titular_term, {}).status();
  });
}

}  // namespace
}  // namespace rubrica::workflows::testing
