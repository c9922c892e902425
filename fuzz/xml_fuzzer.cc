// libFuzzer target for signed XML (see xml_fuzz_target.h and README.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rubrica/keys/certificate.h"

#include "xml_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)rubrica::fuzzing::FuzzSignedXml(
      std::string_view(reinterpret_cast<const char*>(data), size));
  rubrica::keys::Certificate::ForgetParsed();  // see its comment: keeps the leak heuristic quiet
  return 0;
}
