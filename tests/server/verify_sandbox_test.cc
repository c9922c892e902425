// The verification sandbox with a worker that misbehaves on purpose
// (fake_verify_worker.cc): whatever happens to the worker, the caller gets exit 2 and a
// report saying why, and survives.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "rubrica/server/verify_sandbox.h"

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

}  // namespace
}  // namespace rubrica::server
