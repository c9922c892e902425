// Verification of a fully signed acta side by side with poppler's pdfsig, on the same file,
// in the same run: the 29-page session minute (tests/fixtures/actas/
// stm-zamora-sesion-ordinaria-2023-03.json) rendered and signed by 13 fictional members, as
// tests/pades/signed_acta.cc does it (certification, 13 rubrics, 13 foot signatures: 27
// signatures in 28 revisions, each with a signature-time-stamp from the test TSA).
//
// Timed, interleaved, median of N runs each (wall time and CPU time):
//   - `rubrica verify FILE --trust CA` as a process (sandboxed worker included), end to end;
//   - `pdfsig -nssdir DB FILE` as a process, with an NSS database that trusts the same CA;
//   - signing::VerifyPdf in this process (no process start, no sandbox).
// Both tools must call every signature valid and trusted before anything is timed. pdfsig
// checks the CMS and the signer's chain; we also check the timestamps, the TSA chains, the
// byte ranges on raw bytes and every revision (so the comparison is ours doing more work).
//
// Usage: verify_bench [runs=15] [KEEP_DIR]   (from a Release build, see bench/CMakeLists.txt)
// $RUBRICA_BINARY runs another `rubrica` (e.g. an older build, for a before/after in one
// sitting); default: the one built with the bench.
// With KEEP_DIR, the acta and its anchor are also written there (acta.pdf, ca.pem), e.g. to
// profile `rubrica verify-worker --trust KEEP_DIR/ca.pem < KEEP_DIR/acta.pdf`.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "pades/external_tools.h"
#include "pades/signed_acta.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/pdf_verifier.h"
#include "support/test_support.h"

namespace {

using namespace rubrica;
using rubrica::testing::RunCommand;

// Wall time and CPU time (user + system) of `op`, in ms. CPU time counts the processes it
// started and waited for (the worker of `rubrica verify` included) or, in process, this
// thread: on a shared machine it moves far less than wall time.
struct Cost {
  double wall = 0;
  double cpu = 0;
};

double CpuMillis(int who) {
  struct rusage u;
  getrusage(who, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

Cost Measure(int who, const std::function<void()>& op) {
  const double cpu0 = CpuMillis(who);
  const auto start = std::chrono::steady_clock::now();
  op();
  Cost c;
  c.wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  c.cpu = CpuMillis(who) - cpu0;
  return c;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Fail(const std::string& why) {
  std::fprintf(stderr, "verify_bench: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
  constexpr int kSigners = 13;
  constexpr size_t kSignatures = 1 + 2 * kSigners;
  pades_testing::SignedActa acta("stm-zamora-sesion-ordinaria-2023-03.json", kSigners);
  const std::string& pdf = acta.Complete();
  const std::string file = acta.dir() + "/acta.pdf";
  if (!WriteFileAtomic(file, pdf).ok()) return Fail("cannot write " + file);
  if (argc > 2 && (!WriteFileAtomic(std::string(argv[2]) + "/acta.pdf", pdf).ok() ||
                   !WriteFileAtomic(std::string(argv[2]) + "/ca.pem", *ReadFile(acta.anchor_path())).ok())) {
    return Fail(std::string("cannot write into ") + argv[2]);
  }
  const std::vector<std::string> ours = {rubrica::testing::RubricaBinary(), "verify", file, "--trust", acta.anchor_path()};

  // Same verdict first: every signature valid and trusted, for both. RunPdfsig leaves the
  // NSS database that trusts the anchor in <dir>/nssdb, which the timed runs reuse.
  auto ours_check = RunCommand(ours);
  if (ours_check.exit_code != 0) return Fail("rubrica verify says:\n" + ours_check.out + ours_check.err);
  const pades_testing::PdfsigResult theirs_check = pades_testing::RunPdfsig(file, acta.anchor_path(), acta.dir());
  size_t valid = 0;
  for (const auto& s : theirs_check.signatures) valid += s.valid && s.trusted;
  if (valid != kSignatures) {
    return Fail("pdfsig does not find " + std::to_string(kSignatures) + " valid, trusted signatures:\n" +
                theirs_check.output);
  }
  const std::vector<std::string> theirs = {"/usr/bin/pdfsig", "-nssdir", "sql:" + acta.dir() + "/nssdb", file};
  SystemClock clock;
  keys::TrustStore trust(clock);
  if (!trust.AddAnchorsFromFile(acta.anchor_path()).ok()) return Fail("cannot load the anchor");
  signing::VerifyOptions options;
  options.trust = &trust;
  if (signing::VerifyPdf(pdf, options, clock).exit != signing::VerifyExit::kValidAndComplete) {
    return Fail("VerifyPdf does not find the acta valid and complete");
  }

  struct Series {
    const char* name;
    std::vector<double> wall, cpu;
    double Wall() const { return Median(wall); }
    double Cpu() const { return Median(cpu); }
  };
  Series ours_t{"rubrica verify (process, sandboxed worker)"}, theirs_t{"pdfsig -nssdir (process)"},
      inprocess_t{"signing::VerifyPdf (in process)"};
  auto add = [](Series& s, Cost c) {
    s.wall.push_back(c.wall);
    s.cpu.push_back(c.cpu);
  };
  for (int i = 0; i < runs; ++i) {
    add(ours_t, Measure(RUSAGE_CHILDREN, [&] { (void)RunCommand(ours); }));
    add(theirs_t, Measure(RUSAGE_CHILDREN, [&] { (void)RunCommand(theirs); }));
    add(inprocess_t, Measure(RUSAGE_THREAD, [&] { (void)signing::VerifyPdf(pdf, options, clock); }));
  }
  std::printf("file: stm-zamora-sesion-ordinaria-2023-03 (29 pages), %zu bytes, %zu signatures, %zu revisions\n",
              pdf.size(), kSignatures, kSignatures + 1);
  std::printf("median of %d runs each, interleaved:          wall ms    cpu ms\n", runs);
  for (const Series* s : {&ours_t, &theirs_t, &inprocess_t}) {
    std::printf("  %-42s %9.1f %9.1f\n", s->name, s->Wall(), s->Cpu());
  }
  std::printf("ratio rubrica verify / pdfsig: %.2fx wall, %.2fx cpu (goal <= 0.50)\n",
              ours_t.Wall() / theirs_t.Wall(), ours_t.Cpu() / theirs_t.Cpu());
  std::printf("ratio VerifyPdf / pdfsig:      %.2fx wall, %.2fx cpu\n", inprocess_t.Wall() / theirs_t.Wall(),
              inprocess_t.Cpu() / theirs_t.Cpu());
  return 0;
}
