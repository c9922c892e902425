// The first draft of a session's minute, written from the session's record.
//
// The facilitator no longer retypes what the record holds: attendance (who sat in each
// seat, the substitute who stood in and for whom, the seats absent), the facilitator and
// the observers, the quorum with its rule, the agenda as approved, each item's discussion,
// each decision with its method and tally (and, when voted, each seat's vote), the
// agreements with owner and due date, the closing and the signature block (the people who
// sat in each seat, plus the facilitator when the secretariat's configuration says so).
// The text is Spanish and follows lang/: posts agree with each person's recorded gender,
// institutions take their article, dates and times are written out as the seeds write
// them. The result is acta content in the format of docs/acta-format.md, checked by the
// same parser the workflow uses. Pure: thread-safe.
#pragma once

#include <string>

#include "rubrica/base/status.h"
#include "rubrica/workflows/session_minutes_record.h"

namespace rubrica::documents {

struct MinuteDraft {
  std::string title;         // the acta's title: "Acta de la primera sesión ordinaria de 2026"
  std::string content_json;  // acta content (docs/acta-format.md)
};

/// The draft of the minute of `record`'s session. documents.session_not_held when the
/// session was cancelled or never opened (base.unknown_time_zone when its zone no longer
/// loads).
Result<MinuteDraft> SessionMinuteDraft(const workflows::SessionMinutesRecord& record);

}  // namespace rubrica::documents
