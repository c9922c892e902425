// The archive's renewal pass (PAdES-LTA) and the background thread that runs it.
//
// A pass, on the injected Clock: first the local CA issues the successor of its TSA and
// seal certificates when they are near their end (LocalCa::RotateServiceCertificates),
// then every archived acta (or one) is judged and, when due, renewed under its lock
// (workflows::Actas::RenewArchive: a new revision with the last timestamp's validation
// material and a new document timestamp; audit "acta.renewed"). An acta that fails is
// reported and logged (renewal.failed) and the pass goes on. Idempotent: an acta just
// renewed is not due again for years, so passes can run as often as wanted.
//
// The thread runs a pass at Start(), then whenever the Clock moved by an hour or more
// (looked at every `poll` of real time), and at least every `real_period` of real time.
// `rubrica renew` runs one pass in the foreground (RunOnce).
//
// Thread-safe: passes are serialised; Stop() waits for the one in progress.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/workflows/actas.h"

namespace rubrica::server {

struct RenewalResult {
  int64_t acta_id = 0;
  bool due = false;
  std::string reason;      // "tsa_certificate_expiring" | "deprecated_digest" | ""
  std::string blob_id;     // the renewed acta ("" when not renewed)
  std::string error_code;  // when this acta failed
  std::string error;
  std::string last_timestamp;  // RFC 3339 UTC
  std::string tsa_not_after;   // RFC 3339 UTC
};

struct RenewalPass {
  bool rotated = false;  // the CA issued successor TSA/seal certificates
  std::vector<RenewalResult> actas;
};

class RenewalScheduler {
 public:
  /// Collaborators are not owned and must outlive the scheduler. `ca` may be null (an
  /// installation whose TSA is external: nothing to rotate).
  RenewalScheduler(workflows::Actas& actas, keys::LocalCa* ca, workflows::RenewalPolicy policy,
                   const Clock& clock, Logger& logger,
                   std::chrono::milliseconds real_period = std::chrono::hours(6),
                   std::chrono::milliseconds poll = std::chrono::minutes(1));
  ~RenewalScheduler();

  /// One pass over every archived acta, or only `acta_id`. A dry run rotates nothing and
  /// renews nothing: it says which actas are due. Errors: only when the actas cannot be
  /// listed or `acta_id` is not archived (workflows.*); one acta's failure is in its result.
  Result<RenewalPass> RunOnce(std::optional<int64_t> acta_id = std::nullopt, bool dry_run = false);

  void Start();
  void Stop();

 private:
  void Loop();

  workflows::Actas& actas_;
  keys::LocalCa* ca_;
  workflows::RenewalPolicy policy_;
  const Clock& clock_;
  Logger& logger_;
  std::chrono::milliseconds real_period_;
  std::chrono::milliseconds poll_;
  std::mutex pass_mu_;  // one pass at a time
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace rubrica::server
