// `rubrica verify` as users run it: the real binary, its sandboxed worker, its exit status,
// its text and JSON reports. Hostile files must end with exit 2 and a one-line reason, fast.
// (A worker that crashes, spins or hangs: tests/server/verify_sandbox_test.cc.)
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include "fuzz/hostile_pdfs.h"
#include "pades/signed_acta.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::pades_testing {
namespace {

using rubrica::testing::CommandResult;
using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;

// Generous: only a hang trips it. The sandbox's own wall limit is 30 s.
constexpr double kHangSeconds = 20.0;

struct Timed {
  CommandResult r;
  double seconds = 0;
};

Timed RunTimed(const std::vector<std::string>& argv) {
  const auto start = std::chrono::steady_clock::now();
  Timed t;
  t.r = RunCommand(argv, {}, 90);
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

// The reason line of a text report that could not be processed: "[code] message".
std::string ReasonLine(const std::string& text, const std::string& code) {
  const size_t at = text.find("\n[" + code + "] ");
  if (at == std::string::npos) return "";
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

class VerifyCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { acta_ = new SignedActa(); }
  static void TearDownTestSuite() {
    delete acta_;
    acta_ = nullptr;
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_ / name;
    EXPECT_TRUE(WriteFileAtomic(path, bytes).ok());
    return path;
  }

  Timed Verify(const std::string& path, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {RubricaBinary(), "verify", path, "--trust", acta_->anchor_path()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunTimed(argv);
  }

  static SignedActa* acta_;
  rubrica::testing::TempDir dir_;
};

SignedActa* VerifyCliTest::acta_ = nullptr;

std::string Garbage(size_t n) {
  std::string s(n, '\0');
  uint32_t x = 12345;
  for (char& c : s) {
    x = x * 1103515245 + 12345;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

TEST_F(VerifyCliTest, HostileFilesEndUnprocessedWithAOneLineReasonWithinSeconds) {
  const std::string& complete = acta_->Complete();
  const std::string plain = Write("plain.pdf", complete);
  ASSERT_EQ(RunCommand({"/usr/bin/qpdf", "--encrypt", "usuario", "propietario", "256", "--", plain,
                        dir_ / "encrypted.pdf"})
                .exit_code,
            0);
  // Over the 256 MiB limit without writing 300 MB: a sparse file.
  const std::string huge = Write("huge.pdf", complete);
  std::filesystem::resize_file(huge, 300u << 20);

  const struct {
    const char* name;
    std::function<std::string()> path;
    const char* code;
  } cases[] = {
      {"empty", [&] { return Write("empty.pdf", ""); }, "pdf.not_a_pdf"},
      {"garbage", [&] { return Write("garbage.pdf", Garbage(64 << 10)); }, "pdf.not_a_pdf"},
      {"encrypted by qpdf", [&] { return dir_ / "encrypted.pdf"; }, "pdf.encrypted"},
      {"nested 100000 arrays deep", [&] { return Write("deep.pdf", fuzz_testing::DeeplyNested(100000)); },
       "pdf.syntax"},
      {"form fields in a cycle", [&] { return Write("cycle.pdf", fuzz_testing::FieldCycle()); }, "pdf.bad_acroform"},
      {"name tree listing each node 20 times, 12 deep (20^12 visits)",
       [&] { return Write("fanout.pdf", fuzz_testing::NameTreeFanOut(20, 12)); }, "pdf.bad_embedded_file"},
      {"1000 objects nested in each other's strings",
       [&] { return Write("nested.pdf", fuzz_testing::NestedObjects(1000, 200000)); }, "pdf.syntax"},
      {"decompression bomb: 4 MB of Flate inflating to 4 GiB",
       [&] { return Write("bomb.pdf", fuzz_testing::DecompressionBomb(4ull << 30)); }, "pdf.stream_too_large"},
      {"dictionary with 150000 keys",
       [&] { return Write("keys.pdf", fuzz_testing::ManyKeysDictionary(150000)); }, "pdf.syntax"},
      {"5000 revisions of a form with 1000 fields",
       [&] { return Write("revisions.pdf", fuzz_testing::ManyRevisions(5000, 1000)); }, "pdf.too_complex"},
      {"20000 revisions", [&] { return Write("revisions-20000.pdf", fuzz_testing::ManyRevisions(20000, 1)); },
       "pdf.revision_structure"},
      {"xref subsection claiming 8388607 entries",
       [&] { return Write("xref-count.pdf", fuzz_testing::HugeXrefCount()); }, "pdf.revision_structure"},
      {"xref subsection numbered near 2^63",
       [&] { return Write("xref-overflow.pdf", fuzz_testing::XrefNumberOverflow()); }, "pdf.revision_structure"},
      {"file over the size limit (300 MiB)", [&] { return huge; }, "verify.file_too_large"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = c.path();
    Timed text = Verify(path);
    EXPECT_EQ(text.r.exit_code, 2) << text.r.out << text.r.err;
    EXPECT_LT(text.seconds, kHangSeconds);
    EXPECT_NE(text.r.out.find("NO SE PUDO PROCESAR (código 2)"), std::string::npos) << text.r.out;
    const std::string reason = ReasonLine(text.r.out, c.code);
    EXPECT_GT(reason.size(), std::string(c.code).size() + 3) << "no one-line reason with " << c.code << " in:\n"
                                                             << text.r.out;
    Timed json = Verify(path, {"--json"});
    EXPECT_EQ(json.r.exit_code, 2);
    EXPECT_LT(json.seconds, kHangSeconds);
    EXPECT_NE(json.r.out.find("\"status\":\"not_processed\""), std::string::npos) << json.r.out;
    EXPECT_NE(json.r.out.find(std::string("\"error_code\":\"") + c.code + "\""), std::string::npos) << json.r.out;
  }
}

TEST_F(VerifyCliTest, AThousandSignaturesSharingOneRevisionDoNotHashTheFileAThousandTimes) {
  // 1000 signature dictionaries in one update, each covering the same 32 MiB tail: hashed one
  // by one that is 32 GB of SHA-256. None is filled by its revision alone, so all are invalid,
  // and the verifier must say so quickly.
  const std::string path = Write("many-signatures.pdf", fuzz_testing::ManySignaturesOneRevision(1000, 32u << 20));
  Timed t = Verify(path, {"--json"});
  EXPECT_EQ(t.r.exit_code, 1) << t.r.out.substr(0, 2000);
  EXPECT_LT(t.seconds, kHangSeconds);
  EXPECT_NE(t.r.out.find("\"status\":\"invalid\""), std::string::npos);
  EXPECT_NE(t.r.out.find("structure: revision 1 does not fill 'firma_0' alone"), std::string::npos);
  EXPECT_NE(t.r.out.find("cms: not checked: its revision holds other signatures"), std::string::npos);
  EXPECT_EQ(t.r.out.find("TOTAL-PASSED"), std::string::npos);
}

TEST_F(VerifyCliTest, TheCompleteActaIsValidAndCompleteWithItsAnchor) {
  const std::string path = Write("acta.pdf", acta_->Complete());
  Timed text = Verify(path);
  EXPECT_EQ(text.r.exit_code, 0) << text.r.out << text.r.err;
  EXPECT_NE(text.r.out.find("Válida y completa"), std::string::npos) << text.r.out;
  EXPECT_NE(text.r.out.find("(código 0)"), std::string::npos);
  Timed json = Verify(path, {"--json"});
  EXPECT_EQ(json.r.exit_code, 0);
  EXPECT_NE(json.r.out.find("\"status\":\"valid_and_complete\""), std::string::npos) << json.r.out;
  EXPECT_EQ(json.r.out.find("TOTAL-FAILED"), std::string::npos);
  EXPECT_EQ(json.r.out.find("INDETERMINATE"), std::string::npos);
}

// A damaged file with signatures is judged, not set aside: the signatures that can be
// checked are, and the verdict is "invalid" (exit 1) with the damage named.
TEST_F(VerifyCliTest, ATruncatedSignedFileIsInvalidWithItsSignaturesChecked) {
  const std::string& complete = acta_->Complete();
  const std::string path = Write("truncated.pdf", complete.substr(0, complete.size() / 2));
  Timed text = Verify(path);
  EXPECT_EQ(text.r.exit_code, 1) << text.r.out << text.r.err;
  EXPECT_NE(text.r.out.find("ESTRUCTURA DAÑADA"), std::string::npos) << text.r.out;
  EXPECT_NE(text.r.out.find("contenido íntegra"), std::string::npos) << text.r.out;
  Timed json = Verify(path, {"--json"});
  EXPECT_EQ(json.r.exit_code, 1);
  EXPECT_NE(json.r.out.find("\"structure_error_code\":\"pdf.revision_structure\""), std::string::npos) << json.r.out;
}

TEST_F(VerifyCliTest, WithoutATrustAnchorTheReportIsStillMadeInSpanish) {
  const std::string path = Write("acta.pdf", acta_->Complete());
  // An empty data directory: no trust/ca.pem to fall back on.
  Timed t = RunTimed({RubricaBinary(), "verify", path, "--data-dir", dir_ / "sin-datos"});
  EXPECT_EQ(t.r.exit_code, 1) << t.r.out << t.r.err;
  EXPECT_NE(t.r.out.find("Sin certificado raíz de confianza (--trust)"), std::string::npos) << t.r.out;
  EXPECT_NE(t.r.out.find("Las firmas están íntegras, pero no se indicó un certificado raíz"), std::string::npos)
      << t.r.out;
  EXPECT_NE(t.r.out.find("INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND"), std::string::npos) << t.r.out;
  EXPECT_EQ(t.r.out.find("certificate:"), std::string::npos) << "English in the text report:\n" << t.r.out;
  Timed json = RunTimed({RubricaBinary(), "verify", path, "--data-dir", dir_ / "sin-datos", "--json"});
  EXPECT_EQ(json.r.exit_code, 1);
  EXPECT_NE(json.r.out.find("\"trust_anchors\":false"), std::string::npos) << json.r.out;

  Timed no_file = RunTimed({RubricaBinary(), "verify", "--trust", acta_->anchor_path()});
  EXPECT_EQ(no_file.r.exit_code, 2);
  EXPECT_NE(no_file.r.err.find("usage: rubrica verify FILE.pdf"), std::string::npos) << no_file.r.err;
}

TEST_F(VerifyCliTest, AMissingFileCannotBeProcessed) {
  Timed text = Verify(dir_ / "no-existe.pdf");
  EXPECT_EQ(text.r.exit_code, 2);
  EXPECT_NE(ReasonLine(text.r.out, "base.not_found").find("no-existe.pdf"), std::string::npos) << text.r.out;
  Timed json = Verify(dir_ / "no-existe.pdf", {"--json"});
  EXPECT_EQ(json.r.exit_code, 2);
  EXPECT_NE(json.r.out.find("\"error_code\":\"base.not_found\""), std::string::npos) << json.r.out;
}

TEST_F(VerifyCliTest, AnAnchorFileThatCannotBeReadIsNamedInTheReport) {
  const std::string path = Write("acta.pdf", acta_->Complete());
  Timed t = RunTimed({RubricaBinary(), "verify", path, "--trust", dir_ / "no-existe-ca.pem", "--json"});
  EXPECT_EQ(t.r.exit_code, 2);
  EXPECT_NE(t.r.out.find("\"error_code\":\"base.not_found\""), std::string::npos) << t.r.out;
  EXPECT_NE(t.r.out.find("--trust: "), std::string::npos) << t.r.out;
  EXPECT_NE(t.r.out.find("no-existe-ca.pem"), std::string::npos) << t.r.out;
}

}  // namespace
}  // namespace rubrica::pades_testing
