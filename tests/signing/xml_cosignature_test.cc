// Co-signatures (xml_cosignature.h): a person's device signs the prepared SignedInfo, the
// seal follows and envelops it; both verify with our verifier and with xmlsec1 --verify
// --trusted-pem; another key, other bytes, another filter or a later change are refused.
#include "rubrica/signing/xml_cosignature.h"

#include <gtest/gtest.h>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/trust_store.h"
#include "signing/test_pki.h"
#include "signing/tsa_server.h"
#include "signing/xml_test_data.h"
#include "support/test_support.h"

namespace rubrica::signing {
namespace {

using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;
using testing::Identity;
using testing::Report;
using testing::TestInstant;
using testing::TestPki;
using testing::TestTsa;

class XmlCoSignatureTest : public ::testing::TestWithParam<keys::KeyAlgorithm> {
 protected:
  XmlCoSignatureTest()
      : seal_(pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello del Secretariado Ficticio")),
        garante_(pki_.Issue(GetParam(), "Garante Ficticia de Pruebas")),
        tsa_(pki_),
        clock_(TestInstant()),
        trust_(clock_) {
    trust_.AddAnchor(pki_.ca());
  }

  std::string Document() {
    auto xml = SerializeXml(Report("Manifiesto de prueba"));
    EXPECT_TRUE(xml.ok());
    return xml.ok() ? *xml : "";
  }
  // Prepared, signed by `device` as a device does (SigningKey::Sign: SHA-256 + ECDSA DER or
  // PKCS#1 v1.5 over the canonical SignedInfo), placed.
  Result<std::string> CoSign(const std::string& xml, const keys::SigningKey& device) {
    ASSIGN_OR_RETURN(XmlCoSignaturePrepared p, PrepareXmlCoSignature(xml, garante_.cert, {pki_.ca()}));
    EXPECT_EQ(p.digest, Sha256(p.signed_info));
    ASSIGN_OR_RETURN(std::string value, device.Sign(p.signed_info));
    return CompleteXmlCoSignature(p.document, p.signature_id, value);
  }
  std::string Seal(const std::string& xml) {
    auto s = SignXmlEnveloped(xml, seal_.key, seal_.cert, {pki_.ca()}, &tsa_.client());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : "";
  }
  XmlVerifyOptions Options(bool allow = true) const {
    XmlVerifyOptions o;
    o.time = TestInstant() + std::chrono::hours(24);
    o.allow_cosignatures = allow;
    return o;
  }
  int Xmlsec1(const std::string& xml, const std::string& id_prefix) {
    EXPECT_TRUE(WriteFileAtomic(dir_ / "doc.xml", xml).ok());
    EXPECT_TRUE(WriteFileAtomic(dir_ / "root.pem", pki_.ca().ToPem()).ok());
    return RunCommand({"xmlsec1", "--verify", "--trusted-pem", dir_ / "root.pem", "--node-xpath",
                       "//*[local-name()='Signature'][starts-with(@Id,'" + id_prefix + "')]",
                       dir_ / "doc.xml"})
        .exit_code;
  }

  TempDir dir_;
  TestPki pki_;
  Identity seal_;
  Identity garante_;
  TestTsa tsa_;
  ManualClock clock_;
  keys::TrustStore trust_;
};

TEST_P(XmlCoSignatureTest, CoSignedThenSealedBothVerifyHereAndWithXmlsec1) {
  auto cosigned = CoSign(Document(), garante_.key);
  ASSERT_TRUE(cosigned.ok()) << cosigned.status().ToString();
  const std::string sealed = Seal(*cosigned);

  auto seal = VerifyXmlSignature(sealed, trust_, Options());
  ASSERT_TRUE(seal.ok()) << seal.status().ToString();
  EXPECT_EQ(seal->signer.der(), seal_.cert.der());
  auto cosigners = VerifyXmlCoSignatures(sealed, trust_, Options());
  ASSERT_TRUE(cosigners.ok()) << cosigners.status().ToString();
  ASSERT_EQ(cosigners->size(), 1u);
  EXPECT_EQ((*cosigners)[0].signer.der(), garante_.cert.der());
  EXPECT_EQ((*cosigners)[0].signature_algorithm,
            GetParam() == keys::KeyAlgorithm::kEcdsaP256 ? "ecdsa-sha256" : "rsa-sha256");

  // Tools we did not write: each signature on its own.
  EXPECT_EQ(Xmlsec1(sealed, "rubrica-cosig-"), 0);
  EXPECT_EQ(Xmlsec1(sealed, "rubrica-sig-"), 0);

  // A verifier that does not expect co-signatures refuses the document as before.
  EXPECT_EQ(VerifyXmlSignature(sealed, trust_, Options(false)).status().code(),
            "xml.signature_extra");
}

TEST_P(XmlCoSignatureTest, OneChangedByteBreaksBothSignatures) {
  auto cosigned = CoSign(Document(), garante_.key);
  ASSERT_TRUE(cosigned.ok()) << cosigned.status().ToString();
  std::string sealed = Seal(*cosigned);
  const size_t at = sealed.find("Manifiesto de prueba");
  ASSERT_NE(at, std::string::npos);
  sealed[at] = 'N';
  EXPECT_EQ(VerifyXmlSignature(sealed, trust_, Options()).status().code(), "xml.digest_mismatch");
  EXPECT_EQ(VerifyXmlCoSignatures(sealed, trust_, Options()).status().code(),
            "xml.digest_mismatch");
  EXPECT_NE(Xmlsec1(sealed, "rubrica-cosig-"), 0);
  EXPECT_NE(Xmlsec1(sealed, "rubrica-sig-"), 0);
}

TEST_P(XmlCoSignatureTest, ASignatureByAnotherKeyOrOverOtherBytesIsNotPlaced) {
  Identity other = pki_.Issue(GetParam(), "Otra Persona Ficticia");
  auto by_other = CoSign(Document(), other.key);
  EXPECT_EQ(by_other.status().code(), "signing.bad_external_signature");

  auto p = PrepareXmlCoSignature(Document(), garante_.cert, {pki_.ca()});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto over_other_bytes = garante_.key.Sign(p->signed_info + " ");
  ASSERT_TRUE(over_other_bytes.ok());
  EXPECT_EQ(CompleteXmlCoSignature(p->document, p->signature_id, *over_other_bytes).status().code(),
            "signing.bad_external_signature");
  EXPECT_EQ(CompleteXmlCoSignature(p->document, p->signature_id, "not a signature").status().code(),
            "signing.bad_external_signature");
  EXPECT_EQ(CompleteXmlCoSignature(p->document, "rubrica-cosig-00", *over_other_bytes).status().code(),
            "xml.signature_missing");
  // The seal refuses to envelop a co-signature whose value was never placed.
  EXPECT_EQ(SignXmlEnveloped(p->document, seal_.key, seal_.cert, {}, nullptr).status().code(),
            "xml.already_signed");
  // A sealed document is not co-signed afterwards.
  EXPECT_EQ(PrepareXmlCoSignature(Seal(Document()), garante_.cert, {}).status().code(),
            "xml.already_signed");
}

TEST_P(XmlCoSignatureTest, ACoSignatureWithAnotherFilterOrAnUntrustedSignerIsRefused) {
  auto cosigned = CoSign(Document(), garante_.key);
  ASSERT_TRUE(cosigned.ok()) << cosigned.status().ToString();
  // A filter that would leave the content out of what the co-signer signed.
  std::string widened = *cosigned;
  const size_t at = widened.find(">//ds:Signature<");
  ASSERT_NE(at, std::string::npos);
  widened.replace(at, 16, ">//*<");
  auto plain = VerifyXmlCoSignatures(*cosigned, trust_, Options());
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->size(), 1u) << *cosigned;
  EXPECT_EQ(VerifyXmlCoSignatures(widened, trust_, Options()).status().code(), "xml.bad_transform");

  TestPki elsewhere;
  keys::TrustStore other_trust(clock_);
  other_trust.AddAnchor(elsewhere.ca());
  EXPECT_EQ(VerifyXmlCoSignatures(*cosigned, other_trust, Options()).status().code(),
            "xml.untrusted_signer");
}

INSTANTIATE_TEST_SUITE_P(Keys, XmlCoSignatureTest,
                         ::testing::Values(keys::KeyAlgorithm::kEcdsaP256, keys::KeyAlgorithm::kRsa2048),
                         [](const auto& info) {
                           return info.param == keys::KeyAlgorithm::kEcdsaP256 ? "Ec" : "Rsa";
                         });

}  // namespace
}  // namespace rubrica::signing
