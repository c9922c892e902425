// CMS for PAdES: what we produce is judged by `openssl cms`, and external signing by an
// `openssl pkeyutl` process whose key this process never holds.
#include <gtest/gtest.h>

#include <memory>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/signing/cms_signer.h"
#include "rubrica/signing/cms_verifier.h"
#include "signing/test_pki.h"
#include "signing/tsa_server.h"
#include "support/test_support.h"

namespace rubrica::signing {
namespace {

using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;
using testing::Identity;
using testing::TestPki;
using testing::TsaServer;

const std::string kContent = "%PDF-1.7 bytes covered by the signature, with ñ and acentos: á é í ó ú";

std::string Write(const TempDir& dir, const std::string& name, std::string_view bytes) {
  const std::string path = dir / name;
  EXPECT_TRUE(WriteFileAtomic(path, bytes).ok()) << path;
  return path;
}

// Runs `openssl cms -verify` on a detached CMS over kContent; returns its exit code and
// stderr text.
rubrica::testing::CommandResult OpensslCmsVerify(const TempDir& dir, const std::string& cms,
                                                 const keys::Certificate& ca) {
  return RunCommand({"openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
                     Write(dir, "sig.p7s", cms), "-content", Write(dir, "content.bin", kContent),
                     "-CAfile", Write(dir, "ca.pem", ca.ToPem()), "-purpose", "any", "-out",
                     dir / "out.bin"});
}

struct SignerCase {
  const char* name;
  keys::KeyAlgorithm algorithm;
  bool with_timestamp;
};

class CmsSignerTest : public ::testing::TestWithParam<SignerCase> {
 protected:
  TestPki pki_;
};

TEST_P(CmsSignerTest, OpensslAcceptsOurCmsWithoutSigningTime) {
  const SignerCase& c = GetParam();
  Identity signer = pki_.Issue(c.algorithm, "Integrante de Prueba Uno");
  std::unique_ptr<TsaServer> tsa_server;
  std::unique_ptr<HttpTimestampClient> client;
  if (c.with_timestamp) {
    tsa_server = std::make_unique<TsaServer>(pki_);
    auto created = HttpTimestampClient::Create(tsa_server->url());
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    client = std::move(*created);
  }
  Result<std::string> cms = SignCms(Sha256(kContent), signer.key, {signer.cert, pki_.ca()}, client.get());
  ASSERT_TRUE(cms.ok()) << cms.status().ToString();

  TempDir dir;
  auto verify = OpensslCmsVerify(dir, *cms, pki_.ca());
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.err.find("Verification successful"), std::string::npos) << verify.err;

  auto print = RunCommand({"openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", dir / "sig.p7s"});
  ASSERT_EQ(print.exit_code, 0) << print.err;
  EXPECT_EQ(print.out.find("signingTime"), std::string::npos);
  EXPECT_NE(print.out.find("signingCertificateV2"), std::string::npos);
  EXPECT_EQ(print.out.find("id-smime-aa-timeStampToken") != std::string::npos, c.with_timestamp);

  Result<CmsReport> report = VerifyCms(*cms, Sha256(kContent));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->result, CmsResult::kPassed)
      << (report->FirstFailure() ? report->FirstFailure()->message : "");
  EXPECT_EQ(report->signed_attributes,
            (std::vector<std::string>{"1.2.840.113549.1.9.3", "1.2.840.113549.1.9.4",
                                      "1.2.840.113549.1.9.16.2.47"}));
  EXPECT_FALSE(report->has_signing_time);
  ASSERT_TRUE(report->signer.has_value());
  EXPECT_EQ(*report->signer, signer.cert);
  EXPECT_EQ(report->certificates.size(), 2u);
  EXPECT_EQ(report->timestamp.present, c.with_timestamp);
  if (c.with_timestamp) {
    ASSERT_TRUE(report->timestamp.info.has_value()) << report->timestamp.status.ToString();
    EXPECT_EQ(report->timestamp.info->gen_time, testing::TestInstant());
    EXPECT_EQ(report->timestamp.info->tsa_certificate, tsa_server->certificate());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Signers, CmsSignerTest,
    ::testing::Values(SignerCase{"Ec", keys::KeyAlgorithm::kEcdsaP256, false},
                      SignerCase{"EcTimestamped", keys::KeyAlgorithm::kEcdsaP256, true},
                      SignerCase{"Rsa2048", keys::KeyAlgorithm::kRsa2048, false},
                      SignerCase{"Rsa2048Timestamped", keys::KeyAlgorithm::kRsa2048, true}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CmsSignerDeterminismTest, SameInputsGiveSameBytes) {
  TestPki pki;
  Identity rsa = pki.Issue(keys::KeyAlgorithm::kRsa2048, "Integrante RSA");
  Identity ec = pki.Issue(keys::KeyAlgorithm::kEcdsaP256, "Integrante EC");
  // RSA PKCS#1 v1.5 is deterministic, so the whole CMS is.
  auto a = SignCms(Sha256(kContent), rsa.key, {rsa.cert, pki.ca()}, nullptr);
  auto b = SignCms(Sha256(kContent), rsa.key, {rsa.cert, pki.ca()}, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  // ECDSA signature values are random; what gets signed is not.
  auto p = PrepareSignedAttributes(Sha256(kContent), ec.cert);
  auto q = PrepareSignedAttributes(Sha256(kContent), ec.cert);
  ASSERT_TRUE(p.ok() && q.ok());
  EXPECT_EQ(p->signed_attributes, q->signed_attributes);
  EXPECT_EQ(p->digest_to_sign, Sha256(p->signed_attributes));
  auto other = PrepareSignedAttributes(Sha256("other content"), ec.cert);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->signed_attributes, p->signed_attributes);
}

TEST(CmsSignerInputTest, RefusesBadInputsWithStableCodes) {
  TestPki pki;
  Identity signer = pki.Issue(keys::KeyAlgorithm::kEcdsaP256, "Integrante de Prueba");
  Identity other = pki.Issue(keys::KeyAlgorithm::kEcdsaP256, "Otra Integrante");

  auto short_digest = PrepareSignedAttributes("too short", signer.cert);
  EXPECT_EQ(short_digest.status().code(), "signing.bad_digest");

  auto wrong_key = SignCms(Sha256(kContent), other.key, {signer.cert}, nullptr);
  EXPECT_EQ(wrong_key.status().code(), "signing.key_certificate_mismatch");

  auto prepared = PrepareSignedAttributes(Sha256(kContent), signer.cert);
  ASSERT_TRUE(prepared.ok());
  auto sig = signer.key.Sign(prepared->signed_attributes);
  ASSERT_TRUE(sig.ok());
  auto no_certs = AssembleSignedData(*prepared, *sig, {});
  EXPECT_EQ(no_certs.status().code(), "signing.bad_certificates");
  auto chain_first = AssembleSignedData(*prepared, *sig, {pki.ca(), signer.cert});
  EXPECT_EQ(chain_first.status().code(), "signing.bad_certificates");
}

// External signing: the private key lives only in files an `openssl` process reads, like a
// member's device; this process sees the public key and the signature value.
struct ExternalCase {
  const char* name;
  std::vector<std::string> genpkey;
  std::vector<std::string> pkeyutl_options;
};

class ExternalSigningTest : public ::testing::TestWithParam<ExternalCase> {};

TEST_P(ExternalSigningTest, DeviceSignatureIsAsValidAsInProcessAndWrongBytesAreRefused) {
  const ExternalCase& c = GetParam();
  TestPki pki;
  TsaServer tsa_server(pki);
  auto client = HttpTimestampClient::Create(tsa_server.url());
  ASSERT_TRUE(client.ok());
  TempDir dir;
  const std::string key_path = dir / "device.key";
  std::vector<std::string> genpkey = {"openssl", "genpkey"};
  genpkey.insert(genpkey.end(), c.genpkey.begin(), c.genpkey.end());
  genpkey.insert(genpkey.end(), {"-out", key_path});
  auto gen = RunCommand(genpkey);
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  auto pub = RunCommand({"openssl", "pkey", "-in", key_path, "-pubout"});
  ASSERT_EQ(pub.exit_code, 0) << pub.err;
  keys::Certificate cert = pki.IssueForPublicKey(pub.out, "Integrante con e.firma de Prueba");

  auto device_sign = [&](std::string_view digest) {
    std::vector<std::string> argv = {"openssl", "pkeyutl", "-sign", "-inkey", key_path,
                                     "-in", Write(dir, "tbs.bin", digest), "-out", dir / "sig.bin"};
    argv.insert(argv.end(), c.pkeyutl_options.begin(), c.pkeyutl_options.end());
    auto r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto sig = ReadFile(dir / "sig.bin");
    return sig.ok() ? *sig : std::string();
  };

  auto prepared = PrepareSignedAttributes(Sha256(kContent), cert);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  const std::string signature = device_sign(prepared->digest_to_sign);
  auto token = (*client)->Timestamp(Sha256(signature));
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  auto cms = AssembleSignedData(*prepared, signature, {cert, pki.ca()}, *token);
  ASSERT_TRUE(cms.ok()) << cms.status().ToString();
  auto verify = OpensslCmsVerify(dir, *cms, pki.ca());
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  auto report = VerifyCms(*cms, Sha256(kContent));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->result, CmsResult::kPassed);
  EXPECT_TRUE(report->timestamp.info.has_value());

  // The device signed the attributes of other content: refused, nothing produced.
  auto other = PrepareSignedAttributes(Sha256("another document"), cert);
  ASSERT_TRUE(other.ok());
  const std::string wrong = device_sign(other->digest_to_sign);
  auto refused = AssembleSignedData(*prepared, wrong, {cert, pki.ca()});
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "signing.bad_external_signature");
  EXPECT_EQ(refused.status().kind(), ErrorKind::kRejected);
  EXPECT_FALSE(refused.status().message_es().empty());

  // A timestamp over another signature value is refused too.
  auto refused_ts = AssembleSignedData(*prepared, signature, {cert, pki.ca()}, *(*client)->Timestamp(Sha256(wrong)));
  EXPECT_EQ(refused_ts.status().code(), "signing.bad_timestamp");
}

INSTANTIATE_TEST_SUITE_P(
    Devices, ExternalSigningTest,
    ::testing::Values(ExternalCase{"EcP256", {"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"}, {}},
                      ExternalCase{"Rsa2048",
                                   {"-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"},
                                   {"-pkeyopt", "digest:sha256"}}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rubrica::signing
