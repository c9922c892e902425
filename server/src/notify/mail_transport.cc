#include "mail_transport.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>

#include <cctype>
#include <cstdio>
#include <mutex>
#include <sstream>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::server::notify {

namespace {

// Exposes the EHLO answer, to see whether the server offers STARTTLS.
class Session final : public Poco::Net::SecureSMTPClientSession {
 public:
  Session(const std::string& host, Poco::UInt16 port) : SecureSMTPClientSession(host, port) {}
  std::string Ehlo(const std::string& helo) {
    std::string response;
    login(helo, response);
    return response;
  }
};

// AUTH LOGIN, step by step. Poco's own LOGIN goes on only when the server's challenge
// decodes to "Username:"/"Password:"; a server that words it otherwise ("User Name",
// aiosmtpd) would be left waiting for the user name while Poco, unauthenticated, sent the
// mail. Each answer is checked here instead.
void LoginStepByStep(Session& session, const std::string& user, const std::string& password) {
  std::string response;
  int status = session.sendCommand("AUTH LOGIN", response);
  if (status / 100 != 3) throw Poco::Net::SMTPException("AUTH LOGIN refused", response, status);
  status = session.sendCommand(Base64Encode(user), response);
  if (status / 100 != 3) throw Poco::Net::SMTPException("AUTH LOGIN refused the user", response, status);
  status = session.sendCommand(Base64Encode(password), response);
  if (status / 100 != 2) throw Poco::Net::SMTPException("AUTH LOGIN refused the credentials", response, status);
}

bool Offers(const std::string& ehlo_response, const std::string& keyword) {
  std::istringstream in(ehlo_response);
  std::string line;
  while (std::getline(in, line)) {
    // "250-STARTTLS" or "250 STARTTLS" (Poco keeps the code on each line).
    if (line.size() >= 4 && line.compare(4, keyword.size(), keyword) == 0) return true;
  }
  return false;
}

class SmtpTransport final : public MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings s) : s_(std::move(s)) {}

  // Failures carry a stable code first in their detail (the delivery log). Only a 5xx
  // answer to this message (its sender, recipient or content) is permanent; a relay that
  // is down, will not do TLS or refuses our credentials is the installation's problem, not
  // the message's: it is retried by the outbox's policy until the operator fixes it.
  DeliveryOutcome Deliver(const std::string&, int64_t, Instant, const std::string& from,
                          const std::string& to, const std::string& message) override {
    enum class Stage { kConnect, kTls, kAuth, kSend } stage = Stage::kConnect;
    try {
      Session session(s_.host, static_cast<Poco::UInt16>(s_.port));
      session.setTimeout(Poco::Timespan(s_.timeout_seconds, 0));
      const std::string ehlo = session.Ehlo(s_.helo);
      bool tls = false;
      if (s_.starttls != "off" && Offers(ehlo, "STARTTLS")) {
        stage = Stage::kTls;
        tls = session.startTLS(TlsContext());
        if (tls) session.Ehlo(s_.helo);
      }
      if (!tls && s_.starttls == "required") {
        return {false, false,
                "notify.smtp_starttls_missing: the relay did not offer STARTTLS (smtp.starttls = "
                "required)"};
      }
      if (!s_.user.empty()) {
        stage = Stage::kAuth;
        if (s_.auth == "plain") {
          session.login(s_.helo, Poco::Net::SMTPClientSession::AUTH_PLAIN, s_.user, s_.password);
        } else {
          LoginStepByStep(session, s_.user, s_.password);
        }
      }
      stage = Stage::kSend;
      session.sendAddresses(from, {to});
      session.sendData();
      std::istringstream body(message);
      session.sendMessage(body);
      session.close();
      return {true, false,
              std::string("250 accepted") + (tls ? " (STARTTLS)" : "") + (s_.user.empty() ? "" : " (AUTH)")};
    } catch (const Poco::Net::SMTPException& e) {
      const std::string answer = "SMTP " + std::to_string(e.code()) + ": " + e.displayText();
      if (stage == Stage::kAuth) return {false, false, "notify.smtp_auth_failed: " + answer};
      if (stage == Stage::kTls) return {false, false, "notify.smtp_tls_failed: " + answer};
      const bool permanent = stage == Stage::kSend && e.code() >= 500 && e.code() < 600;
      return {false, permanent, std::string(permanent ? "notify.smtp_rejected: " : "notify.smtp_unavailable: ") + answer};
    } catch (const Poco::Exception& e) {
      return {false, false,
              std::string(stage == Stage::kTls ? "notify.smtp_tls_failed: " : "notify.smtp_unavailable: ") +
                  e.displayText()};
    } catch (const std::exception& e) {
      return {false, false, std::string("notify.smtp_unavailable: ") + e.what()};
    }
  }

 private:
  Poco::Net::Context::Ptr TlsContext() {
    std::call_once(ssl_once_, [] { Poco::Net::initializeSSL(); });
    std::lock_guard<std::mutex> lock(mu_);
    if (!context_) {
      context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", s_.ca_file,
                                        Poco::Net::Context::VERIFY_RELAXED, 9,
                                        /*loadDefaultCAs=*/s_.ca_file.empty());
    }
    return context_;
  }

  SmtpSettings s_;
  std::mutex mu_;
  Poco::Net::Context::Ptr context_;
  static inline std::once_flag ssl_once_;
};

class FolderTransport final : public MailTransport {
 public:
  explicit FolderTransport(std::string dir) : dir_(std::move(dir)) {}

  DeliveryOutcome Deliver(const std::string& id, int64_t seq, Instant created_at, const std::string&,
                          const std::string&, const std::string& message) override {
    Status s = MakeDirs(dir_, 0700);
    if (s.ok()) {
      std::string stamp = FormatRfc3339UtcMicros(created_at);
      for (char& c : stamp) {
        if (c == ':') c = '-';
      }
      std::string name;
      for (char c : id) name += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
      AtomicWriteOptions o;
      o.mode = 0600;
      char order[24];
      std::snprintf(order, sizeof order, "%010lld", static_cast<long long>(seq));
      s = WriteFileAtomic(dir_ + "/" + stamp + "-" + order + "-" + name + ".eml", message, o);
    }
    if (!s.ok()) return {false, false, s.message()};
    return {true, false, "written to the outbox folder"};
  }

 private:
  std::string dir_;
};

}  // namespace

std::unique_ptr<MailTransport> MakeSmtpTransport(const SmtpSettings& settings) {
  return std::make_unique<SmtpTransport>(settings);
}

std::unique_ptr<MailTransport> MakeFolderTransport(const std::string& dir) {
  return std::make_unique<FolderTransport>(dir);
}

}  // namespace rubrica::server::notify
