// The running service: the composition root that builds every collaborator from the
// Config (data directory, clock, logger, ...) and wires the HTTP routes to them.
//
// Lifetime: Service owns everything it builds; the Clock and Logger passed in must outlive
// it. Start() binds the port; Stop() (or destruction) stops serving and waits for requests
// in progress.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/base/status.h"
#include "rubrica/server/config.h"

namespace rubrica::server {

/// Knobs that are not configuration: for tests and tools that run the service in-process.
/// Every default is what `rubrica serve` uses.
struct ServiceOptions {
  /// scrypt cost (log2 N) of members' keys under their PIN. Default: KeyStore's (14).
  std::optional<int> pin_scrypt_log2_n;
  /// scrypt cost (log2 N) of account passwords. Default: ApiOptions' (15).
  std::optional<int> password_scrypt_log2_n;
  /// The executable that runs sandboxed verifications. Default (empty): VerifySandboxOptions'
  /// (`rubrica-verify-worker` beside this executable, else this executable).
  std::string verify_worker_binary;
  /// Signing requests at once before 503 (ApiOptions::max_concurrent_signatures). Default:
  /// half the HTTP threads, at least 1 (the other half keeps serving everything else).
  std::optional<int> max_concurrent_signatures;
  /// Of those, how many run at once (ApiOptions::signing_workers). Default: the cores
  /// (std::thread::hardware_concurrency), at most max_concurrent_signatures.
  std::optional<int> signing_workers;
  /// How long a signing request waits for its turn before 503 (ApiOptions). Default 20 s.
  std::optional<std::chrono::milliseconds> signing_queue_wait;
  /// How often (real time) the notification sender looks for due messages when nothing
  /// woke it. Default 500 ms.
  std::optional<std::chrono::milliseconds> notify_poll;
  /// Attempts of one outbox message before the sender gives up (SenderOptions). Default 20.
  std::optional<int> notify_max_attempts;
  /// Whether the background notification sender runs. false: messages wait in the outbox
  /// (invitations to the outbox folder are still written at once). For tests that count
  /// what one request does. Default true.
  bool notifications = true;
  /// Whether the archive's background renewal pass runs (RenewalScheduler). Default true.
  bool renewals = true;
  /// Real-time period of the renewal pass besides clock moves (of an hour or more, looked
  /// at every `renewal_poll`). Defaults 6 h and 1 min.
  std::optional<std::chrono::milliseconds> renewal_period;
  std::optional<std::chrono::milliseconds> renewal_poll;
};

class RenewalScheduler;

class Service {
 public:
  static Result<std::unique_ptr<Service>> Create(const Config& config, const Clock& clock,
                                                 Logger& logger,
                                                 const ServiceOptions& options = {});
  ~Service();

  Status Start();
  /// The bound port (useful with listen.port = 0).
  int port() const;
  /// The archive's renewal pass (server/src/renewal_scheduler.h), for `rubrica renew`.
  RenewalScheduler& renewals();
  void Stop();

 private:
  struct Impl;
  explicit Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The version string ("0.1.0 (git abc123)").
std::string VersionString();

}  // namespace rubrica::server
