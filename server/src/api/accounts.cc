#include "accounts.h"

#include "rubrica/store/write_transaction.h"

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/json_writer.h"

namespace rubrica::server::api {

namespace {

std::string TokenHash(std::string_view token) { return Sha256Hex(token); }

Status NotFound(int64_t id) {
  return Status::Error(ErrorKind::kNotFound, "api.not_found",
                       "account " + std::to_string(id) + " not found", "No existe esa cuenta.");
}

Status InvitationInvalid() {
  return Status::Error(ErrorKind::kRejected, "api.invitation_invalid",
                       "invitation token unknown, used or expired",
                       "La invitación no es válida, ya se usó o venció. Pida una nueva a la "
                       "administración.");
}

Status LoginFailed() {
  return Status::Error(ErrorKind::kUnauthenticated, "api.login_failed",
                       "login failed (unknown login, wrong password or no password set)",
                       "Usuario o contraseña incorrectos.");
}


constexpr std::string_view kAccountColumns =
    "id, login, email, person_id, administrator, password_hash IS NOT NULL";

Account ReadAccount(const store::Statement& st) {
  Account a;
  a.id = st.ColumnInt(0);
  a.login = st.ColumnText(1);
  a.email = st.ColumnText(2);
  if (!st.ColumnIsNull(3)) a.person_id = st.ColumnInt(3);
  a.administrator = st.ColumnInt(4) != 0;
  a.active = st.ColumnInt(5) != 0;
  return a;
}

Status LoadGrants(store::Transaction& tx, Account& a) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT role, secretariat_id FROM srv_grant WHERE account_id = ? "
                              "ORDER BY secretariat_id, role"));
  st.Bind(1, a.id);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    a.grants.push_back({st.ColumnText(0), st.ColumnInt(1)});
  }
  return Status::Ok();
}

Result<Account> LoadAccount(store::Transaction& tx, int64_t id) {
  Account a;
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT " + std::string(kAccountColumns) +
                                " FROM srv_account WHERE id = ?"));
    st.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound(id);
    a = ReadAccount(st);
  }
  RETURN_IF_ERROR(LoadGrants(tx, a));
  return a;
}

bool LooksLikeEmail(std::string_view s) {
  const size_t at = s.find('@');
  return s.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos &&
         s.find('@', at + 1) == std::string_view::npos;
}

}  // namespace

std::string Payload(std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  JsonWriter w;
  w.BeginObject();
  for (const auto& [k, v] : fields) w.Field(k, v);
  return w.EndObject().Take();
}

const std::vector<store::Migration>& AccountsMigrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, "accounts, grants, invitations, sessions, signing tickets", R"sql(
        CREATE TABLE srv_account(
          id INTEGER PRIMARY KEY,
          login TEXT NOT NULL UNIQUE COLLATE NOCASE,
          email TEXT NOT NULL,
          person_id INTEGER,
          administrator INTEGER NOT NULL CHECK(administrator IN (0, 1)),
          password_hash TEXT,
          created_us INTEGER NOT NULL,
          CHECK(NOT (administrator = 1 AND person_id IS NOT NULL))
        );
        CREATE UNIQUE INDEX srv_account_one_per_person ON srv_account(person_id)
          WHERE person_id IS NOT NULL;
        CREATE TABLE srv_grant(
          account_id INTEGER NOT NULL REFERENCES srv_account(id),
          role TEXT NOT NULL CHECK(role IN ('archivist', 'observer')),
          secretariat_id INTEGER NOT NULL,
          PRIMARY KEY(account_id, role, secretariat_id)
        );
        CREATE TABLE srv_invitation(
          token_hash TEXT PRIMARY KEY,
          account_id INTEGER NOT NULL REFERENCES srv_account(id),
          created_us INTEGER NOT NULL,
          expires_us INTEGER NOT NULL,
          used_us INTEGER
        );
        CREATE TABLE srv_session(
          token_hash TEXT PRIMARY KEY,
          account_id INTEGER NOT NULL REFERENCES srv_account(id),
          kind TEXT NOT NULL CHECK(kind IN ('cookie', 'bearer')),
          csrf_hash TEXT NOT NULL,
          created_us INTEGER NOT NULL,
          expires_us INTEGER NOT NULL,
          revoked_us INTEGER
        );
        CREATE TABLE srv_signing_ticket(
          token_hash TEXT PRIMARY KEY,
          account_id INTEGER NOT NULL REFERENCES srv_account(id),
          person_id INTEGER NOT NULL,
          acta_id INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK(kind IN ('rubric', 'foot')),
          input_blob_id TEXT NOT NULL,
          approval_round INTEGER NOT NULL,
          engine_state TEXT NOT NULL,
          created_us INTEGER NOT NULL,
          expires_us INTEGER NOT NULL,
          used_us INTEGER
        );
      )sql"},
      {2, "failed logins inside the rate-limit window", R"sql(
        CREATE TABLE srv_login_failure(
          login_key TEXT NOT NULL,
          at_us INTEGER NOT NULL
        );
        CREATE INDEX srv_login_failure_by_key ON srv_login_failure(login_key, at_us);
        CREATE INDEX srv_login_failure_by_time ON srv_login_failure(at_us);
      )sql"},
      {3, "re-enrolment links (a new signing credential without the current PIN)", R"sql(
        CREATE TABLE srv_reenrolment(
          token_hash TEXT PRIMARY KEY,
          account_id INTEGER NOT NULL REFERENCES srv_account(id),
          person_id INTEGER NOT NULL,
          issued_by TEXT NOT NULL,
          created_us INTEGER NOT NULL,
          expires_us INTEGER NOT NULL,
          used_us INTEGER
        );
        CREATE INDEX srv_reenrolment_by_account ON srv_reenrolment(account_id);
      )sql"},
      // SQLite cannot widen a CHECK: the table is rebuilt with its rows.
      {4, "signing tickets of a monthly package's co-signature", R"sql(
        CREATE TABLE srv_signing_ticket_v2(
          token_hash TEXT PRIMARY KEY,
          account_id INTEGER NOT NULL REFERENCES srv_account(id),
          person_id INTEGER NOT NULL,
          acta_id INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK(kind IN ('rubric', 'foot', 'package_cosign')),
          input_blob_id TEXT NOT NULL,
          approval_round INTEGER NOT NULL,
          engine_state TEXT NOT NULL,
          created_us INTEGER NOT NULL,
          expires_us INTEGER NOT NULL,
          used_us INTEGER
        );
        INSERT INTO srv_signing_ticket_v2 SELECT token_hash, account_id, person_id, acta_id, kind,
          input_blob_id, approval_round, engine_state, created_us, expires_us, used_us
          FROM srv_signing_ticket;
        DROP TABLE srv_signing_ticket;
        ALTER TABLE srv_signing_ticket_v2 RENAME TO srv_signing_ticket;
      )sql"},
  };
  return kMigrations;
}

Result<Invitation> Accounts::InsertInvitation(store::Transaction& tx, int64_t account_id) {
  const Instant now = clock_.Now();
  {
    // Only the newest invitation works.
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("UPDATE srv_invitation SET used_us = ? WHERE account_id = ? AND "
                                "used_us IS NULL"));
    st.Bind(1, UnixMicros(now)).Bind(2, account_id);
    RETURN_IF_ERROR(st.Run());
  }
  Invitation inv{account_id, RandomToken(32), now + options_.invitation_ttl};
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("INSERT INTO srv_invitation(token_hash, account_id, created_us, "
                              "expires_us) VALUES(?,?,?,?)"));
  st.Bind(1, TokenHash(inv.token)).Bind(2, account_id).Bind(3, UnixMicros(now)).Bind(4, UnixMicros(inv.expires_at));
  RETURN_IF_ERROR(st.Run());
  return inv;
}

Result<Invitation> Accounts::Create(std::string_view actor, const NewAccount& in) {
  auto bad = [](std::string en, std::string es) {
    return Status::Error(ErrorKind::kInvalidArgument, "api.bad_account", std::move(en),
                         std::move(es));
  };
  if (!LooksLikeEmail(in.email)) {
    return bad("account e-mail '" + in.email + "' is not an address",
               "La dirección de correo no es válida.");
  }
  const int kinds = (in.person_id ? 1 : 0) + (in.administrator ? 1 : 0);
  if (kinds > 1) {
    return bad("an administrator account cannot belong to a person",
               "Una cuenta de administración no puede pertenecer a una persona.");
  }
  if (kinds == 0 && in.grants.empty()) {
    return bad("account needs a person, the administrator flag or a grant",
               "La cuenta debe ser de una persona, de administración o tener un permiso.");
  }
  for (const auto& g : in.grants) {
    if (g.role != "archivist" && g.role != "observer") {
      return bad("unknown grant role '" + g.role + "'", "El permiso no es válido.");
    }
  }
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<Invitation> {
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("SELECT id FROM srv_account WHERE login = ? OR "
                                  "(person_id IS NOT NULL AND person_id = ?)"));
      st.Bind(1, in.email).Bind(2, in.person_id.value_or(-1));
      ASSIGN_OR_RETURN(bool exists, st.Step());
      if (exists) {
        return Status::Error(ErrorKind::kConflict, "api.account_exists",
                             "an account for '" + in.email + "' or its person exists (account " +
                                 std::to_string(st.ColumnInt(0)) + ")",
                             "Ya existe una cuenta con ese correo o para esa persona.");
      }
    }
    int64_t id = 0;
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("INSERT INTO srv_account(login, email, person_id, "
                                  "administrator, created_us) VALUES(?,?,?,?,?)"));
      st.Bind(1, in.email).Bind(2, in.email);
      if (in.person_id) {
        st.Bind(3, *in.person_id);
      } else {
        st.BindNull(3);
      }
      st.Bind(4, int64_t{in.administrator}).Bind(5, UnixMicros(clock_.Now()));
      RETURN_IF_ERROR(st.Run());
      id = tx.LastInsertId();
    }
    for (const auto& g : in.grants) {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("INSERT OR IGNORE INTO srv_grant(account_id, role, "
                                  "secretariat_id) VALUES(?,?,?)"));
      st.Bind(1, id).Bind(2, g.role).Bind(3, g.secretariat_id);
      RETURN_IF_ERROR(st.Run());
    }
    ASSIGN_OR_RETURN(Invitation inv, InsertInvitation(tx, id));
    std::string grants;
    for (const auto& g : in.grants) {
      grants += (grants.empty() ? "" : ",") + g.role + ":" + std::to_string(g.secretariat_id);
    }
    RETURN_IF_ERROR(audit_
                        .Append(tx, {std::string(actor), "account.create", "account",
                                     std::to_string(id),
                                     Payload({{"login", in.email},
                                              {"person", in.person_id ? std::to_string(*in.person_id) : ""},
                                              {"administrator", in.administrator ? "true" : "false"},
                                              {"grants", grants}})})
                        .status());
    return inv;
  });
}

Result<Invitation> Accounts::Reinvite(std::string_view actor, int64_t account_id) {
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<Invitation> {
    ASSIGN_OR_RETURN(Account a, LoadAccount(tx, account_id));
    ASSIGN_OR_RETURN(Invitation inv, InsertInvitation(tx, a.id));
    RETURN_IF_ERROR(audit_
                        .Append(tx, {std::string(actor), "account.invite", "account",
                                     std::to_string(a.id), Payload({{"login", a.login}})})
                        .status());
    return inv;
  });
}

Result<Account> Accounts::PeekInvitation(std::string_view token) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  int64_t account_id = 0;
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT account_id, expires_us, used_us FROM srv_invitation "
                                "WHERE token_hash = ?"));
    st.Bind(1, TokenHash(token));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row || !st.ColumnIsNull(2) || clock_.Now() > FromUnixMicros(st.ColumnInt(1))) {
      return InvitationInvalid();
    }
    account_id = st.ColumnInt(0);
  }
  return LoadAccount(tx, account_id);
}

Status Accounts::CheckPassword(std::string_view password) const {
  if (password.size() < options_.min_password_length || password.size() > 1024) {
    return Status::Error(ErrorKind::kInvalidArgument, "api.weak_password",
                         "password shorter than " + std::to_string(options_.min_password_length) +
                             " characters or longer than 1024",
                         "La contraseña debe tener al menos " +
                             std::to_string(options_.min_password_length) + " caracteres.");
  }
  return Status::Ok();
}

Result<Instant> Accounts::InvitationExpiry(std::string_view token) const {
  RETURN_IF_ERROR(PeekInvitation(token).status());
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT expires_us FROM srv_invitation WHERE token_hash = ?"));
  st.Bind(1, TokenHash(token));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return InvitationInvalid();
  return FromUnixMicros(st.ColumnInt(0));
}

Result<Account> Accounts::AcceptInvitation(
    std::string_view token, std::string_view password,
    const std::function<Status(store::Transaction&, const Account&)>& in_transaction) {
  RETURN_IF_ERROR(CheckPassword(password));
  ASSIGN_OR_RETURN(Account peeked, PeekInvitation(token));
  // The slow hash before the transaction.
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password, options_.password_hash));
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<Account> {
    const Instant now = clock_.Now();
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("UPDATE srv_invitation SET used_us = ? WHERE token_hash = ? "
                                  "AND used_us IS NULL AND expires_us >= ?"));
      st.Bind(1, UnixMicros(now)).Bind(2, TokenHash(token)).Bind(3, UnixMicros(now));
      RETURN_IF_ERROR(st.Run());
      if (tx.Changes() != 1) return InvitationInvalid();  // consumed meanwhile
    }
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("UPDATE srv_account SET password_hash = ? WHERE id = ?"));
      st.Bind(1, hash).Bind(2, peeked.id);
      RETURN_IF_ERROR(st.Run());
    }
    {
      // A new password ends every session opened with the old one.
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("UPDATE srv_session SET revoked_us = ? WHERE account_id = ? "
                                  "AND revoked_us IS NULL"));
      st.Bind(1, UnixMicros(now)).Bind(2, peeked.id);
      RETURN_IF_ERROR(st.Run());
    }
    RETURN_IF_ERROR(audit_
                        .Append(tx, {"account:" + std::to_string(peeked.id), "account.password_set",
                                     "account", std::to_string(peeked.id),
                                     Payload({{"login", peeked.login}})})
                        .status());
    if (in_transaction) RETURN_IF_ERROR(in_transaction(tx, peeked));
    return LoadAccount(tx, peeked.id);
  });
}

Result<NewSession> Accounts::Login(std::string_view login, std::string_view password,
                                   LoginKind kind) {
  std::optional<Account> account;
  std::string stored;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT " + std::string(kAccountColumns) +
                                ", password_hash FROM srv_account WHERE login = ?"));
    st.Bind(1, login);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      account = ReadAccount(st);
      stored = st.ColumnOptionalText(6).value_or("");
    }
  }
  // Unknown logins cost the same scrypt as known ones: timing tells nothing.
  bool match = false;
  if (!stored.empty()) {
    ASSIGN_OR_RETURN(match, VerifyPassword(password, stored));
  } else {
    ASSIGN_OR_RETURN(std::string ignored, HashPassword(password, options_.password_hash));
  }
  if (!account || !match) return LoginFailed();
  NewSession s;
  s.token = RandomToken(32);
  s.csrf_token = kind == LoginKind::kCookie ? RandomToken(32) : std::string();
  const Instant now = clock_.Now();
  s.expires_at = now + options_.session_ttl;
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<NewSession> {
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("INSERT INTO srv_session(token_hash, account_id, kind, "
                                  "csrf_hash, created_us, expires_us) VALUES(?,?,?,?,?,?)"));
      st.Bind(1, TokenHash(s.token))
          .Bind(2, account->id)
          .Bind(3, kind == LoginKind::kCookie ? "cookie" : "bearer")
          .Bind(4, s.csrf_token.empty() ? "" : TokenHash(s.csrf_token))
          .Bind(5, UnixMicros(now))
          .Bind(6, UnixMicros(s.expires_at));
      RETURN_IF_ERROR(st.Run());
    }
    RETURN_IF_ERROR(audit_
                        .Append(tx, {"account:" + std::to_string(account->id), "account.login",
                                     "account", std::to_string(account->id),
                                     Payload({{"kind", kind == LoginKind::kCookie ? "cookie" : "bearer"}})})
                        .status());
    ASSIGN_OR_RETURN(s.account, LoadAccount(tx, account->id));
    return s;
  });
}

Result<Principal> Accounts::Authenticate(std::string_view token) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  Principal p;
  int64_t account_id = 0;
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT account_id, kind, csrf_hash, expires_us, revoked_us FROM "
                                "srv_session WHERE token_hash = ?"));
    p.token_hash = TokenHash(token);
    st.Bind(1, p.token_hash);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      return Status::Error(ErrorKind::kUnauthenticated, "api.unauthenticated",
                           "unknown session token", "Inicie sesión para continuar.");
    }
    p.expires_at = FromUnixMicros(st.ColumnInt(3));
    if (!st.ColumnIsNull(4) || clock_.Now() >= p.expires_at) {
      return Status::Error(ErrorKind::kUnauthenticated, "api.session_expired",
                           "session expired or logged out",
                           "Su sesión terminó; inicie sesión de nuevo.");
    }
    account_id = st.ColumnInt(0);
    p.kind = st.ColumnText(1) == "cookie" ? LoginKind::kCookie : LoginKind::kBearer;
    p.csrf_hash = st.ColumnText(2);
  }
  ASSIGN_OR_RETURN(p.account, LoadAccount(tx, account_id));
  return p;
}

Status Accounts::Logout(const Principal& principal) {
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Status {
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("UPDATE srv_session SET revoked_us = ? WHERE token_hash = ? "
                                  "AND revoked_us IS NULL"));
      st.Bind(1, UnixMicros(clock_.Now())).Bind(2, principal.token_hash);
      RETURN_IF_ERROR(st.Run());
      if (tx.Changes() == 0) return Status::Ok();
    }
    return audit_
        .Append(tx, {"account:" + std::to_string(principal.account.id), "account.logout",
                     "account", std::to_string(principal.account.id), ""})
        .status();
  });
}

Result<Account> Accounts::Get(int64_t account_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  return LoadAccount(tx, account_id);
}

Result<std::vector<Account>> Accounts::List() const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  std::vector<int64_t> ids;
  {
    ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT id FROM srv_account ORDER BY id"));
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ids.push_back(st.ColumnInt(0));
    }
  }
  std::vector<Account> out;
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(Account a, LoadAccount(tx, id));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<Invitation>> Accounts::EnsureAdministrator() {
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<std::optional<Invitation>> {
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("SELECT id FROM srv_account WHERE administrator = 1 LIMIT 1"));
      ASSIGN_OR_RETURN(bool exists, st.Step());
      if (exists) return std::optional<Invitation>();
    }
    int64_t id = 0;
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("INSERT INTO srv_account(login, email, person_id, "
                                  "administrator, created_us) VALUES(?, '', NULL, 1, ?)"));
      st.Bind(1, kAdminLogin).Bind(2, UnixMicros(clock_.Now()));
      RETURN_IF_ERROR(st.Run());
      id = tx.LastInsertId();
    }
    ASSIGN_OR_RETURN(Invitation inv, InsertInvitation(tx, id));
    RETURN_IF_ERROR(audit_
                        .Append(tx, {"system", "account.create", "account", std::to_string(id),
                                     Payload({{"login", std::string(kAdminLogin)},
                                              {"administrator", "true"}})})
                        .status());
    return std::optional<Invitation>(inv);
  });
}

}  // namespace rubrica::server::api
