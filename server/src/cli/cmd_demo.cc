#include <iostream>

#include "commands.h"
#include "demo/demo.h"

namespace rubrica::server::cli {

int RunDemo(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, CommonSpec());
  if (!args.ok()) return Fail(args.status());
  auto config = LoadCliConfig(*args);
  if (!config.ok()) return Fail(config.status());
  Status s = demo::Run(*config, std::cout);
  if (!s.ok()) return Fail(s);
  return 0;
}

}  // namespace rubrica::server::cli
