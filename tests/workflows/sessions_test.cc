#include <gtest/gtest.h>

#include "world.h"

namespace rubrica::workflows::testing {
namespace {

Convocation Ordinary(const World& w, year_month_day d, SessionKind kind = SessionKind::kOrdinary) {
  return {kind, w.Local(d, 10), "Sala de Cabildo", {"Lista de asistencia", "Asuntos generales"}};
}

TEST(ConvocationTest, NeedsFiveOrTwoBusinessDaysStrictlyBetween) {
  struct Case {
    const char* name;
    SessionKind kind;
    year_month_day convened, session;
    bool accepted;
  };
  const std::vector<Case> cases = {
      // 2026-09-16 (Wednesday) is a federal holiday.
      {"4 across a holiday", SessionKind::kOrdinary, 2026y / September / 11, 2026y / September / 21,
       false},
      {"5 across a holiday", SessionKind::kOrdinary, 2026y / September / 11, 2026y / September / 22,
       true},
      {"4 across a weekend", SessionKind::kOrdinary, 2026y / June / 1, 2026y / June / 8, false},
      {"5 across a weekend", SessionKind::kOrdinary, 2026y / June / 1, 2026y / June / 9, true},
      {"extraordinary, 1 across a weekend", SessionKind::kExtraordinary, 2026y / June / 4,
       2026y / June / 8, false},
      {"extraordinary, 2 across a weekend", SessionKind::kExtraordinary, 2026y / June / 4,
       2026y / June / 9, true},
      {"extraordinary, 1 across a holiday", SessionKind::kExtraordinary, 2026y / September / 14,
       2026y / September / 17, false},
      {"extraordinary, 2 across a holiday", SessionKind::kExtraordinary, 2026y / September / 14,
       2026y / September / 18, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    World w(Shape::kStl);
    w.SetLocal(c.convened, 23, 59);  // late in the day still counts as that day
    auto op = [&] {
      return w.wf().sessions().Convene(w.Convener(), w.secretariat, Ordinary(w, c.session, c.kind));
    };
    if (c.accepted) {
      auto id = op();
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      auto s = w.wf().sessions().Get(*id);
      ASSERT_TRUE(s.ok());
      EXPECT_EQ(s->session_date, c.session);
      EXPECT_EQ(s->notice_business_days, c.kind == SessionKind::kOrdinary ? 5 : 2);
    } else {
      ExpectRefusal(w, "workflows.notice_too_short", [&] { return op().status(); });
    }
  }
}

TEST(ConvocationTest, TheNoticeRefusalCitesTheRuleAndTheCount) {
  World w(Shape::kStm);
  w.SetLocal(2026y / September / 11, 9);
  auto r =
      w.wf().sessions().Convene(w.Convener(), w.secretariat, Ordinary(w, 2026y / September / 21));
  EXPECT_EQ(r.status().message_es(),
            "Se requieren al menos 5 días hábiles entre la convocatoria y la sesión ordinaria "
            "(lineamiento III.4); del 11 de septiembre de 2026 al 21 de septiembre de 2026 hay 4.");
}

TEST(ConvocationTest, AddedHolidaysCountAgainstTheNotice) {
  World w(Shape::kStm);
  ASSERT_TRUE(
      w.wf()
          .secretariats()
          .AddHoliday(Actor::Administrator(), w.secretariat, 2026y / June / 3, "Fiesta patronal")
          .ok());
  w.SetLocal(2026y / June / 1, 9);
  ExpectRefusal(w, "workflows.notice_too_short", [&] {
    return w.wf()
        .sessions()
        .Convene(w.Convener(), w.secretariat, Ordinary(w, 2026y / June / 9))
        .status();
  });
}

TEST(ConvocationTest, OnlyTheConfiguredConvenerConvenesWithAnAgenda) {
  struct Case {
    Shape shape;
    bool garante_convenes;
  };
  for (const auto& c : {Case{Shape::kStl, true}, Case{Shape::kStm, false}}) {
    World w(c.shape);
    w.SetLocal(2026y / June / 1, 9);
    const Actor wrong = c.garante_convenes ? w.Facilitator() : w.Garante();
    ExpectRefusal(w, "workflows.role_not_allowed", [&] {
      return w.wf()
          .sessions()
          .Convene(wrong, w.secretariat, Ordinary(w, 2026y / June / 15))
          .status();
    });
    ExpectRefusal(w, "workflows.role_not_allowed", [&] {
      return w.wf()
          .sessions()
          .Convene(Actor::Person(w.seats[0].titular), w.secretariat, Ordinary(w, 2026y / June / 15))
          .status();
    });
    Convocation no_agenda = Ordinary(w, 2026y / June / 15);
    no_agenda.agenda.clear();
    ExpectRefusal(w, "workflows.agenda_missing", [&] {
      return w.wf().sessions().Convene(w.Convener(), w.secretariat, no_agenda).status();
    });
    EXPECT_TRUE(w.wf()
                    .sessions()
                    .Convene(w.Convener(), w.secretariat, Ordinary(w, 2026y / June / 15))
                    .ok());
  }
}

TEST(CancellationTest, NeedsEveryMemberAndTwentyFourHoursNotice) {
  struct Case {
    const char* name;
    int minutes_before;
    bool accepted;
  };
  const std::vector<Case> cases = {
      {"23 h 59 min before", 23 * 60 + 59, false},
      {"24 h before", 24 * 60, true},
      {"3 days before", 3 * 24 * 60, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    World w(Shape::kStl);
    w.SetLocal(2026y / June / 1, 9);
    auto id =
        w.wf().sessions().Convene(w.Convener(), w.secretariat, Ordinary(w, 2026y / June / 15));
    ASSERT_TRUE(id.ok());
    for (const auto& seat : w.seats) {
      ASSERT_TRUE(w.wf().sessions().ApproveCancellation(Actor::Person(seat.substitute), *id).ok());
    }
    w.clock.Set(w.Local(2026y / June / 15, 10) - minutes(c.minutes_before));
    auto op = [&] { return w.wf().sessions().Cancel(w.Convener(), *id, "Contingencia"); };
    if (c.accepted) {
      ASSERT_TRUE(op().ok());
      auto s = w.wf().sessions().Get(*id);
      EXPECT_EQ(s->status, SessionStatus::kCancelled);
    } else {
      ExpectRefusal(w, "workflows.cancellation_too_late", op);
      EXPECT_NE(op().message_es().find("faltan 23 h 59 min"), std::string::npos);
    }
  }
}

TEST(CancellationTest, RefusesWithoutEveryMembersApprovalOrTwice) {
  World w(Shape::kStm);
  w.SetLocal(2026y / June / 1, 9);
  auto id = w.wf().sessions().Convene(w.Convener(), w.secretariat, Ordinary(w, 2026y / June / 15));
  ASSERT_TRUE(id.ok());
  for (size_t i = 0; i + 1 < w.seats.size(); ++i) {
    ASSERT_TRUE(w.wf().sessions().ApproveCancellation(Actor::Person(w.seats[i].titular), *id).ok());
  }
  ExpectRefusal(w, "workflows.cancellation_not_approved",
                [&] { return w.wf().sessions().Cancel(w.Convener(), *id, "Contingencia"); });
  ExpectRefusal(w, "workflows.already_approved", [&] {
    return w.wf().sessions().ApproveCancellation(Actor::Person(w.seats[0].substitute), *id);
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf().sessions().ApproveCancellation(Actor::Person(w.outsider), *id);
  });
  ExpectRefusal(w, "workflows.role_not_allowed",
                [&] { return w.wf().sessions().ApproveCancellation(w.Facilitator(), *id); });
}

struct QuorumCase {
  const char* name;
  Shape shape;
  std::vector<std::pair<int, bool>> present;  // seat index, substitute?
  bool met;
};

TEST(QuorumTest, OpensOnlyWithTheConfiguredQuorum) {
  const std::vector<QuorumCase> cases = {
      {"STL 3/3", Shape::kStl, {{0, false}, {1, false}, {2, false}}, true},
      {"STL 2/3", Shape::kStl, {{0, false}, {1, false}}, false},
      {"STL 3/3 with a substitute standing in",
       Shape::kStl,
       {{0, false}, {1, true}, {2, false}},
       true},
      {"STM 3/5", Shape::kStm, {{0, false}, {1, false}, {2, false}}, true},
      {"STM 2/5", Shape::kStm, {{0, false}, {3, false}}, false},
      {"STM 3/5 with two substitutes", Shape::kStm, {{0, true}, {2, false}, {4, true}}, true},
      {"STM 2/5 plus the facilitator and an observer", Shape::kStm, {{0, false}, {1, true}}, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    World w(c.shape);
    w.SetLocal(2026y / June / 1, 9);
    auto id =
        w.wf().sessions().Convene(w.Convener(), w.secretariat, Ordinary(w, 2026y / June / 15));
    ASSERT_TRUE(id.ok());
    w.SetLocal(2026y / June / 15, 10);
    for (auto [seat, substitute] : c.present) {
      const int64_t p = substitute ? w.seats[seat].substitute : w.seats[seat].titular;
      auto cap = w.wf().sessions().RecordAttendance(w.Facilitator(), *id, p);
      ASSERT_TRUE(cap.ok()) << cap.status().ToString();
      EXPECT_EQ(*cap, substitute ? Capacity::kSubstitute : Capacity::kTitular);
    }
    ASSERT_TRUE(w.wf().sessions().RecordAttendance(w.Facilitator(), *id, w.facilitator).ok());
    ASSERT_TRUE(w.wf().sessions().RecordObserver(w.Facilitator(), *id, w.outsider).ok());
    if (c.met) {
      auto q = w.wf().sessions().Open(w.Presider(), *id);
      ASSERT_TRUE(q.ok()) << q.status().ToString();
      EXPECT_EQ(q->present, static_cast<int>(c.present.size()));
    } else {
      ExpectRefusal(w, "workflows.quorum_not_met",
                    [&] { return w.wf().sessions().Open(w.Presider(), *id).status(); });
    }
  }
}

TEST(AttendanceTest, OnePersonPerSeatMembersOnly) {
  World w(Shape::kStm);
  w.SetLocal(2026y / June / 1, 9);
  auto id = w.wf().sessions().Convene(w.Convener(), w.secretariat, Ordinary(w, 2026y / June / 15));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(w.wf().sessions().RecordAttendance(w.Facilitator(), *id, w.seats[1].substitute).ok());
  ExpectRefusal(w, "workflows.seat_already_present", [&] {
    return w.wf().sessions().RecordAttendance(w.Facilitator(), *id, w.seats[1].titular).status();
  });
  ExpectRefusal(w, "workflows.already_present", [&] {
    return w.wf().sessions().RecordAttendance(w.Facilitator(), *id, w.seats[1].substitute).status();
  });
  ExpectRefusal(w, "workflows.not_a_member", [&] {
    return w.wf().sessions().RecordAttendance(w.Facilitator(), *id, w.outsider).status();
  });
  ExpectRefusal(w, "workflows.role_not_allowed", [&] {
    return w.wf()
        .sessions()
        .RecordAttendance(Actor::Person(w.seats[0].titular), *id, w.seats[0].titular)
        .status();
  });
  for (int i : {0, 2}) {
    ASSERT_TRUE(w.wf().sessions().RecordAttendance(w.Facilitator(), *id, w.seats[i].titular).ok());
  }
  ExpectRefusal(w, "workflows.session_not_yet",
                [&] { return w.wf().sessions().Open(w.Presider(), *id).status(); });
}

TEST(AgendaTest, EveryMemberPresentApprovesItFirst) {
  World w(Shape::kStm);
  w.SetLocal(2026y / June / 1, 9);
  auto id = w.wf().sessions().Convene(w.Convener(), w.secretariat, Ordinary(w, 2026y / June / 15));
  ASSERT_TRUE(id.ok());
  w.SetLocal(2026y / June / 15, 10);
  for (int64_t p : {w.seats[0].titular, w.seats[1].substitute, w.seats[2].titular, w.facilitator}) {
    ASSERT_TRUE(w.wf().sessions().RecordAttendance(w.Facilitator(), *id, p).ok());
  }
  ExpectRefusal(w, "workflows.out_of_turn", [&] {
    return w.wf().sessions().ApproveAgenda(w.Facilitator(), *id, {w.seats[0].titular});
  });
  ASSERT_TRUE(w.wf().sessions().Open(w.Presider(), *id).ok());
  ExpectRefusal(w, "workflows.agenda_not_approved", [&] {
    return w.wf().sessions().RecordDiscussion(w.Facilitator(), *id, 1, "Se pasó lista.");
  });
  ExpectRefusal(w, "workflows.agenda_not_unanimous", [&] {
    return w.wf().sessions().ApproveAgenda(w.Facilitator(), *id,
                                           {w.seats[0].titular, w.seats[2].titular});
  });
  ExpectRefusal(w, "workflows.not_present", [&] {
    return w.wf().sessions().ApproveAgenda(
        w.Facilitator(), *id,
        {w.seats[0].titular, w.seats[1].substitute, w.seats[2].titular, w.facilitator});
  });
  ASSERT_TRUE(w.wf()
                  .sessions()
                  .ApproveAgenda(w.Facilitator(), *id,
                                 {w.seats[0].titular, w.seats[1].substitute, w.seats[2].titular})
                  .ok());
  ASSERT_TRUE(w.wf().sessions().RecordDiscussion(w.Facilitator(), *id, 1, "Se pasó lista.").ok());
  auto s = w.wf().sessions().Get(*id);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->agenda_approved);
  EXPECT_EQ(s->agenda[0].discussion, "Se pasó lista.");
  ASSERT_TRUE(w.wf().sessions().Close(w.Presider(), *id).ok());
  ExpectRefusal(w, "workflows.out_of_turn",
                [&] { return w.wf().sessions().Close(w.Presider(), *id); });
  auto due = w.wf().sessions().NextOrdinaryDue(w.secretariat);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(*due, 2026y / July / 15) << "STM sessions are monthly";
}

}  // namespace
}  // namespace rubrica::workflows::testing
