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

  DeliveryOutcome Deliver(const std::string&, int64_t, Instant, const std::string& from,
                          const std::string& to, const std::string& message) override {
    try {
      Session session(s_.host, static_cast<Poco::UInt16>(s_.port));
      session.setTimeout(Poco::Timespan(s_.timeout_seconds, 0));
      const std::string ehlo = session.Ehlo(s_.helo);
      bool tls = false;
      if (s_.starttls != "off" && Offers(ehlo, "STARTTLS")) {
        tls = session.startTLS(TlsContext());
        if (tls) session.Ehlo(s_.helo);
      }
      if (!tls && s_.starttls == "required") {
        return {false, false, "the relay did not offer STARTTLS (smtp.starttls = required)"};
      }
      if (!s_.user.empty()) {
        session.login(s_.helo,
                      s_.auth == "plain" ? Poco::Net::SMTPClientSession::AUTH_PLAIN
                                         : Poco::Net::SMTPClientSession::AUTH_LOGIN,
                      s_.user, s_.password);
      }
      session.sendAddresses(from, {to});
      session.sendData();
      std::istringstream body(message);
      session.sendMessage(body);
      session.close();
      return {true, false, std::string("250 accepted") + (tls ? " (STARTTLS)" : "")};
    } catch (const Poco::Net::SMTPException& e) {
      // 5xx: the relay refuses this message for good; 4xx and the rest: try again later.
      const bool permanent = e.code() >= 500 && e.code() < 600;
      return {false, permanent, "SMTP " + std::to_string(e.code()) + ": " + e.displayText()};
    } catch (const Poco::Exception& e) {
      return {false, false, e.displayText()};
    } catch (const std::exception& e) {
      return {false, false, e.what()};
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
