// `rubrica-verify-worker`: the sandboxed verifier (verify_worker.h), started by
// VerifyInSandbox as `rubrica-verify-worker verify-worker [options]`, the arguments
// `rubrica verify-worker` takes.
#include <string>
#include <vector>

#include "rubrica/server/verify_worker.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "verify-worker") args.erase(args.begin());
  return rubrica::server::RunVerifyWorker(args);
}
