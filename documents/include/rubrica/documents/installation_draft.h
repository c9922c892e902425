// The first draft of a secretariat's installation acta, written from its configuration and
// the installation session (when, where, who took office), as the session minute is written
// from the session's record (minute_draft.h).
//
// What the record holds is never retyped: the integration (every seat, with the titular
// and the substitute who take office and the institution or sector they represent), the
// facilitator, the rules of operation the configuration sets (cadence of ordinary
// sessions, notice of convocations, who convenes and presides, quorum, decisions by
// consensus else majority, cancellation notice, terms, monthly delivery to the agency),
// the closing and the signature block (every titular and substitute, the facilitator and
// whoever else subscribes). Spanish per lang/: posts agree with each person's gender,
// institutions take their article, dates and times written out. The result is acta
// content in the format of docs/acta-format.md, checked by the same parser the workflow
// uses. Pure, except ReadInstallationRecord (a read of the workflow's records).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/documents/minute_draft.h"
#include "rubrica/workflows/session_minutes_record.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::documents {

struct InstallationRecord {
  workflows::SecretariatConfig config;  // name, place, kind, rules, time zone
  std::string agency;                   // the agency in force on the date ("" when none)
  Instant starts_at;                    // when the installation session began
  std::string venue;                    // where it was held
  /// Every seat, with the titular and the substitute taking office (presence unused).
  std::vector<workflows::SeatInSession> seats;
  std::optional<workflows::RecordPerson> facilitator;
  /// Others who subscribe the acta (witnesses, officials), in order.
  std::vector<workflows::RecordPerson> subscribers;
};

/// The installation acta's draft (title and content). documents.bad_installation
/// (kRejected) when no seat has a titular; base.unknown_time_zone when the zone does not
/// load.
Result<MinuteDraft> InstallationActaDraft(const InstallationRecord& record);

/// The record of secretariat `secretariat_id` installed at `starts_at` in `venue`: its
/// configuration, the agency in force on that date, the seats with the titular and the
/// substitute whose terms are in force on that date (local date in the secretariat's
/// zone), the facilitator, and the people `subscriber_ids` (in that order). The
/// workflow's not_found codes.
Result<InstallationRecord> ReadInstallationRecord(workflows::Workflows& wf, int64_t secretariat_id,
                                                  Instant starts_at, std::string venue,
                                                  const std::vector<int64_t>& subscriber_ids);

}  // namespace rubrica::documents
