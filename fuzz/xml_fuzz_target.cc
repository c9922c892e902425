#include "xml_fuzz_target.h"

#include <chrono>
#include <cstdlib>
#include <memory>

#include "rubrica/base/clock.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/xml_schema.h"
#include "rubrica/signing/xml_signature.h"

namespace rubrica::fuzzing {

extern const char kXmlFuzzXsd[];

namespace {

Instant FixedTime() {
  using namespace std::chrono;
  return Instant(sys_days(year(2026) / 3 / 15)) + hours(17) + minutes(30);
}

const keys::TrustStore& Trust() {
  static ManualClock clock(FixedTime());
  static const std::unique_ptr<keys::TrustStore> trust = [] {
    auto store = std::make_unique<keys::TrustStore>(clock);
    if (!store->AddAnchorsFromFile(RUBRICA_FUZZ_XML_ANCHOR).ok()) std::abort();
    return store;
  }();
  return *trust;
}

size_t Walk(const signing::XmlElement& e) {
  size_t n = e.TextContent().size() + e.attributes().size();
  for (const signing::XmlElement* c : e.Children()) n += Walk(*c);
  return n;
}

}  // namespace

size_t FuzzSignedXml(std::string_view data) {
  auto tree = signing::ParseXml(data);
  if (tree.ok()) (void)Walk(*tree);
  (void)signing::ValidateXmlSchema(data, kXmlFuzzXsd);
  signing::XmlVerifyOptions options;
  options.time = FixedTime();
  auto info = signing::VerifyXmlSignature(data, Trust(), options);
  return info.ok() ? 1 : 0;
}

}  // namespace rubrica::fuzzing
