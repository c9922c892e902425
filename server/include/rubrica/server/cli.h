// The `rubrica` command line: `rubrica <command> [options]`.
//
// Exit codes: 0 success; 1 the command failed; 2 bad usage or bad configuration (one line
// on stderr naming the problem). Some commands define more (see `rubrica verify`).
#pragma once

#include <string>
#include <vector>

namespace rubrica::server {

/// Runs the CLI with argv[1..] as `args`. Writes to stdout/stderr.
int RunCli(const std::vector<std::string>& args);

}  // namespace rubrica::server
