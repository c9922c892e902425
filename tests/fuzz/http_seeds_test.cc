// The HTTP framing fuzzer's seed corpus, run through the fuzzer's own entry function under
// the normal build: no seed may crash, leak or trip a sanitizer (nor break a promise the
// entry function checks), and each must end as its name states:
//   ok-<n>-...                   n complete requests, nothing left over
//   refused-<status>-<code>-...  refused with that HTTP status and error code
//   incomplete-<n>-...           n complete requests, then the bytes end inside one
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "http_fuzz_target.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::fuzzing {
namespace {

std::string CorpusDir() { return rubrica::testing::SourceDir() + "/fuzz/corpus/http"; }

std::vector<std::string> Split(const std::string& s, char sep, size_t parts) {
  std::vector<std::string> out;
  size_t start = 0;
  while (out.size() + 1 < parts) {
    const size_t p = s.find(sep, start);
    if (p == std::string::npos) break;
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
  out.push_back(s.substr(start));
  return out;
}

TEST(HttpSeedsTest, EverySeedEndsAsItsNameStates) {
  const std::vector<std::string> files = ListFilesRecursive(CorpusDir());
  ASSERT_GE(files.size(), 40u) << "the seed corpus is missing from " << CorpusDir();
  std::map<std::string, int> per_kind;
  for (const std::string& path : files) {
    const std::string name = std::filesystem::path(path).stem().string();
    SCOPED_TRACE(name);
    auto bytes = ReadFile(path);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    const HttpFramingOutcome got = FrameHttpRequests(*bytes);
    const std::vector<std::string> parts = Split(name, '-', 4);
    ASSERT_GE(parts.size(), 3u) << "seed names are <kind>-<n or status>-...";
    const std::string& kind = parts[0];
    ++per_kind[kind];
    if (kind == "ok" || kind == "incomplete") {
      EXPECT_EQ(got.requests, std::stoi(parts[1]));
      EXPECT_EQ(got.refused_status, 0) << got.refused_code;
      EXPECT_EQ(got.incomplete, kind == "incomplete");
    } else if (kind == "refused") {
      ASSERT_EQ(parts.size(), 4u);
      EXPECT_EQ(got.refused_status, std::stoi(parts[1]));
      EXPECT_EQ(got.refused_code, parts[2]);
    } else {
      ADD_FAILURE() << "seed names start with ok-, refused- or incomplete-";
    }
  }
  for (const char* kind : {"ok", "refused", "incomplete"}) {
    EXPECT_GT(per_kind[kind], 0) << "no " << kind << " seed";
  }
}

}  // namespace
}  // namespace rubrica::fuzzing
