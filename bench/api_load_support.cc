// api_load_bench's shared client and set-up (api_load_support.h).
#include "api_load_support.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "rubrica/base/files.h"
#include "rubrica/base/json_writer.h"

namespace rubrica::bench {

void Die(const std::string& what) {
  std::fprintf(stderr, "api_load_bench: %s\n", what.c_str());
  std::exit(1);
}

std::string Q(const std::string& s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

std::string Reply::Str(const std::string& key) const {
  return json ? json->optValue<std::string>(key, "") : std::string();
}

int64_t Reply::Int(const std::string& key) const {
  return json ? json->optValue<Poco::Int64>(key, -1) : -1;
}

Reply Call(int port, const std::string& method, const std::string& path, const std::string& token,
           const std::string& body) {
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

void LinkLogger::Log(LogLevel, std::string_view event, const std::vector<LogField>& fields) {
  if (event != "accounts.administrator_invitation") return;
  std::lock_guard lock(mu_);
  for (const auto& f : fields) {
    if (f.key == "link") link_ = std::get<std::string>(f.value);
  }
}

std::string LinkLogger::link() const {
  std::lock_guard lock(mu_);
  return link_;
}

std::unique_ptr<server::Service> StartService(const server::ConfigInputs& in, const Clock& clock, Logger& logger,
                                              const server::ServiceOptions& options) {
  auto config = server::LoadConfig(in);
  if (!config.ok()) Die(config.status().ToString());
  auto service = server::Service::Create(*config, clock, logger, options);
  if (!service.ok()) Die(service.status().ToString());
  if (Status s = (*service)->Start(); !s.ok()) Die(s.ToString());
  return std::move(*service);
}

std::string AdminToken(int port, const LinkLogger& logger) {
  const std::string link = logger.link();
  Must(Call(port, "POST", "/api/invitations/accept", "",
            "{\"token\":" + Q(link.substr(link.find("token=") + 6)) + ",\"password\":\"administración-de-carga\"}"),
       200, "admin accept");
  return Must(Call(port, "POST", "/api/auth/token", "",
                   "{\"login\":\"admin\",\"password\":\"administración-de-carga\"}"),
              200, "admin login")
      .Str("token");
}

namespace {

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

}  // namespace

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

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
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

}  // namespace rubrica::bench
