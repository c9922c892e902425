// Who can sign: for the facilitator's view of a secretariat (GET
// /api/secretariats/{id}/signing-readiness), for the caller (GET /api/me) and for the
// member's tasks (another stream's /api/me/tasks: "register how you will sign").
//
// A person can sign by PIN when they hold an active server-held key whose certificate is
// valid now, by device when they hold such an external certificate. Read-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api_context.h"

namespace rubrica::server::api {

struct SigningReadiness {
  bool can_sign = false;
  /// "pin", "device" (both when the person holds both).
  std::vector<std::string> methods;
};

Result<SigningReadiness> SigningReadinessOf(ApiContext& ctx, int64_t person_id);

}  // namespace rubrica::server::api
