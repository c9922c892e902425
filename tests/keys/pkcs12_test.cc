#include "rubrica/keys/pkcs12.h"

#include <gtest/gtest.h>
#include <openssl/pkcs12.h>

#include "keys_test_support.h"

namespace rubrica::keys {
namespace {

using namespace testing;

constexpr const char* kSigningExtensions =
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
    "extendedKeyUsage=emailProtection\n";

TEST(Pkcs12Test, ReadsAFileMadeByTheOpensslCommandLine) {
  TempDir dir;
  OpensslCa ca(dir / "ca", "Autoridad Estatal de Pruebas");
  ca.Issue("ana", kSigningExtensions, "1F");
  const std::string p12 = Slurp(ca.Pkcs12("ana", "contraseña-p12"));
  auto contents = ReadPkcs12(p12, "contraseña-p12");
  ASSERT_TRUE(contents.ok()) << contents.status().ToString();
  EXPECT_EQ(contents->certificate.SubjectCommonName(), "ana");
  EXPECT_EQ(contents->certificate.SerialHex(), "1f");
  ASSERT_EQ(contents->chain.size(), 1u);
  EXPECT_EQ(contents->chain[0], ca.cert());
  EXPECT_TRUE(contents->key.Matches(contents->certificate));
}

TEST(Pkcs12Test, WrongPasswordGarbageAndOversizeHaveTheirOwnCodes) {
  TempDir dir;
  OpensslCa ca(dir / "ca", "Autoridad Estatal de Pruebas");
  ca.Issue("ana", kSigningExtensions, "20");
  const std::string p12 = Slurp(ca.Pkcs12("ana", "secreto"));
  struct Case {
    const char* name;
    std::string bytes;
    const char* password;
    const char* code;
  } cases[] = {
      {"wrong password", p12, "otro", "keys.wrong_password"},
      {"truncated", p12.substr(0, p12.size() / 2), "secreto", "keys.bad_pkcs12"},
      {"not PKCS#12", "hola", "secreto", "keys.bad_pkcs12"},
      {"too large", std::string(2 << 20, '0'), "secreto", "keys.pkcs12_too_large"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = ReadPkcs12(c.bytes, c.password);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), c.code) << r.status().ToString();
  }
}

// A PKCS#12 holding `key` and `certs`, written with OpenSSL's API (the command line
// refuses to pair a key with a certificate that is not its own).
std::string MakePkcs12(const SigningKey& key, const std::vector<Certificate>& certs, const char* password) {
  STACK_OF(X509)* ca = sk_X509_new_null();
  for (const auto& c : certs) sk_X509_push(ca, static_cast<X509*>(c.native_handle()));
  PKCS12* p12 = PKCS12_create(password, "prueba", static_cast<EVP_PKEY*>(key.native_handle()), nullptr, ca,
                              0, 0, 0, 0, 0);
  sk_X509_free(ca);
  EXPECT_NE(p12, nullptr);
  unsigned char* der = nullptr;
  int n = i2d_PKCS12(p12, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  PKCS12_free(p12);
  return out;
}

TEST(Pkcs12Test, AKeyWithoutItsCertificateIsRefused) {
  TempDir dir;
  OpensslCa ca(dir / "ca", "Autoridad Estatal de Pruebas");
  auto ana = Certificate::FromPem(Slurp(ca.Issue("ana", kSigningExtensions, "21")));
  ASSERT_TRUE(ana.ok());
  auto beto_key = SigningKey::Generate(KeyAlgorithm::kRsa2048);
  ASSERT_TRUE(beto_key.ok());
  EXPECT_EQ(ReadPkcs12(MakePkcs12(*beto_key, {}, "x"), "x").status().code(), "keys.bad_pkcs12");
  EXPECT_EQ(ReadPkcs12(MakePkcs12(*beto_key, {*ana, ca.cert()}, "x"), "x").status().code(),
            "keys.key_certificate_mismatch");
  // The pairing does not depend on the order of the certificates.
  auto ana_key = SigningKey::FromUnencryptedPem(Slurp(dir / "ca/ana.key"));
  ASSERT_TRUE(ana_key.ok()) << ana_key.status().ToString();
  auto found = ReadPkcs12(MakePkcs12(*ana_key, {ca.cert(), *ana}, "x"), "x");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->certificate, *ana);
  ASSERT_EQ(found->chain.size(), 1u);
  EXPECT_EQ(found->chain[0], ca.cert());
}

}  // namespace
}  // namespace rubrica::keys
