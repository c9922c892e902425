// Verification of a fully signed acta side by side with poppler's pdfsig, on the same file,
// in the same run: the 29-page session minute (tests/fixtures/actas/
// stm-zamora-sesion-ordinaria-2023-03.json) rendered and signed by 13 fictional members, as
// tests/pades/signed_acta.cc does it (certification, 13 rubrics, 13 foot signatures: 27
// signatures in 28 revisions, each with a signature-time-stamp from the test TSA).
//
// Timed, interleaved, median of N runs each:
//   - `rubrica verify FILE --trust CA` as a process (sandboxed worker included), end to end;
//   - `pdfsig -nssdir DB FILE` as a process, with an NSS database that trusts the same CA;
//   - signing::VerifyPdf in this process (no process start, no sandbox).
// Both tools must call every signature valid and trusted before anything is timed. pdfsig
// checks the CMS and the signer's chain; we also check the timestamps, the TSA chains, the
// byte ranges on raw bytes and every revision (so the comparison is ours doing more work).
//
// Usage: verify_bench [runs=15]   (from a Release build, see bench/CMakeLists.txt)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "pades/signed_acta.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/pdf_verifier.h"
#include "support/test_support.h"

namespace {

using namespace rubrica;
using rubrica::testing::RunCommand;

double Millis(const std::function<void()>& op) {
  const auto start = std::chrono::steady_clock::now();
  op();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
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
  const std::string nss = "sql:" + acta.dir() + "/nss";
  if (!WriteFileAtomic(file, pdf).ok() || !MakeDirs(acta.dir() + "/nss").ok()) return Fail("cannot write " + file);
  if (RunCommand({"/usr/bin/certutil", "-N", "-d", nss, "--empty-password"}).exit_code != 0 ||
      RunCommand({"/usr/bin/certutil", "-A", "-d", nss, "-n", "rubrica-test", "-t", "CT,C,C", "-i",
                  acta.anchor_path()})
              .exit_code != 0) {
    return Fail("certutil could not make the NSS database");
  }
  const std::vector<std::string> ours = {RUBRICA_BINARY_PATH, "verify", file, "--trust", acta.anchor_path()};
  const std::vector<std::string> theirs = {"/usr/bin/pdfsig", "-nssdir", nss, file};

  // Same verdict first: every signature valid and trusted, for both.
  auto ours_check = RunCommand(ours);
  if (ours_check.exit_code != 0) return Fail("rubrica verify says:\n" + ours_check.out + ours_check.err);
  auto theirs_check = RunCommand(theirs);
  if (Count(theirs_check.out, "Signature is Valid.") != kSignatures ||
      Count(theirs_check.out, "Certificate is Trusted.") != kSignatures) {
    return Fail("pdfsig does not find " + std::to_string(kSignatures) + " valid, trusted signatures:\n" +
                theirs_check.out + theirs_check.err);
  }
  SystemClock clock;
  keys::TrustStore trust(clock);
  if (!trust.AddAnchorsFromFile(acta.anchor_path()).ok()) return Fail("cannot load the anchor");
  signing::VerifyOptions options;
  options.trust = &trust;
  if (signing::VerifyPdf(pdf, options, clock).exit != signing::VerifyExit::kValidAndComplete) {
    return Fail("VerifyPdf does not find the acta valid and complete");
  }

  std::vector<double> t_ours, t_theirs, t_inprocess;
  for (int i = 0; i < runs; ++i) {
    t_ours.push_back(Millis([&] { (void)RunCommand(ours); }));
    t_theirs.push_back(Millis([&] { (void)RunCommand(theirs); }));
    t_inprocess.push_back(Millis([&] { (void)signing::VerifyPdf(pdf, options, clock); }));
  }
  const double ours_ms = Median(t_ours), theirs_ms = Median(t_theirs), inprocess_ms = Median(t_inprocess);
  std::printf("file: %s, %zu bytes, %zu signatures, %zu revisions\n", "stm-zamora-sesion-ordinaria-2023-03 (29 pages)",
              pdf.size(), kSignatures, kSignatures + 1);
  std::printf("median of %d runs each, interleaved:\n", runs);
  std::printf("  rubrica verify (process, sandboxed worker) %9.1f ms\n", ours_ms);
  std::printf("  pdfsig -nssdir (process)                   %9.1f ms\n", theirs_ms);
  std::printf("  signing::VerifyPdf (in process)            %9.1f ms\n", inprocess_ms);
  std::printf("ratio rubrica verify / pdfsig: %.2fx (target <= 1.00)\n", ours_ms / theirs_ms);
  std::printf("ratio VerifyPdf / pdfsig:      %.2fx\n", inprocess_ms / theirs_ms);
  return 0;
}
