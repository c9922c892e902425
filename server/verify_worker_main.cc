// `rubrica-verify-worker`: the sandboxed verifier (verify_worker.h), started by
// VerifyInSandbox as `rubrica-verify-worker verify-worker [options]`, the arguments
// `rubrica verify-worker` takes.
#include <malloc.h>

#include <string>
#include <vector>

#include "rubrica/server/verify_worker.h"

int main(int argc, char** argv) {
  // A batch verifies one file after another, each needing about the same memory: keep the
  // heap's pages instead of giving them back to the kernel after each file and faulting them
  // in again for the next (glibc maps blocks over 128 KiB afresh and trims the heap's top).
  // The address-space limit (--memory-bytes) still bounds the whole.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "verify-worker") args.erase(args.begin());
  return rubrica::server::RunVerifyWorker(args);
}
