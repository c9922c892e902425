// `rubrica verify` as users run it: the real binary, its sandboxed worker, its exit status,
// its text and JSON reports. Hostile files must end with exit 2 and a one-line reason, fast.
// (A worker that crashes, spins or hangs: tests/server/verify_sandbox_test.cc.)
#include <gtest/gtest.h>

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

// Bounded work is asserted on CPU time (the verify process with its sandboxed worker, from
// wait4), which does not grow when other jobs load the machine. Under ASan+UBSan most hostile
// files cost under a second of CPU (mostly start-up); the decompression bomb costs about 2.5 s
// (zlib inflating the 512 MiB cap). The bound leaves room for a slower machine and catches work
// that grows with a hostile parameter (a quadratic scan, a bomb inflated in full). Wall time
// only guards against a true hang: RunCommand kills the process after kHangGuardSeconds.
constexpr double kCpuSeconds = 5.0;
constexpr int kHangGuardSeconds = 10 * static_cast<int>(kCpuSeconds);

CommandResult RunGuarded(const std::vector<std::string>& argv) { return RunCommand(argv, {}, kHangGuardSeconds); }

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

  CommandResult Verify(const std::string& path, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {RubricaBinary(), "verify", path, "--trust", acta_->anchor_path()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunGuarded(argv);
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

TEST_F(VerifyCliTest, HostileFilesEndUnprocessedWithAOneLineReasonAndBoundedWork) {
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
    CommandResult text = Verify(path);
    EXPECT_EQ(text.exit_code, 2) << text.out << text.err;
    EXPECT_FALSE(text.timed_out) << "no answer within " << kHangGuardSeconds << " s: a hang";
    EXPECT_LT(text.cpu_seconds, kCpuSeconds);
    EXPECT_NE(text.out.find("NO SE PUDO PROCESAR (código 2)"), std::string::npos) << text.out;
    const std::string reason = ReasonLine(text.out, c.code);
    EXPECT_GT(reason.size(), std::string(c.code).size() + 3) << "no one-line reason with " << c.code << " in:\n"
                                                             << text.out;
    CommandResult json = Verify(path, {"--json"});
    EXPECT_EQ(json.exit_code, 2);
    EXPECT_FALSE(json.timed_out);
    EXPECT_LT(json.cpu_seconds, kCpuSeconds);
    EXPECT_NE(json.out.find("\"status\":\"not_processed\""), std::string::npos) << json.out;
    EXPECT_NE(json.out.find(std::string("\"error_code\":\"") + c.code + "\""), std::string::npos) << json.out;
  }
}

TEST_F(VerifyCliTest, AThousandSignaturesSharingOneRevisionDoNotHashTheFileAThousandTimes) {
  // 1000 signature dictionaries in one update, each covering the same 32 MiB tail: hashed one
  // by one that is 32 GB of SHA-256. None is filled by its revision alone, so all are invalid,
  // and the verifier must say so quickly.
  const std::string path = Write("many-signatures.pdf", fuzz_testing::ManySignaturesOneRevision(1000, 32u << 20));
  CommandResult t = Verify(path, {"--json"});
  EXPECT_EQ(t.exit_code, 1) << t.out.substr(0, 2000);
  EXPECT_FALSE(t.timed_out);
  EXPECT_LT(t.cpu_seconds, kCpuSeconds);
  EXPECT_NE(t.out.find("\"status\":\"invalid\""), std::string::npos);
  EXPECT_NE(t.out.find("structure: revision 1 does not fill 'firma_0' alone"), std::string::npos);
  EXPECT_NE(t.out.find("cms: not checked: its revision holds other signatures"), std::string::npos);
  EXPECT_EQ(t.out.find("TOTAL-PASSED"), std::string::npos);
}

TEST_F(VerifyCliTest, TheCompleteActaIsValidAndCompleteWithItsAnchor) {
  const std::string path = Write("acta.pdf", acta_->Complete());
  CommandResult text = Verify(path);
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("Válida y completa"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(código 0)"), std::string::npos);
  CommandResult json = Verify(path, {"--json"});
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_NE(json.out.find("\"status\":\"valid_and_complete\""), std::string::npos) << json.out;
  EXPECT_EQ(json.out.find("TOTAL-FAILED"), std::string::npos);
  EXPECT_EQ(json.out.find("INDETERMINATE"), std::string::npos);
}

// A damaged file with signatures is judged, not set aside: the signatures that can be
// checked are, and the verdict is "invalid" (exit 1) with the damage named.
TEST_F(VerifyCliTest, ATruncatedSignedFileIsInvalidWithItsSignaturesChecked) {
  const std::string& complete = acta_->Complete();
  const std::string path = Write("truncated.pdf", complete.substr(0, complete.size() / 2));
  CommandResult text = Verify(path);
  EXPECT_EQ(text.exit_code, 1) << text.out << text.err;
  EXPECT_NE(text.out.find("ESTRUCTURA DAÑADA"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("contenido íntegra"), std::string::npos) << text.out;
  CommandResult json = Verify(path, {"--json"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_NE(json.out.find("\"structure_error_code\":\"pdf.revision_structure\""), std::string::npos) << json.out;
}

TEST_F(VerifyCliTest, WithoutATrustAnchorTheReportIsStillMadeInSpanish) {
  const std::string path = Write("acta.pdf", acta_->Complete());
  // An empty data directory: no trust/ca.pem to fall back on.
  CommandResult t = RunGuarded({RubricaBinary(), "verify", path, "--data-dir", dir_ / "sin-datos"});
  EXPECT_EQ(t.exit_code, 1) << t.out << t.err;
  EXPECT_NE(t.out.find("Sin certificado raíz de confianza (--trust)"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("Las firmas están íntegras, pero no se indicó un certificado raíz"), std::string::npos)
      << t.out;
  EXPECT_NE(t.out.find("INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND"), std::string::npos) << t.out;
  EXPECT_EQ(t.out.find("certificate:"), std::string::npos) << "English in the text report:\n" << t.out;
  CommandResult json = RunGuarded({RubricaBinary(), "verify", path, "--data-dir", dir_ / "sin-datos", "--json"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_NE(json.out.find("\"trust_anchors\":false"), std::string::npos) << json.out;

  CommandResult no_file = RunGuarded({RubricaBinary(), "verify", "--trust", acta_->anchor_path()});
  EXPECT_EQ(no_file.exit_code, 2);
  EXPECT_NE(no_file.err.find("usage: rubrica verify FILE.pdf"), std::string::npos) << no_file.err;
}

TEST_F(VerifyCliTest, AMissingFileCannotBeProcessed) {
  CommandResult text = Verify(dir_ / "no-existe.pdf");
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_NE(ReasonLine(text.out, "base.not_found").find("no-existe.pdf"), std::string::npos) << text.out;
  CommandResult json = Verify(dir_ / "no-existe.pdf", {"--json"});
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_NE(json.out.find("\"error_code\":\"base.not_found\""), std::string::npos) << json.out;
}

TEST_F(VerifyCliTest, AnAnchorFileThatCannotBeReadIsNamedInTheReport) {
  const std::string path = Write("acta.pdf", acta_->Complete());
  CommandResult t = RunGuarded({RubricaBinary(), "verify", path, "--trust", dir_ / "no-existe-ca.pem", "--json"});
  EXPECT_EQ(t.exit_code, 2);
  EXPECT_NE(t.out.find("\"error_code\":\"base.not_found\""), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("--trust: "), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("no-existe-ca.pem"), std::string::npos) << t.out;
}

}  // namespace
}  // namespace rubrica::pades_testing
