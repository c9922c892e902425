// libFuzzer targets for the parsers of outside input (input_fuzz_targets.h); the build makes
// one binary per input, selecting it with RUBRICA_INPUT_FUZZ_PATH (see fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rubrica/keys/certificate.h"

#include "input_fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)rubrica::fuzzing::RUBRICA_INPUT_FUZZ_PATH(in);
  rubrica::keys::Certificate::ForgetParsed();  // see its comment: keeps the leak heuristic quiet
  return 0;
}
