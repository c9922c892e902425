#include "rubrica/keys/certificate.h"

#include <gtest/gtest.h>

#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::keys {
namespace {

using namespace std::chrono;

std::string FixturePath(const std::string& name) {
  return testing::SourceDir() + "/tests/fixtures/efirma-sat-pruebas/" + name;
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

}  // namespace
}  // namespace rubrica::keys
