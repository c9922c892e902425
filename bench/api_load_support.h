// What api_load_bench's two modes share: a JSON-over-HTTP client for the service on
// loopback, and the set-up of one municipal secretariat whose installation acta waits for
// its members' rubrics (ten members with PIN keys, the facilitator apart).
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/config.h"
#include "rubrica/server/service.h"

namespace rubrica::bench {

[[noreturn]] void Die(const std::string& what);

/// `s` as a JSON string literal.
std::string Q(const std::string& s);

struct Reply {
  int status = 0;  // -1: no answer (connection error; `body` says why)
  std::string body;
  std::string retry_after;
  Poco::JSON::Object::Ptr json;
  std::string Str(const std::string& key) const;
  int64_t Int(const std::string& key) const;
};

/// One request on a new connection from 127.0.0.1 (Bearer `token` when not empty).
Reply Call(int port, const std::string& method, const std::string& path, const std::string& token,
           const std::string& body = "");
/// `r`, or exit 1 naming `what` when its status is not `status`.
Reply Must(const Reply& r, int status, const std::string& what);

/// Keeps the administrator's one-time invitation link; discards every other event.
class LinkLogger final : public Logger {
 public:
  void Log(LogLevel, std::string_view event, const std::vector<LogField>& fields) override;
  std::string link() const;

 private:
  mutable std::mutex mu_;
  std::string link_;
};

/// The service built from `in` (flags: data_dir, listen.port 0, ...) and `options`,
/// started; exits on failure.
std::unique_ptr<server::Service> StartService(const server::ConfigInputs& in, const Clock& clock, Logger& logger,
                                              const server::ServiceOptions& options);

/// Accepts the administrator's invitation and returns the administrator's API token.
std::string AdminToken(int port, const LinkLogger& logger);

struct Member {
  std::string token;
  std::string pin;
  int64_t person = 0;
  int64_t acta = 0;
};

struct Acta {
  int64_t id = 0;
  std::string facilitator_token;
  std::vector<int64_t> titulars;
};

/// Secretariat number `s` (0-based), its ten members (appended to `members`, each with a
/// PIN key) and its installation acta, approved and waiting for rubrics. Exits on failure.
void SetUpSecretariat(int port, const std::string& admin, const std::string& outbox, int s,
                      std::vector<Member>& members, Acta& acta);

/// The p-quantile (0..1) of `v`, nearest rank; 0 when empty.
double Percentile(std::vector<double> v, double p);

/// A field of /proc/self/status ("VmRSS", "VmHWM"), or "?".
std::string ProcStatus(const std::string& key);

}  // namespace rubrica::bench
