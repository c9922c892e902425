// The package's XML profile end to end in-process: a manifest valid against its schema,
// signed (timestamped) by a seal, verified against the seal's CA; one changed byte or
// another CA fails.
#include <gtest/gtest.h>

#include "../signing/test_pki.h"
#include "rubrica/delivery/manifest.h"
#include "rubrica/delivery/receipt.h"
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

}  // namespace
}  // namespace rubrica::delivery
