#include "rubrica/keys/certificate.h"

#include <gtest/gtest.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

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

// Every form a key may take, as the openssl tool makes it (the arguments write the key to
// dir/<name>.key): EC named curves with uncompressed and compressed points, explicit curve
// parameters, RSA.
struct KeyForm {
  const char* name;
  std::vector<std::string> keygen;
};
const KeyForm kKeyForms[] = {
    {"p256", {"ecparam", "-name", "prime256v1", "-genkey", "-noout"}},
    {"p384", {"ecparam", "-name", "secp384r1", "-genkey", "-noout"}},
    {"p521", {"ecparam", "-name", "secp521r1", "-genkey", "-noout"}},
    {"p256-compressed", {"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-conv_form", "compressed"}},
    {"p256-explicit", {"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-param_enc", "explicit"}},
    {"rsa", {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"}},
};

// The SubjectPublicKeyInfo (what a signer's registered key is matched by) is what the
// openssl tool extracts from the same certificate, for every form a key may take: EC named
// curves with uncompressed and compressed points, explicit curve parameters, RSA. Read back
// from PEM too (the certificate's PEM block is parsed once when it is canonical DER).
TEST(CertificateTest, ThePublicKeyInfoIsWhatOpensslExtractsForEveryKeyForm) {
  rubrica::testing::TempDir dir;
  for (const KeyForm& c : kKeyForms) {
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


// Certificate::DecodeEcKeysDirectly (a verifying process's switch away from OpenSSL 3.0's
// per-certificate decoder context) changes how fast keys are read, never what is read or
// what verifies: every key form, a key whose point is off its curve, a self-signature, a
// signature made by the openssl tool and the same signature altered, answer as before.
TEST(CertificateTest, DecodingEcKeysDirectlyReadsAndVerifiesExactlyAsTheProvidersDo) {
  rubrica::testing::TempDir dir;
  const std::string message = "Acta de la sesión ordinaria";
  testing::Spit(dir.path() + "/message", message);
  struct Input {
    std::string name, der, signature;
    bool ec;
  };
  std::vector<Input> inputs;
  for (const KeyForm& c : kKeyForms) {
    const std::string base = dir.path() + "/" + c.name;
    std::vector<std::string> keygen = c.keygen;
    keygen.insert(keygen.end(), {"-out", base + ".key"});
    testing::Openssl(keygen);
    testing::Openssl({"req", "-x509", "-new", "-key", base + ".key", "-subj", "/CN=Llave de Prueba", "-days", "30",
                      "-outform", "DER", "-out", base + ".der"});
    testing::Openssl({"dgst", "-sha256", "-sign", base + ".key", "-out", base + ".sig", dir.path() + "/message"});
    inputs.push_back({c.name, testing::Slurp(base + ".der"), testing::Slurp(base + ".sig"), c.name[0] == 'p'});
  }
  {
    // The P-256 certificate with one byte of its public point changed: off the curve.
    Input off = inputs[0];
    off.name = "p256-off-curve";
    testing::Openssl({"x509", "-inform", "DER", "-in", dir.path() + "/p256.der", "-pubkey", "-noout", "-out",
                      dir.path() + "/p256.pub.pem"});
    testing::Openssl({"pkey", "-pubin", "-in", dir.path() + "/p256.pub.pem", "-outform", "DER", "-out",
                      dir.path() + "/p256.pub.der"});
    const std::string spki = testing::Slurp(dir.path() + "/p256.pub.der");
    const size_t at = off.der.find(spki);
    ASSERT_NE(at, std::string::npos);
    off.der[at + spki.size() - 1] = static_cast<char>(off.der[at + spki.size() - 1] ^ 0x01);
    inputs.push_back(off);
  }
  auto sat = ReadFile(FixturePath("certificate.cer"));
  ASSERT_TRUE(sat.ok());
  inputs.push_back({"sat-rsa", *sat, "", false});

  // Everything a verifier reads from the certificate, and the answers of its signatures.
  auto read = [&](const Input& in, bool expect_provider_key) {
    SCOPED_TRACE(in.name);
    auto cert = Certificate::FromDer(in.der);
    if (!cert.ok()) return "unparsed " + cert.status().code();
    X509* x = static_cast<X509*>(cert->native_handle());
    EVP_PKEY* pub = X509_get0_pubkey(x);
    std::string out = cert->KeyType() + "|" + cert->PublicKeyInfoDer() + "|" + cert->FingerprintSha256() + "|";
    out += pub == nullptr ? "no key" : std::to_string(EVP_PKEY_get_bits(pub));
    if (pub == nullptr) return out;
    if (in.ec || in.name == "rsa" || in.name == "sat-rsa") {
      EXPECT_EQ(EVP_PKEY_get0_provider(pub) != nullptr, expect_provider_key);
    }
    out += "|self " + std::to_string(X509_verify(x, pub));
    for (bool altered : {false, true}) {
      if (in.signature.empty()) break;
      std::string sig = in.signature;
      if (altered) sig[sig.size() / 2] = static_cast<char>(sig[sig.size() / 2] ^ 0x20);
      EVP_MD_CTX* md = EVP_MD_CTX_new();
      const int ok = EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, pub) == 1
                         ? EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                                            reinterpret_cast<const unsigned char*>(message.data()), message.size())
                         : -2;
      EVP_MD_CTX_free(md);
      out += "|sig " + std::to_string(ok);
    }
    return out;
  };
  std::vector<std::string> before;
  for (const Input& in : inputs) before.push_back(read(in, /*expect_provider_key=*/true));
  // In effect with OpenSSL 3.0 (Debian 12's), off from 3.1, whose decoders are cached.
  const bool in_effect = Certificate::DecodeEcKeysDirectly();
  EXPECT_EQ(in_effect, OpenSSL_version_num() < 0x30100000UL);
  EXPECT_EQ(Certificate::DecodeEcKeysDirectly(), in_effect);  // idempotent
  Certificate::ForgetParsed();                                 // parse every input again
  for (size_t i = 0; i < inputs.size(); ++i) {
    // EC keys are now read without a provider (where in effect); RSA keys still with one.
    EXPECT_EQ(read(inputs[i], /*expect_provider_key=*/!inputs[i].ec || !in_effect), before[i]) << inputs[i].name;
  }
  // Keys made any other way still sign and verify through the providers (the switch acts
  // only while a certificate is parsed).
  EVP_PKEY* key = EVP_EC_gen("P-256");
  ASSERT_NE(key, nullptr);
  size_t sig_len = 0;
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key), 1);
  ASSERT_EQ(EVP_DigestSign(md, nullptr, &sig_len, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()), 1);
  std::string sig(sig_len, '\0');
  EXPECT_EQ(EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                           reinterpret_cast<const unsigned char*>(message.data()), message.size()), 1);
  EVP_MD_CTX_free(md);
  md = EVP_MD_CTX_new();
  EXPECT_EQ(EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key), 1);
  EXPECT_EQ(EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(sig.data()), sig_len,
                             reinterpret_cast<const unsigned char*>(message.data()), message.size()), 1);
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  // What the answers were, so that equality is not that of two failures.
  for (size_t i = 0; i < 6; ++i) EXPECT_NE(before[i].find("|self 1|sig 1|sig 0"), std::string::npos) << before[i];
  EXPECT_NE(before[6].find("no key"), std::string::npos) << before[6];  // off the curve
  EXPECT_NE(before[7].find("RSA|"), std::string::npos);
}

}  // namespace
}  // namespace rubrica::keys
