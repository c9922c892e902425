// The table of subcommands and what they share (configuration loading, output).
// Each subcommand lives in its own cmd_<name>.cc and registers itself in commands.cc.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "args.h"
#include "rubrica/base/status.h"
#include "rubrica/server/config.h"

namespace rubrica::server::cli {

struct Command {
  std::string name;     // "serve", "audit verify"
  std::string usage;    // "rubrica serve [--data-dir DIR] [--port N]"
  std::string summary;  // one line
  std::function<int(const std::vector<std::string>& args)> run;
  bool hidden = false;  // internal (not listed by `rubrica help`)
};

/// All subcommands, in the order `rubrica help` lists them.
const std::vector<Command>& Commands();

/// Options every subcommand accepts: --data-dir DIR, --config FILE.
ArgSpec CommonSpec();

/// Loads the configuration with the common flags (and any extra key flags, e.g.
/// {"listen.port", "9000"}) applied on top of file and environment.
Result<Config> LoadCliConfig(const Args& args,
                             std::map<std::string, std::string> extra_flags = {});

/// Reads one secret named `name` ("pin", "password"): from --<name>-file FILE, from
/// --<name>-env VARIABLE, or else the next line of stdin; trailing newlines removed.
/// cli.usage when both options are given, the variable is unset, or the secret is empty.
/// `what` names it in messages ("signing PIN").
Result<std::string> ReadSecret(const Args& args, const std::string& name, const std::string& what);

/// Prints "rubrica: <message>" on stderr and returns the exit code for the status:
/// 2 for usage and configuration errors (kInvalidArgument), 1 otherwise.
int Fail(const Status& status);

// Subcommand entry points (one file each).
int RunServe(const std::vector<std::string>& args);
int RunInit(const std::vector<std::string>& args);
int RunAuditVerify(const std::vector<std::string>& args);
int RunVersion(const std::vector<std::string>& args);
int RunOpenApi(const std::vector<std::string>& args);
int RunVerify(const std::vector<std::string>& args);
int RunRenew(const std::vector<std::string>& args);
int RunDemo(const std::vector<std::string>& args);
// cmd_keys.cc
int RunKeysEnrol(const std::vector<std::string>& args);
int RunKeysImportP12(const std::vector<std::string>& args);
int RunKeysImportEfirma(const std::vector<std::string>& args);
int RunKeysList(const std::vector<std::string>& args);
int RunKeysRevoke(const std::vector<std::string>& args);
int RunKeysExportCa(const std::vector<std::string>& args);
int RunKeysCrl(const std::vector<std::string>& args);
int RunKeysShowEfirma(const std::vector<std::string>& args);
// cmd_backup.cc
int RunBackup(const std::vector<std::string>& args);
int RunRestore(const std::vector<std::string>& args);
// cmd_sign.cc
int RunSign(const std::vector<std::string>& args);
// cmd_archive.cc
int RunArchiveSearch(const std::vector<std::string>& args);
// cmd_certify.cc
int RunCertify(const std::vector<std::string>& args);
// cmd_package.cc
int RunPackageBuild(const std::vector<std::string>& args);
int RunPackageVerify(const std::vector<std::string>& args);
int RunPackageSend(const std::vector<std::string>& args);
int RunPackageSealCert(const std::vector<std::string>& args);
// cmd_agency.cc
int RunAgencyServe(const std::vector<std::string>& args);
int RunAgencyRegister(const std::vector<std::string>& args);

}  // namespace rubrica::server::cli
