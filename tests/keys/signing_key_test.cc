#include "rubrica/keys/signing_key.h"

#include <gtest/gtest.h>

#include <chrono>

#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::keys {
namespace {

std::string Fixture(const std::string& name) {
  auto r = ReadFile(testing::SourceDir() + "/tests/fixtures/efirma-sat-pruebas/" + name);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : "";
}

TEST(SigningKeyTest, DecryptsTheSatEfirmaKeyAndItMatchesItsCertificate) {
  std::string password = Fixture("password.txt");
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  auto key = SigningKey::FromEncryptedPkcs8(Fixture("private_key.key"), password);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->KeyType(), "RSA");
  auto cert = Certificate::FromDer(Fixture("certificate.cer"));
  ASSERT_TRUE(cert.ok());
  EXPECT_TRUE(key->Matches(*cert));
  auto sig = key->Sign("acta");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(VerifySignature(*cert, "acta", *sig));
  EXPECT_FALSE(VerifySignature(*cert, "actA", *sig));
}

TEST(SigningKeyTest, WrongPasswordAndCorruptKeyHaveTheirOwnCodes) {
  EXPECT_EQ(SigningKey::FromEncryptedPkcs8(Fixture("private_key.key"), "wrong").status().code(),
            "keys.wrong_password");
  std::string corrupt = Fixture("private_key.key");
  corrupt.resize(corrupt.size() / 2);
  EXPECT_EQ(SigningKey::FromEncryptedPkcs8(corrupt, "12345678a").status().code(),
            "keys.bad_key_file");
  EXPECT_EQ(SigningKey::FromEncryptedPkcs8("garbage", "x").status().code(), "keys.bad_key_file");
}

struct AlgorithmCase {
  KeyAlgorithm algorithm;
  const char* type;
};

TEST(SigningKeyTest, GeneratesEncryptsAndUnlocksEveryAlgorithm) {
  for (auto c : {AlgorithmCase{KeyAlgorithm::kEcdsaP256, "EC"},
                 AlgorithmCase{KeyAlgorithm::kRsa2048, "RSA"},
                 AlgorithmCase{KeyAlgorithm::kRsa3072, "RSA"}}) {
    SCOPED_TRACE(KeyAlgorithmName(c.algorithm));
    auto key = SigningKey::Generate(c.algorithm);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->KeyType(), c.type);
    Pkcs8Encryption fast;
    fast.scrypt_log2_n = 10;
    auto pem = key->ToEncryptedPkcs8Pem("4321", fast);
    ASSERT_TRUE(pem.ok()) << pem.status().ToString();
    EXPECT_NE(pem->find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
    auto back = SigningKey::FromEncryptedPkcs8(*pem, "4321");
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->PublicKeyInfoDer(), key->PublicKeyInfoDer());
    EXPECT_EQ(SigningKey::FromEncryptedPkcs8(*pem, "1234").status().code(), "keys.wrong_password");
  }
}

TEST(SigningKeyTest, DefaultEncryptionCostsAtLeast100msToUnlock) {
  auto key = SigningKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(key.ok());
  auto pem = key->ToEncryptedPkcs8Pem("246810");
  ASSERT_TRUE(pem.ok());
  EXPECT_NE(pem->find("ENCRYPTED"), std::string::npos);
  auto start = std::chrono::steady_clock::now();
  auto back = SigningKey::FromEncryptedPkcs8(*pem, "246810");
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(back.ok());
  // A floor, not a timing benchmark: the work factor must not silently drop.
  EXPECT_GE(ms, 100.0);
}

TEST(SigningKeyTest, RefusesEmptyPassword) {
  auto key = SigningKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->ToEncryptedPkcs8Pem("").status().code(), "keys.empty_password");
}

}  // namespace
}  // namespace rubrica::keys
