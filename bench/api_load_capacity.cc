// api_load_bench --capacity: PIN signatures per second on this machine against the floor set
// by the key-unlock cost, and latency under an open-loop arrival rate, with and without slow
// sockets. For release builds (docs: bench/README.md).
//
//   api_load_bench --capacity [--signers C] [--open N] [--load F] [--slow S] [--unlocks U]
//
// 1. Floor: U unlocks (default 20) on one thread of an ECDSA key encrypted as the key store
//    encrypts member keys under a PIN (keys::Pkcs8Encryption's default, scrypt N = 2^14,
//    r = 8, p = 8): t seconds for the fastest, floor = cores / t signatures per second. The unlock
//    is the one cost no implementation can skip; everything else is work the service adds.
// 2. Sustained: the real service in this process on loopback, with `rubrica serve`'s
//    defaults (PIN cost, HTTP threads, caps) except the password cost (scrypt 2^10, used in
//    set-up only). C closed-loop signers (default 8, the service's default number of
//    signatures at once), each signing one acta's ten rubrics then ten foot signatures.
//    Rate = signatures completed until the first signer finishes ÷ that time (all C busy).
// 3. Open loop: N rubrics (default 100) arriving as a Poisson process at F × the sustained
//    rate (default 0.7), each on its own connection, whatever the ones before are doing;
//    latency from the scheduled arrival to the answer (a 503 is retried after 100 ms and the
//    wait counted). Then the same with S slow sockets open (default 200): clients that send
//    a request head one byte a second from 127.0.0.2, .3, ... (50 per address, under the
//    default cap of 64), reconnecting whenever the service closes them (408 after the head
//    deadline).
// 4. Ideal: the same arrival rate fed to a simulated server that does nothing but the unlock,
//    one signature per core at a time in arrival order (M/D/c): the p99 no implementation can
//    beat at this load, and the measured p99 as a ratio to it.
//
// Exit 0 only when no request failed. Figures, not a pass/fail timing test.
#include "api_load_capacity.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <queue>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "api_load_support.h"
#include "rubrica/base/clock.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/server/config.h"
#include "rubrica/server/service.h"

namespace rubrica::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

std::string LoadAverage() {
  double l[3] = {0, 0, 0};
  if (getloadavg(l, 3) != 3) return "?";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f %.2f %.2f", l[0], l[1], l[2]);
  return buf;
}

struct Options {
  int signers = 8;
  int open = 100;
  double load = 0.7;
  int slow = 200;
  int unlocks = 20;
  int signing_workers = 0;  // 0: the service's default (the cores)
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 0; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const char* v = argv[i + 1];
    if (a == "--signers") o.signers = std::max(1, std::atoi(v));
    else if (a == "--open") o.open = std::max(10, std::atoi(v) / 10 * 10);
    else if (a == "--load") o.load = std::clamp(std::atof(v), 0.05, 2.0);
    else if (a == "--slow") o.slow = std::max(0, std::atoi(v));
    else if (a == "--unlocks") o.unlocks = std::max(1, std::atoi(v));
    else if (a == "--signing-workers") o.signing_workers = std::max(1, std::atoi(v));
    else Die("usage: api_load_bench --capacity [--signers C] [--open N] [--load F] [--slow S] [--unlocks U] [--signing-workers W]");
  }
  if (argc % 2 != 0) Die("--capacity: every option takes a value");
  return o;
}

// CPU seconds this process has used (every thread, user and system).
double ProcessCpuSeconds(double* system = nullptr) {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  if (system != nullptr) *system = s(u.ru_stime);
  return s(u.ru_utime) + s(u.ru_stime);
}

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec / 1e9;
}

// Seconds per unlock of a member key at the key store's production PIN cost, on one thread:
// the fastest of `unlocks` (a floor is the least the work can cost; a slower one measured
// what else ran on the machine). `cpu_s` gets that unlock's CPU time, `mean_s` the mean.
double MeasureUnlock(int unlocks, int& log2_n, double& cpu_s, double& mean_s) {
  const keys::Pkcs8Encryption production = keys::KeyStoreOptions{}.pin_encryption;
  log2_n = production.scrypt_log2_n;
  auto key = keys::SigningKey::Generate(keys::KeyAlgorithm::kEcdsaP256);
  if (!key.ok()) Die(key.status().ToString());
  const std::string pin = "pin-de-medida-123456";
  auto pem = key->ToEncryptedPkcs8Pem(pin, production);
  if (!pem.ok()) Die(pem.status().ToString());
  const auto start = SteadyClock::now();
  double best = 1e9;
  for (int i = 0; i < unlocks; ++i) {
    const auto t0 = SteadyClock::now();
    const double cpu0 = ThreadCpuSeconds();
    auto back = keys::SigningKey::FromEncryptedPkcs8(*pem, pin);
    if (!back.ok()) Die(back.status().ToString());
    const double wall = SecondsSince(t0);
    if (wall < best) best = wall, cpu_s = ThreadCpuSeconds() - cpu0;
  }
  mean_s = SecondsSince(start) / unlocks;
  return best;
}

// A PIN signature until it is answered other than 503 (retried after 100 ms).
Reply Sign(int port, const Member& m, const std::string& what, int& retries) {
  const std::string path = "/api/actas/" + std::to_string(m.acta) + "/" + what;
  for (;;) {
    Reply r = Call(port, "POST", path, m.token, "{\"pin\":" + Q(m.pin) + "}");
    if (r.status != 503) return r;
    ++retries;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

struct Tally {
  std::mutex mu;
  std::vector<double> done_at_s;  // completion times (sustained) or latencies (open loop)
  int errors = 0;
  int retries = 0;
  std::string first_error;

  void Record(const Reply& r, double value, int retries_here) {
    std::lock_guard lock(mu);
    retries += retries_here;
    if (r.status == 200) {
      done_at_s.push_back(value);
      return;
    }
    ++errors;
    if (first_error.empty()) first_error = "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 300);
  }
};

struct Sustained {
  double rate = 0;
  int signatures = 0;
  double window_s = 0;
  double wall_s = 0;
  double cpu_s = 0;         // this process's CPU time over the whole run (service and clients)
  double system_cpu_s = 0;  // of which in the kernel
};

// Closed loop: one signer per acta, rubrics then foot signatures, back to back.
Sustained RunSustained(int port, const std::vector<std::vector<Member>>& actas, Tally& tally) {
  std::vector<double> finished(actas.size(), 0);
  std::vector<std::thread> threads;
  double sys0 = 0;
  const double cpu0 = ProcessCpuSeconds(&sys0);
  const auto t0 = SteadyClock::now();
  for (size_t a = 0; a < actas.size(); ++a) {
    threads.emplace_back([&, a] {
      for (const char* what : {"rubric", "foot-signature"}) {
        for (const Member& m : actas[a]) {
          int retries = 0;
          Reply r = Sign(port, m, what, retries);
          tally.Record(r, SecondsSince(t0), retries);
        }
      }
      finished[a] = SecondsSince(t0);
    });
  }
  for (auto& t : threads) t.join();
  Sustained s;
  s.wall_s = SecondsSince(t0);
  double sys1 = 0;
  s.cpu_s = ProcessCpuSeconds(&sys1) - cpu0;
  s.system_cpu_s = sys1 - sys0;
  s.window_s = *std::min_element(finished.begin(), finished.end());
  for (double t : tally.done_at_s) s.signatures += t <= s.window_s ? 1 : 0;
  s.rate = s.signatures / s.window_s;
  return s;
}

// Open loop: request i is sent at its scheduled instant on its own thread; its latency runs
// from that instant to the answer.
void RunOpenLoop(int port, const std::vector<Member>& requests, double rate, Tally& tally,
                 int& max_in_flight, double& wall_s) {
  std::mt19937_64 rng(20261206);
  std::exponential_distribution<double> gap(rate);
  std::atomic<int> in_flight{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> threads;
  const auto t0 = SteadyClock::now();
  double at = 0;
  for (const Member& m : requests) {
    at += gap(rng);
    const auto when = t0 + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(at));
    std::this_thread::sleep_until(when);
    threads.emplace_back([&tally, &in_flight, &peak, port, when, member = &m] {
      const int now = ++in_flight;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      int retries = 0;
      Reply r = Sign(port, *member, "rubric", retries);
      tally.Record(r, std::chrono::duration<double, std::milli>(SteadyClock::now() - when).count(), retries);
      --in_flight;
    });
  }
  for (auto& t : threads) t.join();
  max_in_flight = peak.load();
  wall_s = SecondsSince(t0);
}

// Sockets that send a request head one byte a second and never finish it; each one the
// service closes (408 at its head deadline) is opened again at once.
class SlowSockets {
 public:
  SlowSockets(int port, int count) : port_(port), fds_(static_cast<size_t>(count), -1), sent_(fds_.size(), 0) {
    for (size_t i = 0; i < fds_.size(); ++i) fds_[i] = Open(i);
    thread_ = std::thread([this] { Loop(); });
  }
  ~SlowSockets() {
    stop_ = true;
    thread_.join();
    for (int fd : fds_) {
      if (fd >= 0) close(fd);
    }
  }
  int addresses() const { return (static_cast<int>(fds_.size()) + kPerAddress - 1) / kPerAddress; }
  int reopened() const { return reopened_.load(); }
  int answered_408() const { return answered_408_.load(); }
  int fewest_open() const { return fewest_open_.load(); }

 private:
  static constexpr int kPerAddress = 50;

  int Open(size_t i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(0x7f000002u + static_cast<uint32_t>(i / kPerAddress));  // 127.0.0.2+
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<uint16_t>(port_));
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
      close(fd);
      return -1;
    }
    sent_[i] = 0;
    return fd;
  }

  // One byte to every socket, then wait for the next second.
  void Loop() {
    static const std::string head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    while (!stop_) {
      const auto next = SteadyClock::now() + std::chrono::seconds(1);
      int open = 0;
      for (size_t i = 0; i < fds_.size(); ++i) {
        if (fds_[i] >= 0) {
          char buf[512];
          const ssize_t n = recv(fds_[i], buf, sizeof buf, MSG_DONTWAIT);
          const char byte = sent_[i] < head.size() ? head[sent_[i]] : 'a';
          const bool closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
          if (n > 0 && std::string(buf, static_cast<size_t>(n)).find(" 408 ") != std::string::npos) {
            ++answered_408_;
          }
          if (n > 0 || closed || send(fds_[i], &byte, 1, MSG_NOSIGNAL) != 1) {
            close(fds_[i]);
            fds_[i] = -1;
          } else {
            ++sent_[i];
          }
        }
        if (fds_[i] < 0) {
          fds_[i] = Open(i);
          ++reopened_;
        }
        open += fds_[i] >= 0 ? 1 : 0;
      }
      if (open < fewest_open_) fewest_open_ = open;
      std::this_thread::sleep_until(next);
    }
  }

  int port_;
  std::vector<int> fds_;
  std::vector<size_t> sent_;
  std::atomic<bool> stop_{false};
  std::atomic<int> reopened_{0};
  std::atomic<int> answered_408_{0};
  std::atomic<int> fewest_open_{1 << 30};
  std::thread thread_;
};

void PrintLatency(const char* name, const std::vector<double>& ms, double rate, double wall_s, int max_in_flight,
                  const Tally& t) {
  std::printf("%-26s n=%zu at %.2f/s (%.1f s)  p50 %6.0f ms  p90 %6.0f ms  p99 %6.0f ms  max %6.0f ms  "
              "in flight max %d  503-retries %d  errors %d\n",
              name, ms.size(), rate, wall_s, Percentile(ms, 0.50), Percentile(ms, 0.90), Percentile(ms, 0.99),
              Percentile(ms, 1.0), max_in_flight, t.retries, t.errors);
  if (!t.first_error.empty()) std::printf("  first error: %s\n", t.first_error.c_str());
}

// Latencies (ms) of an ideal server fed the same kind of arrivals: `servers` FIFO workers,
// every request taking exactly `service_s`, Poisson arrivals at `rate`/s; 200,000 of them
// from a fixed seed, so the percentiles are the queue's own, not a sample's. The open-loop
// runs above have a few hundred arrivals; this says what no implementation can beat at that
// load with that unlock cost.
std::vector<double> IdealFifoLatencies(int servers, double service_s, double rate) {
  std::mt19937_64 rng(20261207);
  std::exponential_distribution<double> gap(rate);
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at;
  for (int i = 0; i < servers; ++i) free_at.push(0.0);
  std::vector<double> ms;
  ms.reserve(200000);
  double t = 0;
  for (int i = 0; i < 200000; ++i) {
    t += gap(rng);
    const double start = std::max(t, free_at.top());
    free_at.pop();
    free_at.push(start + service_s);
    ms.push_back((start + service_s - t) * 1000.0);
  }
  return ms;
}

}  // namespace

int RunCapacity(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::printf("capacity: %d cores; load average at start %s\n", cores, LoadAverage().c_str());

  int log2_n = 0;
  double unlock_cpu_s = 0, unlock_mean_s = 0;
  const double unlock_s = MeasureUnlock(o.unlocks, log2_n, unlock_cpu_s, unlock_mean_s);
  const double floor_rate = cores / unlock_s;
  std::printf("floor: %d unlocks on one thread, scrypt N=2^%d r=8 p=8: the fastest %.3f s (%.3f CPU-s; mean %.3f s) "
              "-> %.2f signatures/s on %d cores\n",
              o.unlocks, log2_n, unlock_s, unlock_cpu_s, unlock_mean_s, floor_rate, cores);

  char tmpl[] = "/tmp/api_load_bench.XXXXXX";
  if (!mkdtemp(tmpl)) Die("mkdtemp");
  const std::string dir = tmpl;
  ManualClock clock(Instant(std::chrono::sys_days(std::chrono::year(2026) / 1 / 5) + std::chrono::hours(15)));
  LinkLogger logger;
  server::ConfigInputs in;
  in.flags = {{"data_dir", dir}, {"listen.port", "0"}};  // everything else as `rubrica serve`
  server::ServiceOptions so;
  so.password_scrypt_log2_n = 10;  // logins happen in set-up only; PIN cost stays production
  if (o.signing_workers > 0) so.signing_workers = o.signing_workers;
  auto service = StartService(in, clock, logger, so);
  const int port = service->port();

  // Set-up on two client threads: the signers' actas, then two sets of open-loop actas.
  const auto setup0 = SteadyClock::now();
  const std::string admin = AdminToken(port, logger);
  const int open_actas = o.open / 10;
  const int total = o.signers + 2 * open_actas;
  std::vector<std::vector<Member>> members(static_cast<size_t>(total));
  std::vector<Acta> actas(static_cast<size_t>(total));
  std::atomic<int> next{0};
  std::vector<std::thread> setup;
  for (int t = 0; t < 2; ++t) {
    setup.emplace_back([&] {
      for (int s = next++; s < total; s = next++) {
        SetUpSecretariat(port, admin, dir + "/outbox", s, members[static_cast<size_t>(s)], actas[static_cast<size_t>(s)]);
      }
    });
  }
  for (auto& t : setup) t.join();
  std::printf("set-up: %d actas with ten PIN signers each, %.1f s (service defaults: %s)\n", total,
              SecondsSince(setup0), "HTTP threads, connection caps, signatures at once");

  Tally closed;
  const Sustained sus = RunSustained(port, {members.begin(), members.begin() + o.signers}, closed);
  std::printf("sustained: %d signers, %d signatures in %.1f s while all were busy (%zu in %.1f s in all), "
              "503-retries %d, errors %d\n",
              o.signers, sus.signatures, sus.window_s, closed.done_at_s.size(), sus.wall_s, closed.retries,
              closed.errors);
  if (!closed.first_error.empty()) std::printf("  first error: %s\n", closed.first_error.c_str());

  // Rubric i goes to acta i mod K, member i div K: each acta's rubrics spread over the run.
  auto open_requests = [&](int first) {
    std::vector<Member> r;
    for (int i = 0; i < o.open; ++i) {
      r.push_back(members[static_cast<size_t>(first + i % open_actas)][static_cast<size_t>(i / open_actas)]);
    }
    return r;
  };
  if (sus.signatures == 0) Die("no signature completed in the sustained run");
  const double rate = o.load * sus.rate;
  Tally plain, slowed;
  int peak_plain = 0, peak_slowed = 0;
  double wall_plain = 0, wall_slowed = 0;
  RunOpenLoop(port, open_requests(o.signers), rate, plain, peak_plain, wall_plain);
  int slow_addresses = 0, reopened = 0, answered_408 = 0, fewest_open = 0;
  {
    SlowSockets slow(port, o.slow);
    std::this_thread::sleep_for(std::chrono::seconds(2));  // every slow socket has started its head
    RunOpenLoop(port, open_requests(o.signers + open_actas), rate, slowed, peak_slowed, wall_slowed);
    slow_addresses = slow.addresses();
    reopened = slow.reopened();
    answered_408 = slow.answered_408();
    fewest_open = slow.fewest_open();
  }
  service->Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);

  std::printf("\n%-26s %8s %12s %8s\n", "", "floor", "sustained", "ratio");
  std::printf("%-26s %8.2f %12.2f %8.2f   (goal >= 0.85)\n", "PIN signatures/s", floor_rate, sus.rate,
              sus.rate / floor_rate);
  std::printf("CPU-seconds per signature: %.3f (cores / sustained rate), of which the unlock %.3f and the rest "
              "(PDF, CMS, timestamp, SQLite, HTTP) %.3f\n",
              cores / sus.rate, unlock_s, cores / sus.rate - unlock_s);
  const double used = sus.cpu_s / static_cast<double>(closed.done_at_s.size());
  std::printf("  this process's own CPU time per signature: %.3f (%.3f in the kernel), of which the unlock %.3f "
              "and the rest %.3f; the %.0f %% of %d cores it did not use went to other processes or idle\n",
              used, sus.system_cpu_s / static_cast<double>(closed.done_at_s.size()), unlock_cpu_s,
              used - unlock_cpu_s, 100.0 * (1.0 - sus.cpu_s / (cores * sus.wall_s)), cores);
  std::printf("\nopen loop at %.0f %% of sustained (goal p99 <= 1000 ms):\n", o.load * 100);
  PrintLatency("no slow sockets", plain.done_at_s, rate, wall_plain, peak_plain, plain);
  char name[64];
  std::snprintf(name, sizeof name, "%d slow sockets", o.slow);
  PrintLatency(name, slowed.done_at_s, rate, wall_slowed, peak_slowed, slowed);
  std::printf("  slow sockets from %d address(es) from 127.0.0.2 on, fewest open at once %d, reopened %d times, "
              "408 answers read %d\n",
              slow_addresses, fewest_open == (1 << 30) ? 0 : fewest_open, reopened, answered_408);
  const int workers = o.signing_workers > 0 ? std::min(o.signing_workers, cores) : cores;
  const std::vector<double> ideal = IdealFifoLatencies(workers, unlock_s, rate);
  std::printf("%-26s n=%zu at %.2f/s  p50 %6.0f ms  p90 %6.0f ms  p99 %6.0f ms  (%d FIFO workers, each signature "
              "exactly the floor's %.3f s)\n",
              "ideal server (simulated)", ideal.size(), rate, Percentile(ideal, 0.50), Percentile(ideal, 0.90),
              Percentile(ideal, 0.99), workers, unlock_s);
  std::printf("  p99 measured / ideal: %.2f without slow sockets, %.2f with them\n",
              Percentile(plain.done_at_s, 0.99) / Percentile(ideal, 0.99),
              Percentile(slowed.done_at_s, 0.99) / Percentile(ideal, 0.99));
  std::printf("load average at end %s\n", LoadAverage().c_str());
  const bool ok = closed.errors == 0 && plain.errors == 0 && slowed.errors == 0;
  std::printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace rubrica::bench
