// Issue 11 on the real service over loopback: the PIN as a second factor, re-enrolment
// links, limits that hold under parallel bursts, strict input, anonymous callers learning
// nothing, login replacing whatever cookie it is sent, and the files the service writes.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "api/password_hash.h"
#include "api_world.h"
#include "db_snapshot.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

// One number from the service's database, read through a separate read-only connection.
int64_t Count(const ApiWorld& w, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2((w.data_dir() + "/rubrica.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  EXPECT_GE(n, 0) << sql;
  return n;
}

int64_t CredentialsOf(const ApiWorld& w, int64_t person) {
  return Count(w, "SELECT count(*) FROM keys_credentials WHERE holder_id = 'person:" + std::to_string(person) + "'");
}

// The e-mails in the outbox to `email` whose text holds `needle`.
int MailsTo(const ApiWorld& w, const std::string& email, const std::string& needle) {
  int n = 0;
  for (const auto& f : ListFilesRecursive(w.data_dir() + "/outbox")) {
    auto text = ReadFile(f);
    if (text.ok() && text->find("To: " + email + "\r\n") != std::string::npos &&
        text->find(needle) != std::string::npos) {
      ++n;
    }
  }
  return n;
}

TEST(ApiSecurityTest, APasswordSessionAloneCannotCreateOrReplaceASigningKey) {
  WorldOptions o;
  o.external_suplente = true;
  ApiWorld w(o);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const WorldPerson& t = w.person("titular");
  const int64_t before = CredentialsOf(w, t.id);
  const int notices = MailsTo(w, t.email, "Huella SHA-256");  // the one of the invitation
  const std::string cer = Q(Base64Encode(w.device().cer_der));
  struct Case {
    std::string role, path, body;
    int status;
    std::string code;
  } cases[] = {
      // Without the current PIN: refused before anything is made.
      {"titular", "/api/me/credentials", R"({"pin":"pin-del-atacante-1"})", 403, "api.second_factor_required"},
      {"titular", "/api/me/credentials/external", "{\"certificate\":" + cer + "}", 403, "api.second_factor_required"},
      // With a wrong one: counted like a signature's PIN.
      {"titular", "/api/me/credentials", R"({"pin":"pin-del-atacante-1","current_pin":"000000"})", 422,
       "keys.wrong_pin"},
      // A device signer has no PIN to show: only a re-enrolment link changes their key.
      {"suplente", "/api/me/credentials", R"({"pin":"pin-del-atacante-1","current_pin":"000000"})", 403,
       "api.second_factor_required"},
  };
  for (const auto& c : cases) {
    Reply r = w.As(c.role).Post(c.path, c.body);
    EXPECT_EQ(r.status, c.status) << c.path << " " << c.body << ": " << Describe(r);
    EXPECT_EQ(r.Code(), c.code) << c.path << " " << c.body;
  }
  EXPECT_EQ(CredentialsOf(w, t.id), before);
  EXPECT_EQ(CredentialsOf(w, w.person("suplente").id), 1);
  EXPECT_EQ(MailsTo(w, t.email, "Huella SHA-256"), notices);

  // With the current PIN: a new key, and the member is told by e-mail.
  Reply ok = w.As("titular").Post("/api/me/credentials",
                                  "{\"pin\":\"pin-nuevo-97531\",\"current_pin\":" + Q(t.pin) + "}");
  ASSERT_EQ(ok.status, 201) << Describe(ok);
  EXPECT_EQ(CredentialsOf(w, t.id), before + 1);
  EXPECT_EQ(MailsTo(w, t.email, "Huella SHA-256"), notices + 1);
  EXPECT_GE(Count(w, "SELECT count(*) FROM audit_log WHERE action = 'keys.enrol'"), 1);
}

TEST(ApiSecurityTest, AReEnrolmentLinkWorksOnceForItsMemberOnly) {
  WorldOptions o;
  o.external_suplente = true;
  ApiWorld w(o);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const WorldPerson& s = w.person("suplente");
  // The facilitator of the substitute's secretariat issues it; it goes by e-mail only.
  Reply issued = w.As("facilitator").Post("/api/people/" + std::to_string(s.id) + "/reenrolment");
  ASSERT_EQ(issued.status, 201) << Describe(issued);
  EXPECT_EQ(issued.body.find("token"), std::string::npos) << issued.body;
  const std::string token = ReenrolmentTokenFor(w.data_dir() + "/outbox", s.email);
  ASSERT_FALSE(token.empty());
  const std::string body = "{\"token\":" + Q(token) + ",\"pin\":\"pin-reinscrito-8642\"}";
  const int notices = MailsTo(w, s.email, "Huella SHA-256");

  // Another member cannot use it; nor can a missing choice consume it.
  Reply other = w.As("titular").Post("/api/me/reenrolment", body);
  EXPECT_EQ(other.Code(), "api.reenrolment_invalid") << Describe(other);
  Reply none = w.As("suplente").Post("/api/me/reenrolment", "{\"token\":" + Q(token) + "}");
  EXPECT_EQ(none.Code(), "api.signing_method_required") << Describe(none);
  EXPECT_EQ(CredentialsOf(w, s.id), 1);

  Reply used = w.As("suplente").Post("/api/me/reenrolment", body);
  ASSERT_EQ(used.status, 201) << Describe(used);
  EXPECT_EQ(CredentialsOf(w, s.id), 2);
  Reply again = w.As("suplente").Post("/api/me/reenrolment", body);
  EXPECT_EQ(again.Code(), "api.reenrolment_invalid") << Describe(again);
  EXPECT_EQ(CredentialsOf(w, s.id), 2);
  EXPECT_EQ(MailsTo(w, s.email, "Huella SHA-256"), notices + 1);
  EXPECT_EQ(Count(w, "SELECT count(*) FROM audit_log WHERE action = 'account.reenrolment_used'"), 1);
  // The substitute now signs with a PIN as well.
  Reply me = w.As("suplente").Get("/api/me");
  EXPECT_TRUE(me.Bool("can_sign"));
  EXPECT_EQ(me.Size("signing_methods"), 2) << me.body;
}

TEST(ApiSecurityTest, TwentyParallelAcceptancesOfOneInvitationMakeOneCredential) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Client admin = w.As("admin");
  Reply p = admin.Post("/api/people", R"({"full_name":"Persona Concurrente Ficticia"})");
  ASSERT_EQ(p.status, 201) << Describe(p);
  const int64_t person = p.Int("person_id");
  const std::string email = "concurrente@example.invalid";
  ASSERT_EQ(admin.Post("/api/accounts", "{\"email\":" + Q(email) + ",\"person_id\":" + std::to_string(person) + "}").status,
            201);
  const std::string token = InvitationTokenFor(w.data_dir() + "/outbox", email);
  // Accepting without a way to sign is refused and leaves the invitation usable.
  Reply bare = Client(w.port()).Post("/api/invitations/accept",
                                     "{\"token\":" + Q(token) + ",\"password\":\"una-contraseña-larga\"}");
  EXPECT_EQ(bare.status, 400) << Describe(bare);
  EXPECT_EQ(bare.Code(), "api.signing_method_required");
  std::vector<std::thread> threads;
  std::vector<Reply> replies(20);
  for (size_t i = 0; i < replies.size(); ++i) {
    threads.emplace_back([&, i] {
      replies[i] = Client(w.port()).Post("/api/invitations/accept",
                                         "{\"token\":" + Q(token) + ",\"password\":\"una-contraseña-larga\",\"pin\":\"pin-" +
                                             std::to_string(i) + "-13579\"}");
    });
  }
  for (auto& t : threads) t.join();
  int accepted = 0;
  for (const auto& r : replies) {
    accepted += r.status == 200;
    if (r.status != 200) {
      EXPECT_TRUE(r.Code() == "api.invitation_in_use" || r.Code() == "api.invitation_invalid") << Describe(r);
    }
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(CredentialsOf(w, person), 1);
  // One key: its member certificate and its rubric certificate (docs/pdf-signatures.md).
  EXPECT_EQ(Count(w, "SELECT count(*) FROM keys_issued WHERE subject LIKE '%Concurrente%'"), 2);
}

TEST(ApiSecurityTest, APasswordResetLinkCannotReplaceTheKeyOfSomeoneWhoSigns) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const WorldPerson& t = w.person("titular");
  const int64_t before = CredentialsOf(w, t.id);
  ASSERT_EQ(w.As("admin").Post("/api/accounts/" + std::to_string(t.account) + "/invitation").status, 200);
  const std::string token = InvitationTokenFor(w.data_dir() + "/outbox", t.email);
  Client anon(w.port());
  Reply look = anon.Post("/api/invitations/lookup", "{\"token\":" + Q(token) + "}");
  ASSERT_EQ(look.status, 200) << Describe(look);
  EXPECT_EQ(look.Size("signing_methods"), 0) << look.body;  // nothing to choose: she signs already
  Reply with_pin = anon.Post("/api/invitations/accept", "{\"token\":" + Q(token) +
                                                            ",\"password\":\"otra-contraseña-larga\",\"pin\":\"pin-ajeno-97531\"}");
  EXPECT_EQ(with_pin.status, 400) << Describe(with_pin);
  EXPECT_EQ(with_pin.Code(), "api.bad_field");
  EXPECT_EQ(CredentialsOf(w, t.id), before);
  Reply reset = anon.Post("/api/invitations/accept",
                          "{\"token\":" + Q(token) + ",\"password\":\"otra-contraseña-larga\"}");
  EXPECT_EQ(reset.status, 200) << Describe(reset);
  EXPECT_EQ(CredentialsOf(w, t.id), before);
}

TEST(ApiSecurityTest, FiftyParallelWrongPasswordsCheckAtMostTheLimit) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const WorldPerson& t = w.person("titular");
  const uint64_t scrypt_before = api::PasswordScryptRunsSoFar();
  std::vector<std::thread> threads;
  std::vector<Reply> replies(50);
  for (size_t i = 0; i < replies.size(); ++i) {
    threads.emplace_back([&, i] {
      replies[i] = Client(w.port()).Post("/api/auth/token", "{\"login\":" + Q(t.email) +
                                                                ",\"password\":\"adivinanza-" + std::to_string(i) + "\"}");
    });
  }
  for (auto& th : threads) th.join();
  std::map<std::string, int> codes;
  for (const auto& r : replies) ++codes[std::to_string(r.status) + " " + r.Code()];
  EXPECT_EQ(codes["401 api.login_failed"], 5) << ::testing::PrintToString(codes);
  EXPECT_EQ(codes["429 api.too_many_logins"], 45) << ::testing::PrintToString(codes);
  EXPECT_EQ(Count(w, "SELECT count(*) FROM srv_login_failure"), 5);
  EXPECT_EQ(api::PasswordScryptRunsSoFar() - scrypt_before, 5u);  // only the admitted ones were checked
  // Locked: even the right password is refused until the window moves.
  Reply right = Client(w.port()).Post("/api/auth/token", "{\"login\":" + Q(t.email) + ",\"password\":" + Q(t.password) + "}");
  EXPECT_EQ(right.status, 429) << Describe(right);
}

TEST(ApiSecurityTest, TwentyParallelWrongPinsCheckAtMostThree) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const WorldPerson& t = w.person("titular");
  std::vector<std::thread> threads;
  std::vector<Reply> replies(20);
  for (size_t i = 0; i < replies.size(); ++i) {
    threads.emplace_back([&, i] {
      replies[i] = w.As("titular").Post("/api/me/credentials", "{\"pin\":\"pin-nuevo-24680\",\"current_pin\":\"00000" +
                                                                   std::to_string(i % 10) + "\"}");
    });
  }
  for (auto& th : threads) th.join();
  int wrong = 0;
  for (const auto& r : replies) {
    wrong += r.Code() == "keys.wrong_pin";
    EXPECT_TRUE(r.Code() == "keys.wrong_pin" || r.Code() == "keys.locked" || r.Code() == "keys.attempts_in_progress")
        << Describe(r);
  }
  EXPECT_EQ(wrong, 3);
  EXPECT_EQ(Count(w, "SELECT count(*) FROM audit_log WHERE action = 'keys.pin_rejected'"), 3);
  Reply right = w.As("titular").Post("/api/me/credentials",
                                     "{\"pin\":\"pin-nuevo-24680\",\"current_pin\":" + Q(t.pin) + "}");
  EXPECT_EQ(right.Code(), "keys.locked") << Describe(right);
}

TEST(ApiSecurityTest, BadTextAndBadTimesAreRefusedWithTheirPathAndWriteNothing) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string sec = "/api/secretariats/" + std::to_string(w.secretariat);
  struct Case {
    std::string path, body, code, field;
  } cases[] = {
      {"/api/people", std::string("{\"full_name\":\"Ana\\u0000Ejemplo\"}"), "api.bad_text", "full_name"},
      {"/api/people", "{\"full_name\":\"Ana \\u202eolpmejE\"}", "api.bad_text", "full_name"},
      {"/api/people", "{\"full_name\":\"Ana \\u2066Ejemplo\"}", "api.bad_text", "full_name"},
      {"/api/people", "{\"full_name\":\"Ana\\nEjemplo\"}", "api.bad_text", "full_name"},
      {"/api/people", "{\"full_name\":\"" + std::string(201, 'a') + "\"}", "api.bad_text", "full_name"},
      {"/api/people", "{\"full_name\":\"Ana\",\"title\":\"Jefa\\u200f\"}", "api.bad_text", "title"},
      {sec + "/sessions",
       R"({"kind":"ordinary","starts_at":"2026-03-02T10:00:00+99:99","place":"Sala","agenda":["Uno"]})",
       "api.bad_field", "starts_at"},
      {sec + "/sessions",
       R"({"kind":"ordinary","starts_at":"2026-03-02T10:00:60-06:00","place":"Sala","agenda":["Uno"]})",
       "api.bad_field", "starts_at"},
      {sec + "/sessions",
       "{\"kind\":\"ordinary\",\"starts_at\":\"2026-03-02T10:00:00-06:00\",\"place\":\"Sala\",\"agenda\":[\"Uno\","
       "\"Dos\\u202e\"]}",
       "api.bad_text", "agenda[1]"},
  };
  const std::string before = DumpDatabase(w.data_dir() + "/rubrica.db");
  for (const auto& c : cases) {
    Reply r = w.As(c.path == "/api/people" ? "admin" : "facilitator").Post(c.path, c.body);
    EXPECT_EQ(r.status, 400) << c.body << ": " << Describe(r);
    EXPECT_EQ(r.Code(), c.code) << c.body;
    EXPECT_EQ(r.Str("error.message_en").rfind(c.field + ": ", 0), 0u) << c.body << ": " << r.body;
  }
  EXPECT_EQ(DumpDatabase(w.data_dir() + "/rubrica.db"), before);
  // What is accepted is stored in NFC.
  Reply ok = w.As("admin").Post("/api/people", "{\"full_name\":\"Jose\\u0301 Ficticio\"}");
  ASSERT_EQ(ok.status, 201) << Describe(ok);
  Reply got = w.As("admin").Get("/api/people/" + std::to_string(ok.Int("person_id")));
  EXPECT_EQ(got.Str("full_name"), "Jos\xC3\xA9 Ficticio") << got.body;
}

TEST(ApiSecurityTest, AnonymousCallersCannotTellWhichIdsExist) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Client anon(w.port());
  const std::string real_person = std::to_string(w.person("titular").id);
  const std::string real_sec = std::to_string(w.secretariat);
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"/api/people/" + real_person, "/api/people/987654"},
      {"/api/accounts", "/api/accounts"},
      {"/api/secretariats/" + real_sec + "/signing-readiness", "/api/secretariats/987654/signing-readiness"},
      {"/api/actas/987653", "/api/actas/987654"},
  };
  for (const auto& [real, missing] : pairs) {
    Reply a = anon.Get(real), b = anon.Get(missing);
    EXPECT_EQ(a.status, 401) << real << ": " << Describe(a);
    EXPECT_EQ(b.status, 401) << missing << ": " << Describe(b);
    EXPECT_EQ(a.Code(), b.Code()) << real;
  }
  Reply post = anon.Post("/api/people/987654/reenrolment");
  EXPECT_EQ(post.status, 401) << Describe(post);
}

TEST(ApiSecurityTest, LoginReplacesAnyCookieItIsSentWithANewSession) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const WorldPerson& t = w.person("titular");
  const std::string body = "{\"login\":" + Q(t.email) + ",\"password\":" + Q(t.password) + "}";
  // An expired or made-up session cookie does not block logging in.
  Reply stale = Client(w.port()).Send("POST", "/api/auth/login", body, "application/json",
                                      {{"Cookie", "rubrica_session=caducada-o-inventada"}});
  ASSERT_EQ(stale.status, 200) << Describe(stale);
  const std::string set = stale.headers.at("set-cookie");
  EXPECT_NE(set.find("rubrica_session="), std::string::npos);
  EXPECT_EQ(set.find("caducada"), std::string::npos);
  // A live one is replaced by a new id: a cookie planted before login is never the session.
  Client first = LoginBrowser(w.port(), t.email, t.password);
  ASSERT_EQ(first.Get("/api/me").status, 200);
  Reply again = Client(w.port()).Send("POST", "/api/auth/login", body, "application/json",
                                      {{"Cookie", "rubrica_session=" + first.session()}});
  ASSERT_EQ(again.status, 200) << Describe(again);
  EXPECT_EQ(again.headers.at("set-cookie").find(first.session()), std::string::npos);
}

TEST(ApiSecurityTest, TheFacilitatorSeesWhoCannotSign) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Reply r = w.As("facilitator").Get("/api/secretariats/" + std::to_string(w.secretariat) + "/signing-readiness");
  ASSERT_EQ(r.status, 200) << Describe(r);
  ASSERT_GT(r.Size("people"), 0);
  bool titular_can = false;
  for (int i = 0; i < r.Size("people"); ++i) {
    const std::string at = "people[" + std::to_string(i) + "]";
    if (r.Int(at + ".person_id") == w.person("titular").id) {
      titular_can = r.Bool(at + ".can_sign");
      EXPECT_EQ(r.Str(at + ".account"), "active");
      EXPECT_EQ(r.Str(at + ".signing_methods[0]"), "pin");
    }
  }
  EXPECT_TRUE(titular_can);
  EXPECT_EQ(w.As("titular").Get("/api/secretariats/" + std::to_string(w.secretariat) + "/signing-readiness").status, 403);
}

TEST(ApiSecurityTest, EverythingTheServiceWroteIsItsOwnersAlone) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kRubric);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  int checked = 0;
  auto check = [&](const std::string& p) {
    struct stat st;
    ASSERT_EQ(::lstat(p.c_str(), &st), 0) << p;
    EXPECT_EQ(st.st_mode & 077, 0u) << p << " mode " << std::oct << (st.st_mode & 0777);
    ++checked;
  };
  check(w.data_dir());
  for (const auto& e : std::filesystem::recursive_directory_iterator(w.data_dir())) check(e.path().string());
  EXPECT_GT(checked, 10);
}

}  // namespace
}  // namespace rubrica::server::testing
