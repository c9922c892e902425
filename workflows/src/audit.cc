#include "audit.h"

#include "rubrica/store/audit_log.h"

namespace rubrica::workflows {

Payload& Payload::Add(std::string_view key, std::string_view value) {
  w_.Field(key, value);
  return *this;
}

Payload& Payload::Add(std::string_view key, int64_t value) {
  w_.Field(key, value);
  return *this;
}

Payload& Payload::Add(std::string_view key, bool value) {
  w_.Field(key, value);
  return *this;
}

Payload& Payload::AddRaw(std::string_view key, std::string_view json) {
  w_.Key(key).Raw(json);
  return *this;
}

Status Audit(store::Transaction& tx, const Clock& clock, const Actor& actor,
             std::string_view action, std::string_view object_type, int64_t object_id,
             const Payload& payload) {
  store::AuditLog log(clock);
  auto seq = log.Append(tx, {actor.AuditName(), std::string(action), std::string(object_type),
                             std::to_string(object_id), payload.str()});
  return seq.ok() ? Status::Ok() : seq.status();
}

}  // namespace rubrica::workflows
