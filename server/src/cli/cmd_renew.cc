// `rubrica renew --data-dir DIR [--acta ID] [--dry-run] [--json]`: one pass of the archive's
// renewal (PAdES-LTA) in the foreground, as the service runs it in the background
// (renewal_scheduler.h): the CA's successor TSA/seal certificates when due, then every
// archived acta (or one) whose last timestamp is due renewed. Opens the data directory
// like `rubrica serve` (so not while the service runs: its lock). Logs go to stderr.
//
// Exit codes: 0 every acta judged (and renewed when due); 1 an acta failed; 2 bad usage
// or configuration.
#include <iostream>

#include "commands.h"
#include "renewal_scheduler.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/service.h"

namespace rubrica::server::cli {

namespace {

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

int RunRenew(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  spec.valued.insert("--acta");
  spec.switches.insert("--dry-run");
  spec.switches.insert("--json");
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  const std::string usage = "usage: rubrica renew [--data-dir DIR] [--config FILE] [--acta ID] [--dry-run] [--json]";
  if (!args->positional.empty()) return Fail(Status::Error(ErrorKind::kInvalidArgument, "cli.usage", usage));
  std::optional<int64_t> acta;
  if (args->Has("--acta")) {
    try {
      size_t used = 0;
      acta = std::stoll(args->Get("--acta"), &used);
      if (used != args->Get("--acta").size() || *acta <= 0) throw std::invalid_argument("not an id");
    } catch (const std::exception&) {
      return Fail(Status::Error(ErrorKind::kInvalidArgument, "cli.usage",
                                "--acta wants an acta id, got '" + args->Get("--acta") + "'"));
    }
  }
  auto config = LoadCliConfig(*args);
  if (!config.ok()) return Fail(config.status());
  SystemClock clock;
  JsonLineLogger logger(stderr, clock, LogLevel::kWarn);
  ServiceOptions options;
  options.notifications = false;
  options.renewals = false;  // the pass runs here, in the foreground
  auto service = Service::Create(*config, clock, logger, options);
  if (!service.ok()) return Fail(service.status());
  const bool dry_run = args->Has("--dry-run");
  auto pass = (*service)->renewals().RunOnce(acta, dry_run);
  if (!pass.ok()) return Fail(pass.status());
  bool failed = false;
  if (args->Has("--json")) {
    std::string j = "{\"dry_run\":" + std::string(dry_run ? "true" : "false") +
                    ",\"rotated\":" + (pass->rotated ? "true" : "false") + ",\"actas\":[";
    for (size_t i = 0; i < pass->actas.size(); ++i) {
      const RenewalResult& r = pass->actas[i];
      failed = failed || !r.error_code.empty();
      j += (i ? "," : "") + std::string("{\"acta_id\":") + std::to_string(r.acta_id) +
           ",\"due\":" + (r.due ? "true" : "false") + ",\"reason\":" + JsonString(r.reason) +
           ",\"renewed_blob\":" + JsonString(r.blob_id) + ",\"last_timestamp\":" + JsonString(r.last_timestamp) +
           ",\"tsa_not_after\":" + JsonString(r.tsa_not_after) + ",\"error_code\":" + JsonString(r.error_code) +
           ",\"error\":" + JsonString(r.error) + "}";
    }
    std::cout << j << "]}" << std::endl;
  } else {
    if (pass->rotated) std::cout << "The local CA issued successor TSA and seal certificates." << std::endl;
    for (const RenewalResult& r : pass->actas) {
      std::cout << "acta " << r.acta_id << ": ";
      if (!r.error_code.empty()) {
        failed = true;
        std::cout << "FAILED [" << r.error_code << "] " << r.error << std::endl;
      } else if (!r.due) {
        std::cout << "not due (last timestamp " << r.last_timestamp << ", TSA certificate until "
                  << r.tsa_not_after << ")" << std::endl;
      } else if (r.blob_id.empty()) {
        std::cout << "due (" << r.reason << "; TSA certificate until " << r.tsa_not_after << ")" << std::endl;
      } else {
        std::cout << "renewed (" << r.reason << "): " << r.blob_id << std::endl;
      }
    }
    std::cout << pass->actas.size() << " archived acta(s) judged" << (dry_run ? " (dry run: nothing written)" : "")
              << "." << std::endl;
  }
  return failed ? 1 : 0;
}

}  // namespace rubrica::server::cli
