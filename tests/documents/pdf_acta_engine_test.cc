// The real PDF acta engine over a real local CA, key store, blob store and the embedded TSA
// (asked in-process): failures leave the previous revision intact, external signing matches
// in-process signing, a signature parses its PDF once, and concurrent work is safe.
#include "rubrica/documents/pdf_acta_engine.h"

#include <gtest/gtest.h>

#include <cctype>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <thread>

#include "keys/keys_test_support.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/embedded_files.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/signature_plan.h"
#include "rubrica/signing/pdf_verifier.h"
#include "signing/test_pki.h"
#include "signing/tsa_server.h"
#include "support/local_http_server.h"
#include "support/test_support.h"

namespace rubrica::documents {

using namespace rubrica::workflows;
namespace {

using keys::testing::KeysEnv;

constexpr const char* kPin = "135790";

class PdfEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys::KeyStoreOptions ko;
    ko.pin_encryption = keys::testing::FastPins();
    env_ = std::make_unique<KeysEnv>(keys::testing::TestNow(), ko);
    auto blobs = store::BlobStore::Open(env_->dir / "blobs");
    ASSERT_TRUE(blobs.ok());
    blobs_ = std::make_unique<store::BlobStore>(std::move(*blobs));
    engine_ = std::make_unique<PdfActaEngine>(*blobs_, *env_->keys, *env_->ca, *env_->trust, tsa_, env_->clock,
                                              logger_);
    for (int i = 1; i <= 3; ++i) {
      keys::EnrolRequest er{HolderIdFor(i),
                            keys::testing::Member("Persona Ficticia " + std::to_string(i),
                                                  env_->clock.Now(), keys::testing::Day(2027, 1, 1)),
                            keys::KeyAlgorithm::kEcdsaP256};
      ASSERT_TRUE(env_->keys->Enrol(er, kPin, "test").ok());
    }
    auto json = ReadFile(rubrica::testing::SourceDir() + "/tests/fixtures/actas/stl-plantilla-instalacion.json");
    ASSERT_TRUE(json.ok());
    content_ = *json;
  }

  CertifyRequest Certify(int64_t acta_id, int signers = 3) {
    CertifyRequest r;
    r.acta_id = acta_id;
    r.kind = "installation";
    r.title = "Acta de instalación (prueba)";
    r.secretariat_name = "Secretariado de Prueba";
    // The day the test TSA stamps (its clock is fixed at signing::testing::TestInstant()).
    r.approved_on = std::chrono::year_month_day{
        std::chrono::floor<std::chrono::days>(signing::testing::TestInstant())};
    r.content_json = content_;
    for (int i = 1; i <= signers; ++i) {
      r.signers.push_back({i, "Persona Ficticia " + std::to_string(i), "Integrante", "titular", "Sociedad civil"});
    }
    return r;
  }

  SignatureRequest Sign(int64_t acta_id, const std::string& input, int person, SignatureKind kind) {
    SignatureRequest r;
    r.acta_id = acta_id;
    r.input_blob_id = input;
    r.kind = kind;
    r.signer = {person, "Persona Ficticia " + std::to_string(person), "Integrante", "titular", "Sociedad civil"};
    return r;
  }

  static SigningCredential Pin(std::string_view pin = kPin) {
    return SigningCredential::Pin(SecretString::Copy(pin));
  }

  // Unlock, then ApplySignature: the two halves the workflow calls.
  Result<std::string> Apply(const SignatureRequest& r, SigningCredential credential) {
    ASSIGN_OR_RETURN(auto signer, engine_->Unlock(r.signer, std::move(credential)));
    return engine_->ApplySignature(r, *signer);
  }

  size_t BlobCount() { return ListFilesRecursive(env_->dir / "blobs").size(); }

  signing::VerifyReport Verify(const std::string& blob) {
    keys::TrustStore trust(env_->clock);
    trust.AddAnchor(env_->ca->root());
    trust.AddAnchor(pki_.ca());  // the test TSA's issuer
    signing::VerifyOptions o;
    o.trust = &trust;
    SystemClock real;
    return signing::VerifyPdf(*blobs_->Get(blob), o, real);
  }

  // The embedded TSA in-process, or (while `down`) an HTTP TSA on a port nobody listens on.
  class SwitchableTsa final : public signing::TimestampClient {
   public:
    explicit SwitchableTsa(signing::testing::TestPki& pki) : tsa_(pki) {
      int port = 0;
      {
        rubrica::testing::LocalHttpServer closing([](const auto&) { return rubrica::testing::LocalHttpReply{}; });
        port = closing.port();
      }  // stopped: nothing listens there any more
      down_client_ = signing::HttpTimestampClient::Create("http://127.0.0.1:" + std::to_string(port) + "/tsa").value();
    }
    Result<std::string> Timestamp(std::string_view imprint) override {
      return down ? down_client_->Timestamp(imprint) : tsa_.client().Timestamp(imprint);
    }
    const keys::Certificate& ca_of_tsa() const { return tsa_.certificate(); }
    std::atomic<bool> down{false};

   private:
    signing::testing::TestTsa tsa_;
    std::unique_ptr<signing::HttpTimestampClient> down_client_;
  };

  std::unique_ptr<KeysEnv> env_;
  std::unique_ptr<store::BlobStore> blobs_;
  signing::testing::TestPki pki_;
  SwitchableTsa tsa_{pki_};
  NullLogger logger_;
  std::unique_ptr<PdfActaEngine> engine_;
  std::string content_;
};

TEST_F(PdfEngineTest, AFailureBetweenReservingAndEmbeddingLeavesThePreviousRevisionIntact) {
  auto cert = engine_->RenderAndCertify(Certify(1));
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  const std::string* certified = &cert->blob_id;
  const std::string before = *blobs_->Get(*certified);
  const size_t blobs = BlobCount();

  // The timestamp authority goes down after the revision is prepared, before the CMS exists.
  tsa_.down = true;
  auto failed = Apply(Sign(1, *certified, 1, SignatureKind::kRubric), Pin());
  EXPECT_EQ(failed.status().code(), "signing.tsa_unavailable");
  // A wrong PIN fails too (at Unlock), and also writes nothing.
  auto wrong = Apply(Sign(1, *certified, 1, SignatureKind::kRubric), Pin("000000"));
  EXPECT_EQ(wrong.status().code(), "keys.wrong_pin");
  EXPECT_EQ(BlobCount(), blobs);
  EXPECT_EQ(*blobs_->Get(*certified), before);

  // Back up: the same signature now succeeds from the same intact revision.
  tsa_.down = false;
  auto ok = Apply(Sign(1, *certified, 1, SignatureKind::kRubric), Pin());
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(BlobCount(), blobs + 1);
  EXPECT_EQ(*blobs_->Get(*certified), before);
  signing::VerifyReport r = Verify(*ok);
  EXPECT_EQ(r.exit, signing::VerifyExit::kIncomplete) << signing::ToText(r);
  ASSERT_EQ(r.signatures.size(), 2u);
  for (const auto& s : r.signatures) EXPECT_EQ(s.indication, "TOTAL-PASSED") << s.field;
}

TEST_F(PdfEngineTest, ExternalSigningWithAKeyTheEngineNeverSeesIsJustAsValid) {
  // Person 4 keeps the key: only the certificate is registered.
  auto device_key = keys::SigningKey::Generate(keys::KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(device_key.ok());
  auto cert = env_->ca->IssueMemberCertificate(
      keys::testing::Member("Persona Ficticia 4", env_->clock.Now(), keys::testing::Day(2027, 1, 1)),
      device_key->PublicKeyInfoDer());
  ASSERT_TRUE(cert.ok());
  ASSERT_TRUE(env_->keys->RegisterExternal(HolderIdFor(4), cert->der(), env_->ca->Chain(), "test").ok());
  CertifyRequest c = Certify(2, 1);
  c.signers[0] = {4, "Persona Ficticia 4", "Integrante", "titular", "Sociedad civil"};
  auto certified = engine_->RenderAndCertify(c);
  ASSERT_TRUE(certified.ok()) << certified.status().ToString();

  auto other_cert = engine_->RenderAndCertify(Certify(3, 1));  // another revision that exists
  ASSERT_TRUE(other_cert.ok());
  const std::string* other = &other_cert->blob_id;
  std::string blob = certified->blob_id;
  auto device = [](const std::string& state, const std::string& value) {
    return SigningCredential::Device({state, value});
  };
  for (SignatureKind kind : {SignatureKind::kRubric, SignatureKind::kFoot}) {
    SignatureRequest req = Sign(2, blob, 4, kind);
    auto prepared = engine_->PrepareExternal(req);
    ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
    EXPECT_EQ(prepared->algorithm, "ECDSA-SHA256");
    EXPECT_EQ(prepared->certificate_sha256, cert->FingerprintSha256());
    auto value = device_key->Sign(prepared->signed_attributes);  // on the "device"
    ASSERT_TRUE(value.ok());
    // A signature over other bytes, for another revision, or from another person's
    // certificate, is refused; so is a state that is not one PrepareExternal wrote.
    auto bad = device_key->Sign("otros bytes");
    EXPECT_EQ(Apply(req, device(prepared->state, *bad)).status().code(), "signing.bad_external_signature");
    SignatureRequest moved = req;
    moved.input_blob_id = *other;
    EXPECT_EQ(Apply(moved, device(prepared->state, *value)).status().code(), "engine.revision_moved");
    EXPECT_EQ(engine_->Unlock(Sign(2, blob, 1, kind).signer, device(prepared->state, *value)).status().code(),
              "engine.wrong_credential");
    EXPECT_EQ(engine_->Unlock(req.signer, device("no-es-un-estado", *value)).status().code(),
              "engine.bad_credential");
    auto done = Apply(req, device(prepared->state, *value));
    ASSERT_TRUE(done.ok()) << done.status().ToString();
    blob = *done;
  }
  signing::VerifyReport r = Verify(blob);
  EXPECT_EQ(r.exit, signing::VerifyExit::kValidAndComplete) << signing::ToText(r);
}

TEST_F(PdfEngineTest, ASignatureParsesItsPdfOnceAndUnlockingParsesNone) {
  auto certified = engine_->RenderAndCertify(Certify(5, 2));
  ASSERT_TRUE(certified.ok()) << certified.status().ToString();
  std::string blob = certified->blob_id;
  for (SignatureKind kind : {SignatureKind::kRubric, SignatureKind::kFoot}) {
    const uint64_t before_unlock = pdf::cos::PdfFile::OpenedSoFar();
    auto signer = engine_->Unlock(Sign(5, blob, 1, kind).signer, Pin());
    ASSERT_TRUE(signer.ok()) << signer.status().ToString();
    EXPECT_EQ(pdf::cos::PdfFile::OpenedSoFar(), before_unlock);
    auto r = engine_->ApplySignature(Sign(5, blob, 1, kind), **signer);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    // The signer list is read from, and the new revision appended to, one parse.
    EXPECT_EQ(pdf::cos::PdfFile::OpenedSoFar(), before_unlock + 1);
    blob = *r;
  }
  EXPECT_EQ(Verify(blob).signatures.size(), 3u);
}

TEST_F(PdfEngineTest, ANewKeyNeverBreaksAnActaCertifiedWithTheOldOneUntilTheOldOneIsRevoked) {
  auto certified = engine_->RenderAndCertify(Certify(6, 2));
  ASSERT_TRUE(certified.ok()) << certified.status().ToString();
  // The certification names the key each signer held.
  ASSERT_EQ(certified->bound_keys.size(), 2u);
  auto before = env_->keys->ListByHolder(HolderIdFor(1));
  ASSERT_TRUE(before.ok() && before->size() == 1u);
  EXPECT_EQ(certified->bound_keys[0],
            std::make_pair(int64_t{1}, Sha256Hex(before->front().certificate.PublicKeyInfoDer())));
  // Person 1 then enrols a new key under a new PIN.
  keys::EnrolRequest er{HolderIdFor(1),
                        keys::testing::Member("Persona Ficticia 1", env_->clock.Now(), keys::testing::Day(2027, 1, 1)),
                        keys::KeyAlgorithm::kEcdsaP256};
  ASSERT_TRUE(env_->keys->Enrol(er, "nuevo-246810", "test").ok());

  SignatureRequest bound = Sign(6, certified->blob_id, 1, SignatureKind::kRubric);
  bound.signer.key_sha256 = certified->bound_keys[0].second;
  // Without the binding the newest key is taken, and the certified list refuses it.
  EXPECT_EQ(Apply(Sign(6, certified->blob_id, 1, SignatureKind::kRubric), Pin("nuevo-246810")).status().code(),
            "engine.not_in_signer_list");
  // With it, the old key signs with the old PIN; the new PIN does not open the old key.
  EXPECT_EQ(Apply(bound, Pin("nuevo-246810")).status().code(), "keys.wrong_pin");
  auto signed_blob = Apply(bound, Pin());
  ASSERT_TRUE(signed_blob.ok()) << signed_blob.status().ToString();
  EXPECT_EQ(Verify(*signed_blob).signatures.size(), 2u);

  // Once the old key is revoked, the acta cannot be signed with it any more.
  ASSERT_TRUE(env_->keys->Revoke(before->front().id, keys::RevocationReason::kSuperseded, "test").ok());
  SignatureRequest foot = bound;
  foot.kind = SignatureKind::kFoot;
  foot.input_blob_id = *signed_blob;
  EXPECT_EQ(Apply(foot, Pin()).status().code(), "engine.bound_key_revoked");
}

TEST_F(PdfEngineTest, ContentIsCheckedAgainstTheActaFormat) {
  EXPECT_TRUE(engine_->CheckContent(content_).ok());
  Status bad = engine_->CheckContent(R"({"titulo": 7})");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.code().rfind("pdf.", 0), 0u) << bad.ToString();
}

TEST_F(PdfEngineTest, ConcurrentSignaturesOnSeveralActasAllSucceed) {
  constexpr int kActas = 4;
  std::vector<std::string> certified(kActas);
  for (int a = 0; a < kActas; ++a) {
    auto c = engine_->RenderAndCertify(Certify(10 + a, 2));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    certified[a] = c->blob_id;
  }
  std::vector<std::string> results(kActas);
  std::vector<Status> errors(kActas);
  std::vector<std::thread> threads;
  for (int a = 0; a < kActas; ++a) {
    threads.emplace_back([&, a] {
      std::string blob = certified[a];
      for (SignatureKind kind : {SignatureKind::kRubric, SignatureKind::kFoot}) {
        for (int p = 1; p <= 2; ++p) {
          auto r = Apply(Sign(10 + a, blob, p, kind), Pin());
          if (!r.ok()) {
            errors[a] = r.status();
            return;
          }
          blob = *r;
        }
      }
      results[a] = blob;
    });
  }
  for (auto& t : threads) t.join();
  for (int a = 0; a < kActas; ++a) {
    ASSERT_TRUE(errors[a].ok()) << errors[a].ToString();
    signing::VerifyReport r = Verify(results[a]);
    EXPECT_EQ(r.exit, signing::VerifyExit::kValidAndComplete) << signing::ToText(r);
  }
}


// What zbarimg reads from the QR code on page `page` (1-based) of `pdf`.
std::string QrOnPage(const std::string& pdf, int page, const std::string& dir) {
  const std::string png = dir + "/qr-" + std::to_string(page);
  auto r = rubrica::testing::RunCommand({"pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", "-f",
                                         std::to_string(page), "-l", std::to_string(page), pdf, png});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string out = rubrica::testing::RunCommand({"zbarimg", "-q", "--raw", png + ".png"}).out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// Certification prints what identifies the acta outside the service: its folio on every page
// beside a QR code of the public verification address (with the approved content's hash),
// the hash itself (the cadena) on the last page; and the signer list and the boxes name
// each signer's role and post in the signer's own gender.
TEST_F(PdfEngineTest, CertifiedPagesCarryTheFolioAndTheVerificationQrCodeAndPostsAgreeWithTheSigner) {
  PdfActaEngineOptions options;
  options.public_url = "https://actas.ejemplo.gob.mx/";  // the trailing '/' is not doubled
  PdfActaEngine engine(*blobs_, *env_->keys, *env_->ca, *env_->trust, tsa_, env_->clock, logger_, options);
  CertifyRequest req = Certify(30, 2);
  req.folio = "STP-PRUEBA-2026-007";
  req.content_sha256 = Sha256Hex(content_);
  req.signers[0].capacity = "facilitator";
  req.signers[0].title = "Director de Transparencia";
  req.signers[0].gender = lang::Gender::kFeminine;
  req.signers[1].capacity = "substitute";
  req.signers[1].title = "Subdirector de Datos Abiertos";
  req.signers[1].gender = lang::Gender::kMasculine;
  auto certified = engine.RenderAndCertify(req);
  ASSERT_TRUE(certified.ok()) << certified.status().ToString();

  rubrica::testing::TempDir dir;
  const std::string pdf = dir / "certificada.pdf";
  ASSERT_TRUE(WriteFileAtomic(pdf, *blobs_->Get(certified->blob_id)).ok());
  std::string upper = req.content_sha256;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string url = "https://actas.ejemplo.gob.mx/v/STP-PRUEBA-2026-007/" + upper;
  const std::vector<std::string> pages = rubrica::testing::PdfPageTexts(pdf);
  ASSERT_GE(pages.size(), 2u);
  for (size_t i = 0; i < pages.size(); ++i) {
    SCOPED_TRACE("page " + std::to_string(i + 1));
    EXPECT_NE(pages[i].find("Folio STP-PRUEBA-2026-007"), std::string::npos) << pages[i];
    EXPECT_EQ(QrOnPage(pdf, static_cast<int>(i + 1), dir.path()), url);
    EXPECT_EQ(pages[i].find(req.content_sha256) != std::string::npos, i + 1 == pages.size());
  }

  auto file = pdf::cos::PdfFile::Open(*blobs_->Get(certified->blob_id));
  ASSERT_TRUE(file.ok());
  auto json = pdf::cos::ReadEmbeddedFile(*file, file->last(), "firmantes.json", 1 << 20);
  ASSERT_TRUE(json.ok() && json->has_value());
  auto list = pdf::SignerListFromJson(**json);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->signers.size(), 2u);
  EXPECT_EQ(list->signers[0].role, "facilitadora");
  EXPECT_EQ(list->signers[0].representation, "Directora de Transparencia");
  EXPECT_EQ(list->signers[1].role, "suplente");
  EXPECT_EQ(list->signers[1].representation, "Subdirector de Datos Abiertos");
}

TEST_F(PdfEngineTest, ACadenaThatIsNotTheContentsHashIsRefusedAndNothingIsStored) {
  CertifyRequest req = Certify(31, 2);
  req.folio = "STP-PRUEBA-2026-008";
  req.content_sha256 = Sha256Hex(content_ + " ");
  const size_t blobs_before = BlobCount();
  auto certified = engine_->RenderAndCertify(req);
  ASSERT_FALSE(certified.ok());
  EXPECT_EQ(certified.status().code(), "engine.content_hash_mismatch") << certified.status().ToString();
  EXPECT_NE(certified.status().message_es().find("huella del contenido"), std::string::npos);
  EXPECT_EQ(BlobCount(), blobs_before);
}

// The rubric's mark says who rubricated and when, as every date of the service is written.
TEST_F(PdfEngineTest, TheRubricMarkWritesTheTimeInSpanishWithItsOffset) {
  auto certified = engine_->RenderAndCertify(Certify(32, 1));
  ASSERT_TRUE(certified.ok()) << certified.status().ToString();
  auto rubricated = Apply(Sign(32, certified->blob_id, 1, SignatureKind::kRubric), Pin());
  ASSERT_TRUE(rubricated.ok()) << rubricated.status().ToString();
  auto file = pdf::cos::PdfFile::Open(*blobs_->Get(*rubricated));
  ASSERT_TRUE(file.ok());
  auto fields = pdf::cos::ReadFields(*file, file->last());
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  std::vector<std::string> marks;
  for (const auto& [name, field] : *fields) {
    const pdf::cos::Object* v = field.dict.Get("V");
    if (name.rfind("marca_", 0) == 0 && v != nullptr) marks.push_back(pdf::cos::Utf8FromTextString(v->text()));
  }
  // keys::testing::TestNow() is 2 March 2026, 15:00 UTC: 9:00 in Mexico City (UTC−6).
  EXPECT_EQ(marks, std::vector<std::string>{"Rúbrica de Persona Ficticia 1, 2 de marzo de 2026, 9:00 h (UTC−6)"});
  // The drawn mark (WinAnsi: no-break space A0, U+2212 drawn as the en dash 96) never
  // breaks a line inside "9:00 h (UTC−6)".
  auto mark = std::find_if(fields->begin(), fields->end(),
                           [](const auto& f) { return f.first.rfind("marca_", 0) == 0; });
  ASSERT_NE(mark, fields->end());
  const pdf::cos::Field& mark_field = mark->second;
  ASSERT_FALSE(mark_field.widgets.empty());
  auto widget = file->GetLatest(mark_field.widgets.front());
  ASSERT_TRUE(widget.ok());
  const pdf::cos::Object* ap = widget->Get("AP");
  ASSERT_TRUE(ap != nullptr && ap->Get("N") != nullptr && ap->Get("N")->is_ref());
  auto normal = file->GetLatest(ap->Get("N")->ref());
  ASSERT_TRUE(normal.ok());
  auto drawn = pdf::cos::DecodeStream(*normal, 1 << 20);
  ASSERT_TRUE(drawn.ok()) << drawn.status().ToString();
  EXPECT_NE(drawn->find("9:00\xA0h\xA0\\(UTC\x96" "6\\)"), std::string::npos) << *drawn;
  EXPECT_NE(drawn->find("2 de marzo de 2026,"), std::string::npos) << *drawn;
}

}  // namespace
}  // namespace rubrica::documents
