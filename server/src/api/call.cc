// The per-request helpers handlers use.
#include <algorithm>

#include "route_table.h"
#include "rubrica/base/crypto_util.h"

namespace rubrica::server::api {

namespace {

// Seconds to wait: what the refusal says (Status::retry_after), else `fallback`.
int RetryAfterSeconds(const Status& s, int fallback) {
  const auto wait = s.retry_after();
  return wait ? std::max<int>(1, static_cast<int>(wait->count())) : fallback;
}

}  // namespace

workflows::Actor Call::actor() const {
  if (principal && principal->account.administrator) return workflows::Actor::Administrator();
  return workflows::Actor::Person(person_id());
}

int64_t Call::person_id() const {
  return principal && principal->account.person_id ? *principal->account.person_id : 0;
}

std::string Call::audit_actor() const {
  return principal ? "account:" + std::to_string(principal->account.id) : "anonymous";
}

int64_t Call::Id(const std::string& name) const {
  const std::string v = ex.PathParam(name);
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoll(v);
}

Result<JsonReader> Call::Json() {
  ASSIGN_OR_RETURN(std::string body, ex.Body());
  JsonLimits limits;
  limits.max_bytes = static_cast<size_t>(ctx.options.max_json_bytes);
  auto reader = JsonReader::Parse(body, limits);
  SecureWipe(body);  // a password or a PIN; the exchange wipes its own copy
  return reader;
}

void Call::Fail(const Status& status) {
  if (status.kind() == ErrorKind::kRateLimited) {
    ex.SetHeader("Retry-After", std::to_string(RetryAfterSeconds(status, 60)));
  } else if (status.kind() == ErrorKind::kUnavailable) {
    ex.SetHeader("Retry-After", std::to_string(RetryAfterSeconds(status, 1)));
  }
  ex.SendError(status);
}

}  // namespace rubrica::server::api
