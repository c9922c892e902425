// The bytes stage hashes the file once per digest algorithm (signing/src/pades/
// raw_signatures.h): every signature's covered bytes are a prefix of the running hash
// finished with its own tail, and the file's own SHA-256 is that hash carried to the end.
// What users rely on: each signature is judged on exactly the bytes of its /ByteRange,
// however the ranges of the signatures of one file nest and overlap, and the report's
// file digest is the file's.
#include <gtest/gtest.h>

#include "pades/signed_acta.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/pdf_verifier.h"

namespace rubrica::signing {
namespace {

using pades_testing::SignedActa;

class VerifyHashingTest : public ::testing::Test {
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
    o.max_decoded_bytes = 64u << 20;
    return VerifyPdf(pdf, o, clock_);
  }

  static SignedActa* acta_;
  SystemClock clock_;
};

SignedActa* VerifyHashingTest::acta_ = nullptr;

TEST_F(VerifyHashingTest, TheReportsFileDigestIsTheFilesSha256) {
  const std::string& complete = acta_->Complete();
  std::string flipped = complete;
  flipped[complete.size() / 3] ^= 0x01;
  const struct {
    const char* name;
    std::string pdf;
  } cases[] = {
      {"a complete acta", complete},
      {"the acta before its first signature", acta_->Stage(0)},
      {"the acta with one byte altered", flipped},
      {"the acta cut in half (no structure)", complete.substr(0, complete.size() / 2)},
      {"not a PDF", "hola"},
      {"empty", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const VerifyReport r = Verify(c.pdf);
    EXPECT_EQ(r.file_sha256, Sha256Hex(c.pdf));
    EXPECT_EQ(r.file_size, c.pdf.size());
  }
}

// Signature k + 1 covers signature k's hole (its /Contents) and everything before it; a change
// there is a change in what k + 1 and every later signature signed, and none in what k
// signed. The zero padding after a CMS in its hole can change without changing the CMS.
TEST_F(VerifyHashingTest, EachSignatureIsJudgedOnExactlyItsRangesWhereHolesOverlapLaterSignatures) {
  const std::string& complete = acta_->Complete();
  const VerifyReport clean = Verify(complete);
  ASSERT_EQ(clean.exit, VerifyExit::kValidAndComplete) << ToText(clean);
  const size_t n = clean.signatures.size();
  ASSERT_GE(n, 3u);
  for (size_t k = 0; k < n; ++k) {
    SCOPED_TRACE("the padding of signature " + std::to_string(k) + "'s hole");
    const auto& br = clean.signatures[k].byte_range;
    const size_t last_digit = static_cast<size_t>(br[2]) - 2;  // before the closing '>'
    ASSERT_EQ(complete[last_digit], '0');
    std::string pdf = complete;
    pdf[last_digit] = '1';
    const VerifyReport r = Verify(pdf);
    EXPECT_EQ(r.file_sha256, Sha256Hex(pdf));
    ASSERT_EQ(r.signatures.size(), n) << ToText(r);
    for (size_t i = 0; i < n; ++i) {
      const SignatureEntry& s = r.signatures[i];
      if (i <= k) {
        EXPECT_EQ(s.integrity, Integrity::kIntact) << i << "\n" << ToText(r);
      } else {
        EXPECT_EQ(s.integrity, Integrity::kAltered) << i << "\n" << ToText(r);
        EXPECT_EQ(s.sub_indication, "HASH_FAILURE") << i;
      }
    }
  }
  // A byte after every signature but the last one's hole (in its revision's xref): the
  // running hash each earlier signature forked from never saw it.
  const auto& last = clean.signatures.back().byte_range;
  const size_t tail = static_cast<size_t>(last[2]) + static_cast<size_t>(last[3]) - 20;
  ASSERT_GT(tail, static_cast<size_t>(last[2]));
  std::string pdf = complete;
  pdf[tail] = pdf[tail] == '0' ? '1' : '0';
  const VerifyReport r = Verify(pdf);
  ASSERT_EQ(r.signatures.size(), n) << ToText(r);
  for (size_t i = 0; i + 1 < n; ++i) EXPECT_EQ(r.signatures[i].integrity, Integrity::kIntact) << i;
  EXPECT_EQ(r.signatures.back().integrity, Integrity::kAltered) << ToText(r);
}

}  // namespace
}  // namespace rubrica::signing
