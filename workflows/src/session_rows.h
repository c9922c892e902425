// Reading sessions, their agenda and attendance inside a transaction.
#pragma once

#include <cstdint>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/people.h"
#include "rubrica/workflows/secretariat_config.h"
#include "rubrica/workflows/sessions.h"

namespace rubrica::workflows {

/// The session with its agenda. workflows.not_found when absent.
Result<SessionRecord> LoadSession(store::Transaction& tx, int64_t session_id);
Result<std::vector<AttendanceRecord>> LoadAttendance(store::Transaction& tx, int64_t session_id);
/// Quorum of `attendance` against the seats of `terms` (those in force on the session date).
QuorumReport ComputeQuorum(QuorumRule rule, const std::vector<TermRecord>& terms,
                           const std::vector<AttendanceRecord>& attendance);
/// "todos los integrantes (titular o suplente)" / "el 50 % más uno de los integrantes".
std::string QuorumRuleEs(QuorumRule rule);

}  // namespace rubrica::workflows
