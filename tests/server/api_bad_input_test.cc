// Bad input on the real service: each gets its own error (stable code, Spanish message, the
// right status) and writes nothing. Worlds are copies of one acta in the rubric state whose
// substitute signs with a device-held key.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <csignal>
#include <memory>

#include "api_world.h"
#include "db_snapshot.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

using namespace std::chrono;

// The N of "Espere N segundos" in a refusal's Spanish message (-1 when absent).
int SecondsToWait(const Reply& r) {
  const std::string m = r.Str("error.message");
  const size_t at = m.find("Espere ");
  if (at == std::string::npos) return -1;
  return std::atoi(m.c_str() + at + 7);
}

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    WorldOptions o;
    o.titular2_attends = false;
    o.external_suplente = true;
    base_ = new ApiWorld(o);
    base_->AdvanceTo(Stage::kRubric);
  }
  static void TearDownTestSuite() {
    delete base_;
    base_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(base_, nullptr);
    ASSERT_EQ(base_->stage(), Stage::kRubric);
    w_ = std::make_unique<ApiWorld>(*base_, ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  std::string Db() const { return DumpDatabase(w_->data_dir() + "/rubrica.db"); }
  std::string Workflow() const { return DumpTables(w_->data_dir() + "/rubrica.db", "wf_"); }
  std::vector<std::string> Blobs() const { return ListFilesRecursive(w_->data_dir() + "/blobs"); }
  std::string Acta() const { return "/api/actas/" + std::to_string(w_->acta); }

  // Sends and expects a refusal with `status` and `code`, a Spanish message, and the database
  // and the blob store unchanged.
  Reply ExpectRefused(const std::function<Reply()>& send, int status, const std::string& code) {
    const std::string before = Db();
    const auto blobs = Blobs();
    Reply r = send();
    EXPECT_EQ(r.status, status) << Describe(r);
    EXPECT_EQ(r.Code(), code) << Describe(r);
    EXPECT_FALSE(r.Str("error.message").empty());
    EXPECT_NE(r.Str("error.message"), r.Str("error.message_en"));
    EXPECT_EQ(Db(), before) << code << " changed the database";
    EXPECT_EQ(Blobs(), blobs) << code << " stored a blob";
    return r;
  }

  static ApiWorld* base_;
  std::unique_ptr<ApiWorld> w_;
};

ApiWorld* BadInputTest::base_ = nullptr;

TEST_F(BadInputTest, MalformedJsonWrongTypesAndUnknownFieldsNameTheField) {
  Client f = w_->As("facilitator");
  const std::string comments = Acta() + "/comments";
  const std::string sessions = "/api/secretariats/" + std::to_string(w_->secretariat) + "/sessions";
  struct Case {
    const char* name;
    std::string path;
    std::string body;
    std::string code;
    std::string path_in_message;
  };
  const std::vector<Case> cases = {
      {"not json", sessions, "{kind: ordinary", "api.bad_json", ""},
      {"not an object", sessions, "[1,2,3]", "api.bad_json", ""},
      {"truncated", sessions, "{\"kind\":\"ordinary\"", "api.bad_json", ""},
      {"invalid utf-8", sessions, "{\"kind\":\"ordin\xff\xfe\"}", "api.bad_json", ""},
      {"nesting bomb", sessions, std::string(100, '[') + std::string(100, ']'), "api.bad_json", ""},
      {"missing field", sessions, R"({"kind":"ordinary","place":"Sala","agenda":["x"]})",
       "api.bad_field", "starts_at"},
      {"string for a list", sessions,
       R"({"kind":"ordinary","starts_at":"2026-03-23T10:00:00-06:00","place":"Sala","agenda":"x"})",
       "api.bad_field", "agenda"},
      {"enum out of range", sessions,
       R"({"kind":"urgent","starts_at":"2026-03-23T10:00:00-06:00","place":"Sala","agenda":["x"]})",
       "api.bad_field", "kind"},
      {"time without offset", sessions,
       R"({"kind":"ordinary","starts_at":"2026-03-23","place":"Sala","agenda":["x"]})",
       "api.bad_field", "starts_at"},
      {"unknown field", sessions,
       R"({"kind":"ordinary","starts_at":"2026-03-23T10:00:00-06:00","place":"Sala","agenda":["x"],"urgente":true})",
       "api.bad_field", "urgente"},
      {"number as string", "/api/sessions/" + std::to_string(w_->next_session) + "/attendance",
       R"({"person_id":"7"})", "api.bad_field", "person_id"},
      {"vote with a bad choice", Acta() + "/reapproval",
       R"({"votes":[{"person_id":1,"choice":"yes"},{"person_id":2,"choice":"maybe"}]})",
       "api.bad_field", "votes[1].choice"},
      {"boolean for an id", comments, R"({"text":true})", "api.bad_field", "text"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Reply r = ExpectRefused([&] { return f.Post(c.path, c.body); }, 400, c.code);
    if (!c.path_in_message.empty()) {
      EXPECT_NE(r.Str("error.message_en").find(c.path_in_message), std::string::npos) << r.body;
    }
  }
}

TEST_F(BadInputTest, ActaContentIsCheckedAgainstTheActaFormatBeforeItIsStored) {
  ASSERT_EQ(w_->As("facilitator").Post(Acta() + "/review").status, 409);  // in rubric already
  // A new acta whose content does not follow the format is refused with its JSON path.
  Reply r = ExpectRefused(
      [&] {
        return w_->As("facilitator")
            .Post("/api/secretariats/" + std::to_string(w_->secretariat) + "/actas",
                  R"({"kind":"installation","title":"Acta","acta_date":"2026-01-05",)"
                  R"("content":{"id":"x","kind":"instalacion","secretariat":"S","title":"T",)"
                  R"("blocks":[{"type":"paragraph","text":7}]}})");
      },
      400, "pdf.bad_acta_json");
  EXPECT_NE(r.Str("error.message_en").find("blocks[0].text"), std::string::npos) << r.body;
}

TEST_F(BadInputTest, HugeBodiesAreRefusedBeforeTheyAreRead) {
  Client f = w_->As("facilitator");
  const std::string path = Acta() + "/comments";
  // Over the JSON limit (2 MiB): 413 from the API.
  const std::string big = "{\"text\":\"" + std::string(3u << 20, 'a') + "\"}";
  ExpectRefused([&] { return f.Post(path, big); }, 413, "api.bad_json");
  // Over the service's body limit (32 MiB), as declared: refused from Content-Length,
  // before a byte of the body is read.
  const std::map<std::string, std::string> huge = {{"Content-Length", std::to_string((32u << 20) + 10)}};
  ExpectRefused([&] { return f.Send("POST", path, "{}", "application/json", huge); }, 413,
                "server.body_too_large");
  ExpectRefused([&] { return f.Send("POST", "/api/verify", "%PDF-1.7\n", "application/pdf", huge); }, 413,
                "server.body_too_large");
}

TEST_F(BadInputTest, WrongPinLocksTheKeyOutWith429AndRetryAfterAndSignsNothing) {
  Client t = w_->As("titular");
  const std::string wf = Workflow();
  for (int i = 0; i < 3; ++i) {
    Reply r = t.Post(Acta() + "/rubric", R"({"pin":"pin-equivocado"})");
    EXPECT_EQ(r.status, 422) << Describe(r);
    EXPECT_EQ(r.Code(), "keys.wrong_pin");
  }
  Reply locked = t.Post(Acta() + "/rubric", R"({"pin":"pin-equivocado"})");
  EXPECT_EQ(locked.status, 429) << Describe(locked);
  EXPECT_EQ(locked.Code(), "keys.locked");
  ASSERT_FALSE(locked.headers["retry-after"].empty());
  const int wait = std::stoi(locked.headers["retry-after"]);
  EXPECT_GE(wait, 1);
  EXPECT_LE(wait, 3600);
  // The header and the message tell the member the same wait.
  EXPECT_EQ(wait, SecondsToWait(locked)) << Describe(locked);
  // While locked even the right PIN is refused without being tried.
  Reply right_but_locked = t.Post(Acta() + "/rubric", "{\"pin\":" + Q(w_->person("titular").pin) + "}");
  EXPECT_EQ(right_but_locked.status, 429) << Describe(right_but_locked);
  EXPECT_FALSE(right_but_locked.headers["retry-after"].empty());
  // No signature, no state change: the workflow's records are as they were (the key
  // store counts the wrong PINs, by design).
  EXPECT_EQ(Workflow(), wf);
  EXPECT_FALSE(t.Get(Acta()).Bool("signers[0].rubric_signed"));
  // After the wait, the right PIN signs.
  w_->SetClock(w_->clock().Now() + seconds(wait + 1));
  Reply ok = w_->As("titular").Post(Acta() + "/rubric", "{\"pin\":" + Q(w_->person("titular").pin) + "}");
  EXPECT_EQ(ok.status, 200) << Describe(ok);
}

// A full disk while a member signs, simulated by capping the size of any file this process
// writes (RLIMIT_FSIZE: the new revision's blob, the database's WAL): the member gets a
// clear error, nothing is half-written (no blob, no temporary file, no record), and once
// there is room again the same request signs.
TEST_F(BadInputTest, AFullDiskWhileSigningLosesNothingAndTheSameRequestWorksAfterwards) {
  Client t = w_->As("titular");
  const std::string pin = "{\"pin\":" + Q(w_->person("titular").pin) + "}";
  const std::string db = Db();
  const auto blobs = Blobs();
  struct rlimit saved {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit tight = saved;
  tight.rlim_cur = 16 * 1024;  // every file of the data directory is larger already
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &tight), 0);
  Reply full = t.Post(Acta() + "/rubric", pin);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_EQ(full.status, 500) << Describe(full);
  EXPECT_EQ(full.Code(), "base.disk_full") << Describe(full);
  EXPECT_NE(full.Str("error.message").find("espacio en disco"), std::string::npos) << Describe(full);
  EXPECT_EQ(Db(), db) << "a failed signing changed the database";
  EXPECT_EQ(Blobs(), blobs) << "a failed signing left a file in the blob store";

  Reply ok = t.Post(Acta() + "/rubric", pin);
  EXPECT_EQ(ok.status, 200) << Describe(ok);
  EXPECT_TRUE(t.Get(Acta()).Bool("signers[0].rubric_signed"));
  EXPECT_EQ(Blobs().size(), blobs.size() + 1);
}

TEST_F(BadInputTest, ExternalTicketsAreOneTimeShortLivedBoundAndCheckTheBytes) {
  Client s = w_->As("suplente");
  auto prepare = [&] {
    Reply p = s.Post(Acta() + "/sign/prepare", R"({"kind":"rubric"})");
    EXPECT_EQ(p.status, 201) << Describe(p);
    return p;
  };
  auto finalize_body = [&](const Reply& p, const std::string& signed_bytes) {
    return "{\"ticket\":" + Q(p.Str("ticket")) + ",\"signature\":" +
           Q(Base64Encode(w_->DeviceSign(signed_bytes))) + "}";
  };
  auto attrs = [](const Reply& p) { return *Base64Decode(p.Str("signed_attributes")); };

  // A signature over other bytes than the prepared ones.
  Reply p1 = prepare();
  ExpectRefused([&] { return s.Post(Acta() + "/sign/finalize", finalize_body(p1, "otros bytes")); },
                422, "signing.bad_external_signature");
  // Garbage that is not base64, and a ticket nobody issued.
  ExpectRefused([&] { return s.Post(Acta() + "/sign/finalize", "{\"ticket\":\"x\",\"signature\":\"%%%\"}"); },
                400, "api.bad_field");
  ExpectRefused(
      [&] { return s.Post(Acta() + "/sign/finalize", "{\"ticket\":\"inventado\",\"signature\":\"AAAA\"}"); },
      404, "api.ticket_unknown");
  // Someone else's ticket.
  ExpectRefused([&] { return w_->As("titular").Post(Acta() + "/sign/finalize", finalize_body(p1, attrs(p1))); },
                403, "api.ticket_not_yours");
  // Expired: five minutes pass.
  Reply p2 = prepare();
  w_->SetClock(w_->clock().Now() + minutes(6));
  s = w_->As("suplente");
  ExpectRefused([&] { return s.Post(Acta() + "/sign/finalize", finalize_body(p2, attrs(p2))); }, 422,
                "api.ticket_expired");
  // The revision moves on (the titular rubricates) between prepare and finalize.
  Reply p3 = prepare();
  ASSERT_EQ(w_->As("titular").Post(Acta() + "/rubric", "{\"pin\":" + Q(w_->person("titular").pin) + "}").status,
            200);
  ExpectRefused([&] { return s.Post(Acta() + "/sign/finalize", finalize_body(p3, attrs(p3))); }, 409,
                "api.revision_moved");
  // A good one signs once; replaying it is refused.
  Reply p4 = prepare();
  const std::string good = finalize_body(p4, attrs(p4));
  Reply ok = s.Post(Acta() + "/sign/finalize", good);
  ASSERT_EQ(ok.status, 200) << Describe(ok);
  EXPECT_EQ(ok.Str("state"), "rubric");
  ExpectRefused([&] { return s.Post(Acta() + "/sign/finalize", good); }, 409, "api.ticket_used");
}

TEST_F(BadInputTest, BrowserSessionsNeedTheirCsrfTokenBearerTokensDoNot) {
  Client f = w_->As("facilitator");
  ASSERT_FALSE(f.csrf().empty());
  const std::string path = Acta() + "/comments";
  Client no_csrf(w_->port());
  no_csrf.Cookie(f.session(), "");
  ExpectRefused([&] { return no_csrf.Post("/api/secretariats/" + std::to_string(w_->secretariat) + "/plans",
                                          R"({"title":"Plan"})"); },
                403, "api.csrf_failed");
  Client wrong_csrf(w_->port());
  wrong_csrf.Cookie(f.session(), "otro-token");
  ExpectRefused([&] { return wrong_csrf.Post("/api/secretariats/" + std::to_string(w_->secretariat) + "/plans",
                                             R"({"title":"Plan"})"); },
                403, "api.csrf_failed");
  // Reads need no CSRF token; the session works with its token.
  EXPECT_EQ(no_csrf.Get(Acta()).status, 200);
  EXPECT_EQ(f.Post("/api/secretariats/" + std::to_string(w_->secretariat) + "/plans", R"({"title":"Plan"})").status,
            201);
  // A bearer token presented as a cookie is not a browser session.
  Client as_cookie(w_->port());
  as_cookie.Cookie(w_->person("titular").token, "x");
  ExpectRefused([&] { return as_cookie.Get("/api/me"); }, 401, "api.unauthenticated");
}

TEST_F(BadInputTest, LoginsAreRateLimitedAndSessionsExpireAndEndAtLogout) {
  Client anon(w_->port());
  const std::string wrong = R"({"login":"mariana.ortiz@villa-esperanza.example","password":"no-es-esta"})";
  for (int i = 0; i < 5; ++i) {
    Reply r = anon.Post("/api/auth/token", wrong);
    EXPECT_EQ(r.status, 401) << Describe(r);
    EXPECT_EQ(r.Code(), "api.login_failed");
  }
  Reply limited = ExpectRefused([&] { return anon.Post("/api/auth/token", wrong); }, 429, "api.too_many_logins");
  ASSERT_FALSE(limited.headers["retry-after"].empty());
  EXPECT_EQ(std::stoi(limited.headers["retry-after"]), SecondsToWait(limited)) << Describe(limited);
  // Even the right password waits (the limit is per login).
  const WorldPerson& t = w_->person("titular");
  Reply right = anon.Post("/api/auth/token", "{\"login\":" + Q(t.email) + ",\"password\":" + Q(t.password) + "}");
  EXPECT_EQ(right.status, 429);
  // A restart does not forget the failures (they are in the database), and a failure is
  // recorded per login: another person logs in meanwhile.
  w_->StopService();
  w_->StartService();
  anon = Client(w_->port());
  Reply after_restart =
      anon.Post("/api/auth/token", "{\"login\":" + Q(t.email) + ",\"password\":" + Q(t.password) + "}");
  EXPECT_EQ(after_restart.status, 429) << Describe(after_restart);
  const WorldPerson& g2 = w_->person("garante");
  Reply other = anon.Post("/api/auth/token", "{\"login\":" + Q(g2.email) + ",\"password\":" + Q(g2.password) + "}");
  EXPECT_EQ(other.status, 200) << Describe(other);
  // Sessions: an unknown token, an expired one, a logged-out one.
  Client forged(w_->port());
  forged.Bearer("token-inventado");
  ExpectRefused([&] { return forged.Get("/api/me"); }, 401, "api.unauthenticated");
  Client g = w_->As("garante");
  ASSERT_EQ(g.Post("/api/auth/logout").status, 200);
  ExpectRefused([&] { return g.Get("/api/me"); }, 401, "api.session_expired");
  Client o = w_->As("observer");
  w_->clock().Advance(hours(9));
  ExpectRefused([&] { return o.Get("/api/me"); }, 401, "api.session_expired");
  // After the window, the right password logs in again.
  w_->clock().Advance(minutes(16));
  Reply later = anon.Post("/api/auth/token", "{\"login\":" + Q(t.email) + ",\"password\":" + Q(t.password) + "}");
  EXPECT_EQ(later.status, 200) << Describe(later);
}

TEST_F(BadInputTest, InvitationsWorkOnceAndExpire) {
  Client admin = w_->As("admin");
  Reply person = admin.Post("/api/people", R"({"full_name":"Inés Robles Mata","email":"ines.robles@example.invalid"})");
  ASSERT_EQ(person.status, 201);
  Reply account = admin.Post("/api/accounts", "{\"email\":\"ines.robles@example.invalid\",\"person_id\":" +
                                                  std::to_string(person.Int("person_id")) + "}");
  ASSERT_EQ(account.status, 201) << Describe(account);
  const std::string token = InvitationTokenFor(w_->data_dir() + "/outbox", "ines.robles@example.invalid");
  ASSERT_FALSE(token.empty());
  Client anon(w_->port());
  // A weak password or PIN leaves the invitation usable.
  ExpectRefused([&] { return anon.Post("/api/invitations/accept", "{\"token\":" + Q(token) + ",\"password\":\"corta\"}"); },
                400, "api.weak_password");
  ExpectRefused([&] { return anon.Post("/api/invitations/accept", "{\"token\":" + Q(token) +
                                                                      ",\"password\":\"una-clave-segura\",\"pin\":\"12\"}"); },
                400, "keys.weak_pin");
  Reply ok = anon.Post("/api/invitations/accept", "{\"token\":" + Q(token) + ",\"password\":\"una-clave-segura\",\"pin\":\"123456\"}");
  ASSERT_EQ(ok.status, 200) << Describe(ok);
  EXPECT_EQ(ok.Str("credential.origin"), "local-ca");
  ExpectRefused([&] { return anon.Post("/api/invitations/accept", "{\"token\":" + Q(token) + ",\"password\":\"otra-clave-segura\"}"); },
                422, "api.invitation_invalid");
  // A new invitation for the administrator's reset expires after seven days.
  ASSERT_EQ(admin.Post("/api/accounts/" + std::to_string(account.Int("account.id")) + "/invitation").status, 200);
  const std::string again = InvitationTokenFor(w_->data_dir() + "/outbox", "ines.robles@example.invalid");
  ASSERT_NE(again, token);
  w_->clock().Advance(hours(24 * 7 + 1));
  ExpectRefused([&] { return anon.Post("/api/invitations/accept", "{\"token\":" + Q(again) + ",\"password\":\"otra-clave-segura\"}"); },
                422, "api.invitation_invalid");
}

TEST_F(BadInputTest, UploadsAreCheckedBeforeTheyAreStored) {
  Client t = w_->As("titular");
  const std::string report = "/api/terms/" + std::to_string(w_->person("titular").term) + "/report";
  ExpectRefused([&] { return t.Post(report, "{\"summary\":\"Informe\",\"report_pdf\":" + Q(Base64Encode("no soy un PDF")) + "}"); },
                422, "api.bad_pdf");
  ExpectRefused([&] { return t.Post(report, "{\"summary\":\"Informe\",\"report_pdf\":" +
                                                Q(Base64Encode("%PDF-1.7\n1 0 obj << /Kids [")) + "}"); },
                422, "api.bad_pdf");
  // Verification of garbage is a report (could not be processed), nothing is stored.
  const auto blobs = Blobs();
  Reply v = t.Send("POST", "/api/verify", "%PDF-1.7 basura", "application/pdf");
  ASSERT_EQ(v.status, 200) << Describe(v);
  EXPECT_EQ(v.Int("exit_code"), 2);
  EXPECT_EQ(v.Str("report.result.error_code"), "pdf.not_a_pdf");
  EXPECT_EQ(Blobs(), blobs);
  ExpectRefused([&] { return t.Send("POST", "/api/verify", "%PDF-1.7", "application/json"); }, 400,
                "api.bad_content_type");
}

TEST_F(BadInputTest, AnExpiredCertificateIsRefusedWithItsDate) {
  auto cer = ReadFile(rubrica::testing::SourceDir() + "/tests/fixtures/efirma-sat-pruebas/certificate.cer");
  ASSERT_TRUE(cer.ok());
  Reply r = ExpectRefused(
      [&] {
        // With the current PIN (the second factor), so the certificate itself is judged.
        return w_->As("titular").Post("/api/me/credentials/external",
                                      "{\"certificate\":" + Q(Base64Encode(*cer)) +
                                          ",\"current_pin\":" + Q(w_->person("titular").pin) + "}");
      },
      422, "keys.certificate_expired");
  EXPECT_NE(r.Str("error.message_en").find("expired on 2021-05-15"), std::string::npos) << r.body;
  EXPECT_NE(r.Str("error.message").find("2021-05-15"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace rubrica::server::testing
