#include "keys_test_support.h"

#include <gtest/gtest.h>

#include "rubrica/base/files.h"
#include "rubrica/keys/schema.h"

namespace rubrica::keys::testing {

using namespace std::chrono;

Instant TestNow() { return Instant(sys_days(2026y / 3 / 2) + hours(15)); }
Instant Day(int y, unsigned m, unsigned d) {
  return Instant(sys_days(year(y) / month(m) / day(d)));
}

Pkcs8Encryption FastPins() {
  Pkcs8Encryption e;
  e.scrypt_log2_n = 10;
  return e;
}

MemberSubject Member(const std::string& name, Instant from, Instant to) {
  MemberSubject s;
  s.name = name;
  s.role = "Titular de sociedad civil";
  s.email = "ana.ejemplo@correo.example";
  s.curp = "XEXX010101MMNXXX09";
  s.not_before = from;
  s.not_after = to;
  return s;
}

std::string TestMasterSecret() { return std::string(32, '\x42'); }
std::string TestWrapSecret() { return std::string(32, '\x5a'); }

KeysEnv::KeysEnv(Instant now, KeyStoreOptions opts) : clock(now), options(std::move(opts)) {
  options.pin_encryption = FastPins();
  Reopen();
}

void KeysEnv::Reopen() {
  keys.reset();
  trust.reset();
  ca.reset();
  db.reset();
  auto opened = store::Database::Open(DbPath());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db = std::move(opened).value();
  ASSERT_TRUE(db->Migrate("audit", store::AuditLog::Migrations()).ok());
  ASSERT_TRUE(db->Migrate(kSchemaComponent, Migrations()).ok());
  audit = std::make_unique<store::AuditLog>(clock);
  LocalCaOptions ca_options;
  ca_options.secretariat = "Secretariado Técnico Municipal de Ejemplo";
  ca_options.crl_url = "http://rubrica.example/keys/crl";
  auto made = LocalCa::Ensure(*db, *audit, clock, TestMasterSecret(), ca_options);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ca = std::move(made).value();
  trust = std::make_unique<TrustStore>(clock);
  trust->AddAnchor(ca->root());
  trust->AddCrlSource(*ca);
  keys = std::make_unique<KeyStore>(*db, *audit, clock, *ca, *trust,
                                    SecretString::Copy(TestWrapSecret()), options);
}

std::string Slurp(const std::string& path) {
  auto r = ReadFile(path);
  EXPECT_TRUE(r.ok()) << path << ": " << r.status().ToString();
  return r.ok() ? *r : "";
}

void Spit(const std::string& path, const std::string& bytes) {
  EXPECT_TRUE(MakeDirs(path.substr(0, path.rfind('/'))).ok());
  Status s = WriteFileAtomic(path, bytes);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

std::string SatFixture(const std::string& name) {
  std::string s = Slurp(rubrica::testing::SourceDir() + "/tests/fixtures/efirma-sat-pruebas/" + name);
  if (name == "password.txt") {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  }
  return s;
}

std::string Openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = rubrica::testing::RunCommand(argv);
  std::string joined;
  for (const auto& a : argv) joined += a + " ";
  EXPECT_EQ(r.exit_code, 0) << joined << "\n" << r.out << r.err;
  return r.exit_code == 0 ? r.out : "";
}

OpensslCa::OpensslCa(const std::string& dir, const std::string& cn)
    : dir_(dir), cert_(dir + "/ca.pem"), key_(dir + "/ca.key") {
  EXPECT_TRUE(MakeDirs(dir).ok());
  Openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key_, "-out", cert_, "-subj",
           "/C=MX/O=Autoridad de Pruebas/CN=" + cn, "-days", "3650", "-set_serial", "1",
           "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
           "keyUsage=critical,keyCertSign,cRLSign"});
}

std::string OpensslCa::Issue(const std::string& name, const std::string& extensions,
                             const std::string& serial) {
  const std::string base = dir_ + "/" + name;
  Spit(base + ".ext", extensions);
  Openssl({"req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", base + ".key", "-out",
           base + ".csr", "-subj", "/C=MX/O=Organismo de Pruebas/CN=" + name});
  Openssl({"x509", "-req", "-in", base + ".csr", "-CA", cert_, "-CAkey", key_, "-set_serial",
           "0x" + serial, "-extfile", base + ".ext", "-days", "365", "-sha256", "-out", base + ".pem"});
  return base + ".pem";
}

std::string OpensslCa::Pkcs12(const std::string& name, const std::string& password) {
  const std::string base = dir_ + "/" + name;
  Openssl({"pkcs12", "-export", "-in", base + ".pem", "-inkey", base + ".key", "-certfile", cert_,
           "-out", base + ".p12", "-passout", "pass:" + password, "-name", name});
  return base + ".p12";
}

Certificate OpensslCa::cert() const {
  auto c = Certificate::FromPem(Slurp(cert_));
  EXPECT_TRUE(c.ok());
  return *c;
}

}  // namespace rubrica::keys::testing
