// GET /metrics: the service's numbers in the Prometheus text exposition format (0.0.4).
//
// Two kinds of numbers:
//   - counted by this process since it started, from the router's observer: requests by
//     method, route pattern (never the raw path: the label set stays bounded) and status,
//     and a latency histogram by method and route; verifications (POST /api/verify) by
//     status;
//   - read at each scrape from what the installation keeps, so they survive restarts:
//     signatures made (wf_acta_signature, by kind), PIN unlock failures (audit entries
//     keys.pin_rejected), audit entries, messages waiting in the outbox folder and the age
//     of the oldest, and the time of the last successful `rubrica backup` (the file
//     <data_dir>/last-backup it writes), when there is one.
//
// Answered only to loopback clients, plus the addresses and CIDR ranges of
// `metrics.allow_from` (comma-separated); anyone else gets 403 server.metrics_forbidden.
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/server/http.h"
#include "rubrica/store/database.h"

namespace rubrica::server {

/// The query behind rubrica_unlock_failures_total: a count over the index audit_log_action
/// (store's audit migration 2), never a scan of the audit chain.
extern const char kUnlockFailuresQuery[];

struct MetricsSources {
  store::Database& db;
  std::string data_dir;
  const Clock& clock;
};

class Metrics {
 public:
  explicit Metrics(MetricsSources sources) : sources_(std::move(sources)) {}

  /// The router's observer (Router::SetObserver).
  void ObserveRequest(const std::string& method, const std::string& pattern, int status, double seconds);
  /// The exposition text. Fails only when the database cannot be read.
  Result<std::string> Render() const;

  /// The latency buckets, in seconds (upper bounds; +Inf is implied).
  static const std::vector<double>& Buckets();

 private:
  struct Histogram {
    std::vector<uint64_t> counts;  // per bucket, not cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  MetricsSources sources_;
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // method, route, status
  std::map<std::pair<std::string, std::string>, Histogram> latency_;        // method, route
  std::map<int, uint64_t> verifications_;                                   // status
};

/// Parses `metrics.allow_from`: comma-separated IPv4/IPv6 addresses or CIDR ranges.
/// config.bad_value naming the entry that is neither.
Status CheckAllowFrom(const std::string& allow_from);

/// True when the client `remote` ("ip:port" or "[ipv6]:port") may read the metrics:
/// a loopback address, or one inside an `allow_from` range.
bool MetricsClientAllowed(const std::string& remote, const std::string& allow_from);

/// Adds GET /metrics.
void AddMetricsRoute(Router& router, const Metrics& metrics, std::string allow_from);

}  // namespace rubrica::server
