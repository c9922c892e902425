// Status and Result<T>: the one error style at every module boundary.
//
// A Status is either OK or an error made of:
//   - a Kind, the broad category that decides the HTTP status and the CLI exit code;
//   - a stable code ("keys.wrong_pin", "acta.out_of_turn"): never renamed once shipped,
//     clients and tests match on it;
//   - an English message for logs and developers, with context (which input, where);
//   - a Spanish message for people (web pages, API clients, CLI users). When empty,
//     message_es() falls back to a generic Spanish sentence for the kind.
//
// Status is a value type, cheap to copy when OK. Thread-compatible.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rubrica {

enum class ErrorKind {
  kOk = 0,
  kInvalidArgument,     // malformed input: 400, CLI exit 2
  kUnauthenticated,     // no or bad credentials: 401
  kPermissionDenied,    // authenticated but not allowed: 403
  kNotFound,            // 404
  kConflict,            // out of turn, wrong state, already exists: 409
  kTooLarge,            // body or file over a limit: 413
  kRejected,            // well-formed but refused by a rule (quorum, wrong PIN...): 422
  kRateLimited,         // too many attempts, locked out for a while: 429
  kDataLoss,            // stored data corrupt or tampered with: 500
  kUnavailable,         // a peer (TSA, agency, mail) is down or timed out: 503
  kIoError,             // disk full, permission, I/O failure: 500
  kInternal,            // a bug: 500
};

/// Stable lower-case name of a kind ("invalid_argument", ...).
std::string_view ErrorKindName(ErrorKind kind);
/// HTTP status code for a kind (200 for kOk).
int HttpStatusFor(ErrorKind kind);

class [[nodiscard]] Status {
 public:
  /// An OK status.
  Status() = default;

  static Status Ok() { return Status(); }
  /// An error. `code` is the stable identifier; `message` English; `message_es` Spanish.
  static Status Error(ErrorKind kind, std::string code, std::string message,
                      std::string message_es = {});

  bool ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  /// Spanish message for people; a generic sentence for the kind when none was given.
  std::string message_es() const;

  /// Returns a copy with `context` prepended to the English message ("context: message").
  Status WithContext(std::string_view context) const;

  /// For refusals that pass (rate limits, a busy resource): how long until trying again
  /// makes sense, in whole seconds (HTTP Retry-After). Returns a copy.
  Status WithRetryAfter(std::chrono::seconds wait) const;
  std::optional<std::chrono::seconds> retry_after() const { return retry_after_; }

  /// "code: message", or "ok".
  std::string ToString() const;

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string code_;
  std::string message_;
  std::string message_es_;
  std::optional<std::chrono::seconds> retry_after_;
};

/// Result<T> holds either a T or an error Status (never an OK status without a value).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) {
      status_ = Status::Error(ErrorKind::kInternal, "internal.ok_without_value",
                              "Result constructed from an OK status without a value");
    }
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace rubrica

#define RUBRICA_CONCAT_INNER_(a, b) a##b
#define RUBRICA_CONCAT_(a, b) RUBRICA_CONCAT_INNER_(a, b)

/// Evaluates `expr` (a Status); returns it from the current function when not OK.
#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    ::rubrica::Status rubrica_status_ = (expr);    \
    if (!rubrica_status_.ok()) return rubrica_status_; \
  } while (false)

/// `ASSIGN_OR_RETURN(auto x, FunctionReturningResult());`
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(RUBRICA_CONCAT_(rubrica_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()
