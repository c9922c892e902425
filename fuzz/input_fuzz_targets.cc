#include "input_fuzz_targets.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ocsp_client.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/base/json_reader.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/efirma.h"
#include "rubrica/keys/pkcs12.h"
#include "rubrica/pdf/acta_json.h"
#include "timestamp_request.h"

namespace rubrica::fuzzing {

namespace {

// Reads what a handler would, ignoring each refusal: every accessor meets every input.
void ReadLikeAHandler(JsonReader& j, int depth) {
  (void)j.Line("full_name", 200);
  (void)j.OptionalLine("title", "", 200);
  (void)j.String("token", 200);
  (void)j.String("password", 1024);
  (void)j.OptionalString("pin", "", 64);
  (void)j.Int("person_id");
  (void)j.OptionalInt("session_id");
  (void)j.Bool("administrator", false);
  (void)j.Date("effective_from");
  (void)j.OptionalDate("acta_date");
  (void)j.DateArray("days", 50);
  (void)j.Time("starts_at");
  (void)j.Enum("kind", {"ordinary", "extraordinary"});
  (void)j.LineArray("agenda", 100, 1000);
  (void)j.StringArray("chain", 10, 128 * 1024);
  (void)j.IntArray("ids", 100);
  (void)j.RawObject("content");
  if (depth < 3) {
    if (auto o = j.Object("object"); o.ok()) ReadLikeAHandler(*o, depth + 1);
    if (auto items = j.ObjectArray("items", 50); items.ok()) {
      for (auto& item : *items) ReadLikeAHandler(item, depth + 1);
    }
  }
  (void)j.Finish();
}

std::string FixtureDir() { return RUBRICA_FUZZ_INPUT_FIXTURES; }

}  // namespace

size_t FuzzApiJson(std::string_view data) {
  auto j = JsonReader::Parse(data);
  if (!j.ok()) return 0;
  ReadLikeAHandler(*j, 0);
  return 1;
}

size_t FuzzActaJson(std::string_view data) {
  auto acta = pdf::ParseActaJson(data);
  if (!acta.ok()) return 0;
  // What was accepted writes out and reads back to the same document.
  const std::string once = pdf::ActaToJson(*acta);
  auto again = pdf::ParseActaJson(once);
  if (!again.ok() || pdf::ActaToJson(*again) != once) __builtin_trap();
  return 1;
}

size_t FuzzPkcs12(std::string_view data) { return keys::ReadPkcs12(data, "fuzz").ok() ? 1 : 0; }

size_t FuzzEfirma(std::string_view data) {
  if (data.size() < 2) return 0;
  const size_t cer_len = (static_cast<unsigned char>(data[0]) << 8) | static_cast<unsigned char>(data[1]);
  data.remove_prefix(2);
  if (cer_len > data.size()) return 0;
  const std::string_view cer = data.substr(0, cer_len), key = data.substr(cer_len);
  (void)keys::ReadEfirmaCertificate(cer);
  return keys::OpenEfirma(cer, key, "12345678a").ok() ? 1 : 0;
}

size_t FuzzTsaResponse(std::string_view data) {
  const std::string imprint = Sha256("rubrica fuzz imprint");
  auto token = signing::RequestTimestamp(imprint, "fuzz-tsa", [&](const std::string&) -> Result<std::string> {
    return std::string(data);
  });
  if (token.ok()) return 1;
  return token.status().message().find("nonce is not the one sent") != std::string::npos ? 1 : 0;
}

size_t FuzzOcspResponse(std::string_view data) {
  struct Pki {
    keys::Certificate ca, leaf;
    std::string request;  // DER OCSPRequest without nonce (openssl ocsp -no_nonce)
  };
  static const std::optional<Pki> pki = []() -> std::optional<Pki> {
    auto ca = ReadFile(FixtureDir() + "/ocsp_pki/ca.pem");
    auto leaf = ReadFile(FixtureDir() + "/ocsp_pki/leaf.pem");
    auto req = ReadFile(FixtureDir() + "/ocsp_pki/request.der");
    if (!ca.ok() || !leaf.ok() || !req.ok()) return std::nullopt;
    auto c = keys::Certificate::FromPem(*ca);
    auto l = keys::Certificate::FromPem(*leaf);
    if (!c.ok() || !l.ok()) return std::nullopt;
    return Pki{*c, *l, *req};
  }();
  if (!pki) __builtin_trap();  // the fixtures are part of the target
  // Inside the seed responses' validity (fuzz/README.md: generated 2026-12-06, 100 years).
  static const ManualClock clock(FromUnixMicros(1798761600LL * 1000000));  // 2027-01-01
  auto answer = keys::ReadOcspResponse("fuzz-ocsp", pki->request, data, pki->leaf, pki->ca, {pki->ca}, {pki->ca},
                                       clock);
  return answer.ok() ? 1 : 0;
}

}  // namespace rubrica::fuzzing
