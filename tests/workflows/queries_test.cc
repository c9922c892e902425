// The read-only listings the API shows, and PrepareSignature (the checks of a signature
// without signing).
#include <gtest/gtest.h>

#include "acta_helpers.h"

namespace rubrica::workflows::testing {
namespace {

constexpr year_month_day kDay = 2026y / June / 16;

TEST(QueriesTest, ListingsShowWhatWasRecordedAndRefuseUnknownSecretariats) {
  World w(Shape::kStm);
  auto secretariats = w.wf().secretariats().List();
  ASSERT_TRUE(secretariats.ok());
  ASSERT_EQ(secretariats->size(), 1u);
  EXPECT_EQ(secretariats->front().id, w.secretariat);
  EXPECT_EQ(secretariats->front().config.agencies.size(), 1u);

  auto seats = w.wf().people().Seats(w.secretariat);
  ASSERT_TRUE(seats.ok());
  ASSERT_EQ(seats->size(), w.seats.size());
  EXPECT_EQ((*seats)[1].member_type, "organismo_garante");
  EXPECT_EQ((*seats)[1].represents, "Órgano garante estatal");

  auto people = w.wf().people().ListPeople();
  ASSERT_TRUE(people.ok());
  EXPECT_EQ(people->size(), w.names.size());
  auto person = w.wf().people().GetPerson(w.facilitator);
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(person->full_name, w.names[w.facilitator]);

  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  auto sessions = w.wf().sessions().List(w.secretariat);
  ASSERT_TRUE(sessions.ok());
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ(sessions->front().status, SessionStatus::kClosed);
  auto actas = w.wf().actas().List(w.secretariat);
  ASSERT_TRUE(actas.ok());
  ASSERT_EQ(actas->size(), 1u);
  EXPECT_EQ(actas->front().id, acta);

  auto plan = w.wf().plans().CreatePlan(w.Facilitator(), w.secretariat, "Plan de Acción Municipal");
  ASSERT_TRUE(plan.ok());
  auto plans = w.wf().plans().List(w.secretariat);
  ASSERT_TRUE(plans.ok());
  ASSERT_EQ(plans->size(), 1u);
  EXPECT_EQ(plans->front().title, "Plan de Acción Municipal");

  const int64_t unknown = w.secretariat + 100;
  for (const Status& s : {w.wf().people().Seats(unknown).status(),
                          w.wf().sessions().List(unknown).status(),
                          w.wf().actas().List(unknown).status(),
                          w.wf().plans().List(unknown).status(),
                          w.wf().people().RolesOf(w.Facilitator(), unknown).status(),
                          w.wf().people().GetPerson(9999).status()}) {
    EXPECT_EQ(s.code(), "workflows.not_found");
  }
}

TEST(QueriesTest, RolesOfNamesWhatEachPersonIsToday) {
  World w(Shape::kStl);
  const auto& garante = w.SeatOf("organismo_garante");
  const auto& civil = w.SeatOf("civil_society");
  struct Case {
    const char* name;
    Actor actor;
    bool administrator, facilitator, garante, seat;
    TermRole role;
  };
  const std::vector<Case> cases = {
      {"administrator", Actor::Administrator(), true, false, false, false, TermRole::kTitular},
      {"facilitator", w.Facilitator(), false, true, false, false, TermRole::kTitular},
      {"garante titular", Actor::Person(garante.titular), false, false, true, true,
       TermRole::kTitular},
      {"garante substitute", Actor::Person(garante.substitute), false, false, true, true,
       TermRole::kSubstitute},
      {"civil society titular", Actor::Person(civil.titular), false, false, false, true,
       TermRole::kTitular},
      {"outsider", Actor::Person(w.outsider), false, false, false, false, TermRole::kTitular},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = w.wf().people().RolesOf(c.actor, w.secretariat);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->administrator, c.administrator);
    EXPECT_EQ(r->facilitator, c.facilitator);
    EXPECT_EQ(r->garante, c.garante);
    EXPECT_EQ(r->seat.has_value(), c.seat);
    if (c.seat) {
      EXPECT_EQ(r->seat->role, c.role);
    }
  }
  // Before the terms begin nobody holds a seat.
  w.clock.Set(w.Local(year_month_day{sys_days(kInstalled) - days(1)}, 12));
  auto before = w.wf().people().RolesOf(Actor::Person(civil.titular), w.secretariat);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->seat.has_value());
}

TEST(QueriesTest, PrepareSignatureReturnsWhatSigningWouldApplyAndWritesNothing) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  const Actor signer = Actor::Person(w.seats[0].titular);
  ExpectRefusal(w, "workflows.out_of_turn", [&] {
    return w.wf().actas().PrepareSignature(signer, acta, SignatureKind::kRubric).status();
  });
  ReviewAndApprove(w, acta);
  ExpectRefusal(w, "workflows.not_a_required_signer", [&] {
    return w.wf().actas().PrepareSignature(w.Facilitator(), acta, SignatureKind::kRubric).status();
  });
  auto before = Snapshot(w.db_path());
  auto req = w.wf().actas().PrepareSignature(signer, acta, SignatureKind::kRubric);
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(Snapshot(w.db_path()).dump, before.dump);
  auto rec = w.wf().actas().Get(acta);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(req->acta_id, acta);
  EXPECT_EQ(req->input_blob_id, rec->current_blob_id);
  EXPECT_EQ(req->approval_round, 1);
  EXPECT_EQ(req->kind, SignatureKind::kRubric);
  EXPECT_EQ(req->signer.person_id, w.seats[0].titular);
  EXPECT_EQ(req->signer.full_name, w.names[w.seats[0].titular]);
  EXPECT_EQ(req->signer.capacity, "titular");

  // What Rubricate then hands the engine is the same request, signed with the credential
  // the member gave.
  ASSERT_TRUE(w.wf().actas().Rubricate(signer, acta, Pin("1234")).ok());
  ASSERT_FALSE(w.engine->signed_requests.empty());
  const SignatureRequest& applied = w.engine->signed_requests.back();
  EXPECT_EQ(applied.input_blob_id, req->input_blob_id);
  EXPECT_EQ(applied.signer.full_name, req->signer.full_name);
  EXPECT_EQ(applied.signer.represents, req->signer.represents);
  EXPECT_EQ(w.engine->unlocked_with.back(), "pin:1234");
  ExpectRefusal(w, "workflows.already_signed", [&] {
    return w.wf().actas().PrepareSignature(signer, acta, SignatureKind::kRubric).status();
  });
  // The foot signature waits for every rubric.
  ExpectRefusal(w, "workflows.out_of_turn", [&] {
    return w.wf().actas().PrepareSignature(signer, acta, SignatureKind::kFoot).status();
  });
}

}  // namespace
}  // namespace rubrica::workflows::testing
