// The verification sandbox with a worker that misbehaves on purpose
// (fake_verify_worker.cc): whatever happens to the worker, the caller gets exit 2 and a
// report saying why, and survives.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/crypto_util.h"
#include "rubrica/server/verify_sandbox.h"
#include "support/test_support.h"

namespace rubrica::server {
namespace {

// The sandbox enforces each case's wall limit itself; the test only guards against that
// limit not holding (a true hang), with room for a loaded machine: no timed assertion.
constexpr double kHangSlackSeconds = 60.0;

// The reason line of a text report that could not be processed: "[code] message".
std::string ReasonLine(const std::string& text, const std::string& code) {
  const size_t at = text.find("\n[" + code + "] ");
  if (at == std::string::npos) return "";
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

TEST(VerifySandboxTest, AWorkerThatDiesSpinsOrHangsIsReportedAsNotProcessed) {
  // 8 MiB of input, more than a socket or pipe buffer holds: a worker that dies without
  // reading it leaves the caller with bytes it cannot send (and, through a pipe, SIGPIPE).
  const std::string input = "%PDF-1.7\n" + std::string(8u << 20, 'x');
  const struct {
    const char* mode;  // what the fake worker does (fake_verify_worker.cc)
    int cpu_seconds;
    int wall_seconds;
    const char* code;
    const char* why;
  } cases[] = {
      {"crash", 20, 30, "verify.aborted", "the verifier crashed (signal Aborted)"},
      {"crash-at-once", 20, 30, "verify.aborted", "the verifier crashed (signal Aborted)"},
      // A wall limit far above the CPU limit: on a loaded machine a worker may wait minutes
      // for its one second of CPU, and the wall limit must not win that race.
      {"cpu", 1, 600, "verify.aborted", "the verifier hit its CPU time limit"},
      {"killed", 20, 30, "verify.aborted", "the verifier was killed (memory limit?)"},
      {"hang", 20, 2, "verify.timeout", "the verifier took longer than 2 s"},
      {"silent", 20, 30, "verify.aborted", "the verifier ended abnormally (exit 0)"},
  };
  for (const auto& c : cases) {
    for (bool json : {true, false}) {
      SCOPED_TRACE(std::string(c.mode) + (json ? " (json)" : " (text)"));
      VerifySandboxOptions o;
      o.worker_binary = RUBRICA_FAKE_WORKER;
      o.trust_files = {c.mode};
      o.cpu_seconds = c.cpu_seconds;
      o.wall_seconds = c.wall_seconds;
      o.json = json;
      const auto start = std::chrono::steady_clock::now();
      auto r = VerifyInSandbox(input, o);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->exit_code, 2);
      EXPECT_LT(seconds, c.wall_seconds + kHangSlackSeconds) << "the sandbox's wall limit did not hold";
      EXPECT_NE(r->output.find(c.why), std::string::npos) << r->output;
      if (json) {
        EXPECT_NE(r->output.find(std::string("\"error_code\":\"") + c.code + "\""), std::string::npos) << r->output;
      } else {
        EXPECT_EQ(ReasonLine(r->output, c.code), std::string("[") + c.code + "] " + c.why) << r->output;
        EXPECT_NE(r->output.find("No se pudo procesar el archivo: "), std::string::npos) << r->output;
      }
    }
  }
}

TEST(VerifySandboxTest, ABatchWorkerThatStopsLeavesEveryUnansweredFileNotProcessed) {
  // Three files of 3 MiB: more than a socket buffer, so the worker's death interrupts the feed.
  const std::vector<std::string> files = {"%PDF-1.7\n" + std::string(3u << 20, 'a'),
                                          "%PDF-1.7\n" + std::string(3u << 20, 'b'),
                                          "%PDF-1.7\n" + std::string(3u << 20, 'c')};
  const std::vector<std::string_view> views(files.begin(), files.end());
  const struct {
    const char* mode;
    int wall_seconds;
    size_t answered;  // files the worker answered before it stopped
    const char* why;
  } cases[] = {
      {"crash", 30, 0, "the verifier crashed (signal Aborted)"},
      {"crash-at-once", 30, 0, "the verifier crashed (signal Aborted)"},
      {"one-then-crash", 30, 1, "the verifier crashed (signal Aborted)"},
      {"killed", 30, 0, "the verifier was killed (memory limit?)"},
      {"hang", 1, 0, "the verifier took longer than 3 s"},  // the wall limit is per file
      {"silent", 30, 0, "the verifier ended abnormally (exit 0)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.mode);
    VerifySandboxOptions o;
    o.worker_binary = RUBRICA_FAKE_WORKER;
    o.trust_files = {c.mode};
    o.wall_seconds = c.wall_seconds;
    auto r = VerifyBatchInSandbox(views, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->size(), files.size());
    for (size_t i = 0; i < files.size(); ++i) {
      SCOPED_TRACE(i);
      if (i < c.answered) {
        EXPECT_EQ((*r)[i].exit_code, 0);
        EXPECT_EQ((*r)[i].output, "{}\n");
        continue;
      }
      EXPECT_EQ((*r)[i].exit_code, 2);
      EXPECT_NE((*r)[i].output.find(c.why), std::string::npos) << (*r)[i].output;
      // Each unanswered file's own report: its size and SHA-256, not another file's.
      EXPECT_NE((*r)[i].output.find(Sha256Hex(files[i])), std::string::npos) << (*r)[i].output;
    }
  }
}

TEST(VerifySandboxTest, TheRealWorkerAnswersEachFileOfABatchOnItsOwn) {
  // Not PDFs: each gets its own "could not be processed" report from the verifier itself
  // (not from the sandbox), in order, and an empty batch starts no worker at all.
  const std::vector<std::string> files = {"not a pdf", "%PDF-1.7\ntruncated", std::string(1000, '%')};
  const std::vector<std::string_view> views(files.begin(), files.end());
  VerifySandboxOptions o;
  o.worker_binary = rubrica::testing::RubricaBinary();
  auto r = VerifyBatchInSandbox(views, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(i);
    auto single = VerifyInSandbox(files[i], o);
    ASSERT_TRUE(single.ok());
    EXPECT_EQ((*r)[i].exit_code, single->exit_code);
    EXPECT_EQ((*r)[i].output, single->output) << "a batch answers each file as a single run does";
    EXPECT_NE((*r)[i].output.find(Sha256Hex(files[i])), std::string::npos) << (*r)[i].output;
  }
  o.worker_binary = "/nonexistent/rubrica";
  auto none = VerifyBatchInSandbox({}, o);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace rubrica::server
