// A stand-in for `rubrica verify-worker` that misbehaves on purpose, for the sandbox tests:
// VerifyInSandbox runs it as its worker, and the first --trust value names what it does.
//   crash          reads its input, then aborts (SIGABRT)
//   crash-at-once  aborts before reading anything (the caller must not die of SIGPIPE)
//   cpu            applies the real worker limits (ApplyWorkerLimits), then spins
//   killed         reads its input, then is killed (SIGKILL, as the kernel does at OOM)
//   hang           reads its input, then sleeps
//   silent         reads its input, then exits 0 without a report
//   one-then-crash reads its input, answers one file of a batch (exit 0), then aborts
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "rubrica/server/verify_sandbox.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string mode;
  int cpu_seconds = 20;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--trust" && mode.empty()) mode = args[i + 1];
    if (args[i] == "--cpu-seconds") cpu_seconds = std::atoi(args[i + 1].c_str());
  }
  if (mode == "crash-at-once") std::abort();
  if (mode == "cpu") {
    rubrica::server::ApplyWorkerLimits(cpu_seconds, 1ull << 30);
    volatile unsigned long spin = 0;
    for (;;) spin = spin + 1;
  }
  char buf[65536];
  while (read(0, buf, sizeof buf) > 0) {
  }
  if (mode == "crash") std::abort();
  if (mode == "one-then-crash") {
    (void)!write(1, "0 3\n{}\n", 7);
    std::abort();
  }
  if (mode == "killed") raise(SIGKILL);
  if (mode == "hang") {
    for (;;) pause();
  }
  return 0;  // "silent"
}
