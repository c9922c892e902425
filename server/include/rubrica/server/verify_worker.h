// The sandboxed side of the verifier: what `rubrica-verify-worker` runs (and `rubrica
// verify-worker`, the same code inside the full binary). VerifyInSandbox and
// VerifyBatchInSandbox (verify_sandbox.h) start it and speak its stdin/stdout protocol.
//
// It lives apart from the CLI so that its executable links only what verification needs
// (base, the COS reader, the verifier, keys, OpenSSL): a worker starts once per verified
// file (once per package at the agency's inbox), and loading the full binary's 44 shared
// libraries was a quarter of its CPU time.
#pragma once

#include <string>
#include <vector>

namespace rubrica::server {

/// The worker's file name, installed beside `rubrica`.
inline constexpr char kVerifyWorkerName[] = "rubrica-verify-worker";

/// The worker's main: `args` are its arguments after the subcommand name ("verify-worker").
/// Applies --cpu-seconds and --memory-bytes to itself, loads --trust and --crl, then reads
/// one PDF from stdin and prints its report (exit: the verifier's), or with --batch reads
/// length-framed PDFs and answers each as "<exit> <length>\n<report>" (exit 0 at the end of
/// the input, 4 when the input or the anchors are unusable). Usage errors: exit 2.
int RunVerifyWorker(const std::vector<std::string>& args);

/// The executable VerifySandboxOptions runs by default: `rubrica-verify-worker` in the
/// directory of this process's executable when it is there and executable, else this
/// executable itself (/proc/self/exe, whose `verify-worker` subcommand is the same code).
std::string DefaultVerifyWorkerBinary();

}  // namespace rubrica::server
