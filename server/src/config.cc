#include "rubrica/server/config.h"

#include "metrics.h"

#include <cstdlib>
#include <functional>
#include <sstream>

#include "rubrica/base/files.h"
#include "rubrica/base/logger.h"
#include "rubrica/base/time_zone.h"

extern char** environ;

namespace rubrica::server {

namespace {

Status ConfigError(const std::string& key, const std::string& why, const std::string& where) {
  std::string msg = "config: " + key + ": " + why;
  if (!where.empty()) msg += " (" + where + ")";
  return Status::Error(ErrorKind::kInvalidArgument, "config.invalid", msg,
                       "Configuración no válida en '" + key + "': " + why);
}

Result<int64_t> ParseInt(const std::string& key, const std::string& value, int64_t lo, int64_t hi,
                         const std::string& where) {
  if (value.empty()) return ConfigError(key, "empty value, expected an integer", where);
  size_t pos = 0;
  int64_t v = 0;
  try {
    v = std::stoll(value, &pos, 10);
  } catch (...) {
    return ConfigError(key, "'" + value + "' is not an integer", where);
  }
  if (pos != value.size()) return ConfigError(key, "'" + value + "' is not an integer", where);
  if (v < lo || v > hi) {
    return ConfigError(key,
                       value + " is out of range " + std::to_string(lo) + "-" + std::to_string(hi),
                       where);
  }
  return v;
}

using Setter = std::function<Status(Config&, const std::string& value, const std::string& where)>;

// A setter for an int key within [lo, hi].
Setter IntSetter(const char* key, int lo, int hi, int Config::*field) {
  return [key, lo, hi, field](Config& c, const std::string& v, const std::string& w) {
    ASSIGN_OR_RETURN(int64_t n, ParseInt(key, v, lo, hi, w));
    c.*field = static_cast<int>(n);
    return Status::Ok();
  };
}

Setter StringSetter(std::string Config::*field) {
  return [field](Config& c, const std::string& v, const std::string&) {
    c.*field = v;
    return Status::Ok();
  };
}

Setter BoolSetter(const char* key, bool Config::*field) {
  return [key, field](Config& c, const std::string& v, const std::string& w) {
    if (v != "true" && v != "false") return ConfigError(key, "'" + v + "' is not true or false", w);
    c.*field = v == "true";
    return Status::Ok();
  };
}

struct KeySpec {
  ConfigKey doc;
  Setter set;
};

const std::vector<KeySpec>& Specs() {
  static const std::vector<KeySpec> kSpecs = {
      {{"listen.host", "RUBRICA_LISTEN_HOST", "127.0.0.1", "Address the HTTP server binds."},
       [](Config& c, const std::string& v, const std::string& w) {
         if (v.empty()) return ConfigError("listen.host", "empty value", w);
         c.listen_host = v;
         return Status::Ok();
       }},
      {{"listen.port", "RUBRICA_LISTEN_PORT", "8080", "TCP port, 0-65535 (0: any free port)."},
       [](Config& c, const std::string& v, const std::string& w) {
         ASSIGN_OR_RETURN(int64_t p, ParseInt("listen.port", v, 0, 65535, w));
         c.listen_port = static_cast<int>(p);
         return Status::Ok();
       }},
      {{"data_dir", "RUBRICA_DATA_DIR", "./rubrica-data",
        "Directory for the database, blobs, keys, trust anchors and outputs."},
       [](Config& c, const std::string& v, const std::string& w) {
         if (v.empty()) return ConfigError("data_dir", "empty value", w);
         c.data_dir = v;
         return Status::Ok();
       }},
      {{"time_zone", "RUBRICA_TIME_ZONE", "America/Mexico_City",
        "Default IANA time zone of new secretariats."},
       [](Config& c, const std::string& v, const std::string& w) {
         if (!TimeZone::Load(v).ok()) return ConfigError("time_zone", "unknown zone '" + v + "'", w);
         c.time_zone = v;
         return Status::Ok();
       }},
      {{"log.level", "RUBRICA_LOG_LEVEL", "info", "debug, info, warn or error."},
       [](Config& c, const std::string& v, const std::string& w) {
         if (!ParseLogLevel(v).ok()) {
           return ConfigError("log.level", "'" + v + "' is not debug, info, warn or error", w);
         }
         c.log_level = v;
         return Status::Ok();
       }},
      {{"http.threads", "RUBRICA_HTTP_THREADS", "16", "Worker threads of the HTTP server, 1-256."},
       [](Config& c, const std::string& v, const std::string& w) {
         ASSIGN_OR_RETURN(int64_t n, ParseInt("http.threads", v, 1, 256, w));
         c.http_threads = static_cast<int>(n);
         return Status::Ok();
       }},
      {{"http.max_body_bytes", "RUBRICA_HTTP_MAX_BODY_BYTES", "33554432",
        "Largest request body accepted (1 KiB - 1 GiB)."},
       [](Config& c, const std::string& v, const std::string& w) {
         ASSIGN_OR_RETURN(int64_t n, ParseInt("http.max_body_bytes", v, 1024, 1ll << 30, w));
         c.http_max_body_bytes = n;
         return Status::Ok();
       }},
      {{"http.timeout_seconds", "RUBRICA_HTTP_TIMEOUT_SECONDS", "30",
        "Grace for a request body to arrive and a response to be read before the minimum "
        "rate applies; how long a stop waits for requests in progress. 1-3600 seconds."},
       IntSetter("http.timeout_seconds", 1, 3600, &Config::http_timeout_seconds)},
      {{"http.min_bytes_per_second", "RUBRICA_HTTP_MIN_BYTES_PER_SECOND", "1024",
        "Minimum rate of request bodies and responses after the grace (1 - 1 GiB/s)."},
       [](Config& c, const std::string& v, const std::string& w) {
         ASSIGN_OR_RETURN(c.http_min_bytes_per_second,
                          ParseInt("http.min_bytes_per_second", v, 1, 1ll << 30, w));
         return Status::Ok();
       }},
      {{"http.header_timeout_seconds", "RUBRICA_HTTP_HEADER_TIMEOUT_SECONDS", "10",
        "The request line and headers must arrive within it, 1-3600 seconds."},
       IntSetter("http.header_timeout_seconds", 1, 3600, &Config::http_header_timeout_seconds)},
      {{"http.keepalive_seconds", "RUBRICA_HTTP_KEEPALIVE_SECONDS", "5",
        "An idle kept-alive connection is closed after it, 1-3600 seconds."},
       IntSetter("http.keepalive_seconds", 1, 3600, &Config::http_keepalive_seconds)},
      {{"http.max_header_bytes", "RUBRICA_HTTP_MAX_HEADER_BYTES", "32768",
        "Request line plus header fields, 1 KiB - 1 MiB."},
       IntSetter("http.max_header_bytes", 1024, 1 << 20, &Config::http_max_header_bytes)},
      {{"http.max_connections", "RUBRICA_HTTP_MAX_CONNECTIONS", "2048",
        "Open connections in all, 16-1000000 (lowered to fit the open-files limit)."},
       IntSetter("http.max_connections", 16, 1000000, &Config::http_max_connections)},
      {{"http.max_connections_per_address", "RUBRICA_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "64",
        "Open connections from one client address (IPv6: one /64), 1-1000000."},
       IntSetter("http.max_connections_per_address", 1, 1000000,
                 &Config::http_max_connections_per_address)},
      {{"http.max_buffered_body_bytes", "RUBRICA_HTTP_MAX_BUFFERED_BODY_BYTES", "536870912",
        "Request bodies held in memory by all connections together (1 MiB - 1 TiB)."},
       [](Config& c, const std::string& v, const std::string& w) {
         ASSIGN_OR_RETURN(c.http_max_buffered_body_bytes,
                          ParseInt("http.max_buffered_body_bytes", v, 1ll << 20, 1ll << 40, w));
         return Status::Ok();
       }},
      {{"http.max_queued", "RUBRICA_HTTP_MAX_QUEUED", "256",
        "Complete requests waiting for a worker thread (beyond: 503), 1-100000."},
       IntSetter("http.max_queued", 1, 100000, &Config::http_max_queued)},
      {{"tsa.url", "RUBRICA_TSA_URL", "",
        "RFC 3161 timestamp authority URL; empty: the embedded TSA at /tsa."},
       [](Config& c, const std::string& v, const std::string& w) {
         if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
           return ConfigError("tsa.url", "'" + v + "' is not an http(s) URL", w);
         }
         c.tsa_url = v;
         return Status::Ok();
       }},
      {{"public_url", "RUBRICA_PUBLIC_URL", "",
        "Base URL of the service as the public reaches it (http or https, at most 100 "
        "characters, no query): links sent by e-mail, the CRL address in certificates and the "
        "verification QR code printed on every page of a certified acta "
        "(<public_url>/verificar/<folio>); empty: http://<listen.host>:<listen.port>."},
       [](Config& c, const std::string& v, const std::string& w) {
         std::string base = v;
         while (!base.empty() && base.back() == '/') base.pop_back();
         bool ok = base.empty() || ((base.rfind("http://", 0) == 0 || base.rfind("https://", 0) == 0) &&
                                    base.size() > 8 && base.size() <= 100);
         for (char ch : base) {
           ok = ok && ch > 0x20 && ch < 0x7F && ch != '"' && ch != '<' && ch != '>' && ch != '\\' &&
                ch != '?' && ch != '#';
         }
         if (!ok) {
           return ConfigError("public_url",
                              "'" + v + "' is not an http(s) base URL of at most 100 characters "
                              "without query or fragment (it is printed in a QR code on every page)",
                              w);
         }
         c.public_url = v;
         return Status::Ok();
       }},
      {{"web.root", "RUBRICA_WEB_ROOT", "",
        "Directory of the built web pages (index.html, assets/); empty: found beside the "
        "executable (build/web in a build tree, ../share/rubrica/web when installed)."},
       [](Config& c, const std::string& v, const std::string&) {
         c.web_root = v;
         return Status::Ok();
       }},
      {{"metrics.allow_from", "RUBRICA_METRICS_ALLOW_FROM", "",
        "Addresses or CIDR ranges (comma-separated) that may read GET /metrics besides "
        "loopback clients; others get 403."},
       [](Config& c, const std::string& v, const std::string&) {
         RETURN_IF_ERROR(CheckAllowFrom(v));
         c.metrics_allow_from = v;
         return Status::Ok();
       }},
      {{"smtp.host", "RUBRICA_SMTP_HOST", "",
        "SMTP relay for outgoing mail; empty: .eml files in <data_dir>/outbox/."},
       StringSetter(&Config::smtp_host)},
      {{"smtp.port", "RUBRICA_SMTP_PORT", "25", "SMTP relay port, 1-65535."},
       IntSetter("smtp.port", 1, 65535, &Config::smtp_port)},
      {{"smtp.starttls", "RUBRICA_SMTP_STARTTLS", "auto",
        "auto (STARTTLS when the relay offers it), required, or off."},
       [](Config& c, const std::string& v, const std::string& w) {
         if (v != "auto" && v != "required" && v != "off") {
           return ConfigError("smtp.starttls", "'" + v + "' is not auto, required or off", w);
         }
         c.smtp_starttls = v;
         return Status::Ok();
       }},
      {{"smtp.user", "RUBRICA_SMTP_USER", "", "SMTP AUTH user; empty: no AUTH."},
       StringSetter(&Config::smtp_user)},
      {{"smtp.password", "RUBRICA_SMTP_PASSWORD", "", "SMTP AUTH password."},
       StringSetter(&Config::smtp_password)},
      {{"smtp.auth", "RUBRICA_SMTP_AUTH", "login", "SMTP AUTH method: login or plain."},
       [](Config& c, const std::string& v, const std::string& w) {
         if (v != "login" && v != "plain") {
           return ConfigError("smtp.auth", "'" + v + "' is not login or plain", w);
         }
         c.smtp_auth = v;
         return Status::Ok();
       }},
      {{"smtp.ca_file", "RUBRICA_SMTP_CA_FILE", "",
        "PEM file of CAs for the relay's certificate; empty: the system's CAs."},
       StringSetter(&Config::smtp_ca_file)},
      {{"smtp.timeout_seconds", "RUBRICA_SMTP_TIMEOUT_SECONDS", "30",
        "Socket timeout of one SMTP exchange, 1-600."},
       IntSetter("smtp.timeout_seconds", 1, 600, &Config::smtp_timeout_seconds)},
      {{"mail.from", "RUBRICA_MAIL_FROM", "no-responder@rubrica.invalid",
        "Sender address of the service's e-mail."},
       [](Config& c, const std::string& v, const std::string& w) {
         if (v.empty() || v.find_first_of(" <>\r\n,;\"") != std::string::npos ||
             v.find('@') == std::string::npos) {
           return ConfigError("mail.from", "not one plain e-mail address", w);
         }
         c.mail_from = v;
         return Status::Ok();
       }},
      {{"webhooks.allow_http_loopback", "RUBRICA_WEBHOOKS_ALLOW_HTTP_LOOPBACK", "false",
        "Accept http:// webhook URLs to loopback addresses (tests only)."},
       BoolSetter("webhooks.allow_http_loopback", &Config::webhooks_allow_http_loopback)},
      {{"webhooks.allow_private", "RUBRICA_WEBHOOKS_ALLOW_PRIVATE", "false",
        "Accept webhook hosts that resolve to private or link-local addresses."},
       BoolSetter("webhooks.allow_private", &Config::webhooks_allow_private)},
      {{"agency.tls_ca_file", "RUBRICA_AGENCY_TLS_CA_FILE", "",
        "PEM file of CAs for the transparency agency's HTTPS certificate; empty: the system's CAs."},
       StringSetter(&Config::agency_tls_ca_file)},
      {{"agency.seal_trust_file", "RUBRICA_AGENCY_SEAL_TRUST_FILE", "",
        "PEM file of the agency seal's trust anchors (its receipts are verified against them); "
        "empty: packages are not sent by themselves."},
       StringSetter(&Config::agency_seal_trust_file)},
      {{"archive.renewal_margin_days", "RUBRICA_ARCHIVE_RENEWAL_MARGIN_DAYS", "365",
        "Renew an archived acta's seal when its last timestamp's TSA certificate ends within "
        "this many days, 30-1825."},
       IntSetter("archive.renewal_margin_days", 30, 1825, &Config::archive_renewal_margin_days)},
      {{"archive.deprecated_digests", "RUBRICA_ARCHIVE_DEPRECATED_DIGESTS", "SHA-1",
        "Comma-separated digest algorithms (SHA-1, SHA-256, SHA-384, SHA-512) whose archive "
        "timestamps are renewed at once; empty: none."},
       [](Config& c, const std::string& v, const std::string& w) {
         std::vector<std::string> names;
         size_t at = 0;
         while (at <= v.size() && !v.empty()) {
           size_t comma = v.find(',', at);
           std::string name = v.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
           while (!name.empty() && name.front() == ' ') name.erase(0, 1);
           while (!name.empty() && name.back() == ' ') name.pop_back();
           if (name != "SHA-1" && name != "SHA-256" && name != "SHA-384" && name != "SHA-512") {
             return ConfigError("archive.deprecated_digests",
                                "'" + name + "' is not SHA-1, SHA-256, SHA-384 or SHA-512", w);
           }
           names.push_back(name);
           if (comma == std::string::npos) break;
           at = comma + 1;
         }
         c.archive_deprecated_digests = std::move(names);
         return Status::Ok();
       }},
      {{"backup.dir", "RUBRICA_BACKUP_DIR", "",
        "Backup set the service adds a backup to every backup.interval_hours (blobs kept once "
        "by hash); empty: no scheduled backup."},
       StringSetter(&Config::backup_dir)},
      {{"backup.interval_hours", "RUBRICA_BACKUP_INTERVAL_HOURS", "24",
        "Hours between scheduled backups, 1-8760."},
       IntSetter("backup.interval_hours", 1, 8760, &Config::backup_interval_hours)},
      {{"backup.keep", "RUBRICA_BACKUP_KEEP", "7",
        "Scheduled backups kept in backup.dir (older ones and the blobs only they named are "
        "removed), 1-1000."},
       IntSetter("backup.keep", 1, 1000, &Config::backup_keep)},
      {{"outbox.retention_days", "RUBRICA_OUTBOX_RETENTION_DAYS", "90",
        "Days an e-mail written to <data_dir>/outbox/ is kept after it was sent, 0-36500 (0: "
        "kept forever)."},
       IntSetter("outbox.retention_days", 0, 36500, &Config::outbox_retention_days)},
  };
  return kSpecs;
}

const KeySpec* FindSpec(const std::string& name) {
  for (const auto& s : Specs()) {
    if (s.doc.name == name) return &s;
  }
  return nullptr;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

Status ApplyFile(Config& c, const std::string& path) {
  auto text = ReadFile(path, 1 << 20);
  if (!text.ok()) {
    return Status::Error(ErrorKind::kInvalidArgument, "config.unreadable",
                         "config: cannot read config file '" + path + "': " +
                             text.status().message());
  }
  std::istringstream in(*text);
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    const std::string where = path + " line " + std::to_string(lineno);
    auto eq = t.find('=');
    if (eq == std::string::npos) {
      return Status::Error(ErrorKind::kInvalidArgument, "config.syntax",
                           "config: expected 'key = value' (" + where + ")");
    }
    std::string key = Trim(t.substr(0, eq));
    std::string value = Trim(t.substr(eq + 1));
    const KeySpec* spec = FindSpec(key);
    if (spec == nullptr) {
      return Status::Error(ErrorKind::kInvalidArgument, "config.unknown_key",
                           "config: unknown key '" + key + "' (" + where + ")");
    }
    RETURN_IF_ERROR(spec->set(c, value, where));
  }
  return Status::Ok();
}

}  // namespace

const std::vector<ConfigKey>& ConfigKeys() {
  static const std::vector<ConfigKey> kKeys = [] {
    std::vector<ConfigKey> keys;
    for (const auto& s : Specs()) keys.push_back(s.doc);
    return keys;
  }();
  return kKeys;
}

Result<Config> LoadConfig(const ConfigInputs& inputs) {
  Config c;
  // The file's location may depend on data_dir given by flag or environment.
  std::string data_dir = c.data_dir;
  if (auto it = inputs.env.find("RUBRICA_DATA_DIR"); it != inputs.env.end()) data_dir = it->second;
  if (auto it = inputs.flags.find("data_dir"); it != inputs.flags.end()) data_dir = it->second;

  std::string file = inputs.config_file;
  if (file.empty()) {
    if (auto it = inputs.env.find("RUBRICA_CONFIG"); it != inputs.env.end()) file = it->second;
  }
  if (!file.empty()) {
    RETURN_IF_ERROR(ApplyFile(c, file));
  } else if (PathExists(data_dir + "/rubrica.conf")) {
    RETURN_IF_ERROR(ApplyFile(c, data_dir + "/rubrica.conf"));
  }
  for (const auto& spec : Specs()) {
    if (auto it = inputs.env.find(spec.doc.env); it != inputs.env.end()) {
      RETURN_IF_ERROR(spec.set(c, it->second, "environment variable " + spec.doc.env));
    }
  }
  for (const auto& [key, value] : inputs.flags) {
    const KeySpec* spec = FindSpec(key);
    if (spec == nullptr) {
      return Status::Error(ErrorKind::kInvalidArgument, "config.unknown_key",
                           "config: unknown key '" + key + "' (command line)");
    }
    RETURN_IF_ERROR(spec->set(c, value, "command line"));
  }
  Status writable = CheckWritableDir(c.data_dir);
  if (!writable.ok()) {
    return ConfigError("data_dir", "'" + c.data_dir + "' is not a writable directory: " +
                                       writable.message(), "");
  }
  if (c.public_url.empty()) {
    c.public_url = "http://" + c.listen_host + ":" + std::to_string(c.listen_port);
  }
  return c;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

}  // namespace rubrica::server
