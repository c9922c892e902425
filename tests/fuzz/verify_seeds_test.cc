// The verify fuzzer's seed corpus, run through the fuzzer's own entry function under the
// normal build: no seed may crash, leak or trip a sanitizer, and each must end with the exit
// status its name starts with (ok- 0, invalid- 1, broken- 2, incomplete- 3). Regression seeds
// for fuzzer findings live in the same directory under the same naming.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "rubrica/base/files.h"
#include "support/test_support.h"
#include "verify_fuzz_target.h"

namespace rubrica::fuzzing {
namespace {

using signing::VerifyExit;

// Each seed costs well under a second of CPU under ASan+UBSan; ten is runaway work.
constexpr double kSeedCpuSeconds = 10.0;

std::string CorpusDir() { return rubrica::testing::SourceDir() + "/fuzz/corpus/verify"; }

std::optional<VerifyExit> ExpectedExit(const std::string& name) {
  const std::pair<const char*, VerifyExit> prefixes[] = {{"ok-", VerifyExit::kValidAndComplete},
                                                         {"invalid-", VerifyExit::kInvalid},
                                                         {"broken-", VerifyExit::kNotProcessed},
                                                         {"incomplete-", VerifyExit::kIncomplete}};
  for (const auto& [prefix, exit] : prefixes) {
    if (name.rfind(prefix, 0) == 0) return exit;
  }
  return std::nullopt;
}

TEST(VerifySeedsTest, EverySeedEndsWithTheExitItsNameStates) {
  const std::vector<std::string> files = ListFilesRecursive(CorpusDir());
  ASSERT_GE(files.size(), 20u) << "the seed corpus is missing from " << CorpusDir();
  std::map<VerifyExit, int> per_exit;
  for (const std::string& path : files) {
    const std::string name = std::filesystem::path(path).filename().string();
    SCOPED_TRACE(name);
    auto expected = ExpectedExit(name);
    ASSERT_TRUE(expected.has_value()) << "seed names start with ok-, invalid-, broken- or incomplete-";
    auto bytes = ReadFile(path);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    const double start = rubrica::testing::ProcessCpuSeconds();
    const VerifyExit exit = VerifyUntrusted(*bytes);
    const double cpu_seconds = rubrica::testing::ProcessCpuSeconds() - start;
    EXPECT_EQ(static_cast<int>(exit), static_cast<int>(*expected));
    // CPU time, not wall time: it does not grow when other jobs load the machine.
    EXPECT_LT(cpu_seconds, kSeedCpuSeconds) << "a seed this costly is runaway work";
    ++per_exit[exit];
  }
  // The corpus keeps every kind of input, so the fuzzer starts from each verdict.
  for (VerifyExit e : {VerifyExit::kValidAndComplete, VerifyExit::kInvalid, VerifyExit::kNotProcessed,
                       VerifyExit::kIncomplete}) {
    EXPECT_GT(per_exit[e], 0) << "no seed ends with exit " << static_cast<int>(e);
  }
}

}  // namespace
}  // namespace rubrica::fuzzing
