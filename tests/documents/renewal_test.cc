// Renewal of the archive seal over the years, on an injected clock, with the real engine,
// the installation's real local CA and its embedded TSA: an acta sealed in 2026 and renewed
// in 2030 and 2034 (the TSA certificate rotated before each) verifies in 2036 with only the
// root certificate, offline, by our verifier and the `rubrica verify` command; the same
// acta not renewed is INDETERMINATE then, with the reason. pdfsig and qpdf judge the bytes.
#include <gtest/gtest.h>

#include "keys/keys_test_support.h"
#include "pades/external_tools.h"
#include "rubrica/base/files.h"
#include "rubrica/documents/current_tsa_client.h"
#include "rubrica/documents/holder_id.h"
#include "rubrica/documents/pdf_acta_engine.h"
#include "rubrica/signing/pdf_verifier.h"
#include "rubrica/signing/renewal.h"
#include "support/test_support.h"

namespace rubrica::documents {
namespace {

using namespace rubrica::workflows;
using keys::testing::Day;
using keys::testing::KeysEnv;

constexpr const char* kPin = "135790";

class RenewalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys::KeyStoreOptions ko;
    ko.pin_encryption = keys::testing::FastPins();
    env_ = std::make_unique<KeysEnv>(keys::testing::TestNow(), ko);  // 2026-03-02
    auto blobs = store::BlobStore::Open(env_->dir / "blobs");
    ASSERT_TRUE(blobs.ok());
    blobs_ = std::make_unique<store::BlobStore>(std::move(*blobs));
    tsa_ = std::make_unique<CurrentTsaClient>(*env_->ca, env_->clock);
    engine_ = std::make_unique<PdfActaEngine>(*blobs_, *env_->keys, *env_->ca, *env_->trust, *tsa_, env_->clock,
                                              logger_);
    for (int i = 1; i <= 2; ++i) {
      keys::EnrolRequest er{HolderIdFor(i),
                            keys::testing::Member("Persona Ficticia " + std::to_string(i), env_->clock.Now(),
                                                  Day(2027, 1, 1)),
                            keys::KeyAlgorithm::kEcdsaP256};
      ASSERT_TRUE(env_->keys->Enrol(er, kPin, "test").ok());
    }
    ASSERT_TRUE(WriteFileAtomic(root_pem_, env_->ca->root().ToPem()).ok());
  }

  // A complete acta, certified, rubricated and signed by two fictional members and sealed,
  // on the clock's day.
  std::string SealedActa() {
    auto json = ReadFile(rubrica::testing::SourceDir() + "/tests/fixtures/actas/stl-plantilla-instalacion.json");
    EXPECT_TRUE(json.ok());
    CertifyRequest r;
    r.acta_id = 1;
    r.kind = "installation";
    r.title = "Acta de instalación (prueba de renovación)";
    r.secretariat_name = "Secretariado de Prueba";
    // 09:00 in Mexico City on the clock's day.
    r.approved_on = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(env_->clock.Now())};
    r.content_json = *json;
    for (int i = 1; i <= 2; ++i) {
      r.signers.push_back({i, "Persona Ficticia " + std::to_string(i), "Integrante", "titular", "Sociedad civil"});
    }
    auto certified = engine_->RenderAndCertify(r);
    EXPECT_TRUE(certified.ok()) << certified.status().ToString();
    if (!certified.ok()) return "";
    std::string blob = certified->blob_id;
    for (SignatureKind kind : {SignatureKind::kRubric, SignatureKind::kFoot}) {
      for (int i = 1; i <= 2; ++i) {
        SignatureRequest s;
        s.acta_id = 1;
        s.input_blob_id = blob;
        s.kind = kind;
        s.signer = r.signers[static_cast<size_t>(i - 1)];
        auto unlocked = engine_->Unlock(s.signer, SigningCredential::Pin(SecretString::Copy(kPin)));
        EXPECT_TRUE(unlocked.ok()) << unlocked.status().ToString();
        if (!unlocked.ok()) return "";
        auto signed_blob = engine_->ApplySignature(s, **unlocked);
        EXPECT_TRUE(signed_blob.ok()) << signed_blob.status().ToString();
        if (!signed_blob.ok()) return "";
        blob = *signed_blob;
      }
    }
    auto sealed = engine_->Seal({1, blob});
    EXPECT_TRUE(sealed.ok()) << sealed.status().ToString();
    return sealed.ok() ? *sealed : "";
  }

  Result<RenewalOutcome> Renew(const std::string& blob, bool dry_run = false) {
    RenewRequest r;
    r.acta_id = 1;
    r.input_blob_id = blob;
    r.dry_run = dry_run;
    return engine_->Renew(r);
  }

  // Offline, with only the root, at `at`.
  signing::VerifyReport VerifyAt(const std::string& blob, Instant at) {
    keys::TrustStore trust(env_->clock);
    trust.AddAnchor(env_->ca->root());
    signing::VerifyOptions o;
    o.trust = &trust;
    o.at = at;
    return signing::VerifyPdf(*blobs_->Get(blob), o, env_->clock);
  }

  std::unique_ptr<KeysEnv> env_;
  std::unique_ptr<store::BlobStore> blobs_;
  std::unique_ptr<CurrentTsaClient> tsa_;
  NullLogger logger_;
  std::unique_ptr<PdfActaEngine> engine_;
  rubrica::testing::TempDir out_;
  std::string root_pem_ = out_ / "root.pem";
};

TEST_F(RenewalTest, TheLocalCaRootOutlivesTheArchivesHorizon) {
  // The archive is renewed under one root: it must outlive 2036 (20 years from 2026).
  EXPECT_GT(env_->ca->root().NotAfter(), Day(2046, 1, 1));
  EXPECT_GT(env_->ca->issuing().NotAfter(), Day(2037, 1, 1));
}

TEST_F(RenewalTest, AnActaSealedIn2026AndRenewedIn2030And2034VerifiesIn2036WithOnlyTheRoot) {
  const std::string sealed = SealedActa();
  ASSERT_FALSE(sealed.empty());
  const Instant verify_at = Day(2036, 6, 1);

  // 2026: just sealed, nothing is due.
  auto not_due = Renew(sealed);
  ASSERT_TRUE(not_due.ok()) << not_due.status().ToString();
  EXPECT_FALSE(not_due->due);
  EXPECT_TRUE(not_due->blob_id.empty());

  // Never renewed, in 2036 the seal's TSA certificate (2026 + 5 years) has long ended.
  {
    signing::VerifyReport r = VerifyAt(sealed, verify_at);
    EXPECT_EQ(r.exit, signing::VerifyExit::kInvalid) << signing::ToText(r);
    EXPECT_EQ(r.long_term_code, "verify.last_timestamp_expired") << signing::ToText(r);
    ASSERT_EQ(r.timestamp_chain.size(), 1u);
    EXPECT_EQ(r.timestamp_chain[0].indication, "INDETERMINATE");
    EXPECT_EQ(r.timestamp_chain[0].sub_indication, "EXPIRED");
    EXPECT_EQ(r.verdict.rfind("INDETERMINATE: ", 0), 0u) << r.verdict;
    EXPECT_NE(signing::ToText(r).find("[verify.last_timestamp_expired]"), std::string::npos);
  }

  // 2030-04-01: the TSA certificate ends 2031-03: within the one-year margin.
  env_->clock.Set(Day(2030, 4, 1));
  auto dry = Renew(sealed, true);
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  EXPECT_TRUE(dry->due);
  EXPECT_EQ(dry->reason, "tsa_certificate_expiring");
  EXPECT_TRUE(dry->blob_id.empty());
  // Not rotated yet: renewing with the same certificate would be due again at once.
  EXPECT_EQ(Renew(sealed).status().code(), "engine.tsa_certificate_expiring");
  const keys::Certificate tsa_2026 = env_->ca->tsa_certificate();
  auto rotated = env_->ca->RotateServiceCertificates();
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_TRUE(*rotated);
  EXPECT_NE(env_->ca->tsa_certificate().FingerprintSha256(), tsa_2026.FingerprintSha256());
  EXPECT_GT(env_->ca->tsa_certificate().NotAfter(), Day(2035, 1, 1));
  auto rotated_again = env_->ca->RotateServiceCertificates();
  ASSERT_TRUE(rotated_again.ok());
  EXPECT_FALSE(*rotated_again);  // idempotent
  auto first = Renew(sealed);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->due);
  ASSERT_FALSE(first->blob_id.empty());
  EXPECT_EQ(first->timestamps, 1u);
  auto again = Renew(first->blob_id);  // renewed: not due until 2034
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->due);

  // 2034-06-01: the 2030 certificate ends 2035-03: due again; rotate, renew.
  env_->clock.Set(Day(2034, 6, 1));
  ASSERT_TRUE(env_->ca->RotateServiceCertificates().ok());
  auto second = Renew(first->blob_id);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_TRUE(second->due);
  ASSERT_FALSE(second->blob_id.empty());
  EXPECT_EQ(second->timestamps, 2u);

  // 2036-06-01, offline, only the root: valid and complete, each timestamp judged at the
  // time the next one proves, the last at --at.
  signing::VerifyReport r = VerifyAt(second->blob_id, verify_at);
  ASSERT_EQ(r.exit, signing::VerifyExit::kValidAndComplete) << signing::ToText(r);
  EXPECT_TRUE(r.changes_allowed);
  EXPECT_TRUE(r.long_term_code.empty());
  ASSERT_EQ(r.timestamp_chain.size(), 3u);
  EXPECT_EQ(r.timestamp_chain[0].field, "sello_archivo");
  EXPECT_EQ(r.timestamp_chain[0].time_utc.value_or("").substr(0, 10), "2026-03-02");
  EXPECT_EQ(r.timestamp_chain[0].validation_time.value_or("").substr(0, 10), "2030-04-01");
  EXPECT_EQ(r.timestamp_chain[1].field, "sello_archivo_2");
  EXPECT_EQ(r.timestamp_chain[1].validation_time_source, "poe");
  EXPECT_EQ(r.timestamp_chain[1].validation_time.value_or("").substr(0, 10), "2034-06-01");
  EXPECT_EQ(r.timestamp_chain[2].field, "sello_archivo_3");
  EXPECT_EQ(r.timestamp_chain[2].validation_time_source, "at");
  EXPECT_EQ(r.timestamp_chain[2].validation_time.value_or(""), "2036-06-01T00:00:00Z");
  for (const auto& t : r.timestamp_chain) EXPECT_EQ(t.indication, "TOTAL-PASSED") << t.field;
  for (const auto& s : r.signatures) {
    EXPECT_EQ(s.indication, "TOTAL-PASSED") << s.field;
    if (s.kind != signing::SignatureRole::kDocumentTimestamp) {
      // The members' certificates ended in 2027: judged at their own time, proven by the seal.
      EXPECT_EQ(s.validation_time_source, "signature_timestamp") << s.field;
      EXPECT_EQ(s.poe_by, "sello_archivo") << s.field;
    }
  }
  EXPECT_TRUE(r.completeness.archived);

  // The command line, offline, with only root.pem.
  const std::string file = out_ / "acta.pdf";
  ASSERT_TRUE(WriteFileAtomic(file, *blobs_->Get(second->blob_id)).ok());
  auto cli = rubrica::testing::RunCommand({rubrica::testing::RubricaBinary(), "verify", "--at",
                                           "2036-06-01T00:00:00Z", "--trust", root_pem_, file});
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  EXPECT_NE(cli.out.find("Cadena de sellos de tiempo de archivo (3)"), std::string::npos) << cli.out;
  const std::string unrenewed = out_ / "sin-renovar.pdf";
  ASSERT_TRUE(WriteFileAtomic(unrenewed, *blobs_->Get(sealed)).ok());
  auto cli_old = rubrica::testing::RunCommand({rubrica::testing::RubricaBinary(), "verify", "--at",
                                               "2036-06-01T00:00:00Z", "--trust", root_pem_, unrenewed});
  EXPECT_EQ(cli_old.exit_code, 1) << cli_old.out << cli_old.err;
  EXPECT_NE(cli_old.out.find("verify.last_timestamp_expired"), std::string::npos) << cli_old.out;

  // Tools we did not write. qpdf: no damage. pdfsig (poppler checks at the real time, and
  // Debian 12's does not know document timestamps): every CMS signature's bytes intact,
  // as before the renewals.
  std::string qpdf;
  EXPECT_TRUE(pades_testing::QpdfCheck(file, &qpdf)) << qpdf;
  auto ps = pades_testing::RunPdfsig(file, root_pem_, out_.path());
  EXPECT_EQ(ps.signatures.size(), r.signatures.size()) << ps.output;
  EXPECT_EQ(ps.unsigned_fields, 0) << ps.output;
  size_t cms = 0;
  for (const auto& s : ps.signatures) {
    if (s.field.rfind("sello_archivo", 0) == 0) continue;
    ++cms;
    EXPECT_TRUE(s.valid) << s.field << "\n" << ps.output;
  }
  EXPECT_EQ(cms, r.signatures.size() - 3);
  EXPECT_EQ(ps.output.find("Digest Mismatch"), std::string::npos) << ps.output;
}

}  // namespace
}  // namespace rubrica::documents
