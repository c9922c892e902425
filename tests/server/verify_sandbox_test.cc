// The verification sandbox with a worker that misbehaves on purpose
// (fake_verify_worker.cc): whatever happens to the worker, the caller gets exit 2 and a
// report saying why, and survives.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/crypto_util.h"
#include "rubrica/server/verify_sandbox.h"
#include "rubrica/server/verify_worker.h"
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

// The verify worker executable built beside `rubrica`.
std::string WorkerBinary() {
  const std::string rubrica = rubrica::testing::RubricaBinary();
  return rubrica.substr(0, rubrica.rfind('/') + 1) + kVerifyWorkerName;
}

TEST(VerifySandboxTest, TheRealWorkerAnswersEachFileOfABatchOnItsOwn) {
  // Not PDFs: each gets its own "could not be processed" report from the verifier itself
  // (not from the sandbox), in order, and an empty batch starts no worker at all. The small
  // worker executable and `rubrica verify-worker` are the same code: same answers.
  const std::vector<std::string> files = {"not a pdf", "%PDF-1.7\ntruncated", std::string(1000, '%')};
  const std::vector<std::string_view> views(files.begin(), files.end());
  std::vector<std::string> first_outputs;
  for (const std::string& binary : {WorkerBinary(), rubrica::testing::RubricaBinary()}) {
    SCOPED_TRACE(binary);
    VerifySandboxOptions o;
    o.worker_binary = binary;
    auto r = VerifyBatchInSandbox(views, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->size(), files.size());
    for (size_t i = 0; i < files.size(); ++i) {
      SCOPED_TRACE(i);
      auto single = VerifyInSandbox(files[i], o);
      ASSERT_TRUE(single.ok());
      EXPECT_EQ((*r)[i].exit_code, single->exit_code);
      EXPECT_EQ((*r)[i].exit_code, 2);
      EXPECT_EQ((*r)[i].output, single->output) << "a batch answers each file as a single run does";
      EXPECT_NE((*r)[i].output.find(Sha256Hex(files[i])), std::string::npos) << (*r)[i].output;
      EXPECT_EQ((*r)[i].output.find("verify.aborted"), std::string::npos) << "the worker itself answered";
      if (first_outputs.size() < files.size()) {
        first_outputs.push_back((*r)[i].output);
      } else {
        EXPECT_EQ((*r)[i].output, first_outputs[i]) << "both executables give the same report";
      }
    }
    o.worker_binary = "/nonexistent/rubrica";
    auto none = VerifyBatchInSandbox({}, o);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
  }
}

TEST(VerifySandboxTest, TheDefaultWorkerIsTheSmallExecutableBesideTheCaller) {
  // This test binary is built into the directory of `rubrica` and its worker, as an
  // installation puts the worker beside `rubrica`: the default is that file.
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  ASSERT_GT(n, 0);
  std::string dir(self, static_cast<size_t>(n));
  dir.resize(dir.rfind('/') + 1);
  EXPECT_EQ(DefaultVerifyWorkerBinary(), dir + kVerifyWorkerName);
  EXPECT_EQ(VerifySandboxOptions().worker_binary, dir + kVerifyWorkerName);
}

TEST(VerifySandboxTest, TheWorkerExecutableLoadsNoneOfTheServicesLibraries) {
  // What makes a worker cheap to start: it does not load PoDoFo (and its font and image
  // libraries), xmlsec, libxml2, SQLite or Poco's Zip, which `rubrica` does, nor any network
  // library (it never asks an OCSP responder: keys/src/ocsp_http.cc is not linked).
  const char* kNotInWorker[] = {"libpodofo", "libxmlsec1",  "libxml2",     "libsqlite3", "libPocoZip",
                                "libfreetype", "libPocoNet", "libPocoUtil", "libPocoXML", "libssl"};
  auto needed = [](const std::string& binary) {
    auto r = rubrica::testing::RunCommand({"/usr/bin/readelf", "--dynamic", "--wide", binary});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  const std::string worker = needed(WorkerBinary());
  const std::string full = needed(rubrica::testing::RubricaBinary());
  ASSERT_NE(worker.find("(NEEDED)"), std::string::npos) << worker;
  for (const char* lib : kNotInWorker) {
    EXPECT_EQ(worker.find(std::string("[") + lib), std::string::npos) << lib << " in\n" << worker;
  }
  EXPECT_NE(full.find("[libpodofo"), std::string::npos) << "the check reads what `rubrica` needs";
  EXPECT_NE(full.find("[libsqlite3"), std::string::npos);
  EXPECT_NE(full.find("[libPocoNet"), std::string::npos);
}

TEST(VerifySandboxTest, RubricaAloneStillVerifiesWithItsOwnWorker) {
  // An installation that has only `rubrica` (no worker beside it): `rubrica verify` runs
  // its own `verify-worker` and the verifier answers (exit 2 for a non-PDF, with the
  // verifier's own reason), never "cannot start the worker".
  rubrica::testing::TempDir dir;
  const std::string alone = dir / "rubrica";
  std::error_code ec;
  std::filesystem::create_hard_link(rubrica::testing::RubricaBinary(), alone, ec);
  if (ec) std::filesystem::copy_file(rubrica::testing::RubricaBinary(), alone);
  ASSERT_FALSE(std::filesystem::exists(dir / kVerifyWorkerName));
  const std::string input = dir / "not.pdf";
  {
    std::ofstream(input) << "not a pdf";
  }
  auto r = rubrica::testing::RunCommand({alone, "verify", input, "--json"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("pdf.not_a_pdf"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(r.out.find("server.sandbox_failed"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rubrica::server
