#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <iostream>
#include <new>

#include "commands.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/server/verify_sandbox.h"
#include "rubrica/signing/pdf_verifier.h"

namespace rubrica::server::cli {

namespace {

ArgSpec VerifySpec() {
  ArgSpec spec = CommonSpec();
  spec.valued.insert({"--trust", "--crl", "--at"});
  spec.switches.insert({"--json", "--require-revocation"});
  spec.repeatable_valued = true;
  return spec;
}

// Anchors: --trust files, else the data directory's trust/ca.pem when there is one.
std::vector<std::string> TrustFiles(const Args& args) {
  std::vector<std::string> files = args.GetAll("--trust");
  if (files.empty()) {
    std::string dir = args.Get("--data-dir", "./rubrica-data");
    if (PathExists(dir + "/trust/ca.pem")) files.push_back(dir + "/trust/ca.pem");
  }
  return files;
}

// Every failure of `verify` itself is "could not be processed": exit 2.
int FailVerify(const Status& s) {
  Fail(s);
  return 2;
}

// The largest file `verify` reads (the verifier's own default limit).
constexpr uint64_t kMaxPdfBytes = 256u << 20;

// A file that cannot be read, or that is too large to be read, gets the same report as any
// other file that cannot be processed: scripts reading --json find result.error_code.
int ReportNotProcessed(const Status& s, bool json, std::optional<std::string_view> pdf,
                       uint64_t unread_size = 0) {
  std::cout << NotProcessedReport(s, json, pdf, unread_size) << std::flush;
  return 2;
}

Result<std::string> ReadPdf(const std::string& path, uint64_t& size) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_size) > kMaxPdfBytes) {
    size = static_cast<uint64_t>(st.st_size);
    return Status::Error(ErrorKind::kTooLarge, "verify.file_too_large",
                         "'" + path + "' has " + std::to_string(size) + " bytes, over the limit of " +
                             std::to_string(kMaxPdfBytes),
                         "El archivo es demasiado grande.");
  }
  return ReadFile(path, kMaxPdfBytes);
}

}  // namespace

// rubrica verify FILE.pdf [--trust CA.pem ...] [--crl FILE ...] [--at TIME]
//                [--require-revocation] [--json]
// Exit: 0 valid and complete, 1 invalid or forbidden change, 3 valid but incomplete,
// 2 could not be processed (including bad usage).
int RunVerify(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, VerifySpec());
  if (!args.ok()) return FailVerify(args.status());
  if (args->positional.size() != 1) {
    return FailVerify(Status::Error(ErrorKind::kInvalidArgument, "cli.usage",
                              "usage: rubrica verify FILE.pdf [--trust CA.pem ...] [--crl FILE ...] "
                              "[--at TIME] [--require-revocation] [--json]"));
  }
  VerifySandboxOptions o;
  // Without an anchor the report is made all the same: integrity, changes and signers, with
  // every chain INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND.
  o.trust_files = TrustFiles(*args);
  o.crl_files = args->GetAll("--crl");
  if (args->Has("--at")) {
    auto at = ParseRfc3339(args->Get("--at"));
    if (!at.ok()) return FailVerify(at.status());
    o.at = args->Get("--at");
  }
  o.json = args->Has("--json");
  o.require_revocation = args->Has("--require-revocation");
  uint64_t size = 0;
  auto pdf = ReadPdf(args->positional[0], size);
  if (!pdf.ok()) return ReportNotProcessed(pdf.status(), o.json, std::nullopt, size);
  auto r = VerifyInSandbox(*pdf, o);
  if (!r.ok()) return FailVerify(r.status());
  std::cout << r->output << std::flush;
  return r->exit_code;
}

namespace {

// Verifies one PDF in the worker: the report (JSON or text) and the exit status.
int VerifyOne(const std::string& pdf, const signing::VerifyOptions& vo, const Clock& clock, bool json,
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

// --batch: files framed as 8-byte little-endian lengths on stdin, answered each as
// "<exit> <report length>\n<report>" on stdout, one at a time (at most one file in memory).
int RunBatch(const signing::VerifyOptions& vo, const Clock& clock, bool json, const std::string& memory_limit) {
  std::string header, pdf, report;
  for (;;) {
    if (!ReadExactly(header, 8)) return 0;  // the end of the batch
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(header[i]);
    if (n > kMaxPdfBytes) return 4;  // the caller reports this file and the rest as not processed
    if (!ReadExactly(pdf, n)) return 4;
    const int code = VerifyOne(pdf, vo, clock, json, memory_limit, report);
    std::cout << code << ' ' << report.size() << '\n' << report << std::flush;
    if (!std::cout) return 4;
  }
}

}  // namespace

// The sandboxed side: limits itself, reads the PDF from stdin, prints the report. With
// --batch, several PDFs one after the other (VerifyBatchInSandbox).
int RunVerifyWorker(const std::vector<std::string>& argv) {
  ArgSpec spec = VerifySpec();
  spec.valued.insert({"--cpu-seconds", "--memory-bytes"});
  spec.switches.insert("--batch");
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  const std::string memory_limit = args->Get("--memory-bytes", "2147483648");
  ApplyWorkerLimits(std::stoi(args->Get("--cpu-seconds", "20")), std::stoull(memory_limit));
  const bool json = args->Has("--json");
  const bool batch = args->Has("--batch");
  std::string pdf;
  if (!batch) {
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(0, buf, sizeof buf);
      if (n <= 0) break;
      pdf.append(buf, static_cast<size_t>(n));
      if (pdf.size() > kMaxPdfBytes + 1) break;
    }
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
  if (args->Has("--at")) vo.at = *ParseRfc3339(args->Get("--at"));
  vo.require_revocation = args->Has("--require-revocation");
  if (batch) return RunBatch(vo, clock, json, memory_limit);
  std::string report;
  const int code = VerifyOne(pdf, vo, clock, json, memory_limit, report);
  std::cout << report << std::flush;
  return code;
}

}  // namespace rubrica::server::cli
