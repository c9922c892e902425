#include "webhooks.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>

#include <algorithm>

#include "rubrica/base/crypto_util.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server::notify {

namespace {

Status BadUrl(const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "notify.bad_webhook_url",
                       "webhook URL refused: " + why,
                       "La dirección del webhook no es aceptable: debe ser https y pública.");
}

Status NotFound(int64_t id) {
  return Status::Error(ErrorKind::kNotFound, "notify.webhook_not_found",
                       "no webhook subscription " + std::to_string(id),
                       "La suscripción no existe.");
}

bool IsPrivate(const Poco::Net::IPAddress& a) {
  const bool v6 = a.family() == Poco::Net::IPAddress::IPv6;
  return a.isLoopback() || a.isSiteLocal() || a.isLinkLocal() || a.isWildcard() ||
         a.isMulticast() || a.isBroadcast() ||
         // an IPv4 address inside IPv6 (::ffff:10.0.0.1) is refused rather than unwrapped
         (v6 && (a.isIPv4Mapped() || a.isIPv4Compatible())) ||
         // fc00::/7 (unique local) and 100.64.0.0/10 (shared address space)
         (a.family() == Poco::Net::IPAddress::IPv6 &&
          (static_cast<const unsigned char*>(a.addr())[0] & 0xfe) == 0xfc) ||
         (a.family() == Poco::Net::IPAddress::IPv4 &&
          static_cast<const unsigned char*>(a.addr())[0] == 100 &&
          (static_cast<const unsigned char*>(a.addr())[1] & 0xc0) == 64);
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t end = s.find(',', start);
    const std::string part = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!part.empty()) out.push_back(part);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

WebhookSubscription ReadRow(const store::Statement& st) {
  WebhookSubscription w;
  w.id = st.ColumnInt(0);
  w.secretariat_id = st.ColumnInt(1);
  w.url = st.ColumnText(2);
  w.events = Split(st.ColumnText(3));
  w.secret = st.ColumnText(4);
  w.active = st.ColumnInt(5) != 0;
  w.created_at = FromUnixMicros(st.ColumnInt(6));
  return w;
}

constexpr const char* kSelect =
    "SELECT id, secretariat_id, url, events, secret, active, created_us FROM notify_webhooks ";

}  // namespace

const std::vector<std::string>& WebhookEventTypes() {
  static const std::vector<std::string> kTypes = {
      "session.convened", "session.cancelled", "acta.review_opened", "acta.approved",
      "acta.signed",      "acta.archived",     "acta.delivered",     "delivery.due",
      "delivery.late"};
  return kTypes;
}

Status ValidateWebhookUrl(const std::string& url, const WebhookPolicy& policy) {
  if (url.size() > 2000) return BadUrl("longer than 2000 characters");
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f) return BadUrl("control, space or non-ASCII character");
  }
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    return BadUrl(e.displayText());
  }
  if (!uri.getUserInfo().empty()) return BadUrl("user information in the URL");
  if (!uri.getFragment().empty()) return BadUrl("a fragment in the URL");
  const std::string host = uri.getHost();
  if (host.empty()) return BadUrl("no host");
  std::vector<Poco::Net::IPAddress> addresses;
  Poco::Net::IPAddress literal;
  if (Poco::Net::IPAddress::tryParse(host, literal)) {
    addresses.push_back(literal);
  } else {
    try {
      addresses = Poco::Net::DNS::hostByName(host).addresses();
    } catch (const Poco::Exception& e) {
      return BadUrl("host '" + host + "' does not resolve: " + e.displayText());
    }
  }
  if (addresses.empty()) return BadUrl("host '" + host + "' has no address");
  const bool all_loopback = std::all_of(addresses.begin(), addresses.end(),
                                        [](const auto& a) { return a.isLoopback(); });
  if (uri.getScheme() == "http") {
    if (!(policy.allow_http_loopback && all_loopback)) {
      return BadUrl("http is allowed only to loopback with webhooks.allow_http_loopback");
    }
    return Status::Ok();
  }
  if (uri.getScheme() != "https") return BadUrl("scheme must be https");
  if (!policy.allow_private && !(policy.allow_http_loopback && all_loopback)) {
    for (const auto& a : addresses) {
      if (IsPrivate(a)) return BadUrl("host '" + host + "' resolves to private address " + a.toString());
    }
  }
  return Status::Ok();
}

std::string WebhookSignature(const std::string& secret, Instant t, const std::string& body) {
  const std::string ts =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
  const std::string signed_text = ts + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac, &len);
  return "t=" + ts + ",v1=" + HexEncode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

const std::vector<store::Migration>& Webhooks::Migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, "webhooks",
       "CREATE TABLE notify_webhooks ("
       "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
       "  secretariat_id INTEGER NOT NULL,"
       "  url TEXT NOT NULL,"
       "  events TEXT NOT NULL,"
       "  secret TEXT NOT NULL,"
       "  active INTEGER NOT NULL DEFAULT 1,"
       "  created_us INTEGER NOT NULL);"
       "CREATE INDEX notify_webhooks_secretariat ON notify_webhooks(secretariat_id);"},
  };
  return kMigrations;
}

Result<WebhookSubscription> Webhooks::Create(int64_t secretariat_id, const std::string& url,
                                             const std::vector<std::string>& events) {
  if (events.empty()) {
    return Status::Error(ErrorKind::kInvalidArgument, "notify.unknown_event",
                         "a subscription needs at least one event",
                         "Elija al menos un evento.");
  }
  for (const auto& e : events) {
    const auto& known = WebhookEventTypes();
    if (std::find(known.begin(), known.end(), e) == known.end()) {
      return Status::Error(ErrorKind::kInvalidArgument, "notify.unknown_event",
                           "unknown webhook event '" + e + "'", "Evento desconocido: " + e + ".");
    }
  }
  RETURN_IF_ERROR(ValidateWebhookUrl(url, policy_));
  WebhookSubscription w;
  w.secretariat_id = secretariat_id;
  w.url = url;
  w.events = events;
  w.secret = "whsec_" + RandomToken(32);
  w.created_at = clock_.Now();
  ASSIGN_OR_RETURN(w.id, store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(auto st, tx.Prepare("INSERT INTO notify_webhooks(secretariat_id, url, events, "
                                         "secret, created_us) VALUES (?1, ?2, ?3, ?4, ?5)"));
    RETURN_IF_ERROR(st.Bind(1, secretariat_id)
                        .Bind(2, url)
                        .Bind(3, Join(events))
                        .Bind(4, w.secret)
                        .Bind(5, UnixMicros(w.created_at))
                        .Run());
    return tx.LastInsertId();
  }));
  return w;
}

Result<std::vector<WebhookSubscription>> Webhooks::List(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(auto tx, db_.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare(std::string(kSelect) + "WHERE secretariat_id = ?1 ORDER BY id"));
  st.Bind(1, secretariat_id);
  std::vector<WebhookSubscription> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadRow(st));
  }
  return out;
}

Result<WebhookSubscription> Webhooks::Get(int64_t id) const {
  ASSIGN_OR_RETURN(auto tx, db_.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare(std::string(kSelect) + "WHERE id = ?1"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound(id);
  return ReadRow(st);
}

Status Webhooks::Deactivate(int64_t id) {
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto st, tx.Prepare("UPDATE notify_webhooks SET active = 0 WHERE id = ?1"));
    RETURN_IF_ERROR(st.Bind(1, id).Run());
    if (tx.Changes() != 1) return NotFound(id);
    return Status::Ok();
  });
}

Result<std::vector<WebhookSubscription>> Webhooks::SubscribersOf(int64_t secretariat_id,
                                                                 const std::string& event) const {
  ASSIGN_OR_RETURN(auto all, List(secretariat_id));
  std::vector<WebhookSubscription> out;
  for (auto& w : all) {
    if (w.active && std::find(w.events.begin(), w.events.end(), event) != w.events.end()) {
      out.push_back(std::move(w));
    }
  }
  return out;
}

}  // namespace rubrica::server::notify
