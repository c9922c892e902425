// Time to add one signature to a long acta that already carries 20 signatures (the 29-page
// session minute fixture, certified, 11 rubrics and 8 foot signatures), side by side with
// podofosign (Debian's libpodofo-utils) filling the same kind of field on the same file with
// the same key, and with the floor: one SHA-256 of the file plus one private-key operation.
//
//   bench/pades_bench [runs]      (default 40 runs; print medians, p90 and ratios)
//
// Keys are made with the openssl command line in a temporary directory (EC P-256, like
// members' keys). Not a test: it prints figures.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/base/logger.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/pdf/acta_json.h"
#include "rubrica/pdf/render.h"
#include "rubrica/signing/pades_signer.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"

using namespace rubrica;
using Clock_ = std::chrono::steady_clock;

namespace {

void Die(const std::string& what) {
  std::fprintf(stderr, "pades_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

void Sh(const std::string& cmd) {
  if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0) Die("command failed: " + cmd);
}

struct Stats {
  double median_ms, p90_ms;
};

Stats Summarise(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 9 / 10)]};
}

template <typename F>
Stats Time(int runs, F&& f) {
  std::vector<double> ms;
  f();  // warm-up
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock_::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock_::now() - t0).count());
  }
  return Summarise(ms);
}

pdf::cos::SignatureRequest Foot(int k) {
  pdf::cos::SignatureRequest r;
  r.kind = pdf::cos::SignatureKind::kFoot;
  r.field = "firma_" + std::to_string(k);
  r.pdf_date = "D:20230316170000-06'00'";
  r.appearance_lines = {"Firmado electrónicamente por", "Persona Ficticia", "Titular", "2023-03-16 17:00:00 -06:00"};
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 40;
  char tmpl[] = "/tmp/rubrica-bench-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  // Keys with the openssl command line: a CA, a member (EC P-256) and a TSA.
  Sh("cd " + dir + " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key "
     "-out ca.pem -days 30 -subj '/CN=CA de Prueba' -addext basicConstraints=critical,CA:TRUE "
     "-addext keyUsage=critical,keyCertSign,cRLSign");
  Sh("cd " + dir + " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout m.key -out m.csr "
     "-subj '/CN=Persona Ficticia' && printf 'keyUsage=critical,digitalSignature,nonRepudiation\\n"
     "extendedKeyUsage=emailProtection\\n' > m.ext && openssl x509 -req -in m.csr -CA ca.pem -CAkey ca.key "
     "-CAcreateserial -out m.pem -days 10 -extfile m.ext");
  Sh("cd " + dir + " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout t.key -out t.csr "
     "-subj '/CN=TSA de Prueba' && printf 'keyUsage=critical,digitalSignature\\n"
     "extendedKeyUsage=critical,timeStamping\\n' > t.ext && openssl x509 -req -in t.csr -CA ca.pem -CAkey ca.key "
     "-CAcreateserial -out t.pem -days 10 -extfile t.ext");
  const auto ca = Must(keys::Certificate::FromPem(Must(ReadFile(dir + "/ca.pem"), "ca")), "ca");
  const auto member = Must(keys::Certificate::FromPem(Must(ReadFile(dir + "/m.pem"), "m")), "member");
  const auto key = Must(keys::SigningKey::FromUnencryptedPem(Must(ReadFile(dir + "/m.key"), "k")), "key");
  const std::vector<keys::Certificate> chain = {member, ca};

  // The embedded TSA, asked in-process as the service asks it.
  SystemClock clock;
  auto tsa_cert = Must(keys::Certificate::FromPem(Must(ReadFile(dir + "/t.pem"), "t")), "tsa");
  auto tsa_key = Must(keys::SigningKey::FromUnencryptedPem(Must(ReadFile(dir + "/t.key"), "tk")), "tsa key");
  auto tsa = Must(signing::TimestampAuthority::Create({tsa_cert, ca}, std::move(tsa_key), clock), "tsa");
  auto tsa_client = std::make_unique<signing::InProcessTimestampClient>(*tsa);

  // The 29-page minute with 11 required signers; 20 signatures already on it.
  auto json = Must(ReadFile(std::string(RUBRICA_SOURCE_DIR) + "/tests/fixtures/actas/stm-zamora-sesion-ordinaria-2023-03.json"), "fixture");
  auto acta = Must(pdf::ParseActaJson(json), "parse");
  pdf::RenderOptions ro;
  ro.created_at = clock.Now();
  pdf::SignaturePlan plan;
  plan.approved_on = "2023-03-16";
  for (int k = 1; k <= 11; ++k) {
    pdf::RequiredSigner s;
    s.name = "Persona Ficticia " + std::to_string(k);
    s.role = "titular";
    plan.signers.push_back(s);
  }
  ro.plan = plan;
  auto rendered = Must(pdf::RenderActa(acta, ro), "render");
  std::string pdf = rendered.pdf;
  auto sign = [&](pdf::cos::SignatureRequest r) { pdf = Must(signing::SignPdf(pdf, r, key, chain, nullptr), "sign"); };
  pdf::cos::SignatureRequest cert;
  cert.kind = pdf::cos::SignatureKind::kCertification;
  cert.field = "certificacion";
  sign(cert);
  for (int k = 1; k <= 11; ++k) {
    pdf::cos::SignatureRequest r;
    r.kind = pdf::cos::SignatureKind::kRubric;
    r.field = "rubrica_" + std::to_string(k);
    r.mark_field = "marca_" + std::to_string(k);
    r.mark_value = "Rubricado";
    r.mark_initials = "PF";
    r.mark_lines = {"Persona Ficticia", "16/03/2023"};
    sign(r);
  }
  for (int k = 1; k <= 8; ++k) sign(Foot(k));
  const std::string input = dir + "/acta-20-firmas.pdf";
  if (!WriteFileAtomic(input, pdf).ok()) Die("write");
  std::printf("Input: %d pages, 20 signatures, %.1f KiB; adding signature 21 (firma_9), %d runs.\n\n",
              rendered.pages, pdf.size() / 1024.0, runs);

  if (std::getenv("RUBRICA_BENCH_PROFILE")) {  // for perf/callgrind: only the signing loop
    for (int i = 0; i < runs; ++i) Must(signing::SignPdf(pdf, Foot(9), key, chain, nullptr), "sign");
    return 0;
  }
  Stats ours = Time(runs, [&] { Must(signing::SignPdf(pdf, Foot(9), key, chain, nullptr), "sign"); });
  Stats ours_tsa = Time(runs, [&] { Must(signing::SignPdf(pdf, Foot(9), key, chain, tsa_client.get()), "sign+tsa"); });
  Stats ours_file = Time(runs, [&] {
    auto in = Must(ReadFile(input), "read");
    auto out = Must(signing::SignPdf(in, Foot(9), key, chain, nullptr), "sign");
    if (!WriteFileAtomic(dir + "/ours.pdf", out).ok()) Die("write");
  });
  Stats floor = Time(runs, [&] {
    std::string digest = Sha256(pdf);
    Must(key.Sign(digest), "floor sign");
  });
  const std::string podofo = "podofosign -in " + input + " -out " + dir + "/podofo.pdf -cert " + dir +
                             "/m.pem -pkey " + dir + "/m.key -digest SHA256 -field-name firma_9 -field-use-existing";
  Stats podofo_run = Time(runs, [&] { Sh(podofo); });
  // podofosign's start-up and exit without work (usage message).
  Stats podofo_start = Time(runs, [&] { (void)std::system("podofosign >/dev/null 2>&1"); });
  const double podofo_net = std::max(0.0, podofo_run.median_ms - podofo_start.median_ms);

  std::printf("%-58s %10s %10s %8s\n", "", "median ms", "p90 ms", "ratio");
  auto row = [&](const char* name, Stats s, double base) {
    std::printf("%-58s %10.3f %10.3f %8.2f\n", name, s.median_ms, s.p90_ms, s.median_ms / base);
  };
  row("floor: SHA-256 of the file + one ECDSA P-256 signature", floor, floor.median_ms);
  row("rubrica SignPdf, in memory, no timestamp", ours, floor.median_ms);
  row("rubrica SignPdf, in memory, + RFC 3161 (embedded TSA, in-process)", ours_tsa, floor.median_ms);
  row("rubrica read file + sign + atomic write (fsync)", ours_file, floor.median_ms);
  row("podofosign process (file to file)", podofo_run, floor.median_ms);
  std::printf("%-58s %10.3f %10s %8.2f\n", "podofosign minus its process start-up", podofo_net, "",
              podofo_net / floor.median_ms);
  std::printf("\nrubrica in memory vs podofosign (net of start-up): %.1fx faster\n", podofo_net / ours.median_ms);
  Sh("rm -rf " + dir);
  return 0;
}
