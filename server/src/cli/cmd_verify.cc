#include <iostream>

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
  spec.switches.insert("--json");
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

}  // namespace

// rubrica verify FILE.pdf [--trust CA.pem ...] [--crl FILE ...] [--at TIME] [--json]
// Exit: 0 valid and complete, 1 invalid or forbidden change, 3 valid but incomplete,
// 2 could not be processed (including bad usage).
int RunVerify(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, VerifySpec());
  if (!args.ok()) return FailVerify(args.status());
  if (args->positional.size() != 1) {
    return FailVerify(Status::Error(ErrorKind::kInvalidArgument, "cli.usage",
                              "usage: rubrica verify FILE.pdf [--trust CA.pem ...] [--at TIME] [--json]"));
  }
  VerifySandboxOptions o;
  o.trust_files = TrustFiles(*args);
  if (o.trust_files.empty()) {
    return FailVerify(Status::Error(ErrorKind::kInvalidArgument, "verify.no_trust_anchor",
                              "no trust anchor: pass --trust CA.pem (the installation's trust/ca.pem)"));
  }
  o.crl_files = args->GetAll("--crl");
  if (args->Has("--at")) {
    auto at = ParseRfc3339(args->Get("--at"));
    if (!at.ok()) return FailVerify(at.status());
    o.at = args->Get("--at");
  }
  o.json = args->Has("--json");
  auto pdf = ReadFile(args->positional[0], 256u << 20);
  if (!pdf.ok()) return FailVerify(pdf.status());
  auto r = VerifyInSandbox(*pdf, o);
  if (!r.ok()) return FailVerify(r.status());
  std::cout << r->output << std::flush;
  return r->exit_code;
}

// The sandboxed side: limits itself, reads the PDF from stdin, prints the report.
int RunVerifyWorker(const std::vector<std::string>& argv) {
  ArgSpec spec = VerifySpec();
  spec.valued.insert({"--cpu-seconds", "--memory-bytes"});
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  ApplyWorkerLimits(std::stoi(args->Get("--cpu-seconds", "20")),
                    std::stoull(args->Get("--memory-bytes", "2147483648")));
  std::string pdf;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n <= 0) break;
    pdf.append(buf, static_cast<size_t>(n));
    if (pdf.size() > (256u << 20) + 1) break;
  }
  SystemClock clock;
  keys::TrustStore trust(clock);
  for (const auto& f : args->GetAll("--trust")) {
    Status s = trust.AddAnchorsFromFile(f);
    if (!s.ok()) return Fail(s);
  }
  for (const auto& f : args->GetAll("--crl")) {
    auto bytes = ReadFile(f, 64u << 20);
    if (!bytes.ok()) return Fail(bytes.status());
    Status s = trust.AddCrl(*bytes, f);
    if (!s.ok()) return Fail(s);
  }
  signing::VerifyOptions vo;
  vo.trust = &trust;
  if (args->Has("--at")) vo.at = *ParseRfc3339(args->Get("--at"));
  signing::VerifyReport report = signing::VerifyPdf(pdf, vo, clock);
  if (args->Has("--json")) std::cout << signing::ToJson(report) << "\n";
  else std::cout << signing::ToText(report);
  std::cout.flush();
  return static_cast<int>(report.exit);
}

}  // namespace rubrica::server::cli
