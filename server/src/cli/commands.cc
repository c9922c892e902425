#include "commands.h"

#include <sys/stat.h>

#include <iostream>

#include "rubrica/base/files.h"
#include "rubrica/server/api.h"
#include "rubrica/server/cli.h"
#include "rubrica/server/service.h"
#include "rubrica/server/verify_worker.h"

namespace rubrica::server::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"serve", "rubrica serve [--data-dir DIR] [--config FILE] [--port N] [--host ADDR] [--agency]",
       "Run the HTTP service (JSON API, web pages, embedded TSA); with --agency, the transparency "
       "agency's HTTPS inbox for monthly packages.", RunServe},
      {"init", "rubrica init [--data-dir DIR] [--config FILE] [--secretariat NAME]",
       "Create or upgrade a data directory (database, blobs, local CA, TSA and seal).", RunInit},
      {"audit verify", "rubrica audit verify [--data-dir DIR] [--config FILE] [--head HASH] [--json]",
       "Check the hash chain of the audit log; names the first bad entry. With --head, also that the "
       "log still holds that head (a truncated tail fails).", RunAuditVerify},
      {"backup", "rubrica backup [--data-dir DIR] [--config FILE] --to FILE [--include-master-secret]",
       "Write a consistent backup (database snapshot, blobs, trust anchors, manifest of SHA-256) while "
       "the service runs.", RunBackup},
      {"renew", "rubrica renew [--data-dir DIR] [--config FILE] [--acta ID] [--dry-run] [--json]",
       "Renew the archive seal (PAdES-LTA) of every archived acta whose last timestamp is due; "
       "--dry-run only lists them.", RunRenew},
      {"restore", "rubrica restore FILE --data-dir NEW",
       "Restore a backup into a new directory after checking every hash, the audit chain and every acta.",
       RunRestore},
      {"keys enrol",
       "rubrica keys enrol --holder ID --name NAME --email E --role TITLE [--curp CURP] [--rfc RFC] --until DATE "
       "[--from DATE] [--algorithm ec-p256|rsa-2048|rsa-3072] [--pin-file F | --pin-env VAR]",
       "Generate a member's key under their signing PIN and issue their certificate (PIN from "
       "file, variable or stdin).", RunKeysEnrol},
      {"keys import-p12",
       "rubrica keys import-p12 --holder ID --p12 FILE [--password-file F | --password-env VAR] "
       "[--pin-file F | --pin-env VAR] [--allow-network]",
       "Import a .p12/.pfx; its key is re-encrypted under the signing PIN.", RunKeysImportP12},
      {"keys import-efirma",
       "rubrica keys import-efirma --holder ID --cer F [--key F] [--password-file F | --password-env VAR] "
       "[--pin-file F | --pin-env VAR] [--external] [--allow-network]",
       "Import a SAT e.firma (.cer + .key), or with --external only its certificate (the key stays "
       "on the holder's device).", RunKeysImportEfirma},
      {"keys list", "rubrica keys list [--holder ID] [--json]", "List signing credentials.", RunKeysList},
      {"keys revoke", "rubrica keys revoke ID --reason end-of-term|removal|superseded|lost-key",
       "Revoke a credential (the local CA's next CRL lists it).", RunKeysRevoke},
      {"keys export-ca", "rubrica keys export-ca [--out FILE]",
       "Print or write the trust anchor (root and issuing CA, PEM); also rewrites trust/ca.pem.",
       RunKeysExportCa},
      {"keys crl", "rubrica keys crl [--out FILE]",
       "Print (PEM) or write (DER, or PEM for *.pem) the local CA's current CRL.", RunKeysCrl},
      {"keys show-efirma", "rubrica keys show-efirma --cer FILE [--json]",
       "Read RFC, CURP and validity from an e.firma certificate without importing it.", RunKeysShowEfirma},
      {"archive search",
       "rubrica archive search [--data-dir DIR] [--secretariat-id N] [--kind installation|session_minute] "
       "[--state STATE] [--from DATE] [--to DATE] [--session-id N] [--signer NAME|RFC|CURP] "
       "[--title WORDS] [--limit N] [--cursor C] [--json]",
       "Search every acta of the data directory (GET /api/archive's filters and pages).",
       RunArchiveSearch},
      {"certify", "rubrica certify [--data-dir DIR] ACTA_ID --out FILE.zip",
       "Write the certified copy of an archived acta (sealed PDF, signed XML verification report, "
       "signed constancia), as GET /api/actas/{id}/certified-copy serves it.",
       RunCertify},
      {"demo", "rubrica demo [--data-dir DIR]",
       "Install a fictional Zamora-shaped secretariat and carry two actas from draft to archive.",
       RunDemo},
      {"sign",
       "rubrica sign --server URL --login EMAIL --acta ID --kind rubric|foot --cer FILE --key FILE "
       "[--password-file F | --password-env VAR] [--key-password-file F | --key-password-env VAR]",
       "Sign an acta from this terminal with a key that never leaves it (e.firma .cer + .key): "
       "logs in, prepares, signs locally, finalizes (passwords from file, variable or stdin).",
       RunSign},
      {"verify", "rubrica verify FILE.pdf [--trust CA.pem ...] [--crl FILE ...] [--at TIME] [--require-revocation] [--json]",
       "Verify a signed acta: every signature, every change, completeness (exit 0/1/2/3).",
       RunVerify},
      {"package build",
       "rubrica package build [--data-dir DIR] --secretariat ID --month YYYY-MM [--out FILE]",
       "Build the signed monthly package (ZIP: sealed actas + manifest.xml signed by the seal).",
       RunPackageBuild},
      {"package verify", "rubrica package verify FILE.zip [--trust CA.pem] [--json]",
       "Check a package offline: ZIP, manifest schema and signature, every hash, every acta (exit 0/1/2).",
       RunPackageVerify},
      {"package send",
       "rubrica package send [--data-dir DIR] --secretariat ID --month YYYY-MM --url URL --ca-file F "
       "--agency-trust F",
       "Deliver the month's package to the agency over HTTPS and record its signed receipt or refusal.",
       RunPackageSend},
      {"package seal-cert", "rubrica package seal-cert [--data-dir DIR] [--out FILE]",
       "Print the seal certificate the agency registers this secretariat by.", RunPackageSealCert},
      {"agency register",
       "rubrica agency register --data-dir DIR --name NAME --seal-cert F --ca F [--time-zone ZONE]",
       "Register a secretariat at the agency's inbox by its seal certificate and trust anchor.",
       RunAgencyRegister},
      {"verify-worker", "rubrica verify-worker (internal)", "The sandboxed side of verify.",
       rubrica::server::RunVerifyWorker, /*hidden=*/true},
      {"version", "rubrica version", "Print the version.", RunVersion},
      {"openapi", "rubrica openapi", "Print the API's OpenAPI 3 document (docs/openapi.json).",
       RunOpenApi},
  };
  return kCommands;
}

ArgSpec CommonSpec() { return ArgSpec{{"--data-dir", "--config"}, {}, false}; }

Result<Config> LoadCliConfig(const Args& args, std::map<std::string, std::string> extra_flags) {
  ConfigInputs in;
  in.config_file = args.Get("--config");
  in.env = ProcessEnvironment();
  in.flags = std::move(extra_flags);
  if (args.Has("--data-dir")) in.flags["data_dir"] = args.Get("--data-dir");
  return LoadConfig(in);
}

Result<std::string> ReadSecret(const Args& args, const std::string& name, const std::string& what) {
  auto usage = [](const std::string& message) {
    return Status::Error(ErrorKind::kInvalidArgument, "cli.usage", message);
  };
  const std::string file_opt = "--" + name + "-file";
  const std::string env_opt = "--" + name + "-env";
  if (args.Has(file_opt) && args.Has(env_opt)) return usage("give " + file_opt + " or " + env_opt + ", not both");
  std::string secret;
  if (args.Has(file_opt)) {
    ASSIGN_OR_RETURN(secret, ReadFile(args.Get(file_opt), 4096));
  } else if (args.Has(env_opt)) {
    const auto env = ProcessEnvironment();
    auto it = env.find(args.Get(env_opt));
    if (it == env.end()) return usage("environment variable " + args.Get(env_opt) + " is not set");
    secret = it->second;
  } else if (!std::getline(std::cin, secret)) {
    return usage("no " + what + " given (use " + file_opt + ", " + env_opt + " or one line on stdin)");
  }
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return usage("the " + what + " is empty");
  return secret;
}

int Fail(const Status& status) {
  std::cerr << "rubrica: " << status.message() << " [" << status.code() << "]" << std::endl;
  return status.kind() == ErrorKind::kInvalidArgument ? 2 : 1;
}

int RunOpenApi(const std::vector<std::string>& args) {
  if (!args.empty()) return Fail(Status::Error(ErrorKind::kInvalidArgument, "cli.usage", "openapi takes no arguments"));
  std::cout << OpenApiDocument() << std::flush;
  return 0;
}

int RunVersion(const std::vector<std::string>&) {
  std::cout << "rubrica " << VersionString() << std::endl;
  return 0;
}

static void PrintHelp(std::ostream& out) {
  out << "Rúbrica: actas of open-government technical secretariats, from draft to certified "
         "archive.\n\nUsage:\n";
  for (const auto& c : Commands()) {
    if (!c.hidden) out << "  " << c.usage << "\n      " << c.summary << "\n";
  }
  out << "\nExit codes: 0 success, 1 failure, 2 bad usage or configuration.\n";
}

}  // namespace rubrica::server::cli

namespace rubrica::server {

int RunCli(const std::vector<std::string>& args) {
  using cli::Commands;
  // Whatever this process creates is its user's alone (files 0600, directories 0700);
  // explicit modes say the same where files are made.
  ::umask(077);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    cli::PrintHelp(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  // Longest match first, so "audit verify" wins over a hypothetical "audit".
  const cli::Command* best = nullptr;
  size_t best_words = 0;
  for (const auto& c : Commands()) {
    std::vector<std::string> words;
    size_t start = 0;
    for (size_t pos; (pos = c.name.find(' ', start)) != std::string::npos; start = pos + 1) {
      words.push_back(c.name.substr(start, pos - start));
    }
    words.push_back(c.name.substr(start));
    if (words.size() > args.size()) continue;
    bool match = true;
    for (size_t i = 0; i < words.size(); ++i) match = match && words[i] == args[i];
    if (match && words.size() > best_words) {
      best = &c;
      best_words = words.size();
    }
  }
  if (best == nullptr) {
    std::cerr << "rubrica: unknown command '" << args[0] << "' (try 'rubrica help')" << std::endl;
    return 2;
  }
  return best->run(std::vector<std::string>(args.begin() + best_words, args.end()));
}

}  // namespace rubrica::server
