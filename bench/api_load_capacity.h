// api_load_bench --capacity (api_load_capacity.cc).
#pragma once

namespace rubrica::bench {

/// Runs the capacity measurement with the options after "--capacity"; returns the exit code.
int RunCapacity(int argc, char** argv);

}  // namespace rubrica::bench
