#include <iostream>

#include "commands.h"
#include "rubrica/base/clock.h"
#include "rubrica/server/api.h"
#include "rubrica/server/data_directory.h"
#include "rubrica/store/audit_log.h"

namespace rubrica::server::cli {

int RunInit(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  spec.valued.insert("--secretariat");
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  if (!args->positional.empty()) {
    return Fail(Status::Error(ErrorKind::kInvalidArgument, "cli.usage",
                              "init takes no positional arguments"));
  }
  auto config = LoadCliConfig(*args);
  if (!config.ok()) return Fail(config.status());
  auto data = DataDirectory::Open(config->data_dir, "rubrica init");
  if (!data.ok()) return Fail(data.status());
  std::cout << "Data directory ready: " << config->data_dir << std::endl;
  SystemClock clock;
  KeysSetup setup = KeysSetupFrom(config->public_url, ProcessEnvironment());
  setup.secretariat = args->Get("--secretariat");
  auto keys = EnsureInstallationKeys(*data, setup, clock);
  if (!keys.ok()) return Fail(keys.status());
  std::cout << (keys->created ? "Local CA created for " : "Local CA ready for ") << keys->ca->secretariat()
            << "\nTrust anchor: " << keys->ca_pem_path << " (root SHA-256 "
            << keys->ca->root().FingerprintSha256() << ")" << std::endl;
  store::AuditLog audit(clock);
  auto admin = EnsureAdministratorAccount(*data->db, audit, clock, config->public_url);
  if (!admin.ok()) return Fail(admin.status());
  if (*admin) {
    // Printed once: the administrator sets the password through it; there is no default.
    std::cout << "Cuenta de administración creada (usuario «admin»). Defina su contraseña con "
                 "este enlace de un solo uso:\n  "
              << **admin << std::endl;
  }
  return 0;
}

}  // namespace rubrica::server::cli
