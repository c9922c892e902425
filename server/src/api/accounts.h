// Accounts: who may log in, and as whom. Tables of the component "server" (Migrations()).
//
// An account logs in with its login (an e-mail address, or "admin" for the bootstrap
// administrator) and a password hashed with scrypt (password_hash.h). It is either:
//   - an administrator account: configures the installation, never acts as a person;
//   - a person's account (person_id): the person acts as themselves; their roles in each
//     secretariat come from the workflow's records (terms) and from grants here
//     (archivist, observer of a secretariat).
// An account starts without a password and receives a one-time invitation (random
// 256-bit token, only its SHA-256 stored, default 7 days) to set it.
//
// Sessions: a random 256-bit token (only its SHA-256 stored) with an absolute expiry,
// either a browser session (cookie, with a CSRF token whose hash is stored beside it) or
// a bearer token (CLI). Logout revokes. Expired and revoked sessions authenticate nothing.
//
// Every change (account created, invitation sent, password set, login, logout) is
// written with its audit entry in one transaction. Thread-safe; slow work (scrypt) runs
// outside transactions.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>
#include <string>
#include <vector>

#include "password_hash.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/database.h"

namespace rubrica::server::api {

/// The component under which the migrations are recorded.
inline constexpr std::string_view kAccountsComponent = "server";
const std::vector<store::Migration>& AccountsMigrations();

/// An audit entry's payload: a JSON object of string fields, in the order given.
std::string Payload(std::initializer_list<std::pair<std::string_view, std::string>> fields);

/// The login of the bootstrap administrator.
inline constexpr std::string_view kAdminLogin = "admin";

struct Grant {
  std::string role;  // "archivist" or "observer"
  int64_t secretariat_id = 0;
};

struct Account {
  int64_t id = 0;
  std::string login;
  std::string email;
  std::optional<int64_t> person_id;
  bool administrator = false;
  bool active = false;  // a password has been set
  std::vector<Grant> grants;
};

struct NewAccount {
  std::string email;                 // the login; required (a valid-looking address)
  std::optional<int64_t> person_id;  // exactly one of person_id / administrator / grants
  bool administrator = false;
  std::vector<Grant> grants;
};

struct Invitation {
  int64_t account_id = 0;
  std::string token;  // give to the invitee only (e-mail link)
  Instant expires_at;
};

enum class LoginKind { kCookie, kBearer };

struct NewSession {
  std::string token;       // the cookie value or bearer token
  std::string csrf_token;  // browsers send it back in X-CSRF-Token (empty for bearer)
  Instant expires_at;
  Account account;
};

/// An authenticated request's session.
struct Principal {
  Account account;
  LoginKind kind = LoginKind::kBearer;
  std::string token_hash;  // hex SHA-256 of the token (identifies the session)
  std::string csrf_hash;   // hex SHA-256 of the CSRF token (cookie sessions)
  Instant expires_at;
};

struct AccountsOptions {
  PasswordHashParams password_hash;
  /// Lifetime of a session from login. Default 8 hours.
  std::chrono::seconds session_ttl = std::chrono::hours(8);
  /// Lifetime of an invitation. Default 7 days.
  std::chrono::seconds invitation_ttl = std::chrono::hours(24 * 7);
  /// Shortest password accepted. Default 10.
  size_t min_password_length = 10;
};

class Accounts {
 public:
  Accounts(store::Database& db, const store::AuditLog& audit, const Clock& clock,
           AccountsOptions options = {})
      : db_(db), audit_(audit), clock_(clock), options_(options) {}

  /// Creates an account and its first invitation. Errors: api.bad_account (what is
  /// missing), api.account_exists (kConflict: the login or the person has one).
  Result<Invitation> Create(std::string_view actor, const NewAccount& account);
  /// A new invitation for an existing account (also to reset a forgotten password); earlier
  /// unused invitations stop working. api.not_found.
  Result<Invitation> Reinvite(std::string_view actor, int64_t account_id);
  /// The account an unused, unexpired invitation is for (nothing is consumed).
  /// api.invitation_invalid (kRejected) otherwise.
  Result<Account> PeekInvitation(std::string_view token) const;
  /// Sets the password and consumes the invitation. `in_transaction`, when given, runs in
  /// the same write transaction (e.g. storing the member's signing credential): if it
  /// fails, nothing is written and the invitation stays usable. The slow password hash
  /// runs before the transaction. api.invitation_invalid, api.weak_password
  /// (kInvalidArgument).
  Result<Account> AcceptInvitation(
      std::string_view token, std::string_view password,
      const std::function<Status(store::Transaction&, const Account&)>& in_transaction = {});
  /// When the invitation expires (same refusals as PeekInvitation).
  Result<Instant> InvitationExpiry(std::string_view token) const;
  /// api.weak_password unless `password` is acceptable.
  Status CheckPassword(std::string_view password) const;

  /// Checks the password and opens a session. api.login_failed (kUnauthenticated) for an
  /// unknown login, a wrong password or an account without password (one answer for all,
  /// taking the same time).
  Result<NewSession> Login(std::string_view login, std::string_view password, LoginKind kind);
  /// The session of `token`. api.unauthenticated for an unknown token, api.session_expired
  /// for an expired or revoked one.
  Result<Principal> Authenticate(std::string_view token) const;
  /// Revokes the session (idempotent).
  Status Logout(const Principal& principal);

  Result<Account> Get(int64_t account_id) const;
  Result<std::vector<Account>> List() const;

  /// First start: when no administrator account exists, creates the bootstrap one (login
  /// "admin") and returns its invitation; otherwise nullopt. Idempotent.
  Result<std::optional<Invitation>> EnsureAdministrator();

 private:
  Result<Invitation> InsertInvitation(store::Transaction& tx, int64_t account_id);

  store::Database& db_;
  const store::AuditLog& audit_;
  const Clock& clock_;
  AccountsOptions options_;
};

}  // namespace rubrica::server::api
