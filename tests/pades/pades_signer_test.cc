#include "rubrica/signing/pades_signer.h"

#include <gtest/gtest.h>

#include "pades/external_tools.h"
#include "pdf/cos/test_pdf.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/signing/timestamp_client.h"
#include "signing/test_pki.h"
#include "signing/tsa_server.h"
#include "support/test_support.h"

namespace rubrica::signing {
namespace {

using pdf::cos::SignatureKind;
using pdf::cos::SignatureRequest;
using testing::Identity;
using testing::TestPki;

class PadesSignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tsa_ = std::make_unique<testing::TsaServer>(pki_);
    auto client = HttpTimestampClient::Create(tsa_->url());
    ASSERT_TRUE(client.ok());
    client_ = std::move(*client);
    ASSERT_TRUE(WriteFileAtomic(dir_ / "ca.pem", pki_.ca().ToPem()).ok());
  }

  std::vector<keys::Certificate> Chain(const Identity& id) { return {id.cert, pki_.ca()}; }

  // A member's rubric certificate: a second certificate on the same key (see
  // docs/pdf-signatures.md: no certificate appears twice in one acta).
  Identity RubricIdentity(Identity& member) {
    std::string pem = "-----BEGIN PUBLIC KEY-----\n" + Base64Encode(member.key.PublicKeyInfoDer()) +
                      "\n-----END PUBLIC KEY-----\n";
    keys::Certificate cert = pki_.IssueForPublicKey(pem, member.cert.SubjectCommonName());
    return Identity{std::move(member.key), cert};
  }

  std::string Sign(const std::string& pdf, SignatureRequest req, const Identity& id) {
    auto out = SignPdf(pdf, std::move(req), id.key, Chain(id), client_.get());
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : pdf;
  }

  static SignatureRequest Req(SignatureKind kind, int k) {
    SignatureRequest r;
    r.kind = kind;
    r.pdf_date = "D:20260314113000-06'00'";
    switch (kind) {
      case SignatureKind::kCertification: r.field = "certificacion"; break;
      case SignatureKind::kRubric:
        r.field = "rubrica_" + std::to_string(k);
        r.mark_field = "marca_" + std::to_string(k);
        r.mark_value = "Rubricado";
        r.mark_initials = "PF";
        r.mark_lines = {"Persona Ficticia", "14/03/2026"};
        break;
      default:
        r.field = "firma_" + std::to_string(k);
        r.appearance_lines = {"Firmado electrónicamente por", "Persona Ficticia " + std::to_string(k),
                              "Titular", "2026-03-14 11:30:00 -06:00"};
    }
    return r;
  }

  rubrica::testing::TempDir dir_;
  TestPki pki_;
  std::unique_ptr<testing::TsaServer> tsa_;
  std::unique_ptr<HttpTimestampClient> client_;
};

TEST_F(PadesSignerTest, EverySignatureIsValidForPdfsigOpensslAndQpdf) {
  Identity seal = pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello del Secretariado de Prueba");
  Identity ana = pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Ana Núñez Ficticia");
  Identity beto = pki_.Issue(keys::KeyAlgorithm::kRsa2048, "Beto Ruiz Ficticio");
  std::string pdf = pdf::testpdf::BuildTestPdf({.pages = 3, .signers = 2});
  Identity ana_rubric = RubricIdentity(ana);
  Identity beto_rubric = RubricIdentity(beto);
  pdf = Sign(pdf, Req(SignatureKind::kCertification, 0), seal);
  pdf = Sign(pdf, Req(SignatureKind::kRubric, 1), ana_rubric);
  pdf = Sign(pdf, Req(SignatureKind::kRubric, 2), beto_rubric);
  ana.key = std::move(ana_rubric.key);
  beto.key = std::move(beto_rubric.key);
  pdf = Sign(pdf, Req(SignatureKind::kFoot, 1), ana);
  pdf = Sign(pdf, Req(SignatureKind::kFoot, 2), beto);
  ASSERT_TRUE(WriteFileAtomic(dir_ / "acta.pdf", pdf).ok());

  pades_testing::PdfsigResult sig = pades_testing::RunPdfsig(dir_ / "acta.pdf", dir_ / "ca.pem", dir_.path());
  ASSERT_EQ(sig.signatures.size(), 5u) << sig.output;
  for (const auto& s : sig.signatures) {
    EXPECT_TRUE(s.valid) << s.field << "\n" << sig.output;
    EXPECT_TRUE(s.trusted) << s.field << "\n" << sig.output;
  }
  EXPECT_TRUE(sig.signatures.back().whole_document) << sig.output;
  EXPECT_EQ(sig.unsigned_fields, 0) << sig.output;

  for (const std::string& line : pades_testing::OpensslVerifyEach(pdf, dir_ / "ca.pem", dir_.path())) {
    EXPECT_NE(line.find(": ok"), std::string::npos) << line;
  }
  std::string qpdf;
  EXPECT_TRUE(pades_testing::QpdfCheck(dir_ / "acta.pdf", &qpdf)) << qpdf;

  // Each signature covers exactly its own revision, from byte 0.
  auto file = pdf::cos::PdfFile::Open(pdf);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->revisions().size(), 6u);
}

TEST_F(PadesSignerTest, ExternalSignatureByAnOpensslProcessIsJustAsValid) {
  // The signer's "device": a key made and used only by the openssl command line.
  ASSERT_EQ(rubrica::testing::RunCommand({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                                          "ec_paramgen_curve:P-256", "-out", dir_ / "device.key"})
                .exit_code, 0);
  auto pub = rubrica::testing::RunCommand({"openssl", "pkey", "-in", dir_ / "device.key", "-pubout"});
  ASSERT_EQ(pub.exit_code, 0);
  keys::Certificate device = pki_.IssueForPublicKey(pub.out, "Carla Díaz Ficticia");
  Identity seal = pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello");

  std::string pdf = Sign(pdf::testpdf::BuildTestPdf({.pages = 2, .signers = 1}),
                         Req(SignatureKind::kCertification, 0), seal);
  std::vector<keys::Certificate> chain = {device, pki_.ca()};
  auto prepared = PrepareExternalPdfSignature(pdf, Req(SignatureKind::kFoot, 1), device, chain);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  ASSERT_TRUE(WriteFileAtomic(dir_ / "tbs.dgst", prepared->cms.digest_to_sign).ok());
  ASSERT_EQ(rubrica::testing::RunCommand({"openssl", "pkeyutl", "-sign", "-inkey", dir_ / "device.key",
                                          "-in", dir_ / "tbs.dgst", "-out", dir_ / "tbs.sig"})
                .exit_code, 0);
  std::string value = *ReadFile(dir_ / "tbs.sig");

  // A signature over other bytes is refused, and nothing is produced.
  auto wrong = FinalizeExternalPdfSignature(*prepared, std::string(value.rbegin(), value.rend()), chain,
                                            client_.get());
  EXPECT_EQ(wrong.status().code(), "signing.bad_external_signature");

  auto done = FinalizeExternalPdfSignature(*prepared, value, chain, client_.get());
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  ASSERT_TRUE(WriteFileAtomic(dir_ / "external.pdf", *done).ok());
  auto sig = pades_testing::RunPdfsig(dir_ / "external.pdf", dir_ / "ca.pem", dir_.path());
  ASSERT_EQ(sig.signatures.size(), 2u) << sig.output;
  for (const auto& s : sig.signatures) EXPECT_TRUE(s.valid && s.trusted) << sig.output;
  for (const std::string& line : pades_testing::OpensslVerifyEach(*done, dir_ / "ca.pem", dir_.path())) {
    EXPECT_NE(line.find(": ok"), std::string::npos) << line;
  }
  // Preparing again gives the same bytes to sign: a server can rebuild the state.
  auto again = PrepareExternalPdfSignature(pdf, Req(SignatureKind::kFoot, 1), device, chain);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->cms.digest_to_sign, prepared->cms.digest_to_sign);
}

TEST_F(PadesSignerTest, ATsaThatIsDownLeavesNothingSigned) {
  Identity seal = pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello");
  const std::string pdf = pdf::testpdf::BuildTestPdf();
  // A port that was just free: nothing listens there.
  int port = tsa_->port();
  tsa_.reset();
  auto down = HttpTimestampClient::Create("http://127.0.0.1:" + std::to_string(port) + "/tsa");
  ASSERT_TRUE(down.ok());
  auto r = SignPdf(pdf, Req(SignatureKind::kCertification, 0), seal.key, Chain(seal), down->get());
  EXPECT_EQ(r.status().code(), "signing.tsa_unavailable");
}

TEST_F(PadesSignerTest, AKeyThatIsNotTheCertificatesIsRefused) {
  Identity seal = pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello");
  Identity other = pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Otra");
  auto r = SignPdf(pdf::testpdf::BuildTestPdf(), Req(SignatureKind::kCertification, 0), other.key,
                   Chain(seal), client_.get());
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace rubrica::signing
