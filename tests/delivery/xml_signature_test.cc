// The package's XML profile end to end in-process: a manifest valid against its schema,
// signed (timestamped) by a seal, verified against the seal's CA; one changed byte or
// another CA fails.
#include <gtest/gtest.h>

#include "../signing/test_pki.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/delivery/manifest.h"
#include "rubrica/delivery/package_check.h"
#include "rubrica/delivery/package_zip.h"
#include "rubrica/delivery/receipt.h"
#include "rubrica/signing/xml_cosignature.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"

namespace rubrica::delivery {
namespace {

Manifest SmallManifest() {
  Manifest m;
  m.secretariat_id = 1;
  m.secretariat_name = "Secretariado de prueba & «ficticio»";
  m.agency = "Órgano de prueba";
  m.month = "2023-03";
  m.due_on = "2023-03-31";
  m.time_zone = "America/Mexico_City";
  m.generated_at = "2023-03-20T12:00:00Z";
  ManifestActa a;
  a.id = 2;
  a.folio = "STM-PRUEBA-2023-001";
  a.kind = "session_minute";
  a.date = "2023-03-16";
  a.session_id = 4;
  a.state = "archived";
  a.title = "Minuta de la sesión";
  a.signers = {{"Ana Ficticia Pérez", "titular"}};
  a.files = {{"actas/STM-PRUEBA-2023-001.pdf", kRoleSealedActa, std::string(64, 'a'), 1234}};
  m.actas.push_back(a);
  ManifestPending p;
  p.acta_id = 3;
  p.date = "2023-03-30";
  p.title = "Minuta pendiente";
  p.reasons = {"signatures_missing"};
  p.explanation_es = "Pendiente: faltan rúbricas y firmas al calce.";
  m.pending.push_back(p);
  return m;
}

TEST(XmlSignatureTest, ASignedManifestIsValidAndVerifiesAndOneChangedByteBreaksIt) {
  for (keys::KeyAlgorithm alg : {keys::KeyAlgorithm::kEcdsaP256, keys::KeyAlgorithm::kRsa2048}) {
    signing::testing::TestPki pki;
    signing::testing::Identity seal = pki.Issue(alg, "Sello de prueba");
    signing::testing::Identity tsa_id =
        pki.Issue(keys::KeyAlgorithm::kEcdsaP256, "TSA de prueba", signing::testing::Usage::kTimeStamping);
    SystemClock clock;
    auto tsa = signing::TimestampAuthority::Create({tsa_id.cert, pki.ca()}, std::move(tsa_id.key), clock);
    ASSERT_TRUE(tsa.ok()) << tsa.status().message();
    signing::InProcessTimestampClient tsa_client(**tsa);

    const std::string xml = ManifestXml(SmallManifest());
    ASSERT_TRUE(ValidateManifestSchema(xml).ok()) << ValidateManifestSchema(xml).message();
    auto signed_xml = SignXmlDocument(xml, seal.key, seal.cert, {pki.ca()}, tsa_client);
    ASSERT_TRUE(signed_xml.ok()) << signed_xml.status().message();
    EXPECT_TRUE(ValidateManifestSchema(*signed_xml).ok()) << ValidateManifestSchema(*signed_xml).message();
    auto parsed = ParseManifest(*signed_xml);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->secretariat_name, "Secretariado de prueba & «ficticio»");
    ASSERT_EQ(parsed->actas.size(), 1u);
    EXPECT_EQ(parsed->actas[0].files[0].bytes, 1234u);
    ASSERT_EQ(parsed->pending.size(), 1u);
    EXPECT_EQ(parsed->pending[0].reasons, std::vector<std::string>{"signatures_missing"});

    auto signer = VerifyXmlDocument(*signed_xml, pki.ca().ToPem(), clock, "test.bad");
    ASSERT_TRUE(signer.ok()) << signer.status().message();
    EXPECT_EQ(signer->der(), seal.cert.der());

    std::string altered = *signed_xml;
    altered[altered.find("Minuta de")] = 'N';
    auto broken = VerifyXmlDocument(altered, pki.ca().ToPem(), clock, "test.bad");
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.status().code(), "test.bad");
    signing::testing::TestPki other;
    EXPECT_FALSE(VerifyXmlDocument(*signed_xml, other.ca().ToPem(), clock, "test.bad").ok());
  }
}

// A package whose manifest requires the garante's co-signature, checked as the inbox and
// `rubrica package verify` check it (CheckPackage), in the ways it can go wrong.
TEST(XmlSignatureTest, TheCoSignatureIsRequiredTrustedOfTheRegisteredRoleAndOverTheSealedBytes) {
  signing::testing::TestPki pki;
  signing::testing::Identity seal = pki.Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello de prueba");
  signing::testing::Identity garante = pki.Issue(keys::KeyAlgorithm::kEcdsaP256, "Garante Ficticia");
  signing::testing::TestPki elsewhere;
  signing::testing::Identity stranger = elsewhere.Issue(keys::KeyAlgorithm::kEcdsaP256, "Persona Ajena");
  signing::testing::Identity tsa_id =
      pki.Issue(keys::KeyAlgorithm::kEcdsaP256, "TSA de prueba", signing::testing::Usage::kTimeStamping);
  SystemClock clock;
  auto tsa = signing::TimestampAuthority::Create({tsa_id.cert, pki.ca()}, std::move(tsa_id.key), clock);
  ASSERT_TRUE(tsa.ok());
  signing::InProcessTimestampClient tsa_client(**tsa);

  const std::string pdf = "%PDF-1.7 acta sellada de prueba";
  Manifest m = SmallManifest();
  m.pending.clear();
  m.actas[0].files = {{"actas/STM-PRUEBA-2023-001.pdf", kRoleSealedActa, Sha256Hex(pdf), pdf.size()}};
  m.cosigner = "garante";
  const std::string xml = ManifestXml(m);
  ASSERT_TRUE(ValidateManifestSchema(xml).ok()) << ValidateManifestSchema(xml).message();
  // The device's part, optionally over bytes changed after it signed; then the seal.
  auto package = [&](const signing::testing::Identity* cosigner, const std::vector<keys::Certificate>& chain,
                     bool alter_before_seal) {
    std::string doc = xml;
    if (cosigner != nullptr) {
      auto p = signing::PrepareXmlCoSignature(xml, cosigner->cert, chain);
      EXPECT_TRUE(p.ok()) << p.status().ToString();
      auto value = cosigner->key.Sign(p->signed_info);
      auto done = signing::CompleteXmlCoSignature(p->document, p->signature_id, *value);
      EXPECT_TRUE(done.ok()) << done.status().ToString();
      doc = *done;
    }
    if (alter_before_seal) doc.replace(doc.find("Minuta de"), 9, "Minuta otra");
    auto sealed = SignXmlDocument(doc, seal.key, seal.cert, {pki.ca()}, tsa_client);
    EXPECT_TRUE(sealed.ok()) << sealed.status().ToString();
    auto zip = WriteZip({{kManifestEntry, *sealed}, {"actas/STM-PRUEBA-2023-001.pdf", pdf}});
    EXPECT_TRUE(zip.ok());
    return *zip;
  };
  auto check = [&](const std::string& zip, const std::string& required) {
    PackageCheckOptions o;
    o.clock = &clock;
    o.trust_pem = pki.ca().ToPem();
    o.required_cosigner = required;
    return CheckPackage(zip, o);
  };
  auto codes = [](const PackageCheck& c) {
    std::string all;
    for (const auto& p : c.problems) all += p.code + " ";
    return all;
  };

  PackageCheck good = check(package(&garante, {pki.ca()}, false), "garante");
  EXPECT_TRUE(good.ok) << codes(good);
  ASSERT_EQ(good.cosigners.size(), 1u);
  EXPECT_EQ(good.cosigners[0].role, "garante");
  EXPECT_EQ(good.cosigners[0].name, "Garante Ficticia");
  EXPECT_EQ(good.signer_der, seal.cert.der());

  EXPECT_EQ(codes(check(package(nullptr, {}, false), "garante")), "delivery.cosignature_missing ");
  EXPECT_EQ(codes(check(package(&stranger, {elsewhere.ca()}, false), "garante")), "delivery.cosignature_invalid ")
      << "a co-signer outside the secretariat's anchors";
  EXPECT_EQ(codes(check(package(&garante, {pki.ca()}, true), "garante")), "delivery.cosignature_invalid ")
      << "bytes changed after the co-signer signed (the seal, made later, is fine)";
  EXPECT_EQ(codes(check(package(&garante, {pki.ca()}, false), "facilitator")), "delivery.cosignature_invalid ")
      << "the manifest names the garante, the registration the facilitator";
  // A present co-signature is checked even when none is required; its absence is fine then.
  EXPECT_EQ(codes(check(package(&stranger, {elsewhere.ca()}, false), "")), "delivery.cosignature_invalid ");
  EXPECT_TRUE(check(package(nullptr, {}, false), "").ok);
  // One altered byte of the sealed manifest breaks the seal, which covers the co-signature.
  std::string zip = package(&garante, {pki.ca()}, false);
  auto entries = ReadZip(zip);
  ASSERT_TRUE(entries.ok());
  for (ZipEntry& e : *entries) {
    if (e.name == kManifestEntry) e.bytes.replace(e.bytes.find("Minuta de"), 9, "Minuta otra");
  }
  auto altered = WriteZip(*entries);
  ASSERT_TRUE(altered.ok());
  EXPECT_NE(codes(check(*altered, "garante")).find("delivery.bad_signature"), std::string::npos);
}

}  // namespace
}  // namespace rubrica::delivery
