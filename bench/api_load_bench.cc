// Load test of remote signing over the JSON API, on the real service (in-process, loopback,
// port 0). Two modes:
//
//   api_load_bench [--actas N] [--threads T]     burst (default 20 actas, 256 HTTP threads)
//   api_load_bench --capacity [options]          capacity against the key-unlock floor
//                                                (api_load_capacity.cc; release builds)
//
// Burst: sets up N municipal secretariats through the API, each with five seats (titular
// and substitute: ten members), and drafts, approves and certifies each one's installation
// acta, whose required signers are those ten. Then all 10·N members send their rubric at
// once (one client thread each, PIN signing), then all their foot signature at once. Every
// acta's signatures serialise in the service; different actas proceed in parallel. The PIN
// keys use scrypt 2^10 here (production: 2^14) so the CTest ApiLoad stays cheap under ASan;
// --capacity measures with the production cost.
//
// Prints the latency of each phase (p50, p90, p99, max), the wall time, retries on 503,
// errors, and the process's RSS (the service and the clients run in this process). Checks
// that every signature is present afterwards and that one acta passes the verifier. Exit 0
// only when no request failed and every acta is complete. Not a timing assertion.
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api_load_capacity.h"
#include "api_load_support.h"
#include "rubrica/base/clock.h"
#include "rubrica/server/config.h"
#include "rubrica/server/service.h"

using namespace rubrica;
using namespace rubrica::bench;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Phase {
  std::vector<double> ms;
  std::atomic<int> errors{0};
  std::atomic<int> retries{0};
  double wall_ms = 0;
  std::string first_error;
  std::mutex mu;
};

// Every member sends one signature at the same moment.
void RunPhase(int port, const std::vector<Member>& members, const std::string& what, Phase& phase) {
  std::barrier start(static_cast<std::ptrdiff_t>(members.size()) + 1);
  std::vector<std::thread> threads;
  phase.ms.assign(members.size(), 0);
  for (size_t i = 0; i < members.size(); ++i) {
    threads.emplace_back([&, i] {
      const Member& m = members[i];
      const std::string path = "/api/actas/" + std::to_string(m.acta) + "/" + what;
      start.arrive_and_wait();
      const auto t0 = SteadyClock::now();
      Reply r;
      for (int attempt = 0; attempt < 20; ++attempt) {
        r = Call(port, "POST", path, m.token, "{\"pin\":" + Q(m.pin) + "}");
        if (r.status != 503) break;
        ++phase.retries;
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
      phase.ms[i] = std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
      if (r.status != 200) {
        ++phase.errors;
        std::lock_guard lock(phase.mu);
        if (phase.first_error.empty()) phase.first_error = "HTTP " + std::to_string(r.status) + " " + r.body;
      }
    });
  }
  const auto t0 = SteadyClock::now();
  start.arrive_and_wait();
  for (auto& t : threads) t.join();
  phase.wall_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

void Print(const char* name, const Phase& p) {
  std::printf("%-14s n=%zu  p50 %7.0f ms  p90 %7.0f ms  p99 %7.0f ms  max %7.0f ms  wall %6.1f s  "
              "503-retries %d  errors %d\n",
              name, p.ms.size(), Percentile(p.ms, 0.50), Percentile(p.ms, 0.90), Percentile(p.ms, 0.99),
              Percentile(p.ms, 1.0), p.wall_ms / 1000, p.retries.load(), p.errors.load());
  if (!p.first_error.empty()) std::printf("  first error: %s\n", p.first_error.substr(0, 300).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--capacity") return RunCapacity(argc - 2, argv + 2);
  int actas = 20;
  int threads = 256;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--actas") actas = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--threads") threads = std::max(16, std::atoi(argv[i + 1]));
    else Die("usage: api_load_bench [--actas N] [--threads T] | --capacity [options]");
  }
  char tmpl[] = "/tmp/api_load_bench.XXXXXX";
  if (!mkdtemp(tmpl)) Die("mkdtemp");
  const std::string dir = tmpl;

  // Installation day, 09:00 in Mexico City; every signature lands that same day.
  ManualClock clock(Instant(std::chrono::sys_days(std::chrono::year(2026) / 1 / 5) + std::chrono::hours(15)));
  LinkLogger logger;
  server::ConfigInputs in;
  // Every simulated member connects from 127.0.0.1: lift the per-address cap that would
  // otherwise treat them as one client.
  in.flags = {{"data_dir", dir},
              {"listen.port", "0"},
              {"http.threads", std::to_string(threads)},
              {"http.max_connections_per_address", "100000"}};
  server::ServiceOptions so;
  so.pin_scrypt_log2_n = 10;       // 200 unlocks in seconds; production uses 2^14
  so.password_scrypt_log2_n = 10;
  so.max_concurrent_signatures = threads - 16;
  so.signing_queue_wait = std::chrono::minutes(10);  // the whole burst queues behind the cores
  so.verify_worker_binary = RUBRICA_BINARY;
  auto service = StartService(in, clock, logger, so);
  const int port = service->port();

  const auto setup0 = SteadyClock::now();
  const std::string admin = AdminToken(port, logger);
  std::vector<Member> members;
  std::vector<Acta> all(static_cast<size_t>(actas));
  for (int s = 0; s < actas; ++s) SetUpSecretariat(port, admin, dir + "/outbox", s, members, all[static_cast<size_t>(s)]);
  const double setup_s = std::chrono::duration<double>(SteadyClock::now() - setup0).count();
  std::printf("set-up: %d actas, %zu members, %.1f s (%d HTTP threads, service in this process)\n", actas,
              members.size(), setup_s, threads);
  std::printf("RSS after set-up: %s (peak %s)\n", ProcStatus("VmRSS").c_str(), ProcStatus("VmHWM").c_str());

  Phase rubric, foot;
  RunPhase(port, members, "rubric", rubric);
  Print("rubric", rubric);
  RunPhase(port, members, "foot-signature", foot);
  Print("foot signature", foot);
  std::printf("RSS after signing: %s (peak %s)\n", ProcStatus("VmRSS").c_str(), ProcStatus("VmHWM").c_str());

  // Every signature present, every acta complete; one acta judged by the verifier.
  int incomplete = 0, signatures = 0;
  for (const Acta& a : all) {
    Reply r = Call(port, "GET", "/api/actas/" + std::to_string(a.id), a.facilitator_token);
    const auto sigs = r.json ? r.json->getArray("signatures") : nullptr;
    signatures += sigs ? static_cast<int>(sigs->size()) : 0;
    if (!r.json || !r.json->optValue<bool>("complete", false) || !sigs || sigs->size() != 20) ++incomplete;
  }
  std::printf("signatures recorded: %d of %zu; incomplete actas: %d of %d\n", signatures, members.size() * 2,
              incomplete, actas);
  Reply pdf = Call(port, "GET", "/api/actas/" + std::to_string(all[0].id) + "/pdf", all[0].facilitator_token);
  int verified = -1;
  {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(600, 0));
    Poco::Net::HTTPRequest req("POST", "/api/verify", Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("Authorization", "Bearer " + all[0].facilitator_token);
    req.setContentType("application/pdf");
    req.setContentLength64(static_cast<Poco::Int64>(pdf.body.size()));
    session.sendRequest(req) << pdf.body;
    Poco::Net::HTTPResponse resp;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), body);
    Poco::JSON::Parser parser;
    verified = static_cast<int>(parser.parse(body).extract<Poco::JSON::Object::Ptr>()->optValue<int>("exit_code", -1));
  }
  std::printf("verifier on acta %lld (%zu bytes, %d signatures): exit %d\n", static_cast<long long>(all[0].id),
              pdf.body.size(), static_cast<int>(members.size() * 2) / actas + 1, verified);
  service->Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  const bool ok = rubric.errors == 0 && foot.errors == 0 && incomplete == 0 && verified == 0 &&
                  signatures == static_cast<int>(members.size() * 2);
  std::printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
