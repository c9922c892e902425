#include "metrics.h"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <cstring>
#include <sstream>

#include "rubrica/base/files.h"
#include "rubrica/server/service.h"

namespace rubrica::server {

const char kUnlockFailuresQuery[] = "SELECT count(*) FROM audit_log WHERE action = 'keys.pin_rejected'";

namespace {

// A label value, escaped as the exposition format requires.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

Result<int64_t> Count(store::Transaction& tx, const std::string& sql) {
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare(sql));
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt(0) : 0;
}

struct Address {
  int family = 0;
  unsigned char bytes[16] = {};
};

bool ParseAddress(const std::string& text, Address& out) {
  if (inet_pton(AF_INET, text.c_str(), out.bytes) == 1) {
    out.family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), out.bytes) == 1) {
    out.family = AF_INET6;
    return true;
  }
  return false;
}

// "a.b.c.d", "a.b.c.d/n", "x::y", "x::y/n".
bool ParseRange(std::string entry, Address& base, int& bits) {
  while (!entry.empty() && entry.front() == ' ') entry.erase(0, 1);
  while (!entry.empty() && entry.back() == ' ') entry.pop_back();
  const size_t slash = entry.find('/');
  if (!ParseAddress(entry.substr(0, slash), base)) return false;
  const int max_bits = base.family == AF_INET ? 32 : 128;
  bits = max_bits;
  if (slash == std::string::npos) return true;
  const std::string n = entry.substr(slash + 1);
  if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos) return false;
  bits = std::stoi(n);
  return bits <= max_bits;
}

bool InRange(const Address& a, const Address& base, int bits) {
  if (a.family != base.family) return false;
  for (int i = 0; i < bits; ++i) {
    const int byte = i / 8, bit = 7 - i % 8;
    if (((a.bytes[byte] >> bit) & 1) != ((base.bytes[byte] >> bit) & 1)) return false;
  }
  return true;
}

std::vector<std::string> Split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.find_first_not_of(' ') != std::string::npos) out.push_back(item);
  }
  return out;
}

}  // namespace

const std::vector<double>& Metrics::Buckets() {
  static const std::vector<double> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  return kBuckets;
}

void Metrics::ObserveRequest(const std::string& method, const std::string& pattern, int status, double seconds) {
  const std::string route = pattern.empty() ? "(none)" : pattern;
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[{method, route}];
  if (h.counts.empty()) h.counts.assign(Buckets().size(), 0);
  for (size_t i = 0; i < Buckets().size(); ++i) {
    if (seconds <= Buckets()[i]) {
      ++h.counts[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
  if (method == "POST" && pattern == "/api/verify") ++verifications_[status];
}

Result<std::string> Metrics::Render() const {
  std::string out;
  out += "# HELP rubrica_build_info The running version.\n# TYPE rubrica_build_info gauge\n";
  out += "rubrica_build_info{version=\"" + Label(VersionString()) + "\"} 1\n";
  {
    std::lock_guard<std::mutex> lock(mu_);
    out += "# HELP rubrica_http_requests_total HTTP requests answered, by method, route pattern and status.\n"
           "# TYPE rubrica_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [method, route, status] = key;
      out += "rubrica_http_requests_total{method=\"" + Label(method) + "\",route=\"" + Label(route) +
             "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
    }
    out += "# HELP rubrica_http_request_duration_seconds Time in the handler, by method and route pattern.\n"
           "# TYPE rubrica_http_request_duration_seconds histogram\n";
    for (const auto& [key, h] : latency_) {
      const std::string labels = "method=\"" + Label(key.first) + "\",route=\"" + Label(key.second) + "\"";
      uint64_t cumulative = 0;
      for (size_t i = 0; i < Buckets().size(); ++i) {
        cumulative += h.counts[i];
        out += "rubrica_http_request_duration_seconds_bucket{" + labels + ",le=\"" + Number(Buckets()[i]) + "\"} " +
               std::to_string(cumulative) + "\n";
      }
      out += "rubrica_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
      out += "rubrica_http_request_duration_seconds_sum{" + labels + "} " + Number(h.sum) + "\n";
      out += "rubrica_http_request_duration_seconds_count{" + labels + "} " + std::to_string(h.count) + "\n";
    }
    out += "# HELP rubrica_verifications_total PDF verifications asked of POST /api/verify, by status.\n"
           "# TYPE rubrica_verifications_total counter\n";
    for (const auto& [status, n] : verifications_) {
      out += "rubrica_verifications_total{status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
    }
  }
  int64_t rubrics = 0, feet = 0, pin_failures = 0, audit_entries = 0;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, sources_.db.BeginRead());
    ASSIGN_OR_RETURN(rubrics, Count(tx, "SELECT count(*) FROM wf_acta_signature WHERE kind = 'rubric'"));
    ASSIGN_OR_RETURN(feet, Count(tx, "SELECT count(*) FROM wf_acta_signature WHERE kind = 'foot'"));
    ASSIGN_OR_RETURN(pin_failures, Count(tx, kUnlockFailuresQuery));
    ASSIGN_OR_RETURN(audit_entries, Count(tx, "SELECT count(*) FROM audit_log"));
  }
  out += "# HELP rubrica_signatures_total Signatures recorded on actas, by kind (kept in the database).\n"
         "# TYPE rubrica_signatures_total counter\n";
  out += "rubrica_signatures_total{kind=\"rubric\"} " + std::to_string(rubrics) + "\n";
  out += "rubrica_signatures_total{kind=\"foot\"} " + std::to_string(feet) + "\n";
  out += "# HELP rubrica_unlock_failures_total Signing keys not unlocked because of a wrong PIN (audit log).\n"
         "# TYPE rubrica_unlock_failures_total counter\n";
  out += "rubrica_unlock_failures_total " + std::to_string(pin_failures) + "\n";
  out += "# HELP rubrica_audit_entries Entries in the audit chain.\n# TYPE rubrica_audit_entries gauge\n";
  out += "rubrica_audit_entries " + std::to_string(audit_entries) + "\n";

  // The transactional outbox (store::Outbox): messages by state, and how long the oldest
  // undelivered one has waited. A database without the outbox tables (a data directory the
  // notifier never opened) has none.
  int64_t pending = 0, sent = 0, dead = 0, oldest_created_us = 0;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, sources_.db.BeginRead());
    ASSIGN_OR_RETURN(int64_t has_outbox,
                     Count(tx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox_messages'"));
    if (has_outbox > 0) {
      ASSIGN_OR_RETURN(pending, Count(tx, "SELECT count(*) FROM outbox_messages WHERE state = 'pending'"));
      ASSIGN_OR_RETURN(sent, Count(tx, "SELECT count(*) FROM outbox_messages WHERE state = 'sent'"));
      ASSIGN_OR_RETURN(dead, Count(tx, "SELECT count(*) FROM outbox_messages WHERE state = 'dead'"));
      ASSIGN_OR_RETURN(oldest_created_us,
                       Count(tx, "SELECT coalesce(min(created_us), 0) FROM outbox_messages WHERE state = 'pending'"));
    }
  }
  const double now_us = std::chrono::duration<double, std::micro>(sources_.clock.Now().time_since_epoch()).count();
  const double oldest = oldest_created_us > 0 ? (now_us - static_cast<double>(oldest_created_us)) / 1e6 : 0.0;
  out += "# HELP rubrica_outbox_messages Messages (e-mail, webhooks) in the outbox, by state.\n"
         "# TYPE rubrica_outbox_messages gauge\n";
  out += "rubrica_outbox_messages{state=\"pending\"} " + std::to_string(pending) + "\n";
  out += "rubrica_outbox_messages{state=\"sent\"} " + std::to_string(sent) + "\n";
  out += "rubrica_outbox_messages{state=\"dead\"} " + std::to_string(dead) + "\n";
  out += "# HELP rubrica_outbox_oldest_age_seconds Age of the oldest undelivered message (0: none).\n"
         "# TYPE rubrica_outbox_oldest_age_seconds gauge\n";
  out += "rubrica_outbox_oldest_age_seconds " + Number(std::max(0.0, oldest)) + "\n";

  // Written by `rubrica backup` (server/src/backup.cc): "<unix seconds> <archive path>".
  auto last = ReadFile(sources_.data_dir + "/last-backup", 4096);
  if (last.ok()) {
    std::istringstream in(*last);
    int64_t at = 0;
    if (in >> at) {
      out += "# HELP rubrica_backup_last_success_timestamp_seconds When the last `rubrica backup` of this "
             "data directory finished.\n# TYPE rubrica_backup_last_success_timestamp_seconds gauge\n";
      out += "rubrica_backup_last_success_timestamp_seconds " + std::to_string(at) + "\n";
    }
  }
  return out;
}

Status CheckAllowFrom(const std::string& allow_from) {
  for (const std::string& entry : Split(allow_from)) {
    Address base;
    int bits = 0;
    if (!ParseRange(entry, base, bits)) {
      return Status::Error(ErrorKind::kInvalidArgument, "config.bad_value",
                           "metrics.allow_from: '" + entry + "' is not an IP address or CIDR range");
    }
  }
  return Status::Ok();
}

bool MetricsClientAllowed(const std::string& remote, const std::string& allow_from) {
  std::string host = remote;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  Address a;
  if (!ParseAddress(host, a)) return false;
  Address loop4, loop6;
  ParseAddress("127.0.0.0", loop4);
  ParseAddress("::1", loop6);
  if (InRange(a, loop4, 8) || InRange(a, loop6, 128)) return true;
  for (const std::string& entry : Split(allow_from)) {
    Address base;
    int bits = 0;
    if (ParseRange(entry, base, bits) && InRange(a, base, bits)) return true;
  }
  return false;
}

void AddMetricsRoute(Router& router, const Metrics& metrics, std::string allow_from) {
  router.Add("GET", "/metrics", [&metrics, allow_from = std::move(allow_from)](HttpExchange& ex) {
    if (!MetricsClientAllowed(ex.RemoteAddress(), allow_from)) {
      return ex.SendError(Status::Error(ErrorKind::kPermissionDenied, "server.metrics_forbidden",
                                        "metrics are not served to " + ex.RemoteAddress() +
                                            " (loopback and metrics.allow_from only)",
                                        "Acceso no permitido."));
    }
    auto text = metrics.Render();
    if (!text.ok()) return ex.SendError(text.status());
    ex.SendBytes(200, "text/plain; version=0.0.4; charset=utf-8", *text);
  });
}

}  // namespace rubrica::server
