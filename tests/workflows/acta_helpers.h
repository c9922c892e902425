// Steps of an acta's life shared by the acta tests.
#pragma once

#include <gtest/gtest.h>

#include "world.h"

namespace rubrica::workflows::testing {

/// Holds a session on `date` with `present` (plus the facilitator), closes it and drafts
/// its minute. Returns the acta id; the clock is left on `date` at 10:30.
inline int64_t DraftMinute(World& w, year_month_day date, const std::vector<int64_t>& present) {
  std::vector<int64_t> attendees = present;
  attendees.push_back(w.facilitator);
  const int64_t session = w.OpenSession(date, attendees);
  EXPECT_TRUE(w.wf().sessions().Close(w.Presider(), session).ok());
  auto acta =
      w.wf().actas().CreateDraft(w.Facilitator(), {ActaKind::kSessionMinute, w.secretariat, session,
                                                   "Acta de la sesión ordinaria",
                                                   R"({"asistencia":"completa"})", std::nullopt});
  EXPECT_TRUE(acta.ok()) << acta.status().ToString();
  return acta.ok() ? *acta : 0;
}

/// Submits for review and approves by every titular's vote (consensus).
inline void ReviewAndApprove(World& w, int64_t acta) {
  ASSERT_TRUE(w.wf().actas().SubmitForReview(w.Facilitator(), acta).ok());
  auto a = w.wf().actas().Approve(w.Facilitator(), acta, w.Votes(w.Titulars()));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
}

inline std::vector<int64_t> SignerIds(const ActaRecord& a) {
  std::vector<int64_t> ids;
  for (const auto& s : a.signers) ids.push_back(s.person_id);
  return ids;
}

/// Every required signer rubricates, then signs at the foot.
inline void SignAll(World& w, int64_t acta) {
  auto rec = w.wf().actas().Get(acta);
  ASSERT_TRUE(rec.ok());
  for (int64_t p : SignerIds(*rec)) {
    auto r = w.wf().actas().Rubricate(Actor::Person(p), acta, Pin("1234"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  for (int64_t p : SignerIds(*rec)) {
    auto r = w.wf().actas().SignFoot(Actor::Person(p), acta, Pin("1234"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
}

}  // namespace rubrica::workflows::testing
