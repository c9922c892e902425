#include "refusal.h"

namespace rubrica::workflows {

Status Refusal(ErrorKind kind, std::string_view what, std::string en, std::string es) {
  return Status::Error(kind, "workflows." + std::string(what), std::move(en), std::move(es));
}

Status NotFound(std::string_view object_en, std::string_view object_es, int64_t id) {
  return Refusal(ErrorKind::kNotFound, "not_found",
                 std::string(object_en) + " " + std::to_string(id) + " not found",
                 "No existe " + std::string(object_es) + " " + std::to_string(id) + ".");
}

Status BadInput(std::string en, std::string es) {
  return Refusal(ErrorKind::kInvalidArgument, "bad_input", std::move(en), std::move(es));
}

Status OutOfTurn(std::string en, std::string es) {
  return Refusal(ErrorKind::kConflict, "out_of_turn", std::move(en), std::move(es));
}

Status RoleNotAllowed(const Actor& actor, std::string_view action_en, std::string_view who_es,
                      std::string_view action_es) {
  return Refusal(ErrorKind::kPermissionDenied, "role_not_allowed",
                 actor.AuditName() + " may not " + std::string(action_en),
                 "Solo " + std::string(who_es) + " puede " + std::string(action_es) + ".");
}

}  // namespace rubrica::workflows
