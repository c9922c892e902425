// The seed corpus of the signed-XML fuzzer (fuzz/corpus/xml/) through its entry function
// under the normal build: no seed may crash, leak, trip a sanitizer or hang; each `ok-`
// seed verifies and each `refused-` seed is refused (xml_fuzz_target.h).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "rubrica/base/files.h"
#include "support/test_support.h"
#include "xml_fuzz_target.h"

namespace rubrica::fuzzing {
namespace {

TEST(XmlSeedsTest, EverySeedGetsItsVerdict) {
  const std::vector<std::string> files =
      ListFilesRecursive(rubrica::testing::SourceDir() + "/fuzz/corpus/xml");
  ASSERT_GE(files.size(), 4u) << "the seed corpus of xml is missing";
  int ok = 0, refused = 0;
  for (const std::string& path : files) {
    const std::string name = std::filesystem::path(path).filename().string();
    SCOPED_TRACE(name);
    auto bytes = ReadFile(path);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    const auto start = std::chrono::steady_clock::now();
    const size_t verdict = FuzzSignedXml(*bytes);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              20.0);
    if (name.rfind("ok-", 0) == 0) {
      EXPECT_EQ(verdict, 1u) << "an ok- seed must verify";
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

}  // namespace
}  // namespace rubrica::fuzzing
