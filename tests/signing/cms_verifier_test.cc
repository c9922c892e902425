// VerifyCms on good CMS, on CMS made by OpenSSL, and on attacked or broken CMS: each
// problem must come out as its own result and failed check, and nothing may crash.
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "der_writer.h"
#include "oids.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/signing/cms_signer.h"
#include "rubrica/signing/cms_verifier.h"
#include "signed_data.h"
#include "signing/test_pki.h"
#include "signing/tsa_server.h"
#include "support/test_support.h"

namespace rubrica::signing {
namespace {

using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;
using testing::Identity;
using testing::TestPki;
using testing::TsaServer;

const std::string kContent = "Acta de instalación: bytes cubiertos por la firma.";

// Everything the cases need, made once: a PKI, a signer, another signer, a TSA over HTTP,
// a key held only by `openssl` for CMS that OpenSSL itself makes.
class Material {
 public:
  Material()
      : signer_(pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Integrante de Prueba Uno")),
        other_(pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Integrante de Prueba Dos")),
        tsa_(pki_) {
    client_ = HttpTimestampClient::Create(tsa_.url()).value();
    auto gen = RunCommand({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                           "ec_paramgen_curve:P-256", "-out", dir_ / "ossl.key"});
    EXPECT_EQ(gen.exit_code, 0) << gen.err;
    auto pub = RunCommand({"openssl", "pkey", "-in", dir_ / "ossl.key", "-pubout"});
    keys::Certificate ossl = pki_.IssueForPublicKey(pub.out, "Integrante con OpenSSL");
    EXPECT_TRUE(WriteFileAtomic(dir_ / "ossl.pem", ossl.ToPem()).ok());
    EXPECT_TRUE(WriteFileAtomic(dir_ / "content.bin", kContent).ok());
  }

  std::string Signed() {
    auto cms = SignCms(Sha256(kContent), signer_.key, {signer_.cert, pki_.ca()}, client_.get());
    EXPECT_TRUE(cms.ok()) << cms.status().ToString();
    return cms.ok() ? *cms : std::string();
  }

  // A SignerInfo of `who` over `attrs` (a SET), with optional unsigned attributes.
  std::string SignerInfo(const Identity& who, const std::string& attrs,
                         std::vector<std::string> unsigned_attrs = {}) {
    return EncodeSignerInfo({
        .signer = &who.cert,
        .signed_attributes = attrs,
        .signature_algorithm = *SignatureAlgorithmFor(who.cert),
        .signature = *who.key.Sign(attrs),
        .unsigned_attributes = std::move(unsigned_attrs),
    });
  }
  std::string Attrs(const keys::Certificate& named) {
    return EncodeSignedAttributes(oid::kData, Sha256(kContent), named);
  }
  std::string Cms(std::vector<std::string> signer_infos, std::vector<keys::Certificate> certs) {
    return EncodeSignedData({oid::kData, std::nullopt, std::move(certs), std::move(signer_infos)});
  }

  // CMS made by `openssl cms -sign` with extra options.
  std::string OpensslSigned(const std::vector<std::string>& options) {
    std::vector<std::string> argv = {"openssl", "cms", "-sign", "-binary", "-in", dir_ / "content.bin",
                                     "-signer", dir_ / "ossl.pem", "-inkey", dir_ / "ossl.key",
                                     "-outform", "DER", "-out", dir_ / "ossl.p7s"};
    argv.insert(argv.end(), options.begin(), options.end());
    auto r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto bytes = ReadFile(dir_ / "ossl.p7s");
    return bytes.ok() ? *bytes : std::string();
  }

  TempDir dir_;
  TestPki pki_;
  Identity signer_;
  Identity other_;
  TsaServer tsa_;
  std::unique_ptr<HttpTimestampClient> client_;
};

struct Input {
  std::string cms;
  std::string content = kContent;
};

struct VerifyCase {
  const char* name;
  std::function<Input(Material&)> make;
  CmsResult result;
  const char* failed_check;  // nullptr: none
  const char* timestamp_code = nullptr;
};

std::string FlipLastByteOf(std::string cms, std::string_view part) {
  const size_t at = cms.find(part);
  EXPECT_NE(at, std::string::npos);
  cms[at + part.size() - 1] = static_cast<char>(cms[at + part.size() - 1] ^ 0x01);
  return cms;
}

const VerifyCase kCases[] = {
    {"OurOwnCmsPasses", [](Material& m) { return Input{m.Signed()}; }, CmsResult::kPassed, nullptr},
    {"OpensslCadesPasses", [](Material& m) { return Input{m.OpensslSigned({"-cades", "-md", "sha256"})}; },
     CmsResult::kPassed, nullptr},
    {"PdfZeroPaddingIsAllowed",
     [](Material& m) { return Input{m.Signed() + std::string(5000, '\0')}; }, CmsResult::kPassed, nullptr},
    {"FlippedContentByteIsHashFailure",
     [](Material& m) {
       std::string content = kContent;
       content[10] = static_cast<char>(content[10] ^ 0x01);
       return Input{m.Signed(), content};
     },
     CmsResult::kHashFailure, "cms.message_digest"},
    {"FlippedSignatureByteIsSigCryptoFailure",
     [](Material& m) {
       std::string cms = m.Signed();
       auto report = VerifyCms(cms, Sha256(kContent));
       return Input{FlipLastByteOf(cms, report->signature_value)};
     },
     CmsResult::kSigCryptoFailure, "cms.signature"},
    {"SecondSignerInfoIsFormatFailure",
     [](Material& m) {
       return Input{m.Cms({m.SignerInfo(m.signer_, m.Attrs(m.signer_.cert)),
                           m.SignerInfo(m.other_, m.Attrs(m.other_.cert))},
                          {m.signer_.cert, m.other_.cert, m.pki_.ca()})};
     },
     CmsResult::kFormatFailure, "cms.single_signer"},
    {"Sha1IsCryptoConstraintsFailure",
     [](Material& m) { return Input{m.OpensslSigned({"-cades", "-md", "sha1"})}; },
     CmsResult::kCryptoConstraintsFailure, "cms.algorithms"},
    {"MissingSigningCertificateV2IsFormatFailure",
     [](Material& m) { return Input{m.OpensslSigned({"-md", "sha256"})}; }, CmsResult::kFormatFailure,
     "cms.signing_certificate_v2"},
    {"SigningCertificateV2NamingAnotherCertificate",
     [](Material& m) {
       return Input{m.Cms({m.SignerInfo(m.signer_, m.Attrs(m.other_.cert))},
                          {m.signer_.cert, m.other_.cert, m.pki_.ca()})};
     },
     CmsResult::kNoSigningCertificateFound, "cms.signing_certificate_v2"},
    {"SignerCertificateNotEmbedded",
     [](Material& m) { return Input{m.Cms({m.SignerInfo(m.signer_, m.Attrs(m.signer_.cert))}, {m.pki_.ca()})}; },
     CmsResult::kNoSigningCertificateFound, "cms.signer_certificate"},
    {"TimestampOverAnotherSignature",
     [](Material& m) {
       auto token = m.client_->Timestamp(Sha256("the signature value of another signature"));
       EXPECT_TRUE(token.ok()) << token.status().ToString();
       std::string ts_attr = EncodeAttribute(oid::kSignatureTimeStamp, {*token});
       return Input{m.Cms({m.SignerInfo(m.signer_, m.Attrs(m.signer_.cert), {ts_attr})},
                          {m.signer_.cert, m.pki_.ca()})};
     },
     CmsResult::kTimestampFailure, "cms.timestamp", "signing.timestamp_imprint_mismatch"},
    {"AttachedContentIsFormatFailure",
     [](Material& m) { return Input{m.OpensslSigned({"-cades", "-md", "sha256", "-nodetach"})}; },
     CmsResult::kFormatFailure, "cms.detached"},
    {"GarbageIsFormatFailure", [](Material&) { return Input{RandomBytes(300)}; }, CmsResult::kFormatFailure,
     "cms.structure"},
    {"EmptyIsFormatFailure", [](Material&) { return Input{""}; }, CmsResult::kFormatFailure, "cms.structure"},
    {"TrailingGarbageIsFormatFailure", [](Material& m) { return Input{m.Signed() + "%%EOF"}; },
     CmsResult::kFormatFailure, "cms.structure"},
    {"BerIndefiniteLengthIsFormatFailure",
     [](Material&) { return Input{std::string("\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\x00\x00", 15)}; },
     CmsResult::kFormatFailure, "cms.structure"},
    {"DataInsteadOfSignedDataIsFormatFailure",
     [](Material&) {
       return Input{der::Sequence({der::KnownOid(oid::kData),
                                   der::Tlv(der::ContextConstructed(0), der::OctetString("hola"))})};
     },
     CmsResult::kFormatFailure, "cms.structure"},
};

class VerifyCmsTest : public ::testing::TestWithParam<VerifyCase> {
 protected:
  static void SetUpTestSuite() { material_ = new Material(); }
  static void TearDownTestSuite() {
    delete material_;
    material_ = nullptr;
  }
  static Material* material_;
};
Material* VerifyCmsTest::material_ = nullptr;

TEST_P(VerifyCmsTest, ReportsTheRightResultAndCheck) {
  const VerifyCase& c = GetParam();
  Input in = c.make(*material_);
  Result<CmsReport> report = VerifyCms(in.cms, Sha256(in.content));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const CmsCheck* failed = report->FirstFailure();
  EXPECT_EQ(CmsResultName(report->result), CmsResultName(c.result))
      << (failed ? failed->id + ": " + failed->message : "no failure");
  if (c.failed_check == nullptr) {
    EXPECT_EQ(failed, nullptr) << failed->id << ": " << failed->message;
  } else {
    ASSERT_NE(failed, nullptr);
    EXPECT_EQ(failed->id, c.failed_check) << failed->message;
    EXPECT_FALSE(failed->message.empty());
  }
  if (c.timestamp_code != nullptr) {
    EXPECT_TRUE(report->timestamp.present);
    EXPECT_EQ(report->timestamp.status.code(), c.timestamp_code);
  }
  // Every check is listed, run or not, in a fixed order.
  ASSERT_EQ(report->checks.size(), 11u);
  EXPECT_EQ(report->checks.front().id, "cms.structure");
  EXPECT_EQ(report->checks.back().id, "cms.timestamp");
}

INSTANTIATE_TEST_SUITE_P(Cases, VerifyCmsTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(VerifyCmsReportTest, OpensslCmsCarriesSigningTimeAndWeMapToEtsi) {
  Material m;
  auto report = VerifyCms(m.OpensslSigned({"-cades", "-md", "sha256"}), Sha256(kContent));
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->has_signing_time);
  EXPECT_FALSE(report->timestamp.present);

  struct Row {
    CmsResult r;
    const char* indication;
    const char* sub;
  };
  for (const Row& row : {Row{CmsResult::kPassed, "TOTAL-PASSED", ""},
                         Row{CmsResult::kHashFailure, "TOTAL-FAILED", "HASH_FAILURE"},
                         Row{CmsResult::kSigCryptoFailure, "TOTAL-FAILED", "SIG_CRYPTO_FAILURE"},
                         Row{CmsResult::kFormatFailure, "TOTAL-FAILED", "FORMAT_FAILURE"},
                         Row{CmsResult::kCryptoConstraintsFailure, "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE"},
                         Row{CmsResult::kNoSigningCertificateFound, "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND"},
                         Row{CmsResult::kTimestampFailure, "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE"}}) {
    EXPECT_EQ(EtsiStatusFor(row.r).indication, row.indication);
    EXPECT_EQ(EtsiStatusFor(row.r).sub_indication, row.sub);
  }
}

TEST(VerifyCmsReportTest, ABrokenEmbeddedCertificateIsNamedWithItsOffset) {
  Material m;
  std::string cms = m.Signed();
  const size_t at = cms.find(m.pki_.ca().der());
  ASSERT_NE(at, std::string::npos);
  // The CA's tbsCertificate SEQUENCE (after a 4-byte header) becomes a SET: still DER, not X.509.
  ASSERT_EQ(cms[at + 4], '\x30');
  cms[at + 4] = '\x31';
  auto report = VerifyCms(cms, Sha256(kContent));
  ASSERT_TRUE(report.ok());
  ASSERT_NE(report->FirstFailure(), nullptr);
  EXPECT_EQ(report->FirstFailure()->id, "cms.structure");
  EXPECT_NE(report->FirstFailure()->message.find("at byte " + std::to_string(at)), std::string::npos)
      << report->FirstFailure()->message;
}

TEST(VerifyCmsReportTest, RefusesADigestThatIsNotSha256) {
  EXPECT_EQ(VerifyCms("x", "short").status().code(), "signing.bad_digest");
}

// Hostile bytes: every truncation is a format failure, and flipping any byte never crashes
// and never passes unless the byte lies where nothing is signed: a copy of the CA
// certificate (trust is the caller's job) or the type of the unsigned timestamp attribute
// (unsigned attributes can always be stripped; whoever requires a timestamp checks
// report.timestamp.present).
TEST(VerifyCmsHostileInputTest, TruncationsFailAndFlipsNeverCrashOrPassWhereSigned) {
  Material m;
  const std::string cms = m.Signed();
  const std::string digest = Sha256(kContent);
  for (size_t n = 0; n < cms.size(); ++n) {
    auto report = VerifyCms(std::string_view(cms).substr(0, n), digest);
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report->result, CmsResult::kFormatFailure) << "prefix of " << n << " bytes";
    ASSERT_EQ(report->FirstFailure()->id, "cms.structure");
  }
  std::vector<std::pair<size_t, size_t>> unsigned_ranges;
  for (const std::string& part : {m.pki_.ca().der(), der::KnownOid(oid::kSignatureTimeStamp)}) {
    for (size_t at = cms.find(part); at != std::string::npos; at = cms.find(part, at + 1)) {
      unsigned_ranges.emplace_back(at, at + part.size());
    }
  }
  size_t passed = 0;
  for (size_t i = 0; i < cms.size(); ++i) {
    std::string flipped = cms;
    flipped[i] = static_cast<char>(flipped[i] ^ 0xff);
    auto report = VerifyCms(flipped, digest);
    ASSERT_TRUE(report.ok());
    if (report->result != CmsResult::kPassed) continue;
    ++passed;
    bool allowed = false;
    for (auto [from, to] : unsigned_ranges) allowed = allowed || (i >= from && i < to);
    EXPECT_TRUE(allowed) << "flipping byte " << i << " of " << cms.size() << " still passes";
  }
  EXPECT_LT(passed, cms.size() / 2);
}

}  // namespace
}  // namespace rubrica::signing
