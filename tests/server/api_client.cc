#include "api_client.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Query.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "rubrica/base/files.h"
#include "rubrica/base/json_writer.h"

namespace rubrica::server::testing {

namespace {

Poco::Dynamic::Var Find(const std::string& body, const std::string& path) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(body);
    Poco::JSON::Query q(root);
    return q.find(path);
  } catch (const std::exception&) {
    return Poco::Dynamic::Var();
  }
}

}  // namespace

std::string Reply::Str(const std::string& path) const {
  auto v = Find(body, path);
  if (v.isEmpty()) return "";
  try {
    return v.convert<std::string>();
  } catch (const std::exception&) {
    return "";
  }
}

int64_t Reply::Int(const std::string& path) const {
  auto v = Find(body, path);
  if (v.isEmpty() || !v.isNumeric()) return -1;
  return v.convert<Poco::Int64>();
}

bool Reply::Bool(const std::string& path) const {
  auto v = Find(body, path);
  return !v.isEmpty() && v.isBoolean() && v.extract<bool>();
}

int Reply::Size(const std::string& path) const {
  auto v = Find(body, path);
  if (v.isEmpty() || v.type() != typeid(Poco::JSON::Array::Ptr)) return -1;
  return static_cast<int>(v.extract<Poco::JSON::Array::Ptr>()->size());
}

std::string Describe(const Reply& r) {
  return "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 600);
}

Client& Client::Bearer(std::string token) {
  token_ = std::move(token);
  session_.clear();
  csrf_.clear();
  return *this;
}

Client& Client::Cookie(std::string session, std::string csrf) {
  token_.clear();
  session_ = std::move(session);
  csrf_ = std::move(csrf);
  return *this;
}

Client& Client::Anonymous() {
  token_.clear();
  session_.clear();
  csrf_.clear();
  return *this;
}

Reply Client::Get(const std::string& path) const { return Send("GET", path, "", ""); }

Reply Client::Post(const std::string& path, const std::string& json) const {
  return Send("POST", path, json, "application/json");
}

Reply Client::Delete(const std::string& path) const { return Send("DELETE", path, "", ""); }

Reply Client::Send(const std::string& method, const std::string& path, const std::string& body,
                   const std::string& content_type,
                   const std::map<std::string, std::string>& headers) const {
  Reply r;
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(300, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token_.empty()) req.set("Authorization", "Bearer " + token_);
    if (!session_.empty()) {
      req.set("Cookie", "rubrica_session=" + session_);
      if (method != "GET" && method != "HEAD" && !csrf_.empty()) req.set("X-CSRF-Token", csrf_);
    }
    if (!body.empty() || method == "POST") {
      if (!content_type.empty()) req.setContentType(content_type);
      req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    // Last, so that a test may declare a Content-Length other than the body's.
    for (const auto& [k, v] : headers) req.set(k, v);
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    Poco::StreamCopier::copyToString(in, r.body);
    r.status = static_cast<int>(resp.getStatus());
    for (const auto& [k, v] : resp) {
      std::string lower = k;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      r.headers[lower] = v;
    }
  } catch (const std::exception& e) {
    r.status = -1;
    r.body = e.what();
  }
  return r;
}

Client LoginBearer(int port, const std::string& login, const std::string& password) {
  Client c(port);
  Reply r = c.Post("/api/auth/token", "{\"login\":" + Q(login) + ",\"password\":" + Q(password) + "}");
  EXPECT_EQ(r.status, 200) << login << ": " << Describe(r);
  c.Bearer(r.Str("token"));
  return c;
}

Client LoginBrowser(int port, const std::string& login, const std::string& password) {
  Client c(port);
  Reply r = c.Post("/api/auth/login", "{\"login\":" + Q(login) + ",\"password\":" + Q(password) + "}");
  EXPECT_EQ(r.status, 200) << login << ": " << Describe(r);
  std::string cookie = r.headers["set-cookie"];
  const std::string prefix = "rubrica_session=";
  std::string session;
  if (cookie.rfind(prefix, 0) == 0) session = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
  c.Cookie(session, r.Str("csrf_token"));
  return c;
}

void RecordingLogger::Log(LogLevel, std::string_view event, const std::vector<LogField>& fields) {
  std::map<std::string, std::string> f;
  for (const auto& field : fields) {
    if (const auto* s = std::get_if<std::string>(&field.value)) f[field.key] = *s;
  }
  std::lock_guard lock(mu_);
  events_.emplace_back(std::string(event), std::move(f));
}

std::string RecordingLogger::Field(const std::string& event, const std::string& key) const {
  std::lock_guard lock(mu_);
  for (const auto& [e, f] : events_) {
    if (e == event && f.count(key)) return f.at(key);
  }
  return "";
}

int RecordingLogger::Count(const std::string& event) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::count_if(events_.begin(), events_.end(),
                                        [&](const auto& e) { return e.first == event; }));
}

std::string TokenOfLink(const std::string& link) {
  const size_t pos = link.find("token=");
  if (pos == std::string::npos) return "";
  std::string token = link.substr(pos + 6);
  const size_t end = token.find_first_of(" \r\n");
  return end == std::string::npos ? token : token.substr(0, end);
}

namespace {

// The token of the newest e-mail to `email` that links to `page`.
std::string LinkTokenFor(const std::string& outbox_dir, const std::string& email,
                         const std::string& page) {
  auto files = ListFilesRecursive(outbox_dir);
  std::sort(files.begin(), files.end());  // named by UTC time: newest last
  std::string token;
  for (const auto& f : files) {
    auto text = ReadFile(f);
    if (!text.ok() || text->find("To: " + email + "\r\n") == std::string::npos) continue;
    const size_t at = text->find(page + "?token=");
    if (at != std::string::npos) token = TokenOfLink(text->substr(at));
  }
  return token;
}

}  // namespace

std::string InvitationTokenFor(const std::string& outbox_dir, const std::string& email) {
  return LinkTokenFor(outbox_dir, email, "/invitacion");
}

std::string ReenrolmentTokenFor(const std::string& outbox_dir, const std::string& email) {
  return LinkTokenFor(outbox_dir, email, "/reinscripcion");
}

std::string Q(const std::string& s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

}  // namespace rubrica::server::testing
