#include "rubrica/keys/certificate.h"

#include <gtest/gtest.h>

#include "keys_test_support.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::keys {
namespace {

using namespace std::chrono;

std::string FixturePath(const std::string& name) {
  return rubrica::testing::SourceDir() + "/tests/fixtures/efirma-sat-pruebas/" + name;
}

TEST(CertificateTest, ReadsTheSatEfirmaTestCertificate) {
  auto der = ReadFile(FixturePath("certificate.cer"));
  ASSERT_TRUE(der.ok());
  auto cert = Certificate::FromDer(*der);
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  // RFC in x500UniqueIdentifier (2.5.4.45), CURP in serialNumber.
  EXPECT_NE(cert->SubjectAttribute("x500UniqueIdentifier").find("AAA010101AAA"), std::string::npos)
      << cert->SubjectString();
  EXPECT_NE(cert->SubjectAttribute("2.5.4.45").find("AAA010101AAA"), std::string::npos);
  EXPECT_FALSE(cert->SubjectAttribute("serialNumber").empty());
  EXPECT_EQ(cert->KeyType(), "RSA");
  EXPECT_EQ(cert->NotAfter() > Instant(sys_days(2021y / 5 / 14)), true);
  EXPECT_EQ(cert->NotAfter() < Instant(sys_days(2021y / 5 / 16)), true);
  EXPECT_FALSE(cert->ValidAt(Instant(sys_days(2026y / 11 / 21))));
  EXPECT_TRUE(cert->ValidAt(Instant(sys_days(2019y / 1 / 1))));
  EXPECT_EQ(cert->FingerprintSha256().size(), 64u);
  // PEM round trip.
  auto again = Certificate::FromPem(cert->ToPem());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *cert);
}

TEST(CertificateTest, RejectsGarbageAndTrailingBytes) {
  EXPECT_EQ(Certificate::FromDer("not a certificate").status().code(), "keys.bad_certificate");
  auto der = ReadFile(FixturePath("certificate.cer"));
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(Certificate::FromDer(*der + "x").status().code(), "keys.bad_certificate");
  EXPECT_EQ(Certificate::FromDer(der->substr(0, der->size() / 2)).status().code(),
            "keys.bad_certificate");
  EXPECT_EQ(Certificate::AllFromPem("nothing here").status().code(), "keys.bad_certificate");
}

TEST(CertificateTest, ACertificateParsedAgainIsTheSameAndOneAlteredByteIsAnotherCertificate) {
  // Parses are shared by exact DER (a signed PDF repeats its certificates): a certificate
  // differing in one byte of its signature must never be taken for the one parsed before.
  auto der = ReadFile(FixturePath("certificate.cer"));
  ASSERT_TRUE(der.ok());
  auto first = Certificate::FromDer(*der);
  auto second = Certificate::FromDer(std::string(*der));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(second->FingerprintSha256(), first->FingerprintSha256());
  EXPECT_EQ(second->PublicKeyInfoDer(), first->PublicKeyInfoDer());
  std::string altered = *der;
  altered[altered.size() - 1] = static_cast<char>(altered.back() ^ 0x01);  // in the signature value
  auto other = Certificate::FromDer(altered);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->der(), altered);
  EXPECT_FALSE(*other == *first);
  EXPECT_NE(other->FingerprintSha256(), first->FingerprintSha256());
}

// The SubjectPublicKeyInfo (what a signer's registered key is matched by) is what the
// openssl tool extracts from the same certificate, for every form a key may take: EC named
// curves with uncompressed and compressed points, explicit curve parameters, RSA. Read back
// from PEM too (the certificate's PEM block is parsed once when it is canonical DER).
TEST(CertificateTest, ThePublicKeyInfoIsWhatOpensslExtractsForEveryKeyForm) {
  rubrica::testing::TempDir dir;
  const struct {
    const char* name;
    std::vector<std::string> keygen;  // writes the key to dir/<name>.key
  } cases[] = {
      {"p256", {"ecparam", "-name", "prime256v1", "-genkey", "-noout"}},
      {"p384", {"ecparam", "-name", "secp384r1", "-genkey", "-noout"}},
      {"p521", {"ecparam", "-name", "secp521r1", "-genkey", "-noout"}},
      {"p256-compressed", {"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-conv_form", "compressed"}},
      {"p256-explicit", {"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-param_enc", "explicit"}},
      {"rsa", {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string base = dir.path() + "/" + c.name;
    std::vector<std::string> keygen = c.keygen;
    keygen.insert(keygen.end(), {"-out", base + ".key"});
    testing::Openssl(keygen);
    testing::Openssl({"req", "-x509", "-new", "-key", base + ".key", "-subj", "/CN=Llave de Prueba", "-days", "30",
                      "-out", base + ".pem"});
    testing::Openssl({"x509", "-in", base + ".pem", "-pubkey", "-noout", "-out", base + ".pub.pem"});
    testing::Openssl({"pkey", "-pubin", "-in", base + ".pub.pem", "-outform", "DER", "-out", base + ".pub.der"});
    testing::Openssl({"x509", "-in", base + ".pem", "-outform", "DER", "-out", base + ".der"});
    const std::string expected = testing::Slurp(base + ".pub.der");
    ASSERT_FALSE(expected.empty());
    auto from_der = Certificate::FromDer(testing::Slurp(base + ".der"));
    ASSERT_TRUE(from_der.ok()) << from_der.status().ToString();
    EXPECT_EQ(from_der->PublicKeyInfoDer(), expected);
    auto from_pem = Certificate::FromPem(testing::Slurp(base + ".pem"));
    ASSERT_TRUE(from_pem.ok()) << from_pem.status().ToString();
    EXPECT_EQ(from_pem->der(), from_der->der());
    EXPECT_EQ(from_pem->PublicKeyInfoDer(), expected);
  }
  auto sat = ReadFile(FixturePath("certificate.cer"));
  ASSERT_TRUE(sat.ok());
  testing::Spit(dir.path() + "/sat.cer", *sat);
  testing::Openssl({"x509", "-inform", "DER", "-in", dir.path() + "/sat.cer", "-pubkey", "-noout", "-out",
                    dir.path() + "/sat.pub.pem"});
  testing::Openssl({"pkey", "-pubin", "-in", dir.path() + "/sat.pub.pem", "-outform", "DER", "-out",
                    dir.path() + "/sat.pub.der"});
  EXPECT_EQ(Certificate::FromDer(*sat)->PublicKeyInfoDer(), testing::Slurp(dir.path() + "/sat.pub.der"));
}

}  // namespace
}  // namespace rubrica::keys
