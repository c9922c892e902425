// A national month-end at the agency's inbox (issue 15, done-when 5): the packages of N
// secretariats (default 2,500), 10 sealed actas each, built and delivered over HTTPS to one
// real `rubrica serve --agency` process on loopback, every acta verified by the inbox.
//
// What is real and what is seeded:
//   - the actas: 10 session minutes (tests/fixtures/actas/stm-zamora-sesion-ordinaria-2023-03
//     .json, 29 pages), each rendered and signed completely by 13 fictional members with the
//     tests' own helpers (tests/pades/signed_acta.cc: certification, 13 rubrics, 13 foot
//     signatures, each with a signature-time-stamp: 27 signatures in 28 revisions), each with
//     its own test PKI. Made once, carried by every package (the inbox keeps no verdict
//     across packages nor by file hash, so each delivered acta is verified in full);
//   - the secretariats: N seal certificates (EC P-256) issued by the first acta's test CA,
//     each registered at the agency with Inbox::Register (what `rubrica agency register`
//     runs, in this process, before the inbox starts) with the 10 actas' anchors as its CA;
//   - the packages: built first, all of them, by `--senders` threads with the package
//     builder's own steps (tests/delivery/test_package.cc: delivery::ManifestXml,
//     ValidateManifestSchema, SignXmlDocument by the seal with a signature-time-stamp from the
//     test TSA, WriteZip): what delivery::Packages::Build does after it has read the month's
//     archived actas from the secretariat's database, which this bench does not seed (the 10
//     PDFs are in memory). The packages are held in memory (~1.8 MiB each) until sent;
//   - the delivery, once every package is built: POST /api/paquetes with Idempotency-Key over
//     HTTPS (net::SendHttp, the agency's TLS CA), `--senders` at once; every answer must be a
//     receipt (200), the agency's month view must list every secretariat as delivered on time.
//     Building comes first because at a real month-end the 2,500 builders are 2,500 machines:
//     the inbox's two cores are its own, and the delivery phase is the inbox's time alone
//     (this process only sends bytes over TLS then).
//
// Measured: packages/s built (sending side, wall time of the build phase and CPU of the
// builder threads) and received (inbox side, wall time of the delivery phase); the inbox
// process's CPU time (its own and its
// sandboxed verifier workers', from /proc/PID/stat) per acta verified, next to the floor
// measured in this run: one SHA-256 pass over the acta plus its ECDSA P-256 verifications
// (two per signature: the signature and its time-stamp token; chains not counted); the
// inbox's peak RSS (VmHWM); the total time.
//
// Usage: package_bench [--secretariats N] [--senders S] [--keep DIR]
// CTest runs `package_bench --secretariats 20` under ASan as a correctness test (every
// package receipted, nothing refused); the figures come from a Release build by hand.
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agency/agency_installation.h"
#include "pades/signed_acta.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "delivery/test_package.h"
#include "rubrica/net/http_client.h"
#include "support/test_support.h"

namespace {

using namespace rubrica;
using Seconds = std::chrono::duration<double>;
using delivery::testing::Count;
using delivery::testing::JsonField;

constexpr int kActas = 10;
constexpr int kMembers = 13;
constexpr int kSignatures = 1 + 2 * kMembers;
constexpr const char* kMonth = "2026-03";
constexpr const char* kAgencyClock = "2026-03-20T12:00:00Z";  // before the month's end: on time
constexpr const char* kAgencyName = "Órgano Garante de Prueba (bench)";

int Fail(const std::string& why) {
  std::fprintf(stderr, "package_bench: %s\n", why.c_str());
  return 1;
}

double ThreadCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

// CPU seconds of `pid` from /proc/PID/stat: its own (utime + stime) and its waited-for
// children's (cutime + cstime: the sandboxed verifier workers).
struct ProcessCpu {
  double self = 0, children = 0;
  double total() const { return self + children; }
};
ProcessCpu ProcessCpuSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string f;
  ProcessCpu cpu;
  const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  for (int i = 3; i <= 17 && fields >> f; ++i) {
    if (i == 14 || i == 15) cpu.self += std::atof(f.c_str()) * tick;
    if (i == 16 || i == 17) cpu.children += std::atof(f.c_str()) * tick;
  }
  return cpu;
}

// A "Vm...:" line of /proc/PID/status, in MiB.
double ProcessMemMib(int pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atof(line.c_str() + field.size() + 1) / 1024.0;
  }
  return 0;
}

// The floor of verifying one acta: SHA-256 over its bytes once, plus 2 ECDSA P-256
// verifications per signature (the CMS signature and its time-stamp token's). Median of
// `runs`, CPU time of this thread, in ms.
double FloorMs(const std::string& pdf, int runs) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  unsigned char digest[32];
  SHA256(reinterpret_cast<const unsigned char*>("floor"), 5, digest);
  std::vector<unsigned char> sig(128);
  size_t sig_len = sig.size();
  EVP_PKEY_CTX* sctx = EVP_PKEY_CTX_new(key, nullptr);
  EVP_PKEY_sign_init(sctx);
  EVP_PKEY_sign(sctx, sig.data(), &sig_len, digest, sizeof digest);
  EVP_PKEY_CTX_free(sctx);
  std::vector<double> times;
  int ok = 0;
  for (int r = 0; r < runs; ++r) {
    const double t0 = ThreadCpuSeconds();
    unsigned char file_digest[32];
    SHA256(reinterpret_cast<const unsigned char*>(pdf.data()), pdf.size(), file_digest);
    for (int i = 0; i < 2 * kSignatures; ++i) {
      EVP_PKEY_CTX* v = EVP_PKEY_CTX_new(key, nullptr);
      EVP_PKEY_verify_init(v);
      ok += EVP_PKEY_verify(v, sig.data(), sig_len, digest, sizeof digest) == 1;
      EVP_PKEY_CTX_free(v);
    }
    times.push_back((ThreadCpuSeconds() - t0) * 1e3 + (file_digest[0] & 0) * 1e-9);
  }
  EVP_PKEY_free(key);
  if (ok != runs * 2 * kSignatures) return -1;
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

struct Secretariat {
  std::string name;
  signing::testing::Identity seal;
};

struct Options {
  int secretariats = 2500;
  int senders = 4;
  std::string keep;
};

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--secretariats" && i + 1 < argc) opt.secretariats = std::max(1, std::atoi(argv[++i]));
    else if (a == "--senders" && i + 1 < argc) opt.senders = std::max(1, std::atoi(argv[++i]));
    else if (a == "--keep" && i + 1 < argc) opt.keep = argv[++i];
    else return Fail("usage: package_bench [--secretariats N] [--senders S] [--keep DIR]");
  }
  signal(SIGPIPE, SIG_IGN);
  const auto run_start = std::chrono::steady_clock::now();

  // 1. The 10 actas, made once.
  std::vector<std::unique_ptr<pades_testing::SignedActa>> actas;
  std::string anchors;
  for (int i = 0; i < kActas; ++i) {
    actas.push_back(std::make_unique<pades_testing::SignedActa>("stm-zamora-sesion-ordinaria-2023-03.json", kMembers));
    auto anchor = ReadFile(actas.back()->anchor_path());
    if (!anchor.ok()) return Fail("cannot read an anchor");
    anchors += *anchor;
  }
  size_t acta_bytes = 0;
  std::vector<std::vector<std::string>> signer_names(kActas);
  for (int i = 0; i < kActas; ++i) {
    acta_bytes += actas[i]->Complete().size();
    for (int k = 1; k <= kMembers; ++k) signer_names[i].push_back(actas[i]->member(k).name);
  }
  const double actas_made = Seconds(std::chrono::steady_clock::now() - run_start).count();
  std::printf("actas: %d x 29 pages, %d signatures each, %.0f KiB on average; made in %.1f s\n", kActas, kSignatures,
              acta_bytes / 1024.0 / kActas, actas_made);

  // 2. The secretariats' seals, and their registration at the agency (before it serves).
  rubrica::testing::TempDir tmp;
  const std::string agency_dir = opt.keep.empty() ? tmp / "agency" : opt.keep + "/agency";
  std::vector<Secretariat> secretariats;
  for (int s = 0; s < opt.secretariats; ++s) {
    const std::string name = "STM de prueba " + std::to_string(s + 1);
    secretariats.push_back({name, actas[0]->pki().Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello del " + name)});
  }
  const auto reg_start = std::chrono::steady_clock::now();
  {
    ManualClock clock(*ParseRfc3339(kAgencyClock));
    auto agency = server::agency::OpenAgencyInstallation(agency_dir, "package_bench", kAgencyName, clock, false);
    if (!agency.ok()) return Fail("agency: " + agency.status().message());
    for (const Secretariat& s : secretariats) {
      auto id = (*agency)->inbox->Register(s.name, s.seal.cert.ToPem(), anchors, "America/Mexico_City");
      if (!id.ok()) return Fail("register: " + id.status().message());
    }
  }
  const double registered = Seconds(std::chrono::steady_clock::now() - reg_start).count();

  // 3. The inbox, a real process.
  rubrica::testing::ChildProcess inbox;
  if (!inbox.Start({rubrica::testing::RubricaBinary(), "serve", "--agency", "--data-dir", agency_dir, "--port", "0", "--name",
                    kAgencyName, "--clock-start", kAgencyClock})) {
    return Fail("cannot start rubrica serve --agency");
  }
  const std::string started = inbox.WaitForLine("agency.started", 120);
  if (started.empty()) return Fail("the inbox did not start:\n" + inbox.output());
  const std::string port = JsonField(started, "port");
  const std::string url = "https://127.0.0.1:" + port + "/api/paquetes";
  std::printf("secretariats: %d registered in %.1f s; inbox pid %d on port %s\n", opt.secretariats, registered,
              inbox.pid(), port.c_str());
  // The inbox logs a line per package to its stdout, a pipe to this process: read it as it
  // comes, or after ~400 packages the pipe is full and the inbox blocks on its next line.
  std::atomic<bool> stop_draining{false};
  std::thread drain([&] {
    while (!stop_draining) {
      inbox.WaitForLine("\x01 never logged", 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // not a spin should its output end
    }
  });

  // 4. Build every package, `senders` at once.
  std::atomic<int> next{0}, receipted{0}, refused{0}, failed{0};
  std::atomic<uint64_t> package_bytes{0};
  std::mutex mu;
  double build_cpu = 0;
  std::string first_error;
  struct Built {
    std::string zip, sha256;
  };
  std::vector<Built> packages(opt.secretariats);
  const auto build_start = std::chrono::steady_clock::now();
  auto builder = [&] {
    double my_build_cpu = 0;
    for (int s; (s = next.fetch_add(1)) < opt.secretariats;) {
      const double t0 = ThreadCpuSeconds();
      delivery::testing::PackageSender from;
      from.secretariat_id = s + 1;
      from.secretariat_name = secretariats[s].name;
      from.agency = kAgencyName;
      from.month = kMonth;
      from.seal_key = &secretariats[s].seal.key;
      from.seal_cert = &secretariats[s].seal.cert;
      from.chain = {actas[0]->pki().ca()};
      from.tsa = actas[0]->tsa();
      std::vector<delivery::testing::PackageActa> in_package;
      for (int i = 0; i < kActas; ++i) {
        in_package.push_back({"STM-" + std::to_string(s + 1) + "-2026-" + std::to_string(i + 1),
                              &actas[i]->Complete(), signer_names[i]});
      }
      Result<std::string> zip = delivery::testing::MakePackage(from, in_package);
      if (zip.ok()) packages[s] = {std::move(*zip), ""};
      if (zip.ok()) packages[s].sha256 = Sha256Hex(packages[s].zip);  // the sender's idempotency key
      my_build_cpu += ThreadCpuSeconds() - t0;
      if (!zip.ok()) {
        failed++;
        std::lock_guard lock(mu);
        if (first_error.empty()) first_error = "build: " + zip.status().message();
      }
    }
    std::lock_guard lock(mu);
    build_cpu += my_build_cpu;
  };
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < opt.senders; ++i) threads.emplace_back(builder);
    for (auto& t : threads) t.join();
  }
  const double build_wall = Seconds(std::chrono::steady_clock::now() - build_start).count();
  std::printf("built: %d packages by %d threads in %.1f s\n", opt.secretariats, opt.senders, build_wall);

  // 5. Deliver them, `senders` at once.
  next = 0;
  const ProcessCpu inbox_cpu0 = ProcessCpuSeconds(inbox.pid());
  const auto send_start = std::chrono::steady_clock::now();
  auto sender = [&] {
    net::HttpClientOptions http;
    http.ca_file = agency_dir + "/tls/ca.pem";
    http.total_timeout = std::chrono::minutes(10);
    for (int s; (s = next.fetch_add(1)) < opt.secretariats;) {
      if (packages[s].zip.empty()) continue;  // its build failed (counted above)
      package_bytes += packages[s].zip.size();
      net::HttpRequest req;
      req.url = url;
      req.content_type = "application/zip";
      req.headers = {{"Idempotency-Key", packages[s].sha256}};
      req.body = std::move(packages[s].zip);
      auto r = net::SendHttp(req, http);
      if (r.ok() && r->status == 200 && r->body.find("resultado=\"recibido\"") != std::string::npos) {
        const int done = ++receipted;
        if (done % 250 == 0) {  // progress, for long runs
          const ProcessCpu now = ProcessCpuSeconds(inbox.pid());
          std::fprintf(stderr, "  %d packages receipted after %.0f s; inbox CPU so far %.1f ms per acta\n", done,
                       Seconds(std::chrono::steady_clock::now() - send_start).count(),
                       (now.total() - inbox_cpu0.total()) * 1e3 / (double(done) * kActas));
        }
      } else {
        (r.ok() && r->status == 422 ? refused : failed)++;
        std::lock_guard lock(mu);
        if (first_error.empty()) {
          first_error = r.ok() ? "HTTP " + std::to_string(r->status) + ": " + r->body : r.status().message();
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < opt.senders; ++i) threads.emplace_back(sender);
  for (auto& t : threads) t.join();
  const double send_wall = Seconds(std::chrono::steady_clock::now() - send_start).count();
  const ProcessCpu inbox_cpu1 = ProcessCpuSeconds(inbox.pid());
  const double inbox_self = inbox_cpu1.self - inbox_cpu0.self;
  const double inbox_workers = inbox_cpu1.children - inbox_cpu0.children;
  const double inbox_cpu = inbox_self + inbox_workers;
  const double inbox_hwm = ProcessMemMib(inbox.pid(), "VmHWM");

  // The agency's own account of the month.
  net::HttpRequest month_req;
  month_req.method = "GET";
  month_req.url = "https://127.0.0.1:" + port + "/api/entregas?mes=" + kMonth;
  net::HttpClientOptions http;
  http.ca_file = agency_dir + "/tls/ca.pem";
  http.max_response_bytes = 1u << 30;
  auto month = net::SendHttp(month_req, http);
  const size_t on_time = month.ok() ? Count(month->body, "\"delivered_on_time\"") : 0;
  stop_draining = true;
  drain.join();
  inbox.Signal(SIGTERM);
  const int inbox_exit = inbox.Wait(60);

  const double floor_ms = FloorMs(actas[0]->Complete(), 21);
  const int n = opt.secretariats;
  const double per_acta = inbox_cpu * 1e3 / (double(n) * kActas);
  std::printf("delivered: %d packages (%.1f MiB each on average) by %d senders in %.1f s: %d receipts, %d refusals, "
              "%d failures; agency month view: %zu delivered on time\n",
              n, package_bytes / 1048576.0 / std::max(1, n), opt.senders, send_wall, receipted.load(),
              refused.load(), failed.load(), on_time);
  std::printf("sending side: %.1f packages/s built by %d threads, %.1f per core (builder CPU %.1f ms per package: "
              "manifest, schema, XMLDSig with time-stamp, ZIP)\n",
              n / std::max(1e-9, build_wall), opt.senders, n / std::max(1e-9, build_cpu), build_cpu * 1e3 / n);
  std::printf("inbox: %.2f packages/s received and verified (%.1f actas/s); %d actas verified in %.1f s\n",
              n / send_wall, n * kActas / send_wall, n * kActas, send_wall);
  std::printf("  at this rate, 25,000 actas (2,500 secretariats) take the inbox %.0f s (goal on 2 cores: under 300 s)\n",
              25000.0 * send_wall / (double(n) * kActas));
  std::printf("                                          inbox CPU ms    floor ms    ratio\n");
  std::printf("  per acta verified (all its work)        %12.1f %11.2f %8.1f\n", per_acta, floor_ms,
              per_acta / floor_ms);
  std::printf("    of which the inbox process (TLS, ZIP, manifest, receipt, storage) %6.1f\n",
              inbox_self * 1e3 / (double(n) * kActas));
  std::printf("    of which its sandboxed verifier workers (one per package)     %6.1f\n",
              inbox_workers * 1e3 / (double(n) * kActas));
  std::printf("  floor: SHA-256 of the %zu-byte acta + %d ECDSA P-256 verifications (median of 21, this thread)\n",
              actas[0]->Complete().size(), 2 * kSignatures);
  std::printf("inbox peak RSS (VmHWM, the inbox process without its workers): %.1f MiB\n", inbox_hwm);
  std::printf("total time: %.1f s (actas %.1f s, registration %.1f s, building %.1f s, delivery %.1f s); cores %ld\n",
              Seconds(std::chrono::steady_clock::now() - run_start).count(), actas_made, registered, build_wall,
              send_wall, sysconf(_SC_NPROCESSORS_ONLN));
  if (!first_error.empty()) std::printf("first error: %s\n", first_error.c_str());
  if (receipted != n || on_time != static_cast<size_t>(n) || inbox_exit != 0) {
    return Fail("not every package was receipted and listed on time (inbox exit " + std::to_string(inbox_exit) +
                ")\n" + (month.ok() ? month->body.substr(0, 2000) : month.status().message()));
  }
  return 0;
}
