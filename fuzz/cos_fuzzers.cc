// libFuzzer targets for the COS layer's parser paths (cos_fuzz_targets.h); the build makes
// one binary per path, selecting it with RUBRICA_COS_FUZZ_PATH (see fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cos_fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)rubrica::fuzzing::RUBRICA_COS_FUZZ_PATH(in);
  return 0;
}
