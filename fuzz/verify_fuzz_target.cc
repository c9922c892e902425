#include "verify_fuzz_target.h"

#include <cstdio>
#include <cstdlib>

#include "rubrica/base/clock.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/embedded_files.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/cos/revision_analysis.h"
#include "rubrica/signing/pdf_verifier.h"

namespace rubrica::fuzzing {

namespace {

// The seeds' timestamps say 2026-03-14; "now" is the day after.
constexpr int64_t kNowMicros = 1773532800LL * 1000000;  // 2026-03-15T00:00:00Z

struct Harness {
  ManualClock clock{Instant(std::chrono::microseconds(kNowMicros))};
  keys::TrustStore trust{clock};

  Harness() {
    Status s = trust.AddAnchorsFromFile(RUBRICA_FUZZ_ANCHOR);
    if (!s.ok()) {
      std::fprintf(stderr, "verify fuzzer: cannot load the test anchor: %s\n", s.ToString().c_str());
      std::abort();
    }
  }
};

const Harness& TheHarness() {
  static const Harness* harness = new Harness();  // never destroyed: shared by every input
  return *harness;
}

void LowerLayers(std::string_view data) {
  auto file = pdf::cos::PdfFile::Open(std::string(data));
  if (!file.ok()) return;
  (void)pdf::cos::ReadFields(*file, 0);
  (void)pdf::cos::ReadFields(*file, file->last());
  (void)pdf::cos::AnalyzeRevisions(*file);
  (void)pdf::cos::ReadEmbeddedFile(*file, 0, "firmantes.json", 1u << 20);
}

}  // namespace

signing::VerifyExit VerifyUntrusted(std::string_view data) {
  const Harness& h = TheHarness();
  LowerLayers(data);
  signing::VerifyOptions o;
  o.trust = &h.trust;
  o.max_decoded_bytes = kFuzzMaxDecodedBytes;
  signing::VerifyReport report = signing::VerifyPdf(data, o, h.clock);
  (void)signing::ToJson(report);
  (void)signing::ToText(report);
  return report.exit;
}

}  // namespace rubrica::fuzzing
