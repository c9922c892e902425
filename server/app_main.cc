// The `rubrica` binary. Everything lives in rubrica::server::RunCli.
#include "rubrica/server/cli.h"

int main(int argc, char** argv) {
  return rubrica::server::RunCli(std::vector<std::string>(argv + 1, argv + argc));
}
