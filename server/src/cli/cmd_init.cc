#include <iostream>

#include "commands.h"
#include "rubrica/server/data_directory.h"

namespace rubrica::server::cli {

int RunInit(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, CommonSpec());
  if (!args.ok()) return Fail(args.status());
  if (!args->positional.empty()) {
    return Fail(Status::Error(ErrorKind::kInvalidArgument, "cli.usage",
                              "init takes no positional arguments"));
  }
  auto config = LoadCliConfig(*args);
  if (!config.ok()) return Fail(config.status());
  auto data = DataDirectory::Open(config->data_dir);
  if (!data.ok()) return Fail(data.status());
  std::cout << "Data directory ready: " << config->data_dir << std::endl;
  return 0;
}

}  // namespace rubrica::server::cli
