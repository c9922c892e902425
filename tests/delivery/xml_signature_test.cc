#include <gtest/gtest.h>

#include "../signing/test_pki.h"
#include "rubrica/base/files.h"
#include "rubrica/delivery/manifest.h"
#include "rubrica/delivery/receipt.h"
#include "support/test_support.h"

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
  return m;
}

TEST(XmlSignatureTest, ASignedManifestIsValidAndVerifiesAndOneChangedByteBreaksIt) {
  for (keys::KeyAlgorithm alg : {keys::KeyAlgorithm::kEcdsaP256, keys::KeyAlgorithm::kRsa2048}) {
    signing::testing::TestPki pki;
    signing::testing::Identity seal = pki.Issue(alg, "Sello de prueba");
    const std::string xml = ManifestXml(SmallManifest());
    ASSERT_TRUE(ValidateManifestSchema(xml).ok()) << ValidateManifestSchema(xml).message();
    auto signed_xml = SignXmlDocument(xml, seal.key, seal.cert, {pki.ca()});
    ASSERT_TRUE(signed_xml.ok()) << signed_xml.status().message();
    EXPECT_TRUE(ValidateManifestSchema(*signed_xml).ok()) << ValidateManifestSchema(*signed_xml).message();
    auto signer = VerifyXmlDocument(*signed_xml, pki.ca().ToPem(), "test.bad");
    ASSERT_TRUE(signer.ok()) << signer.status().message() << "\n" << *signed_xml;
    EXPECT_EQ(signer->der(), seal.cert.der());

    std::string altered = *signed_xml;
    altered[altered.find("Minuta")] = 'N';
    EXPECT_FALSE(VerifyXmlDocument(altered, pki.ca().ToPem(), "test.bad").ok());
    signing::testing::TestPki other;
    EXPECT_FALSE(VerifyXmlDocument(*signed_xml, other.ca().ToPem(), "test.bad").ok());
  }
}

}  // namespace
}  // namespace rubrica::delivery
