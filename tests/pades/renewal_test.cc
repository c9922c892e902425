// Renewal revisions (PAdES-LTA) at the PDF level: RenewPdf appends validation material and a
// new document timestamp that keeps the /DSS of the seal, the revision analysis accepts it
// after the seal, and refuses anything else after the seal, even what it allows after an
// ordinary signature.
#include "rubrica/signing/renewal.h"

#include <gtest/gtest.h>

#include "pades/external_tools.h"
#include "pades/signed_acta.h"
#include "pdf/cos/test_pdf.h"
#include "rubrica/base/files.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/signing/pades_signer.h"
#include "rubrica/signing/pdf_verifier.h"

namespace rubrica::signing {
namespace {

using pades_testing::SignedActa;
using pdf::cos::SignatureKind;

class RenewalPdfTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { acta_ = new SignedActa(); }
  static void TearDownTestSuite() {
    delete acta_;
    acta_ = nullptr;
  }

  VerifyReport Verify(const std::string& pdf) {
    keys::TrustStore store(clock_);
    store.AddAnchor(acta_->pki().ca());
    VerifyOptions o;
    o.trust = &store;
    return VerifyPdf(pdf, o, clock_);
  }

  std::string Sealed(const std::string& pdf) {
    auto sealed = SealPdf(pdf, kArchiveSealField, {acta_->pki().ca().der()}, {}, *acta_->tsa());
    EXPECT_TRUE(sealed.ok()) << sealed.status().ToString();
    return sealed.ok() ? *sealed : std::string();
  }

  static bool Forbidden(const VerifyReport& r, const std::string& code) {
    for (const auto& c : r.changes) {
      if (!c.allowed && c.code == code) return true;
    }
    return false;
  }

  static SignedActa* acta_;
  SystemClock clock_;
};

SignedActa* RenewalPdfTest::acta_ = nullptr;

TEST_F(RenewalPdfTest, ARenewalAfterTheSealIsAllowedAndKeepsTheSealsValidationMaterial) {
  const std::string sealed = Sealed(acta_->Complete());
  const std::string crl = acta_->pki().Crl({}, signing::testing::TestInstant() + std::chrono::hours(1));
  auto renewed = RenewPdf(sealed, {}, {crl}, *acta_->tsa());
  ASSERT_TRUE(renewed.ok()) << renewed.status().ToString();
  auto twice = RenewPdf(*renewed, {}, {crl}, *acta_->tsa());
  ASSERT_TRUE(twice.ok()) << twice.status().ToString();

  auto stamps = ReadArchiveTimestamps(*twice);
  ASSERT_TRUE(stamps.ok()) << stamps.status().ToString();
  ASSERT_EQ(stamps->size(), 3u);
  EXPECT_EQ((*stamps)[0].field, "sello_archivo");
  EXPECT_EQ((*stamps)[1].field, "sello_archivo_2");
  EXPECT_EQ((*stamps)[2].field, "sello_archivo_3");
  for (const auto& s : *stamps) {
    EXPECT_TRUE(s.status.ok()) << s.field << ": " << s.status.ToString();
    EXPECT_EQ(s.digest_algorithm, "SHA-256");
  }

  VerifyReport r = Verify(*twice);
  ASSERT_EQ(r.exit, VerifyExit::kValidAndComplete) << ToText(r);
  EXPECT_TRUE(r.changes_allowed);
  EXPECT_TRUE(r.completeness.archived);
  ASSERT_EQ(r.timestamp_chain.size(), 3u);
  EXPECT_EQ(r.timestamp_chain[0].validation_time_source, "poe");
  EXPECT_EQ(r.timestamp_chain[1].validation_time_source, "poe");
  EXPECT_EQ(r.timestamp_chain[2].validation_time_source, "now");
  EXPECT_TRUE(r.long_term_code.empty());
  // The last /DSS holds the seal's anchor, the TSA's certificates and the CRL, once each.
  EXPECT_EQ(r.dss_crls, 1u);
  EXPECT_GE(r.dss_certificates, 2u);
  const std::string text = ToText(r);
  EXPECT_NE(text.find("Cadena de sellos de tiempo de archivo (3)"), std::string::npos) << text;
  EXPECT_NE(ToJson(r).find("\"timestamp_chain\":{\"long_term_code\":\"\""), std::string::npos);

  // Judges we did not write: qpdf finds no damage; openssl accepts every timestamp.
  rubrica::testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "renewed.pdf", *twice).ok());
  std::string out;
  EXPECT_TRUE(pades_testing::QpdfCheck(dir / "renewed.pdf", &out)) << out;
  for (const auto& line : pades_testing::OpensslTsVerifyEach(*twice, acta_->anchor_path(), dir.path())) {
    EXPECT_NE(line.find(": ok"), std::string::npos) << line;
  }
}

TEST_F(RenewalPdfTest, OnlyASealedDocumentCanBeRenewed) {
  auto r = RenewPdf(acta_->Complete(), {}, {}, *acta_->tsa());
  EXPECT_EQ(r.status().code(), "signing.not_sealed");
}

TEST_F(RenewalPdfTest, ASignatureAfterTheSealIsRefusedThoughItIsAllowedBeforeIt) {
  // Sealed one signature early: the next foot signature fills an empty field, which the
  // rules allow after an ordinary signature, but not once the document is archived.
  const size_t last = acta_->stage_count() - 1;
  const std::string before = acta_->Stage(last - 1);
  auto sign_last = [&](const std::string& pdf) {
    return acta_->SignAs(pdf, SignedActa::Request(SignatureKind::kFoot, 3), 3);
  };
  VerifyReport unsealed = Verify(sign_last(before));
  EXPECT_TRUE(unsealed.changes_allowed) << ToText(unsealed);

  VerifyReport after_seal = Verify(sign_last(Sealed(before)));
  EXPECT_FALSE(after_seal.changes_allowed);
  EXPECT_TRUE(Forbidden(after_seal, "forbidden.after_archive_seal")) << ToText(after_seal);
  EXPECT_EQ(after_seal.exit, VerifyExit::kInvalid);

  auto renewed = RenewPdf(Sealed(before), {}, {}, *acta_->tsa());
  ASSERT_TRUE(renewed.ok()) << renewed.status().ToString();
  VerifyReport after_renewal = Verify(sign_last(*renewed));
  EXPECT_TRUE(Forbidden(after_renewal, "forbidden.after_archive_seal")) << ToText(after_renewal);
  EXPECT_EQ(after_renewal.exit, VerifyExit::kInvalid);
  EXPECT_NE(ToText(after_renewal).find("cambio posterior al sello de archivo"), std::string::npos);
}

TEST_F(RenewalPdfTest, InAPdfThatIsNotAnActaASignatureMayFollowADocumentTimestamp) {
  // Without a signer list there is no archive seal to keep: a document timestamp is one more
  // signature, and signing after it is ordinary successive signing (EU DSS's public file
  // muestra-firmado-firmado.pdf, tests/fixtures/foreign/).
  auto foot = [&](const std::string& pdf, const std::string& field) {
    pdf::cos::SignatureRequest req = SignedActa::Request(SignatureKind::kFoot, 1);
    req.field = field;
    return acta_->SignAs(pdf, req, 1);
  };
  const std::string plain = pdf::testpdf::BuildTestPdf({.pages = 2, .signers = 2});
  VerifyReport r = Verify(foot(Sealed(foot(plain, "firma_1")), "firma_2"));
  EXPECT_TRUE(r.completeness.not_applicable);
  EXPECT_TRUE(r.changes_allowed) << ToText(r);
  bool noted = false;
  for (const auto& c : r.changes) noted = noted || (c.allowed && c.code == "change.after_document_timestamp");
  EXPECT_TRUE(noted) << ToText(r);
  EXPECT_EQ(r.exit, VerifyExit::kValidAndComplete) << ToText(r);
}

}  // namespace
}  // namespace rubrica::signing
