// Enveloped XML signatures: made with a real key and certificate, timestamped by the
// embedded TSA, checked by our verifier and by tools we did not write (xmllint --schema,
// xmlsec1 --verify --trusted-pem); then tampered with in the ways attackers do.
#include "rubrica/signing/xml_signature.h"

#include <gtest/gtest.h>
#include <openssl/err.h>

#include <atomic>
#include <thread>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/cms_signer.h"
#include "rubrica/signing/cms_verifier.h"
#include "rubrica/signing/xml_schema.h"
#include "signing/test_pki.h"
#include "signing/tsa_server.h"
#include "signing/xml_test_data.h"
#include "support/test_support.h"

namespace rubrica::signing {
namespace {

using rubrica::testing::CommandResult;
using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;
using testing::Identity;
using testing::kXsd;
using testing::Report;
using testing::TestInstant;
using testing::TestPki;
using testing::TestTsa;

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "not found: " << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

std::string Between(const std::string& s, const std::string& open, const std::string& close) {
  size_t a = s.find(open);
  size_t b = s.find(close, a);
  EXPECT_NE(a, std::string::npos);
  EXPECT_NE(b, std::string::npos);
  return s.substr(a, b + close.size() - a);
}

class XmlSignatureTest : public ::testing::Test {
 protected:
  XmlSignatureTest()
      : seal_(pki_.Issue(keys::KeyAlgorithm::kEcdsaP256,
                         "Sello del Secretariado Ficticio de Pruebas")),
        tsa_(pki_),
        clock_(TestInstant()),
        trust_(clock_) {
    trust_.AddAnchor(pki_.ca());
  }

  std::string Document(const std::string& title = "Constancia de verificación") {
    auto xml = SerializeXml(Report(title));
    EXPECT_TRUE(xml.ok()) << xml.status().ToString();
    return xml.ok() ? *xml : "";
  }

  std::string Sign(const std::string& xml, const Identity& who, TimestampClient* tsa) {
    auto signed_xml = SignXmlEnveloped(xml, who.key, who.cert, {pki_.ca()}, tsa);
    EXPECT_TRUE(signed_xml.ok()) << signed_xml.status().ToString();
    return signed_xml.ok() ? *signed_xml : "";
  }
  std::string Signed() { return Sign(Document(), seal_, &tsa_.client()); }

  XmlVerifyOptions Options() const {
    XmlVerifyOptions o;
    o.time = TestInstant() + std::chrono::hours(24);
    return o;
  }
  Result<XmlSignatureInfo> Verify(const std::string& xml) {
    return VerifyXmlSignature(xml, trust_, Options());
  }

  CommandResult Xmlsec1(const std::string& xml, const std::string& root_pem) {
    EXPECT_TRUE(WriteFileAtomic(dir_ / "doc.xml", xml).ok());
    EXPECT_TRUE(WriteFileAtomic(dir_ / "root.pem", root_pem).ok());
    return RunCommand(
        {"xmlsec1", "--verify", "--trusted-pem", dir_ / "root.pem", dir_ / "doc.xml"});
  }
  CommandResult Xmllint(const std::string& xml) {
    EXPECT_TRUE(WriteFileAtomic(dir_ / "doc.xml", xml).ok());
    return RunCommand({"xmllint", "--noout", "--schema", testing::XsdPath(), dir_ / "doc.xml"});
  }

  TempDir dir_;
  TestPki pki_;
  Identity seal_;
  TestTsa tsa_;
  ManualClock clock_;
  keys::TrustStore trust_;
};

TEST_F(XmlSignatureTest, SignedDocumentVerifiesHereAndWithXmllintAndXmlsec1) {
  for (keys::KeyAlgorithm algorithm :
       {keys::KeyAlgorithm::kEcdsaP256, keys::KeyAlgorithm::kRsa2048}) {
    SCOPED_TRACE(std::string(keys::KeyAlgorithmName(algorithm)));
    Identity who = pki_.Issue(algorithm, "Sello Ficticio");
    const std::string xml = Sign(Document(), who, &tsa_.client());

    auto info = Verify(xml);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_EQ(info->signer_fingerprint, who.cert.FingerprintSha256());
    EXPECT_EQ(info->signer_subject, who.cert.SubjectString());
    EXPECT_EQ(info->signature_algorithm,
              algorithm == keys::KeyAlgorithm::kEcdsaP256 ? "ecdsa-sha256" : "rsa-sha256");
    EXPECT_TRUE(info->digest_ok);
    ASSERT_TRUE(info->signing_time.has_value());
    EXPECT_EQ(*info->signing_time, TestInstant());
    ASSERT_TRUE(info->timestamp.has_value());
    EXPECT_EQ(info->timestamp->tsa_certificate, tsa_.certificate());
    ASSERT_EQ(info->chain.size(), 2u);
    EXPECT_EQ(info->chain.back(), pki_.ca());

    // Still valid against its schema (the signature sits in the xs:any slot for ds:).
    Status schema = ValidateXmlSchema(xml, kXsd);
    EXPECT_TRUE(schema.ok()) << schema.ToString();
    auto lint = Xmllint(xml);
    EXPECT_EQ(lint.exit_code, 0) << lint.err;
    auto xmlsec = Xmlsec1(xml, pki_.ca().ToPem());
    EXPECT_EQ(xmlsec.exit_code, 0) << xmlsec.out << xmlsec.err << "\n" << xml;
  }
}

TEST_F(XmlSignatureTest, FollowsTheDocumentedProfile) {
  const std::string xml = Signed();
  auto root = ParseXml(xml);
  ASSERT_TRUE(root.ok());
  auto kids = root->Children();
  ASSERT_FALSE(kids.empty());
  const XmlElement* sig = kids.back();
  EXPECT_EQ(sig->local_name(), "Signature");
  EXPECT_EQ(sig->namespace_uri(), "http://www.w3.org/2000/09/xmldsig#");
  const XmlElement* si = sig->FindChild("SignedInfo");
  ASSERT_NE(si, nullptr);
  EXPECT_EQ(si->FindChild("CanonicalizationMethod")->AttrValue("Algorithm"),
            "http://www.w3.org/2001/10/xml-exc-c14n#");
  EXPECT_EQ(si->FindChild("SignatureMethod")->AttrValue("Algorithm"),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
  ASSERT_EQ(si->Children("Reference").size(), 1u);
  const XmlElement* ref = si->FindChild("Reference");
  EXPECT_TRUE(ref->HasAttr("URI"));
  EXPECT_EQ(ref->AttrValue("URI"), "");
  auto transforms = ref->FindChild("Transforms")->Children("Transform");
  ASSERT_EQ(transforms.size(), 2u);
  EXPECT_EQ(transforms[0]->AttrValue("Algorithm"),
            "http://www.w3.org/2000/09/xmldsig#enveloped-signature");
  EXPECT_EQ(transforms[1]->AttrValue("Algorithm"), "http://www.w3.org/2001/10/xml-exc-c14n#");
  EXPECT_EQ(ref->FindChild("DigestMethod")->AttrValue("Algorithm"),
            "http://www.w3.org/2001/04/xmlenc#sha256");
  // KeyInfo: the signer's certificate first, then the chain.
  auto certs = sig->FindChild("KeyInfo")->FindChild("X509Data")->Children("X509Certificate");
  ASSERT_EQ(certs.size(), 2u);
  std::string b64;
  for (char c : certs[0]->TextContent()) {
    if (c != '\n') b64 += c;
  }
  EXPECT_EQ(*Base64Decode(b64), seal_.cert.der());
  // The XAdES timestamp over the canonical SignatureValue.
  const XmlElement* qp = sig->FindChild("Object")->FindChild("QualifyingProperties");
  ASSERT_NE(qp, nullptr);
  EXPECT_EQ(qp->namespace_uri(), "http://uri.etsi.org/01903/v1.3.2#");
  EXPECT_EQ(qp->AttrValue("Target"), "#" + sig->AttrValue("Id"));
  const XmlElement* sts = qp->FindChild("UnsignedProperties")
                              ->FindChild("UnsignedSignatureProperties")
                              ->FindChild("SignatureTimeStamp");
  ASSERT_NE(sts, nullptr);
  auto token = Base64Decode(sts->FindChild("EncapsulatedTimeStamp")->TextContent());
  ASSERT_TRUE(token.ok());
  const std::string canonical_value =
      "<ds:SignatureValue xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">" +
      sig->FindChild("SignatureValue")->TextContent() + "</ds:SignatureValue>";
  auto ts = VerifyTimestampToken(*token, Sha256(canonical_value));
  EXPECT_TRUE(ts.ok()) << ts.status().ToString();
  // openssl, which we did not write, agrees (the recipe of docs/signing.md).
  ASSERT_TRUE(WriteFileAtomic(dir_ / "ts.der", *token).ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "sv.c14n", canonical_value).ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "root.pem", pki_.ca().ToPem()).ok());
  auto openssl = RunCommand({"openssl", "ts", "-verify", "-in", dir_ / "ts.der", "-token_in",
                             "-data", dir_ / "sv.c14n", "-CAfile", dir_ / "root.pem"});
  EXPECT_NE(openssl.out.find("Verification: OK"), std::string::npos) << openssl.out << openssl.err;
}

TEST_F(XmlSignatureTest, AFlippedByteInSignedTextIsRefusedByUsAndByXmlsec1) {
  const std::string xml = Signed();
  ASSERT_EQ(Xmlsec1(xml, pki_.ca().ToPem()).exit_code, 0);
  const std::string tampered = Replace(xml, "Persona Ficticia Uno", "Persona Ficticia Unp");
  auto info = Verify(tampered);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), "xml.digest_mismatch");
  EXPECT_EQ(info.status().kind(), ErrorKind::kRejected);
  EXPECT_NE(Xmlsec1(tampered, pki_.ca().ToPem()).exit_code, 0);

  const std::string attribute = Replace(xml, "resultado=\"invalida\"", "resultado=\"valida\"");
  EXPECT_EQ(Verify(attribute).status().code(), "xml.digest_mismatch");
  EXPECT_NE(Xmlsec1(attribute, pki_.ca().ToPem()).exit_code, 0);
}

TEST_F(XmlSignatureTest, AnAlteredSignatureValueIsRefusedByUsAndByXmlsec1) {
  const std::string xml = Signed();
  const std::string value = Between(xml, "<ds:SignatureValue>", "</ds:SignatureValue>");
  std::string altered = value;
  size_t at = std::string("<ds:SignatureValue>").size() + 10;
  altered[at] = altered[at] == 'A' ? 'B' : 'A';
  const std::string tampered = Replace(xml, value, altered);
  EXPECT_EQ(Verify(tampered).status().code(), "xml.signature_invalid");
  EXPECT_NE(Xmlsec1(tampered, pki_.ca().ToPem()).exit_code, 0);
}

TEST_F(XmlSignatureTest, RefusesWrappingAndProfileViolations) {
  const std::string xml = Signed();
  const std::string body = xml.substr(xml.find("<r:reporte"));
  const std::string signature = Between(xml, "<ds:Signature ", "</ds:Signature>");
  const std::string reference = Between(xml, "<ds:Reference URI=\"\">", "</ds:Reference>");
  const std::string without_signature = Replace(xml, signature, "");
  struct Case {
    const char* what;
    std::string xml;
    const char* code;
  };
  const Case cases[] = {
      {"unsigned", without_signature, "xml.signature_missing"},
      {"signed document moved under a new root", "<envoltorio>" + body + "</envoltorio>",
       "xml.signature_misplaced"},
      {"signature moved into a child",
       Replace(without_signature, "</r:firma>", signature + "</r:firma>"),
       "xml.signature_misplaced"},
      {"element after the signature",
       Replace(xml, "</r:reporte>", "<r:firma resultado=\"valida\">X</r:firma></r:reporte>"),
       "xml.signature_misplaced"},
      {"two signatures", Replace(xml, "</r:reporte>", signature + "</r:reporte>"),
       "xml.signature_extra"},
      {"extra Reference to an ID",
       Replace(Replace(xml, "<r:titulo>", "<r:titulo Id=\"t\">"), reference,
               reference + Replace(reference, "URI=\"\"", "URI=\"#t\"")),
       "xml.bad_reference"},
      {"Reference to an ID instead of the document",
       Replace(Replace(xml, "<r:titulo>", "<r:titulo Id=\"t\">"), "URI=\"\"", "URI=\"#t\""),
       "xml.bad_reference"},
      {"Reference without URI", Replace(xml, "<ds:Reference URI=\"\">", "<ds:Reference>"),
       "xml.bad_reference"},
      {"XPath transform added",
       Replace(xml, "</ds:Transforms>",
               "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\">"
               "<ds:XPath>1</ds:XPath></ds:Transform></ds:Transforms>"),
       "xml.bad_transform"},
      {"enveloped transform removed",
       Replace(
           xml,
           "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
           ""),
       "xml.bad_transform"},
      {"SHA-1 digest",
       Replace(xml, "http://www.w3.org/2001/04/xmlenc#sha256",
               "http://www.w3.org/2000/09/xmldsig#sha1"),
       "xml.unsupported_algorithm"},
      {"inclusive C14N",
       Replace(xml,
               "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
               "<ds:CanonicalizationMethod "
               "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"),
       "xml.unsupported_algorithm"},
      {"document smuggled in a ds:Object",
       Replace(xml, "</ds:Signature>",
               "<ds:Object>" + body.substr(0, body.find("<ds:Signature")) +
                   "</r:reporte></ds:Object></ds:Signature>"),
       "xml.bad_object"},
      {"timestamp object for another signature", Replace(xml, "Target=\"#", "Target=\"#otra-"),
       "xml.bad_object"},
      {"KeyInfo emptied",
       Replace(xml, Between(xml, "<ds:KeyInfo>", "</ds:KeyInfo>"), "<ds:KeyInfo/>"),
       "xml.bad_key_info"},
      {"DOCTYPE added", "<!DOCTYPE r:reporte [<!ENTITY e \"x\">]>" + body, "xml.dtd_refused"},
  };
  for (const auto& c : cases) {
    auto info = Verify(c.xml);
    ASSERT_FALSE(info.ok()) << c.what;
    EXPECT_EQ(info.status().code(), c.code) << c.what << ": " << info.status().ToString();
  }
}

TEST_F(XmlSignatureTest, RefusesASignerOutsideTheTrustAnchorsAndXmlsec1Agrees) {
  TestPki other;
  Identity stranger = other.Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello Ajeno Ficticio");
  auto xml =
      SignXmlEnveloped(Document(), stranger.key, stranger.cert, {other.ca()}, &tsa_.client());
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  auto info = Verify(*xml);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), "xml.untrusted_signer");
  EXPECT_NE(info.status().message().find("keys.untrusted_issuer"), std::string::npos)
      << info.status().message();
  EXPECT_NE(Xmlsec1(*xml, pki_.ca().ToPem()).exit_code, 0);
  EXPECT_EQ(Xmlsec1(*xml, other.ca().ToPem()).exit_code, 0);
}

TEST_F(XmlSignatureTest, RefusesATimestampFromAnUntrustedTsa) {
  TestPki other;
  TestTsa foreign_tsa(other);
  const std::string xml = Sign(Document(), seal_, &foreign_tsa.client());
  auto info = Verify(xml);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), "xml.bad_timestamp");
}

TEST_F(XmlSignatureTest, RefusesATimestampTakenFromAnotherSignature) {
  const std::string a = Signed();
  const std::string b = Signed();
  const std::string token_b =
      Between(b, "<xades:EncapsulatedTimeStamp>", "</xades:EncapsulatedTimeStamp>");
  const std::string token_a =
      Between(a, "<xades:EncapsulatedTimeStamp>", "</xades:EncapsulatedTimeStamp>");
  ASSERT_NE(token_a, token_b);
  auto info = Verify(Replace(a, token_a, token_b));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), "xml.bad_timestamp");
  EXPECT_NE(info.status().message().find("signing.timestamp_imprint_mismatch"), std::string::npos)
      << info.status().message();
}

TEST_F(XmlSignatureTest, TimestampRequiredByDefault) {
  const std::string xml = Sign(Document(), seal_, nullptr);
  EXPECT_EQ(xml.find("QualifyingProperties"), std::string::npos);
  EXPECT_EQ(Verify(xml).status().code(), "xml.timestamp_missing");
  XmlVerifyOptions lenient = Options();
  lenient.require_timestamp = false;
  auto info = VerifyXmlSignature(xml, trust_, lenient);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_FALSE(info->signing_time.has_value());
  EXPECT_EQ(Xmlsec1(xml, pki_.ca().ToPem()).exit_code, 0);
}

TEST_F(XmlSignatureTest, ChecksCertificatesAtTheTimeGiven) {
  // TestPki certificates end on 2045-12-31.
  XmlVerifyOptions late = Options();
  late.time = Instant(std::chrono::sys_days(std::chrono::year(2046) / 6 / 1));
  // With a timestamp: the TSA's certificate has expired at that time.
  auto stamped = Verify(Signed());
  ASSERT_TRUE(stamped.ok()) << stamped.status().ToString();
  auto expired_tsa = VerifyXmlSignature(Signed(), trust_, late);
  EXPECT_EQ(expired_tsa.status().code(), "xml.bad_timestamp");
  EXPECT_NE(expired_tsa.status().message().find("keys.certificate_expired"), std::string::npos)
      << expired_tsa.status().message();
  // Without one: the signer's certificate is checked at that time.
  late.require_timestamp = false;
  auto expired_signer = VerifyXmlSignature(Sign(Document(), seal_, nullptr), trust_, late);
  EXPECT_EQ(expired_signer.status().code(), "xml.untrusted_signer");
  EXPECT_NE(expired_signer.status().message().find("keys.certificate_expired"), std::string::npos)
      << expired_signer.status().message();
  // xmlsec1 agrees when asked about that time (docs/signing.md's recipe), not about today.
  const std::string xml = Signed();
  EXPECT_EQ(Xmlsec1(xml, pki_.ca().ToPem()).exit_code, 0);
  EXPECT_NE(RunCommand({"xmlsec1", "--verify", "--trusted-pem", dir_ / "root.pem",
                        "--verification-time", "2046-06-01 12:00:00", dir_ / "doc.xml"})
                .exit_code,
            0);
  // A verification time before the proven signing time.
  XmlVerifyOptions early = Options();
  early.time = TestInstant() - std::chrono::hours(1);
  EXPECT_EQ(VerifyXmlSignature(Signed(), trust_, early).status().code(), "xml.signed_after_time");
}

TEST_F(XmlSignatureTest, SignerRefusesBadInputs) {
  const std::string signed_once = Signed();
  auto again = SignXmlEnveloped(signed_once, seal_.key, seal_.cert, {}, nullptr);
  EXPECT_EQ(again.status().code(), "xml.already_signed");
  Identity other = pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Otro Sello Ficticio");
  EXPECT_EQ(SignXmlEnveloped(Document(), seal_.key, other.cert, {}, nullptr).status().code(),
            "signing.key_certificate_mismatch");
  EXPECT_EQ(SignXmlEnveloped("<a><b></a>", seal_.key, seal_.cert, {}, nullptr).status().code(),
            "xml.malformed");
  EXPECT_EQ(SignXmlEnveloped("<!DOCTYPE a SYSTEM \"x\"><a/>", seal_.key, seal_.cert, {}, nullptr)
                .status()
                .code(),
            "xml.dtd_refused");
}

TEST_F(XmlSignatureTest, XmlsecLeavesTheRestOfOpenSslWorking) {
  // xmlsec is initialised by now; CMS signing and verification, which use OpenSSL directly,
  // still work in the same process and thread, and no error is left queued.
  ASSERT_FALSE(Signed().empty());
  auto tampered = Verify(Replace(Signed(), "Persona Ficticia Uno", "Persona Ficticia Unp"));
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(ERR_peek_error(), 0u);
  const std::string xml = Signed();
  const std::string value = Between(xml, "<ds:SignatureValue>", "</ds:SignatureValue>");
  std::string altered = value;
  altered[25] = altered[25] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Verify(Replace(xml, value, altered)).status().code(), "xml.signature_invalid");
  EXPECT_EQ(ERR_peek_error(), 0u);
  const std::string digest = Sha256("contenido");
  auto cms = SignCms(digest, seal_.key, {seal_.cert, pki_.ca()}, &tsa_.client());
  ASSERT_TRUE(cms.ok()) << cms.status().ToString();
  auto report = VerifyCms(*cms, digest);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->result, CmsResult::kPassed);
}

TEST_F(XmlSignatureTest, SignsAndVerifiesFromManyThreadsAtOnce) {
  std::atomic<int> verified{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto xml = SignXmlEnveloped(Document("Acta " + std::to_string(t * 10 + i)), seal_.key,
                                    seal_.cert, {pki_.ca()}, &tsa_.client());
        if (!xml.ok()) continue;
        if (VerifyXmlSignature(*xml, trust_, Options()).ok()) ++verified;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(verified.load(), 20);
}

}  // namespace
}  // namespace rubrica::signing
