#include <sys/stat.h>

#include <iostream>

#include "commands.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/files.h"
#include "rubrica/server/verify_sandbox.h"

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

// A file that cannot be read, or that is too large to be read, gets the same report as any
// other file that cannot be processed: scripts reading --json find result.error_code.
int ReportNotProcessed(const Status& s, bool json, std::optional<std::string_view> pdf,
                       uint64_t unread_size = 0) {
  std::cout << NotProcessedReport(s, json, pdf, unread_size) << std::flush;
  return 2;
}

Result<std::string> ReadPdf(const std::string& path, uint64_t& size) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_size) > kMaxVerifiedPdfBytes) {
    size = static_cast<uint64_t>(st.st_size);
    return Status::Error(ErrorKind::kTooLarge, "verify.file_too_large",
                         "'" + path + "' has " + std::to_string(size) + " bytes, over the limit of " +
                             std::to_string(kMaxVerifiedPdfBytes),
                         "El archivo es demasiado grande.");
  }
  return ReadFile(path, kMaxVerifiedPdfBytes);
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

}  // namespace rubrica::server::cli
