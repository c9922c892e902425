// How the workflows module says no. Every refusal carries a stable code
// "workflows.<what>", an English message for logs (with the ids involved) and a Spanish
// message for people that states the rule and, where there is one, the seed item.
#pragma once

#include <string>
#include <string_view>

#include "rubrica/base/status.h"
#include "rubrica/workflows/actor.h"

namespace rubrica::workflows {

/// Status::Error(kind, "workflows." + what, en, es).
Status Refusal(ErrorKind kind, std::string_view what, std::string en, std::string es);

/// workflows.not_found (kNotFound): "<object_en> <id> not found" / "No existe <object_es> <id>."
Status NotFound(std::string_view object_en, std::string_view object_es, int64_t id);

/// workflows.bad_input (kInvalidArgument).
Status BadInput(std::string en, std::string es);

/// workflows.out_of_turn (kConflict): `object` is in state `state`, `action` needs `needed`.
Status OutOfTurn(std::string en, std::string es);

/// workflows.role_not_allowed (kPermissionDenied): `actor` may not `action_en`; Spanish
/// names the action and who may do it ("Solo el facilitador puede registrar la asistencia.").
Status RoleNotAllowed(const Actor& actor, std::string_view action_en, std::string_view who_es,
                      std::string_view action_es);

}  // namespace rubrica::workflows
