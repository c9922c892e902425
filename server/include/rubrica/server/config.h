// The service's configuration: one struct, filled from (lowest to highest precedence)
// the embedded defaults, a config file, environment variables and command-line flags, and
// validated once at start-up.
//
// Config file: "key = value" lines, '#' comments, blank lines ignored. Its path is
// --config FILE, else $RUBRICA_CONFIG, else <data_dir>/rubrica.conf when that exists.
// Every key, its environment variable and its default are listed by ConfigKeys() and in
// docs/operations.md. An unknown key, a bad value or an unwritable data directory is an
// error naming the key (code config.*, exit code 2).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::server {

struct Config {
  /// listen.host: address the HTTP server binds. Default 127.0.0.1 (loopback only).
  std::string listen_host = "127.0.0.1";
  /// listen.port: TCP port, 0-65535 (0 = any free port). Default 8080.
  int listen_port = 8080;
  /// data_dir: SQLite file, blobs, keys, trust anchors, outputs. Default ./rubrica-data.
  std::string data_dir = "./rubrica-data";
  /// time_zone: default IANA zone for new secretariats. Default America/Mexico_City.
  std::string time_zone = "America/Mexico_City";
  /// log.level: debug, info, warn or error. Default info.
  std::string log_level = "info";
  /// http.threads: worker threads of the HTTP server, 1-256. Default 16.
  int http_threads = 16;
  /// http.max_body_bytes: largest request body accepted. Default 33554432 (32 MiB).
  int64_t http_max_body_bytes = 32ll << 20;
  /// http.timeout_seconds: grace for a request body to arrive and a response to be read,
  /// after which both must move at http.min_bytes_per_second; also how long a stop waits
  /// for requests in progress. Default 30.
  int http_timeout_seconds = 30;
  /// http.min_bytes_per_second: minimum rate of bodies and responses after the grace.
  /// Default 1024.
  int64_t http_min_bytes_per_second = 1024;
  /// http.header_timeout_seconds: the request line and headers must arrive within it.
  /// Default 10.
  int http_header_timeout_seconds = 10;
  /// http.keepalive_seconds: an idle kept-alive connection is closed after it. Default 5.
  int http_keepalive_seconds = 5;
  /// http.max_header_bytes: request line plus header fields. Default 32768.
  int http_max_header_bytes = 32 << 10;
  /// http.max_connections: open connections in all. Default 2048.
  int http_max_connections = 2048;
  /// http.max_connections_per_address: open connections per client address (IPv6: per
  /// /64). Default 64.
  int http_max_connections_per_address = 64;
  /// http.max_buffered_body_bytes: request bodies held in memory by all connections
  /// together (beyond: 503). Default 536870912 (512 MiB).
  int64_t http_max_buffered_body_bytes = 512ll << 20;
  /// http.max_queued: complete requests waiting for a worker (beyond: 503). Default 256.
  int http_max_queued = 256;
  /// tsa.url: RFC 3161 timestamp authority. Empty (default): the embedded TSA served by
  /// this process at /tsa.
  std::string tsa_url;
  /// public_url: base URL used in links sent by e-mail. Default http://<host>:<port>.
  std::string public_url;
  /// web.root: directory of the built web pages (index.html, assets/). Empty (default):
  /// found beside the executable, build/web in a build tree or ../share/rubrica/web when
  /// installed (server/src/web_routes.h).
  std::string web_root;
  /// metrics.allow_from: addresses or CIDR ranges (comma-separated) that may read GET
  /// /metrics besides loopback clients. Default empty (loopback only).
  std::string metrics_allow_from;

  // Outgoing mail (docs/operations.md "Mail"). smtp.host empty (default): messages are
  // written as .eml files to <data_dir>/outbox/.
  /// smtp.host, smtp.port (default 25), smtp.starttls (auto|required|off; default auto),
  /// smtp.user / smtp.password (AUTH when user is set), smtp.auth (login|plain),
  /// smtp.ca_file (CAs for the relay; empty: the system's), smtp.timeout_seconds (30).
  std::string smtp_host;
  int smtp_port = 25;
  std::string smtp_starttls = "auto";
  std::string smtp_user;
  std::string smtp_password;
  std::string smtp_auth = "login";
  std::string smtp_ca_file;
  int smtp_timeout_seconds = 30;
  /// mail.from: the sender address. Default no-responder@rubrica.invalid.
  std::string mail_from = "no-responder@rubrica.invalid";
  /// webhooks.allow_http_loopback: accept http:// webhook URLs to loopback (tests). Default false.
  bool webhooks_allow_http_loopback = false;
  /// webhooks.allow_private: accept webhook hosts with private addresses. Default false.
  bool webhooks_allow_private = false;
  /// archive.renewal_margin_days: renew an archived acta's seal (PAdES-LTA) when its last
  /// timestamp's TSA certificate ends within this many days (30-1825). Default 365.
  int archive_renewal_margin_days = 365;
  /// archive.deprecated_digests: digest algorithms whose timestamps are renewed at once
  /// (comma-separated names as the verify report writes them). Default "SHA-1".
  std::vector<std::string> archive_deprecated_digests = {"SHA-1"};
  /// agency.tls_ca_file: PEM CAs of the transparency agency's HTTPS inbox certificate
  /// (issue 15); empty: the system's CAs.
  std::string agency_tls_ca_file;
  /// agency.seal_trust_file: PEM anchors of the agency's seal, which signs its receipts.
  /// Empty: no automatic delivery (an answer could not be verified).
  std::string agency_seal_trust_file;

  // Housekeeping (docs/operations.md, "Backup and restore", "Logs").
  /// backup.dir: the backup set scheduled backups go to. Default empty: none.
  std::string backup_dir;
  /// backup.interval_hours: hours between scheduled backups (1-8760). Default 24.
  int backup_interval_hours = 24;
  /// backup.keep: scheduled backups kept in backup.dir (1-1000). Default 7.
  int backup_keep = 7;
  /// outbox.retention_days: days an .eml of <data_dir>/outbox/ is kept after it was sent
  /// (0-36500; 0: forever). Default 90.
  int outbox_retention_days = 90;
};

/// One documented configuration key.
struct ConfigKey {
  std::string name;      // "listen.port"
  std::string env;       // "RUBRICA_LISTEN_PORT"
  std::string default_value;
  std::string description;
};
const std::vector<ConfigKey>& ConfigKeys();

/// Where the values come from. `env` holds the process environment (only the variables
/// named in ConfigKeys() are read); `flags` maps key names to values given on the command
/// line (e.g. {"data_dir", "/srv/rubrica"} for --data-dir).
struct ConfigInputs {
  std::string config_file;  // explicit --config; empty = look in the usual places
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> flags;
};

/// Builds and validates the configuration. Also checks that data_dir is writable
/// (creating it when missing).
Result<Config> LoadConfig(const ConfigInputs& inputs);

/// The process environment as a map (for ConfigInputs::env).
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace rubrica::server
