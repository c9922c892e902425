// Talking to the API over real HTTP from tests: a small client (bearer token, or a browser's
// session cookie with its CSRF token), replies read as JSON by path, and a logger that keeps
// what the service logged (the administrator's one-time invitation link).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "rubrica/base/logger.h"

namespace rubrica::server::testing {

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names

  /// A value by path ("acta.signers[0].full_name") as text ("" when absent; numbers and
  /// booleans as written).
  std::string Str(const std::string& path) const;
  int64_t Int(const std::string& path) const;
  bool Bool(const std::string& path) const;
  /// The number of elements of the array at `path` (-1 when not an array).
  int Size(const std::string& path) const;
  /// error.code of an error reply.
  std::string Code() const { return Str("error.code"); }
  bool ok() const { return status >= 200 && status < 300; }
};

/// What a test prints when a reply is not what it expected.
std::string Describe(const Reply& r);

class Client {
 public:
  explicit Client(int port) : port_(port) {}

  /// Sends `Authorization: Bearer <token>` from now on.
  Client& Bearer(std::string token);
  /// Sends the session cookie and, on state-changing requests, X-CSRF-Token.
  Client& Cookie(std::string session, std::string csrf);
  /// Sends no credentials.
  Client& Anonymous();

  Reply Get(const std::string& path) const;
  Reply Post(const std::string& path, const std::string& json = "{}") const;
  Reply Delete(const std::string& path) const;
  Reply Send(const std::string& method, const std::string& path, const std::string& body,
             const std::string& content_type,
             const std::map<std::string, std::string>& headers = {}) const;

  int port() const { return port_; }
  const std::string& token() const { return token_; }
  const std::string& csrf() const { return csrf_; }
  const std::string& session() const { return session_; }

 private:
  int port_;
  std::string token_;
  std::string session_;
  std::string csrf_;
};

/// Logs in with /api/auth/token and returns a client using the bearer token (fails the
/// test when the login fails).
Client LoginBearer(int port, const std::string& login, const std::string& password);
/// Logs in with /api/auth/login (cookie + CSRF token).
Client LoginBrowser(int port, const std::string& login, const std::string& password);

/// Keeps every event and its string fields.
class RecordingLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view event, const std::vector<LogField>& fields) override;
  /// The value of string field `key` of the first `event` logged ("" when none).
  std::string Field(const std::string& event, const std::string& key) const;
  int Count(const std::string& event) const;

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> events_;
};

/// The invitation token of the newest .eml in `outbox_dir` addressed to `email` ("" when
/// none).
std::string InvitationTokenFor(const std::string& outbox_dir, const std::string& email);
/// The token of the newest re-enrolment link (/reinscripcion) e-mailed to `email`.
std::string ReenrolmentTokenFor(const std::string& outbox_dir, const std::string& email);
/// The token in an invitation link (…/invitacion?token=XYZ).
std::string TokenOfLink(const std::string& link);

/// JSON string literal of `s` (for building request bodies).
std::string Q(const std::string& s);

}  // namespace rubrica::server::testing
