// The COS fuzzers' seed corpora (fuzz/corpus/{xref_stream,object_stream,decryption}), run
// through the fuzzers' own entry functions under the normal build: no seed may crash, leak,
// trip a sanitizer or hang, and each corpus must exercise its path (objects read).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include "cos_fuzz_targets.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::fuzzing {
namespace {

TEST(CosSeedsTest, EverySeedOfEveryPathRunsAndReadsObjects) {
  const struct {
    const char* dir;
    std::function<size_t(std::string_view)> run;
  } paths[] = {
      {"xref_stream", FuzzXrefStream},
      {"object_stream", FuzzObjectStream},
      {"decryption", FuzzDecryption},
  };
  for (const auto& p : paths) {
    SCOPED_TRACE(p.dir);
    const std::vector<std::string> files = ListFilesRecursive(rubrica::testing::SourceDir() + "/fuzz/corpus/" + p.dir);
    ASSERT_GE(files.size(), 3u) << "the seed corpus of " << p.dir << " is missing";
    size_t read = 0;
    for (const std::string& path : files) {
      SCOPED_TRACE(std::filesystem::path(path).filename().string());
      auto bytes = ReadFile(path);
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      const auto start = std::chrono::steady_clock::now();
      read += p.run(*bytes);
      EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 20.0);
    }
    EXPECT_GT(read, 0u) << "no seed of " << p.dir << " reads any object: the corpus does not reach the path";
  }
}

}  // namespace
}  // namespace rubrica::fuzzing
