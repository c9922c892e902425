// The signing core on the installation's real keys: keys::LocalCa's TSA certificate with its
// key unlocked per request, and a member certificate it issues; judged by openssl against
// the trust anchor LocalCa exports.
#include <gtest/gtest.h>

#include <atomic>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/keys/schema.h"
#include "rubrica/signing/cms_signer.h"
#include "rubrica/signing/cms_verifier.h"
#include "rubrica/signing/xml_signature.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/database.h"
#include "signing/tsa_server.h"
#include "signing/xml_test_data.h"
#include "support/test_support.h"

namespace rubrica::signing {
namespace {

using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;

class LocalCaSigningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open(dir_ / "rubrica.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("audit", store::AuditLog::Migrations()).ok());
    ASSERT_TRUE(db_->Migrate(keys::kSchemaComponent, keys::Migrations()).ok());
    audit_ = std::make_unique<store::AuditLog>(clock_);
    keys::LocalCaOptions options;
    options.secretariat = "Secretariado Técnico Municipal de Pruebas";
    auto ca = keys::LocalCa::Ensure(*db_, *audit_, clock_, std::string(32, 'k'), options);
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_ = std::move(*ca);
  }

  std::vector<keys::Certificate> TsaChain() const {
    std::vector<keys::Certificate> chain = {ca_->tsa_certificate()};
    for (const keys::Certificate& c : ca_->Chain()) chain.push_back(c);
    return chain;
  }

  TempDir dir_;
  // The real clock: openssl judges validity at the current time.
  SystemClock clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::AuditLog> audit_;
  std::unique_ptr<keys::LocalCa> ca_;
};

TEST_F(LocalCaSigningTest, MemberSignatureWithLocalTsaVerifiesAgainstTheInstallationAnchor) {
  const keys::LocalCa& ca = *ca_;
  auto authority = TimestampAuthority::Create(
      TsaChain(), [&ca] { return ca.UnlockTsaKey(); }, clock_);
  ASSERT_TRUE(authority.ok()) << authority.status().ToString();
  testing::TsaServer tsa(std::move(*authority));
  auto client = HttpTimestampClient::Create(tsa.url());
  ASSERT_TRUE(client.ok());

  auto key = keys::SigningKey::Generate(keys::KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(key.ok());
  keys::MemberSubject subject{.name = "Mariana Ejemplo Ficticia",
                              .role = "Titular de sociedad civil",
                              .email = "mariana@example.org",
                              .not_before = clock_.Now(),
                              .not_after = clock_.Now() + std::chrono::days(365)};
  auto member = ca.IssueMemberCertificate(subject, key->PublicKeyInfoDer());
  ASSERT_TRUE(member.ok()) << member.status().ToString();

  const std::string content = "Acta de instalación del Secretariado Técnico Municipal de Pruebas";
  std::vector<keys::Certificate> chain = {*member};
  for (const keys::Certificate& c : ca.Chain()) chain.push_back(c);
  auto cms = SignCms(Sha256(content), *key, chain, client->get());
  ASSERT_TRUE(cms.ok()) << cms.status().ToString();

  ASSERT_TRUE(WriteFileAtomic(dir_ / "ca.pem", ca.TrustAnchorPem()).ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "tsa.pem", ca.tsa_certificate().ToPem()).ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "content.bin", content).ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "sig.p7s", *cms).ok());
  auto verify = RunCommand({"openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", dir_ / "sig.p7s",
                            "-content", dir_ / "content.bin", "-CAfile", dir_ / "ca.pem", "-purpose", "any",
                            "-out", dir_ / "out.bin"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;

  auto report = VerifyCms(*cms, Sha256(content));
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->result, CmsResult::kPassed) << report->FirstFailure()->message;
  ASSERT_TRUE(report->timestamp.info.has_value());
  EXPECT_EQ(report->timestamp.info->tsa_certificate, ca.tsa_certificate());

  auto token = (*client)->Timestamp(Sha256(content));
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  ASSERT_TRUE(WriteFileAtomic(dir_ / "token.der", *token).ok());
  auto ts = RunCommand({"openssl", "ts", "-verify", "-data", dir_ / "content.bin", "-in", dir_ / "token.der",
                        "-token_in", "-CAfile", dir_ / "ca.pem", "-untrusted", dir_ / "tsa.pem"});
  EXPECT_NE(ts.out.find("Verification: OK"), std::string::npos) << ts.out << ts.err;
}

TEST_F(LocalCaSigningTest, KeyProviderFailuresNeverProduceATokenAndAnswer500) {
  // The first unlock (the check at creation) succeeds; later ones fail or give another key.
  std::atomic<int> calls{0};
  const keys::LocalCa& ca = *ca_;
  auto authority = TimestampAuthority::Create(
      TsaChain(),
      [&]() -> Result<keys::SigningKey> {
        switch (calls++) {
          case 0: return ca.UnlockTsaKey();
          case 1: return Status::Error(ErrorKind::kDataLoss, "keys.master_secret_mismatch", "cannot decrypt");
          default: return ca.UnlockSealKey();
        }
      },
      clock_);
  ASSERT_TRUE(authority.ok()) << authority.status().ToString();
  testing::TsaServer tsa(std::move(*authority));
  for (const char* why : {"unlock fails", "another key"}) {
    auto request = RunCommand({"openssl", "ts", "-query", "-digest", Sha256Hex("x"), "-sha256", "-out", dir_ / "q.tsq"});
    ASSERT_EQ(request.exit_code, 0) << request.err;
    testing::HttpReply reply =
        testing::HttpPost(tsa.url(), "application/timestamp-query", *ReadFile(dir_ / "q.tsq"));
    EXPECT_EQ(reply.status, 500) << why;
    EXPECT_NE(reply.body.find("\"code\":\"signing.tsa_failed\""), std::string::npos) << why << ": " << reply.body;
  }
  auto no_provider = TimestampAuthority::Create(TsaChain(), TsaKeyProvider{}, clock_);
  EXPECT_EQ(no_provider.status().code(), "signing.bad_tsa_certificate");
}

TEST_F(LocalCaSigningTest, InstallationSealSignsXmlThatXmlsec1AcceptsWithTheTrustAnchor) {
  const keys::LocalCa& ca = *ca_;
  auto authority = TimestampAuthority::Create(
      TsaChain(), [&ca] { return ca.UnlockTsaKey(); }, clock_);
  ASSERT_TRUE(authority.ok()) << authority.status().ToString();
  InProcessTimestampClient tsa(**authority);
  auto seal = ca.UnlockSealKey();
  ASSERT_TRUE(seal.ok()) << seal.status().ToString();
  auto document = SerializeXml(testing::Report("Copia certificada del acta de instalación"));
  ASSERT_TRUE(document.ok());

  auto xml = SignXmlEnveloped(*document, *seal, ca.seal_certificate(), ca.Chain(), &tsa);
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();

  keys::TrustStore trust(clock_);
  ASSERT_TRUE(trust.AddAnchors(ca.TrustAnchorPem()).ok());
  XmlVerifyOptions options;
  options.time = clock_.Now() + std::chrono::minutes(1);
  auto info = VerifyXmlSignature(*xml, trust, options);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->signer, ca.seal_certificate());
  EXPECT_EQ(info->timestamp->tsa_certificate, ca.tsa_certificate());
  // trust/ca.pem makes both the root and the issuing CA anchors: the chain ends at the latter.
  ASSERT_EQ(info->chain.size(), 2u);
  EXPECT_EQ(info->chain.back(), ca.issuing());

  ASSERT_TRUE(WriteFileAtomic(dir_ / "ca.pem", ca.TrustAnchorPem()).ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "copia.xml", *xml).ok());
  auto xmlsec =
      RunCommand({"xmlsec1", "--verify", "--trusted-pem", dir_ / "ca.pem", dir_ / "copia.xml"});
  EXPECT_EQ(xmlsec.exit_code, 0) << xmlsec.out << xmlsec.err;
  // The root alone is enough: the issuing CA travels in X509Data.
  ASSERT_TRUE(WriteFileAtomic(dir_ / "root.pem", ca.root().ToPem()).ok());
  auto root_only =
      RunCommand({"xmlsec1", "--verify", "--trusted-pem", dir_ / "root.pem", dir_ / "copia.xml"});
  EXPECT_EQ(root_only.exit_code, 0) << root_only.out << root_only.err;
}

}  // namespace
}  // namespace rubrica::signing
