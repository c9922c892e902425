// `rubrica sign --server URL`, the device side of external signing, run as a real process
// against the real service: it signs with a key that never leaves it, and it reports the
// server's refusals (the SAT test e.firma expired on 2021-05-15) without writing anything.
#include <gtest/gtest.h>

#include "api_world.h"
#include "db_snapshot.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;
using rubrica::testing::SourceDir;

class SignCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WorldOptions o;
    o.titular2_attends = false;
    o.external_suplente = true;
    w_ = std::make_unique<ApiWorld>(o);
    w_->AdvanceTo(Stage::kRubric);
    ASSERT_FALSE(HasFatalFailure());
    dir_ = w_->dir() + "/device";
    ASSERT_TRUE(MakeDirs(dir_).ok());
    ASSERT_TRUE(WriteFileAtomic(dir_ + "/emilio.cer", w_->device().cer_der).ok());
    ASSERT_TRUE(WriteFileAtomic(dir_ + "/emilio.key", w_->device().key_pem).ok());
    ASSERT_TRUE(WriteFileAtomic(dir_ + "/key-password.txt", w_->device().key_password + "\n").ok());
  }

  // `rubrica sign` as `role`, with the account password in a file.
  rubrica::testing::CommandResult Sign(const std::string& role, const std::string& kind,
                                       const std::string& cer, const std::string& key,
                                       const std::string& key_password_file) {
    const WorldPerson& p = w_->person(role);
    const std::string password_file = dir_ + "/" + role + "-password.txt";
    EXPECT_TRUE(WriteFileAtomic(password_file, p.password + "\n").ok());
    return RunCommand({RubricaBinary(), "sign", "--server", "http://127.0.0.1:" + std::to_string(w_->port()),
                       "--login", p.email, "--acta", std::to_string(w_->acta), "--kind", kind, "--cer", cer,
                       "--key", key, "--password-file", password_file, "--key-password-file",
                       key_password_file});
  }

  std::unique_ptr<ApiWorld> w_;
  std::string dir_;
};

TEST_F(SignCliTest, SignsRubricAndFootWithAKeyThatStaysOnTheDevice) {
  // The other signers rubricate with their PINs; the substitute from the terminal.
  for (const char* k : {"titular", "garante"}) {
    ASSERT_EQ(w_->As(k).Post("/api/actas/" + std::to_string(w_->acta) + "/rubric",
                             "{\"pin\":" + Q(w_->person(k).pin) + "}").status, 200);
  }
  auto r = Sign("suplente", "rubric", dir_ + "/emilio.cer", dir_ + "/emilio.key", dir_ + "/key-password.txt");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Rúbrica registrada en el acta " + std::to_string(w_->acta)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("foot_signature"), std::string::npos) << r.out;
  auto foot = Sign("suplente", "foot", dir_ + "/emilio.cer", dir_ + "/emilio.key", dir_ + "/key-password.txt");
  ASSERT_EQ(foot.exit_code, 0) << foot.out << foot.err;
  Reply acta = w_->As("suplente").Get("/api/actas/" + std::to_string(w_->acta));
  bool found = false;
  for (int i = 0; i < acta.Size("signers"); ++i) {
    const std::string s = "signers[" + std::to_string(i) + "]";
    if (acta.Int(s + ".person_id") != w_->person("suplente").id) continue;
    found = true;
    EXPECT_TRUE(acta.Bool(s + ".rubric_signed"));
    EXPECT_TRUE(acta.Bool(s + ".foot_signed"));
  }
  EXPECT_TRUE(found);
}

TEST_F(SignCliTest, TheExpiredSatEfirmaIsRefusedByTheServerWithItsDate) {
  const std::string sat = SourceDir() + "/tests/fixtures/efirma-sat-pruebas";
  const std::string before = DumpTables(w_->data_dir() + "/rubrica.db", "wf_");
  // The SAT test key opens with its password: the refusal is the server's, about the date.
  auto r = Sign("titular", "rubric", sat + "/certificate.cer", sat + "/private_key.key", sat + "/password.txt");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("expired on 2021-05-15"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("El certificado venció el 2021-05-15"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[keys.certificate_expired]"), std::string::npos) << r.err;
  EXPECT_EQ(DumpTables(w_->data_dir() + "/rubrica.db", "wf_"), before);
  EXPECT_EQ(w_->As("titular").Get("/api/me/credentials").Size("credentials"), 1);  // only the PIN key
}

TEST_F(SignCliTest, KeyProblemsAreReportedBeforeAnythingReachesTheServer) {
  const std::string sat = SourceDir() + "/tests/fixtures/efirma-sat-pruebas";
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/wrong.txt", "no-es-la-clave\n").ok());
  struct Case {
    const char* name;
    std::string cer, key, key_password;
    int exit_code;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"wrong key password", dir_ + "/emilio.cer", dir_ + "/emilio.key", dir_ + "/wrong.txt", 1,
       "[keys.wrong_password]"},
      {"key of another certificate", dir_ + "/emilio.cer", sat + "/private_key.key", sat + "/password.txt", 1,
       "[keys.key_certificate_mismatch]"},
      {"not a certificate", dir_ + "/wrong.txt", dir_ + "/emilio.key", dir_ + "/key-password.txt", 1,
       "[keys.bad_certificate]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = Sign("suplente", "rubric", c.cer, c.key, c.key_password);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_NE(r.err.find(c.code), std::string::npos) << r.err;
  }
  // Usage: a missing option, a bad kind, an https URL without TLS support.
  for (const std::vector<std::string>& argv :
       {std::vector<std::string>{RubricaBinary(), "sign", "--server", "http://127.0.0.1:1"},
        std::vector<std::string>{RubricaBinary(), "sign", "--server", "http://127.0.0.1:1", "--login", "x",
                                 "--acta", "1", "--kind", "sello", "--cer", "c", "--key", "k"},
        std::vector<std::string>{RubricaBinary(), "sign", "--server", "https://ejemplo.mx", "--login", "x",
                                 "--acta", "1", "--kind", "foot", "--cer", "c", "--key", "k"}}) {
    EXPECT_EQ(RunCommand(argv).exit_code, 2);
  }
}

}  // namespace
}  // namespace rubrica::server::testing
