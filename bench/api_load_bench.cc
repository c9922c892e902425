// Load test of remote signing over the JSON API: many members rubricating and then signing
// at the foot at the same moment, on the real service (in-process, loopback, port 0).
//
//   api_load_bench [--actas N] [--threads T]     (default 20 actas, 256 HTTP threads)
//
// Sets up N municipal secretariats through the API, each with five seats (titular and
// substitute: ten members), and drafts, approves and certifies each one's installation
// acta, whose required signers are those ten. Then all 10·N members send their rubric at
// once (one client thread each, PIN signing), then all their foot signature at once. Every
// acta's signatures serialise in the service; different actas proceed in parallel.
//
// Prints the latency of each phase (p50, p90, p99, max), the wall time, retries on 503,
// errors, and the process's RSS (the service and the clients run in this process). Checks
// that every signature is present afterwards and that one acta passes the verifier. Exit 0
// only when no request failed and every acta is complete. Not a timing assertion.
#include <Poco/JSON/Object.h>
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
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/files.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/config.h"
#include "rubrica/server/service.h"

using namespace rubrica;
using SteadyClock = std::chrono::steady_clock;

namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "api_load_bench: %s\n", what.c_str());
  std::exit(1);
}

std::string Q(const std::string& s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

struct Reply {
  int status = 0;
  std::string body;
  std::string retry_after;
  Poco::JSON::Object::Ptr json;
  std::string Str(const std::string& key) const {
    return json ? json->optValue<std::string>(key, "") : std::string();
  }
  int64_t Int(const std::string& key) const { return json ? json->optValue<Poco::Int64>(key, -1) : -1; }
};

Reply Call(int port, const std::string& method, const std::string& path, const std::string& token,
           const std::string& body = "") {
  Reply r;
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(600, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) req.set("Authorization", "Bearer " + token);
    if (method == "POST") {
      req.setContentType("application/json");
      req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), r.body);
    r.status = static_cast<int>(resp.getStatus());
    r.retry_after = resp.get("Retry-After", "");
    Poco::JSON::Parser parser;
    auto v = parser.parse(r.body);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) r.json = v.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    if (r.status == 0) r.status = -1;
    if (r.body.empty()) r.body = e.what();
  }
  return r;
}

Reply Must(const Reply& r, int status, const std::string& what) {
  if (r.status != status) Die(what + ": HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 400));
  return r;
}

// Keeps the administrator's one-time invitation link; discards the rest.
class LinkLogger final : public Logger {
 public:
  void Log(LogLevel, std::string_view event, const std::vector<LogField>& fields) override {
    if (event != "accounts.administrator_invitation") return;
    std::lock_guard lock(mu_);
    for (const auto& f : fields) {
      if (f.key == "link") link = std::get<std::string>(f.value);
    }
  }
  std::string link;

 private:
  std::mutex mu_;
};

std::string TokenFromOutbox(const std::string& outbox, const std::string& email) {
  std::string token;
  auto files = ListFilesRecursive(outbox);
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto text = ReadFile(f);
    if (!text.ok() || text->find("To: " + email + "\r\n") == std::string::npos) continue;
    const size_t pos = text->find("token=");
    token = text->substr(pos + 6, text->find_first_of("\r\n", pos) - pos - 6);
  }
  return token;
}

struct Member {
  std::string token;
  std::string pin;
  int64_t person = 0;
  int64_t acta = 0;
};

struct Acta {
  int64_t id = 0;
  std::string facilitator_token;
  std::vector<int64_t> titulars;
};

// One secretariat, its ten members with keys, and its installation acta in rubric.
void SetUpSecretariat(int port, const std::string& admin, const std::string& outbox, int s,
                      std::vector<Member>& members, Acta& acta) {
  const std::string tag = std::to_string(s + 1);
  Reply sec = Must(Call(port, "POST", "/api/secretariats", admin,
                        "{\"template\":\"stm\",\"name\":" +
                            Q("Secretariado Técnico Municipal de Prueba " + tag) +
                            ",\"place\":\"Municipio de Prueba " + tag +
                            "\",\"administration_ends\":\"2027-08-31\"}"),
                   201, "secretariat");
  const std::string base = "/api/secretariats/" + std::to_string(sec.Int("id"));
  struct Who {
    std::string email;
    int64_t person;
  };
  std::vector<Who> people;
  auto add_person = [&](const std::string& name, const std::string& email) {
    Reply p = Must(Call(port, "POST", "/api/people", admin,
                        "{\"full_name\":" + Q(name) + ",\"title\":\"Integrante\",\"email\":" + Q(email) + "}"),
                   201, "person");
    return p.Int("person_id");
  };
  const int64_t facilitator = add_person("Facilitación de Prueba " + tag, "facilitacion-" + tag + "@example.invalid");
  Must(Call(port, "POST", base + "/terms", admin,
            "{\"person_id\":" + std::to_string(facilitator) +
                ",\"role\":\"facilitator\",\"starts_on\":\"2026-01-05\"}"),
       201, "facilitator term");
  people.push_back({"facilitacion-" + tag + "@example.invalid", facilitator});
  for (const char* type : {"authority", "organismo_garante", "civil_society", "academia", "citizens"}) {
    Reply seat = Must(Call(port, "POST", base + "/seats", admin,
                           "{\"member_type\":" + Q(type) + ",\"represents\":\"Sector de prueba\"}"),
                      201, "seat");
    for (const char* role : {"titular", "substitute"}) {
      const std::string email = std::string(type) + "-" + role + "-" + tag + "@example.invalid";
      const int64_t id = add_person("Integrante de Prueba " + tag + " " + type + " " + role, email);
      Must(Call(port, "POST", base + "/terms", admin,
                "{\"person_id\":" + std::to_string(id) + ",\"role\":" + Q(role) + ",\"seat_id\":" +
                    std::to_string(seat.Int("seat_id")) + ",\"starts_on\":\"2026-01-05\"}"),
           201, "term");
      people.push_back({email, id});
      if (std::string(role) == "titular") acta.titulars.push_back(id);
    }
  }
  for (size_t i = 0; i < people.size(); ++i) {
    const Who& w = people[i];
    Must(Call(port, "POST", "/api/accounts", admin,
              "{\"email\":" + Q(w.email) + ",\"person_id\":" + std::to_string(w.person) + "}"),
         201, "account");
    Member m;
    m.person = w.person;
    m.pin = "pin-" + std::to_string(w.person) + "-carga";
    std::string accept = "{\"token\":" + Q(TokenFromOutbox(outbox, w.email)) +
                         ",\"password\":\"contraseña-de-carga\"";
    accept += ",\"pin\":" + Q(m.pin);  // every person chooses how they will sign
    Must(Call(port, "POST", "/api/invitations/accept", "", accept + "}"), 200, "accept");
    m.token = Must(Call(port, "POST", "/api/auth/token", "",
                        "{\"login\":" + Q(w.email) + ",\"password\":\"contraseña-de-carga\"}"),
                   200, "login")
                  .Str("token");
    if (i == 0) {
      acta.facilitator_token = m.token;
    } else {
      members.push_back(m);
    }
  }
  const std::string content =
      "{\"id\":\"instalacion-" + tag +
      "\",\"kind\":\"instalacion\",\"secretariat\":\"Secretariado Técnico Municipal de Prueba " + tag +
      "\",\"title\":\"ACTA DE INSTALACIÓN\",\"blocks\":[{\"type\":\"paragraph\",\"text\":\"Se instala el "
      "Secretariado.\"}]}";
  Reply draft = Must(Call(port, "POST", base + "/actas", acta.facilitator_token,
                          "{\"kind\":\"installation\",\"title\":\"Acta de instalación\",\"acta_date\":"
                          "\"2026-01-05\",\"content\":" + content + "}"),
                     201, "draft");
  acta.id = draft.Int("id");
  const std::string a = "/api/actas/" + std::to_string(acta.id);
  Must(Call(port, "POST", a + "/review", acta.facilitator_token, "{}"), 200, "review");
  std::string votes = "{\"votes\":[";
  for (size_t i = 0; i < acta.titulars.size(); ++i) {
    votes += (i ? "," : "") + std::string("{\"person_id\":") + std::to_string(acta.titulars[i]) +
             ",\"choice\":\"yes\"}";
  }
  Must(Call(port, "POST", a + "/approval", acta.facilitator_token, votes + "]}"), 200, "approve");
  for (auto& m : members) {
    if (m.acta == 0) m.acta = acta.id;
  }
}

struct Phase {
  std::vector<double> ms;
  std::atomic<int> errors{0};
  std::atomic<int> retries{0};
  double wall_ms = 0;
  std::string first_error;
  std::mutex mu;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

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

std::string ProcStatus(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      const size_t b = line.find_first_not_of(" \t", key.size() + 1);
      return line.substr(b);
    }
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  int actas = 20;
  int threads = 256;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--actas") actas = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--threads") threads = std::max(16, std::atoi(argv[i + 1]));
    else Die("usage: api_load_bench [--actas N] [--threads T]");
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
  auto config = server::LoadConfig(in);
  if (!config.ok()) Die(config.status().ToString());
  server::ServiceOptions so;
  so.pin_scrypt_log2_n = 10;       // 200 unlocks in seconds; production uses 2^14
  so.password_scrypt_log2_n = 10;
  so.max_concurrent_signatures = threads - 16;
  so.verify_worker_binary = RUBRICA_BINARY;
  auto service = server::Service::Create(*config, clock, logger, so);
  if (!service.ok()) Die(service.status().ToString());
  if (Status s = (*service)->Start(); !s.ok()) Die(s.ToString());
  const int port = (*service)->port();

  const auto setup0 = SteadyClock::now();
  const std::string link = logger.link;
  Must(Call(port, "POST", "/api/invitations/accept", "",
            "{\"token\":" + Q(link.substr(link.find("token=") + 6)) + ",\"password\":\"administración-de-carga\"}"),
       200, "admin accept");
  const std::string admin = Must(Call(port, "POST", "/api/auth/token", "",
                                      "{\"login\":\"admin\",\"password\":\"administración-de-carga\"}"),
                                 200, "admin login")
                                .Str("token");
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
  (*service)->Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  const bool ok = rubric.errors == 0 && foot.errors == 0 && incomplete == 0 && verified == 0 &&
                  signatures == static_cast<int>(members.size() * 2);
  std::printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
