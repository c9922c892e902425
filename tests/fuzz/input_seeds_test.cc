// The seed corpora of the outside-input fuzzers (fuzz/corpus/{api_json,acta_json,pkcs12,
// efirma,tsa_response,ocsp_response}), run through the fuzzers' own entry functions under
// the normal build: no seed may crash, leak, trip a sanitizer or hang; each `ok-` seed gets
// through its whole parser and each `refused-` seed is refused (input_fuzz_targets.h).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include "input_fuzz_targets.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::fuzzing {
namespace {

TEST(InputSeedsTest, EverySeedOfEveryInputGetsItsVerdict) {
  const struct {
    const char* dir;
    std::function<size_t(std::string_view)> run;
  } inputs[] = {
      {"api_json", FuzzApiJson},   {"acta_json", FuzzActaJson},         {"pkcs12", FuzzPkcs12},
      {"efirma", FuzzEfirma},      {"tsa_response", FuzzTsaResponse},  {"ocsp_response", FuzzOcspResponse},
  };
  for (const auto& in : inputs) {
    SCOPED_TRACE(in.dir);
    const std::vector<std::string> files = ListFilesRecursive(rubrica::testing::SourceDir() + "/fuzz/corpus/" + in.dir);
    ASSERT_GE(files.size(), 4u) << "the seed corpus of " << in.dir << " is missing";
    int ok = 0, refused = 0;
    for (const std::string& path : files) {
      const std::string name = std::filesystem::path(path).filename().string();
      SCOPED_TRACE(name);
      auto bytes = ReadFile(path);
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      const auto start = std::chrono::steady_clock::now();
      const size_t verdict = in.run(*bytes);
      EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 20.0);
      if (name.rfind("ok-", 0) == 0) {
        EXPECT_EQ(verdict, 1u) << "an ok- seed must get through the whole parser";
        ++ok;
      } else {
        ASSERT_EQ(name.rfind("refused-", 0), 0u) << "seed names start with ok- or refused-";
        EXPECT_EQ(verdict, 0u) << "a refused- seed must be refused";
        ++refused;
      }
    }
    EXPECT_GE(ok, 1);
    EXPECT_GE(refused, 1);
  }
}

}  // namespace
}  // namespace rubrica::fuzzing
