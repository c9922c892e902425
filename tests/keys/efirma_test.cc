#include "rubrica/keys/efirma.h"

#include <gtest/gtest.h>

#include "keys_test_support.h"

namespace rubrica::keys {
namespace {

using namespace testing;

TEST(EfirmaTest, ReadsRfcCurpAndExpiryOfTheSatTestCertificate) {
  auto info = ReadEfirmaCertificate(SatFixture("certificate.cer"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->rfc, "AAA010101AAA");
  EXPECT_EQ(info->representative_rfc, "HEGT7610034S2");
  EXPECT_EQ(info->curp, "HEGT761003MDFRNN09");
  EXPECT_EQ(info->holder_name, "ACCEM SERVICIOS EMPRESARIALES SC");
  EXPECT_EQ(info->certificate_number, "30001000000300023685");
  EXPECT_EQ(FormatRfc3339Utc(info->not_after), "2021-05-15T23:29:17Z");
  EXPECT_NE(info->issuer.find("A.C. 2 de pruebas(4096)"), std::string::npos) << info->issuer;
  // PEM works as well as DER.
  auto cert = Certificate::FromDer(SatFixture("certificate.cer"));
  ASSERT_TRUE(cert.ok());
  auto again = ReadEfirmaCertificate(cert->ToPem());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->rfc, "AAA010101AAA");
}

TEST(EfirmaTest, RefusesCertificatesWithoutAnRfc) {
  KeysEnv env;
  EXPECT_EQ(ReadEfirmaCertificate(env.ca->root()).status().code(), "keys.not_efirma");
  EXPECT_EQ(ReadEfirmaCertificate("garbage").status().code(), "keys.bad_certificate");
}

TEST(EfirmaTest, OpensTheSatCredentialWithItsPassword) {
  auto opened = OpenEfirma(SatFixture("certificate.cer"), SatFixture("private_key.key"),
                           SatFixture("password.txt"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->info.rfc, "AAA010101AAA");
  auto sig = opened->key.Sign("acta");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(VerifySignature(opened->certificate, "acta", *sig));
}

struct OpenCase {
  const char* name;
  std::string cer;
  std::string key;
  std::string password;
  const char* code;
};

TEST(EfirmaTest, EachWayOfFailingHasItsOwnCode) {
  KeysEnv env;
  const std::string cer = SatFixture("certificate.cer");
  const std::string key = SatFixture("private_key.key");
  const std::string password = SatFixture("password.txt");
  std::string truncated = key.substr(0, key.size() / 2);
  // A SAT-shaped certificate for another key: the fixture's .cer re-signed is not possible,
  // so use a .key of another holder: a fresh key encrypted like SAT's.
  auto other_key = SigningKey::Generate(KeyAlgorithm::kRsa2048);
  ASSERT_TRUE(other_key.ok());
  auto other_pem = other_key->ToEncryptedPkcs8Pem(password, FastPins());
  ASSERT_TRUE(other_pem.ok());
  const OpenCase cases[] = {
      {"wrong password", cer, key, "not-the-password", "keys.wrong_password"},
      {"truncated .key", cer, truncated, password, "keys.bad_key_file"},
      {".key is not a key", cer, "hola", password, "keys.bad_key_file"},
      {".cer is not a certificate", "hola", key, password, "keys.bad_certificate"},
      {".cer is not an e.firma", env.ca->root().der(), key, password, "keys.not_efirma"},
      {".key of another holder", cer, *other_pem, password, "keys.key_certificate_mismatch"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = OpenEfirma(c.cer, c.key, c.password);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), c.code) << r.status().ToString();
    EXPECT_FALSE(r.status().message_es().empty());
  }
}

}  // namespace
}  // namespace rubrica::keys
