// The administrator's `rubrica keys ...` verbs, `rubrica init` and `rubrica serve` on a
// fresh data directory, run as the real binary.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include "keys_test_support.h"
#include "rubrica/base/files.h"

namespace rubrica::keys {
namespace {

using namespace testing;
using rubrica::testing::ChildProcess;
using rubrica::testing::CommandResult;
using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;

class KeysCliTest : public ::testing::Test {
 protected:
  CommandResult Rubrica(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), RubricaBinary());
    args.insert(args.end(), {"--data-dir", data_.path()});
    return RunCommand(args, env);
  }
  // Runs with `stdin_text` on stdin (through the shell: RunCommand reads /dev/null).
  CommandResult RubricaWithStdin(const std::string& stdin_text, const std::vector<std::string>& args) {
    Spit(scratch_ / "stdin.txt", stdin_text);
    std::string cmd = "exec '" + RubricaBinary() + "'";
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " --data-dir '" + data_.path() + "' < '" + scratch_ / "stdin.txt" + "'";
    return RunCommand({"/bin/sh", "-c", cmd});
  }
  CommandResult Enrol(const std::string& holder, const std::vector<std::string>& pin_args) {
    std::vector<std::string> args = {"keys", "enrol", "--holder", holder, "--name", "Ana Ejemplo Pérez",
                                     "--email", "ana.ejemplo@correo.example", "--role", "Titular de academia",
                                     "--curp", "XEXX010101MMNXXX09", "--until", "2036-01-01"};
    args.insert(args.end(), pin_args.begin(), pin_args.end());
    return Rubrica(args);
  }

  TempDir data_;
  TempDir scratch_;
};

TEST_F(KeysCliTest, InitCreatesTheLocalCaOnceAndExportsTheTrustAnchor) {
  auto r = Rubrica({"init", "--secretariat", "Secretariado Técnico Municipal de Ejemplo"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Local CA created for Secretariado Técnico Municipal de Ejemplo"), std::string::npos) << r.out;
  const std::string ca_pem = Slurp(data_ / "trust/ca.pem");
  std::string subject = Openssl({"x509", "-in", data_ / "trust/ca.pem", "-noout", "-subject", "-nameopt",
                                 "RFC2253,-esc_msb"});
  EXPECT_NE(subject.find("O=Secretariado Técnico Municipal de Ejemplo"), std::string::npos) << subject;
  struct stat st;
  ASSERT_EQ(::stat((data_ / "secrets/master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  r = Rubrica({"init"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Local CA ready for Secretariado Técnico Municipal de Ejemplo"), std::string::npos) << r.out;
  EXPECT_EQ(Slurp(data_ / "trust/ca.pem"), ca_pem);

  r = Rubrica({"keys", "export-ca", "--out", scratch_ / "exported.pem"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Slurp(scratch_ / "exported.pem"), ca_pem);
  r = Rubrica({"keys", "export-ca"});
  EXPECT_EQ(r.out, ca_pem);
}

TEST_F(KeysCliTest, AnExternalMasterSecretMustExist) {
  auto r = Rubrica({"init"}, {"RUBRICA_MASTER_KEY_FILE=" + scratch_ / "nowhere.key"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("[keys.master_secret_missing]"), std::string::npos) << r.err;
  Spit(scratch_ / "master.hex", std::string(64, '7') + "\n");
  r = Rubrica({"init"}, {"RUBRICA_MASTER_KEY_FILE=" + scratch_ / "master.hex"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(PathExists(data_ / "secrets/master.key"));
  // The same installation with another secret is refused, not silently recreated.
  Spit(scratch_ / "other.hex", std::string(64, '8') + "\n");
  r = Rubrica({"keys", "list"}, {"RUBRICA_MASTER_KEY_FILE=" + scratch_ / "other.hex"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("[keys.master_secret_mismatch]"), std::string::npos) << r.err;
}

TEST_F(KeysCliTest, EnrolsWithThePinFromAFileAVariableOrStdinNeverAnArgument) {
  Spit(scratch_ / "pin.txt", "482913\n");
  auto r = Enrol("person:1", {"--pin-file", scratch_ / "pin.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Credential 1 for person:1 (local-ca)"), std::string::npos) << r.out;
  r = Rubrica({"keys", "enrol", "--holder", "person:2", "--name", "Luis Ejemplo", "--email", "luis@correo.example",
               "--role", "Suplente de academia", "--until", "2036-01-01", "--pin-env", "RUBRICA_TEST_PIN"},
              {"RUBRICA_TEST_PIN=975310"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = RubricaWithStdin("135790\n", {"keys", "enrol", "--holder", "person:3", "--name", "Eva Ejemplo", "--email",
                                    "eva@correo.example", "--role", "Facilitadora", "--until", "2036-01-01",
                                    "--algorithm", "rsa-2048"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  struct Refused {
    const char* name;
    std::vector<std::string> pin_args;
    const char* code;
  } refused[] = {
      {"PIN as an argument", {"--pin", "482913"}, "[cli.usage]"},
      {"no PIN at all (stdin empty)", {}, "[cli.usage]"},
      {"unset variable", {"--pin-env", "RUBRICA_NO_SUCH_VARIABLE"}, "[cli.usage]"},
      {"short PIN", {"--pin-file", scratch_ / "short.txt"}, "[keys.weak_pin]"},
  };
  Spit(scratch_ / "short.txt", "12\n");
  for (const auto& c : refused) {
    SCOPED_TRACE(c.name);
    r = Enrol("person:9", c.pin_args);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(c.code), std::string::npos) << r.err;
  }

  r = Rubrica({"keys", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* expected : {"\"holder_id\":\"person:1\"", "\"holder_id\":\"person:2\"", "\"holder_id\":\"person:3\"",
                               "\"origin\":\"local-ca\"", "\"state\":\"active\"", "\"curp\":\"XEXX010101MMNXXX09\""}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find("person:9"), std::string::npos);
  r = Rubrica({"keys", "list", "--holder", "person:2"});
  EXPECT_NE(r.out.find("Luis Ejemplo"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Eva Ejemplo"), std::string::npos);
}

TEST_F(KeysCliTest, RevocationShowsUpInTheCrl) {
  Spit(scratch_ / "pin.txt", "482913\n");
  ASSERT_EQ(Enrol("person:1", {"--pin-file", scratch_ / "pin.txt"}).exit_code, 0);
  auto r = Rubrica({"keys", "revoke", "1", "--reason", "end-of-term"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cessationOfOperation"), std::string::npos);
  r = Rubrica({"keys", "revoke", "1", "--reason", "lost-key"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("[keys.already_revoked]"), std::string::npos) << r.err;
  EXPECT_EQ(Rubrica({"keys", "revoke", "99", "--reason", "removal"}).exit_code, 1);
  EXPECT_EQ(Rubrica({"keys", "revoke", "1", "--reason", "bored"}).exit_code, 2);

  r = Rubrica({"keys", "crl", "--out", scratch_ / "crl.der"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = Openssl({"crl", "-inform", "DER", "-in", scratch_ / "crl.der", "-noout", "-text"});
  EXPECT_NE(text.find("Cessation Of Operation"), std::string::npos) << text;
  // The CRL verifies against the exported anchor.
  Openssl({"crl", "-inform", "DER", "-in", scratch_ / "crl.der", "-noout", "-CAfile", data_ / "trust/ca.pem"});
  r = Rubrica({"keys", "crl"});
  EXPECT_EQ(r.out.rfind("-----BEGIN X509 CRL-----", 0), 0u) << r.out;
  r = Rubrica({"keys", "list", "--json"});
  EXPECT_NE(r.out.find("\"revocation_reason\":\"cessationOfOperation\""), std::string::npos) << r.out;
}

TEST_F(KeysCliTest, ShowsTheSatEfirmaWithoutImportingIt) {
  const std::string cer = rubrica::testing::SourceDir() + "/tests/fixtures/efirma-sat-pruebas/certificate.cer";
  auto r = RunCommand({RubricaBinary(), "keys", "show-efirma", "--cer", cer});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* expected : {"RFC:         AAA010101AAA (representative HEGT7610034S2)",
                               "CURP:        HEGT761003MDFRNN09", "Certificate: 30001000000300023685",
                               "Valid:       2017-05-16 to 2021-05-15 (expired on 2021-05-15)"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
  r = RunCommand({RubricaBinary(), "keys", "show-efirma", "--cer", cer, "--json"});
  EXPECT_NE(r.out.find("\"rfc\":\"AAA010101AAA\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"not_after\":\"2021-05-15T23:29:17Z\",\"expired\":true"), std::string::npos) << r.out;
  EXPECT_FALSE(PathExists(data_ / "rubrica.db"));
}

TEST_F(KeysCliTest, ImportingTheExpiredEfirmaFailsClearly) {
  const std::string dir = rubrica::testing::SourceDir() + "/tests/fixtures/efirma-sat-pruebas/";
  Spit(scratch_ / "pin.txt", "482913\n");
  Spit(scratch_ / "wrong.txt", "no-es\n");
  struct Case {
    const char* name;
    std::vector<std::string> extra;
    const char* code;
    const char* text;
  } cases[] = {
      {"server-held", {"--key", dir + "private_key.key", "--password-file", dir + "password.txt", "--pin-file",
                       scratch_ / "pin.txt"},
       "[keys.certificate_expired]", "certificate expired on 2021-05-15"},
      {"external", {"--external"}, "[keys.certificate_expired]", "certificate expired on 2021-05-15"},
      {"wrong password", {"--key", dir + "private_key.key", "--password-file", scratch_ / "wrong.txt", "--pin-file",
                          scratch_ / "pin.txt"},
       "[keys.wrong_password]", ".key"},
      {"no key without --external", {"--password-file", dir + "password.txt"}, "[cli.usage]", "--key"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> args = {"keys", "import-efirma", "--holder", "person:5", "--cer", dir + "certificate.cer"};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    auto r = Rubrica(args);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(c.code), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.text), std::string::npos) << r.err;
  }
}

TEST_F(KeysCliTest, ImportsAPkcs12FromAnIssuerDroppedIntoTrustAnchors) {
  OpensslCa ca(scratch_ / "state", "Autoridad Certificadora Estatal de Pruebas");
  ca.Issue("maria", "keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n", "61");
  const std::string p12 = ca.Pkcs12("maria", "p12-secreto");
  Spit(scratch_ / "pin.txt", "482913\n");
  std::vector<std::string> args = {"keys", "import-p12", "--holder", "person:6", "--p12", p12,
                                   "--password-env", "P12_PASSWORD", "--pin-file", scratch_ / "pin.txt"};
  auto r = Rubrica(args, {"P12_PASSWORD=p12-secreto"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("[keys.untrusted_issuer]"), std::string::npos) << r.err;
  Spit(data_ / "trust/anchors/estado.pem", Slurp(ca.cert_path()));
  r = Rubrica(args, {"P12_PASSWORD=p12-secreto"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("(pkcs12)"), std::string::npos) << r.out;
  // Password then PIN on stdin.
  ca.Issue("jose", "keyUsage=critical,digitalSignature\n", "62");
  r = RubricaWithStdin("x1\n246810\n", {"keys", "import-p12", "--holder", "person:7", "--p12", ca.Pkcs12("jose", "x1")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(KeysCliTest, ServeOnAFreshDataDirectoryCreatesTheKeysAndServesAnchorAndCrl) {
  if (!rubrica::testing::HaveProgram("curl")) FAIL() << "curl is needed (scripts/setup.sh installs it)";
  ChildProcess server;
  ASSERT_TRUE(server.Start({RubricaBinary(), "serve", "--data-dir", data_.path(), "--port", "0"}));
  std::string line = server.WaitForLine("server.started", 60);
  ASSERT_FALSE(line.empty()) << server.output();
  size_t at = line.find("\"port\":");
  ASSERT_NE(at, std::string::npos) << line;
  const std::string port = std::to_string(std::stoi(line.substr(at + 7)));
  EXPECT_NE(server.output().find("\"event\":\"keys.ready\""), std::string::npos) << server.output();
  ASSERT_TRUE(PathExists(data_ / "trust/ca.pem"));
  const std::string base = "http://127.0.0.1:" + port;
  auto r = RunCommand({"curl", "-sf", base + "/keys/ca.pem"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, Slurp(data_ / "trust/ca.pem"));
  r = RunCommand({"curl", "-sf", "-o", scratch_ / "served.crl", base + "/keys/crl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Openssl({"crl", "-inform", "DER", "-in", scratch_ / "served.crl", "-noout", "-CAfile", data_ / "trust/ca.pem"});
  EXPECT_NE(Openssl({"crl", "-inform", "DER", "-in", scratch_ / "served.crl", "-noout", "-issuer"}).find("emisora"),
            std::string::npos);
  // The root's CRL, which covers the issuing CA, for verifiers who trust the root alone.
  r = RunCommand({"curl", "-sf", "-o", scratch_ / "root.crl", base + "/keys/root-crl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Openssl({"crl", "-inform", "DER", "-in", scratch_ / "root.crl", "-noout", "-CAfile", data_ / "trust/ca.pem"});
  EXPECT_NE(Openssl({"crl", "-inform", "DER", "-in", scratch_ / "root.crl", "-noout", "-issuer"}).find("Autoridad ra"),
            std::string::npos);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(30), 0) << server.output();
  // Restarting finds the same CA.
  const std::string ca = Slurp(data_ / "trust/ca.pem");
  ASSERT_EQ(Rubrica({"init"}).exit_code, 0);
  EXPECT_EQ(Slurp(data_ / "trust/ca.pem"), ca);
}

}  // namespace
}  // namespace rubrica::keys
