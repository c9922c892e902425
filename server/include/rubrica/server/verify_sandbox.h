// Runs the PDF verifier on untrusted bytes in a child process (`rubrica-verify-worker`,
// verify_worker.h), with limits on CPU time, memory (address space; not under
// AddressSanitizer, whose shadow memory needs terabytes of it), file writes (none) and wall
// time. A crash, a hang or a
// limit hit becomes a "could not be processed" report (exit 2), never "valid", and never
// takes the calling process down.
//
// Safe to call from a multi-threaded server: the child is started with posix_spawn (no
// fork of the server's threads and locks) and exec's a fresh image.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/server/verify_worker.h"

namespace rubrica::server {

/// The largest PDF the verifier reads (`rubrica verify` and its worker).
inline constexpr uint64_t kMaxVerifiedPdfBytes = 256u << 20;

struct VerifySandboxOptions {
  /// The executable to run as worker, with "verify-worker" as its first argument:
  /// `rubrica-verify-worker` or a `rubrica` binary. Default: the `rubrica-verify-worker`
  /// beside this executable, else this executable (DefaultVerifyWorkerBinary()).
  std::string worker_binary = DefaultVerifyWorkerBinary();
  std::vector<std::string> trust_files;  // PEM/DER anchors
  std::vector<std::string> crl_files;    // DER/PEM CRLs
  /// CRLs as bytes (e.g. the local CA's current ones), handed to the worker as in-memory
  /// files (memfd), never written to disk. At most 8.
  std::vector<std::string> crl_bytes;
  std::optional<std::string> at;         // RFC 3339 validation time
  bool require_revocation = false;       // unanswered revocation: INDETERMINATE
  bool json = true;                      // report format: JSON, else Spanish text
  int cpu_seconds = 20;                  // RLIMIT_CPU of the worker
  int wall_seconds = 30;                 // killed after this
  uint64_t memory_bytes = 2ull << 30;    // RLIMIT_AS of the worker (ignored under ASan)
};

struct SandboxResult {
  int exit_code = 2;   // the verifier's exit status (0, 1, 2, 3)
  std::string output;  // the report, JSON or text
};

/// Verifies `pdf` in a worker. Fails only when the worker cannot be started
/// (server.sandbox_failed); every outcome of the verification itself is a SandboxResult.
Result<SandboxResult> VerifyInSandbox(std::string_view pdf, const VerifySandboxOptions& options);

/// Verifies several PDFs in one worker (`rubrica-verify-worker verify-worker --batch`), one after the
/// other, each in full and on its own, with the anchors and CRLs loaded once: one process
/// start instead of one per file (what the agency's inbox does per package). The limits are
/// the options' per file: the worker's CPU time and wall time are those times the number of
/// files. The i-th result is the i-th file's; when the worker stops early (crash, limit),
/// every file it had not answered gets a "could not be processed" report (exit 2). Fails
/// only when the worker cannot be started (server.sandbox_failed).
Result<std::vector<SandboxResult>> VerifyBatchInSandbox(const std::vector<std::string_view>& pdfs,
                                                        const VerifySandboxOptions& options);

/// The worker's side: applies the limits passed on its command line to itself. Called by
/// RunVerifyWorker before it reads any input.
void ApplyWorkerLimits(int cpu_seconds, uint64_t memory_bytes);

/// The report of an input that could not be processed (exit 2) in the verifier's format
/// (JSON when `json`, else Spanish text), for causes outside the verifier itself: the worker
/// crashed, hit a limit or timed out, or the file could not be read. `pdf` is the input when
/// it was read (its size and SHA-256 go into the report); when it was not, `unread_size` is
/// its size (0: unknown) and the SHA-256 is left empty.
std::string NotProcessedReport(const Status& cause, bool json, std::optional<std::string_view> pdf,
                               uint64_t unread_size = 0);

}  // namespace rubrica::server
