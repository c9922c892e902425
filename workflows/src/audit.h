// Writing the audit entry of a workflow change, in the change's own transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rubrica/base/clock.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/base/status.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/actor.h"

namespace rubrica::workflows {

/// Builds a flat JSON object for audit payloads: {"k":"v","n":3,...} (base's JsonWriter).
class Payload {
 public:
  Payload() { w_.BeginObject(); }
  Payload& Add(std::string_view key, std::string_view value);
  Payload& Add(std::string_view key, const std::string& value) {
    return Add(key, std::string_view(value));
  }
  Payload& Add(std::string_view key, const char* value) {
    return Add(key, std::string_view(value));
  }
  Payload& Add(std::string_view key, int64_t value);
  Payload& Add(std::string_view key, int value) { return Add(key, int64_t{value}); }
  Payload& Add(std::string_view key, bool value);
  /// Adds `json` verbatim (an array or object the caller built).
  Payload& AddRaw(std::string_view key, std::string_view json);
  std::string str() const { return w_.str() + "}"; }

 private:
  JsonWriter w_;
};

/// Appends {actor, action, object_type, object_id, payload} to the audit log within `tx`.
Status Audit(store::Transaction& tx, const Clock& clock, const Actor& actor,
             std::string_view action, std::string_view object_type, int64_t object_id,
             const Payload& payload);

}  // namespace rubrica::workflows
