#include "rubrica/server/verify_worker.h"

#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <new>
#include <string_view>

#include "cli/args.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/server/verify_sandbox.h"
#include "rubrica/signing/pdf_verifier.h"

namespace rubrica::server {

namespace {

// Verifies one PDF: the report (JSON or text) and the exit status.
int VerifyOne(std::string_view pdf, const signing::VerifyOptions& vo, const Clock& clock, bool json,
              const std::string& memory_limit, std::string& report_out) {
  signing::VerifyReport report;
  try {
    report = signing::VerifyPdf(pdf, vo, clock);
  } catch (const std::bad_alloc&) {
    // The address-space limit: a clearer report than the abort it would otherwise be.
    report_out = NotProcessedReport(Status::Error(ErrorKind::kTooLarge, "verify.out_of_memory",
                                                  "the verifier ran out of memory (limit " + memory_limit + " bytes)",
                                                  "La verificación agotó la memoria disponible."),
                                    json, pdf);
    return 2;
  }
  report_out = json ? signing::ToJson(report) + "\n" : signing::ToText(report);
  return static_cast<int>(report.exit);
}

// Reads exactly `n` bytes of stdin; false at end of input or on an error.
bool ReadExactly(std::string& out, size_t n) {
  out.resize(n);
  for (size_t done = 0; done < n;) {
    ssize_t r = ::read(0, out.data() + done, n - done);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    done += static_cast<size_t>(r);
  }
  return true;
}

// stdin mapped, when it is a file (VerifyInSandbox hands the input over as a sealed
// in-memory file): the bytes are read in place, not copied. Unmapped at exit.
struct MappedInput {
  const char* data = nullptr;
  size_t size = 0;
  bool mapped = false;
};

MappedInput MapStdin() {
  MappedInput in;
  struct stat st;
  if (fstat(0, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0) return in;
  in.mapped = true;  // a regular file: an empty one is an empty input
  if (st.st_size == 0) return in;
  void* p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, 0, 0);
  if (p == MAP_FAILED) return MappedInput{};  // e.g. the address-space limit: read() it instead
  in.data = static_cast<const char*>(p);
  in.size = static_cast<size_t>(st.st_size);
  return in;
}

// The length of the next framed file: 8 bytes, little-endian.
uint64_t FrameLength(const char* header) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(header[i]);
  return n;
}

// --batch: files framed as 8-byte little-endian lengths on stdin, answered each as
// "<exit> <report length>\n<report>" on stdout, one at a time (read from the mapping when
// stdin is a file, else read in, at most one file in memory).
int RunBatch(const MappedInput& in, const signing::VerifyOptions& vo, const Clock& clock, bool json,
             const std::string& memory_limit) {
  std::string header, read_pdf, report;
  size_t at = 0;  // in the mapping
  for (;;) {
    std::string_view pdf;
    if (in.mapped) {
      if (at == in.size) return 0;  // the end of the batch
      if (in.size - at < 8) return 4;
      const uint64_t n = FrameLength(in.data + at);
      at += 8;
      if (n > kMaxVerifiedPdfBytes || n > in.size - at) return 4;  // this file and the rest: not processed
      pdf = std::string_view(in.data + at, n);
      at += n;
    } else {
      if (!ReadExactly(header, 8)) return 0;
      const uint64_t n = FrameLength(header.data());
      if (n > kMaxVerifiedPdfBytes) return 4;
      if (!ReadExactly(read_pdf, n)) return 4;
      pdf = read_pdf;
    }
    const int code = VerifyOne(pdf, vo, clock, json, memory_limit, report);
    std::cout << code << ' ' << report.size() << '\n' << report << std::flush;
    if (!std::cout) return 4;
  }
}

int ReportNotProcessed(const Status& s, bool json, std::string_view pdf) {
  std::cout << NotProcessedReport(s, json, pdf) << std::flush;
  return 2;
}

}  // namespace

int RunVerifyWorker(const std::vector<std::string>& argv) {
  cli::ArgSpec spec;
  spec.valued = {"--data-dir", "--config", "--trust", "--crl", "--at", "--cpu-seconds", "--memory-bytes"};
  spec.switches = {"--json", "--require-revocation", "--batch"};
  spec.repeatable_valued = true;
  auto args = cli::ParseArgs(argv, spec);
  if (!args.ok()) {
    std::cerr << kVerifyWorkerName << ": " << args.status().message() << " [" << args.status().code() << "]"
              << std::endl;
    return 2;
  }
  const std::string memory_limit = args->Get("--memory-bytes", "2147483648");
  ApplyWorkerLimits(std::stoi(args->Get("--cpu-seconds", "20")), std::stoull(memory_limit));
  // This process only verifies: EC keys of the certificates it reads are decoded without
  // OpenSSL 3.0's per-certificate decoder context (keys/src/legacy_ec_decoding.cc).
  keys::Certificate::DecodeEcKeysDirectly();
  const bool json = args->Has("--json");
  const bool batch = args->Has("--batch");
  const MappedInput in = MapStdin();
  std::string read_pdf;
  std::string_view pdf;
  if (!batch && in.mapped) {
    pdf = std::string_view(in.data, std::min<size_t>(in.size, kMaxVerifiedPdfBytes + 1));
  } else if (!batch) {
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(0, buf, sizeof buf);
      if (n <= 0) break;
      read_pdf.append(buf, static_cast<size_t>(n));
      if (read_pdf.size() > kMaxVerifiedPdfBytes + 1) break;
    }
    pdf = read_pdf;
  }
  // From here on every failure is printed as a report, since the caller discards stderr
  // (in a batch, a failure to load the anchors stops the worker: every file is then "could
  // not be processed").
  SystemClock clock;
  keys::TrustStore trust(clock);
  for (const auto& f : args->GetAll("--trust")) {
    Status s = trust.AddAnchorsFromFile(f);
    if (!s.ok()) return batch ? 4 : ReportNotProcessed(s.WithContext("--trust"), json, pdf);
  }
  for (const auto& f : args->GetAll("--crl")) {
    auto bytes = ReadFile(f, 64u << 20);
    Status s = bytes.ok() ? trust.AddCrl(*bytes, f) : bytes.status();
    if (!s.ok()) return batch ? 4 : ReportNotProcessed(s.WithContext("--crl"), json, pdf);
  }
  signing::VerifyOptions vo;
  vo.trust = args->GetAll("--trust").empty() ? nullptr : &trust;
  if (args->Has("--at")) {
    auto at = ParseRfc3339(args->Get("--at"));
    if (!at.ok()) return batch ? 4 : ReportNotProcessed(at.status().WithContext("--at"), json, pdf);
    vo.at = *at;
  }
  vo.require_revocation = args->Has("--require-revocation");
  if (batch) return RunBatch(in, vo, clock, json, memory_limit);
  std::string report;
  const int code = VerifyOne(pdf, vo, clock, json, memory_limit, report);
  std::cout << report << std::flush;
  return code;
}

std::string DefaultVerifyWorkerBinary() {
  static const std::string binary = [] {
    char self[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
      std::string path(self, static_cast<size_t>(n));
      const size_t slash = path.rfind('/');
      if (slash != std::string::npos) {
        std::string sibling = path.substr(0, slash + 1) + kVerifyWorkerName;
        if (access(sibling.c_str(), X_OK) == 0) return sibling;
      }
    }
    return std::string("/proc/self/exe");
  }();
  return binary;
}

}  // namespace rubrica::server
