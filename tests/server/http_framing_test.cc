// Strict HTTP/1.1 framing (RFC 9112) on the real server over loopback: every ambiguous or
// malformed request is answered 400 (or 413/417/431/505) with the API's JSON error and a
// stable code, the connection is closed, and no route ever runs. Correct reason phrases.
// The parser's own cases (whole, byte by byte, in pieces) are the seeds of fuzz/corpus/http.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "http/request_parser.h"
#include "http/response.h"
#include "raw_http.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/http.h"
#include "rubrica/server/service.h"
#include "support/test_support.h"

namespace rubrica::server {
namespace {

using testing::RawConnection;
using testing::RawResponse;
using namespace std::chrono_literals;

// Counts the events logged.
class CountingLogger final : public Logger {
 public:
  void Log(LogLevel, std::string_view event, const std::vector<LogField>&) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_[std::string(event)];
  }
  int Count(const std::string& event) {
    std::lock_guard<std::mutex> lock(mu_);
    return counts_[event];
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> counts_;
};

class FramingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("POST", "/echo", [this](HttpExchange& ex) {
      ++dispatched_;
      auto body = ex.Body();
      ex.SendBytes(200, "application/octet-stream", body.ok() ? *body : "");
    });
    router_.Add("GET", "/ping", [this](HttpExchange& ex) {
      ++dispatched_;
      ex.SendBytes(200, "text/plain", "pong");
    });
    router_.Add("GET", "/status/{code}",
                [](HttpExchange& ex) { ex.SendJson(std::stoi(ex.PathParam("code")), "{}"); });
    HttpServerOptions o;
    o.max_body_bytes = 1 << 20;
    o.max_header_bytes = 4096;
    server_ = std::make_unique<HttpServer>(o, router_, logger_);
    ASSERT_TRUE(server_->Start().ok());
  }

  std::atomic<int> dispatched_{0};
  Router router_;
  NullLogger logger_;
  std::unique_ptr<HttpServer> server_;
};

struct Refusal {
  const char* name;
  std::string request;
  int status;
  const char* reason;
  const char* code;
};

std::vector<Refusal> Refusals() {
  const std::string post = "POST /echo HTTP/1.1\r\nHost: t\r\n";
  return {
      {"two different Content-Length", post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
       400, "Bad Request", "http.bad_framing"},
      {"the same Content-Length twice", post + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
       400, "Bad Request", "http.bad_framing"},
      {"a Content-Length list", post + "Content-Length: 3, 3\r\n\r\nabc", 400, "Bad Request",
       "http.bad_framing"},
      {"Transfer-Encoding with Content-Length",
       post + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400,
       "Bad Request", "http.bad_framing"},
      {"Content-Length with Transfer-Encoding",
       post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400,
       "Bad Request", "http.bad_framing"},
      {"a non-numeric Content-Length", post + "Content-Length: tres\r\n\r\nabc", 400, "Bad Request",
       "http.bad_framing"},
      {"a negative Content-Length", post + "Content-Length: -3\r\n\r\nabc", 400, "Bad Request",
       "http.bad_framing"},
      {"an overflowing Content-Length", post + "Content-Length: 99999999999999999999999\r\n\r\nabc",
       400, "Bad Request", "http.bad_framing"},
      {"an unsupported transfer coding", post + "Transfer-Encoding: gzip\r\n\r\nabc", 400,
       "Bad Request", "http.bad_framing"},
      {"chunked applied twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400,
       "Bad Request", "http.bad_framing"},
      {"a malformed chunk size", post + "Transfer-Encoding: chunked\r\n\r\n3x\r\nabc\r\n0\r\n\r\n",
       400, "Bad Request", "http.bad_framing"},
      {"chunk data without its CRLF",
       post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", 400, "Bad Request",
       "http.bad_framing"},
      {"obs-fold", post + "X-Note: one\r\n two\r\nContent-Length: 3\r\n\r\nabc", 400, "Bad Request",
       "http.bad_header"},
      {"whitespace before the colon", post + "Content-Length : 3\r\n\r\nabc", 400, "Bad Request",
       "http.bad_header"},
      {"a bare LF hiding a field", post + "X-A: a\nContent-Length: 3\r\n\r\nabc", 400,
       "Bad Request", "http.bad_header"},
      {"a request line without version", "GET /ping\r\nHost: t\r\n\r\n", 400, "Bad Request",
       "http.bad_request_line"},
      {"a request line with two spaces", "GET  /ping HTTP/1.1\r\nHost: t\r\n\r\n", 400,
       "Bad Request", "http.bad_request_line"},
      {"a relative target", "GET ping HTTP/1.1\r\nHost: t\r\n\r\n", 400, "Bad Request",
       "http.bad_request_line"},
      {"a lower-case version", "GET /ping http/1.1\r\nHost: t\r\n\r\n", 400, "Bad Request",
       "http.bad_request_line"},
      {"an encoded NUL in the path", "GET /ping%00 HTTP/1.1\r\nHost: t\r\n\r\n", 400, "Bad Request",
       "http.bad_request_line"},
      {"no Host", "GET /ping HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, "Bad Request", "http.bad_host"},
      {"two Hosts", "GET /ping HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "Bad Request",
       "http.bad_host"},
      {"HTTP/2.0 on a 1.1 connection", "GET /ping HTTP/2.0\r\nHost: t\r\n\r\n", 505,
       "HTTP Version Not Supported", "http.version_not_supported"},
      {"a declared body over the limit", post + "Content-Length: 2000000\r\n\r\nabc", 413,
       "Content Too Large", "server.body_too_large"},
      {"a chunked body over the limit", post + "Transfer-Encoding: chunked\r\n\r\n200000\r\nabc",
       413, "Content Too Large", "server.body_too_large"},
      {"an unknown expectation", post + "Expect: 102-processing\r\nContent-Length: 3\r\n\r\nabc",
       417, "Expectation Failed", "http.expectation_failed"},
      {"a header section over the limit", post + "Cookie: " + std::string(5000, 'c') + "\r\n\r\n",
       431, "Request Header Fields Too Large", "http.headers_too_large"},
  };
}

TEST_F(FramingTest, AmbiguousOrMalformedRequestsAreRefusedClosedAndNeverDispatched) {
  for (const Refusal& row : Refusals()) {
    SCOPED_TRACE(row.name);
    RawConnection c(server_->port());
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c.Send(row.request));
    std::optional<RawResponse> r = c.Read(5s);
    ASSERT_TRUE(r.has_value()) << "no answer";
    EXPECT_EQ(r->status, row.status);
    EXPECT_EQ(r->reason, row.reason);
    EXPECT_EQ(r->headers["content-type"], "application/json; charset=utf-8");
    EXPECT_NE(r->body.find(std::string("\"code\":\"") + row.code + "\""), std::string::npos)
        << r->body;
    EXPECT_NE(r->body.find("\"message\":\""), std::string::npos) << r->body;
    EXPECT_EQ(r->headers["connection"], "close");
    EXPECT_TRUE(c.ClosedWithin(5s)) << "the connection stayed open";
  }
  EXPECT_EQ(dispatched_, 0) << "a refused request reached a route";
  // The server still serves well-formed requests.
  RawConnection ok(server_->port());
  ASSERT_TRUE(ok.Send("GET /ping HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto pong = ok.Read(5s);
  ASSERT_TRUE(pong.has_value());
  EXPECT_EQ(pong->body, "pong");
}

TEST_F(FramingTest, ChunkedBodiesAreDecodedAndCanBeFollowedByAnotherRequest) {
  RawConnection c(server_->port());
  ASSERT_TRUE(
      c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: dropped\r\n\r\n"
             "GET /ping HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto echoed = c.Read(5s);
  ASSERT_TRUE(echoed.has_value());
  EXPECT_EQ(echoed->status, 200);
  EXPECT_EQ(echoed->body, "hello world");
  auto pong = c.Read(5s);
  ASSERT_TRUE(pong.has_value());
  EXPECT_EQ(pong->body, "pong");
  EXPECT_EQ(dispatched_, 2);
}

TEST_F(FramingTest, ExpectContinueGetsAnInterimAnswerUnlessTheBodyIsTooLarge) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  auto interim = c.Read(5s);
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  EXPECT_EQ(interim->reason, "Continue");
  ASSERT_TRUE(c.Send("{}"));
  auto final_answer = c.Read(5s);
  ASSERT_TRUE(final_answer.has_value());
  EXPECT_EQ(final_answer->status, 200);
  EXPECT_EQ(final_answer->body, "{}");

  RawConnection big(server_->port());
  ASSERT_TRUE(big.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n"));
  auto refused = big.Read(5s);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 413) << "no 100 Continue for a body that will be refused";
  EXPECT_TRUE(big.ClosedWithin(5s));
}

TEST_F(FramingTest, HeadAnswersWithTheHeadersOfGetAndNoBody) {
  RawConnection c(server_->port());
  ASSERT_TRUE(
      c.Send("HEAD /ping HTTP/1.1\r\nHost: t\r\n\r\nGET /ping HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto head = c.Read(5s, /*head_only=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers["content-length"], "4");
  auto get = c.Read(5s);
  ASSERT_TRUE(get.has_value()) << "the HEAD answer carried a body";
  EXPECT_EQ(get->body, "pong");
}

TEST_F(FramingTest, EveryStatusLineCarriesItsOwnReasonPhrase) {
  const std::vector<std::pair<int, std::string>> cases = {
      {200, "OK"},
      {201, "Created"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {409, "Conflict"},
      {413, "Content Too Large"},
      {422, "Unprocessable Content"},
      {429, "Too Many Requests"},
      {500, "Internal Server Error"},
      {503, "Service Unavailable"},
  };
  RawConnection c(server_->port());  // one kept-alive connection for all of them
  for (const auto& [status, reason] : cases) {
    SCOPED_TRACE(status);
    ASSERT_TRUE(c.Send("GET /status/" + std::to_string(status) + " HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = c.Read(5s);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(r->reason, reason);
  }
  // Whatever error kind a handler returns, its status has a reason phrase.
  for (int k = static_cast<int>(ErrorKind::kOk); k <= static_cast<int>(ErrorKind::kInternal); ++k) {
    const int status = HttpStatusFor(static_cast<ErrorKind>(k));
    EXPECT_NE(http::ReasonPhrase(status), "Unknown") << status;
  }
  // The router's own 404.
  ASSERT_TRUE(c.Send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto missing = c.Read(5s);
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->reason, "Not Found");
}

TEST(ServiceFramingTest, TheServiceRefusesSmugglingBeforeAnyRouteRuns) {
  rubrica::testing::TempDir dir;
  ConfigInputs in;
  in.flags = {{"data_dir", dir / "data"}, {"listen.port", "0"}};
  auto config = LoadConfig(in);
  ASSERT_TRUE(config.ok());
  SystemClock clock;
  CountingLogger logger;
  auto service = Service::Create(*config, clock, logger);
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  ASSERT_TRUE((*service)->Start().ok());
  const int requests_before = logger.Count("http.request");
  const std::string body = R"({"login":"admin","password":"x"})";
  const std::vector<std::string> smuggling = {
      "POST /api/auth/token HTTP/1.1\r\nHost: t\r\nContent-Type: "
      "application/json\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\nContent-Length: 5\r\n\r\n" + body,
      "POST /api/auth/token HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body,
  };
  for (const std::string& request : smuggling) {
    RawConnection c((*service)->port());
    ASSERT_TRUE(c.Send(request));
    auto r = c.Read(5s);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(r->reason, "Bad Request");
    EXPECT_NE(r->body.find("\"code\":\"http.bad_framing\""), std::string::npos) << r->body;
    EXPECT_TRUE(c.ClosedWithin(5s));
  }
  EXPECT_EQ(logger.Count("http.refused"), 2);
  EXPECT_EQ(logger.Count("http.request"), requests_before) << "a refused request reached a route";
  (*service)->Stop();
}

TEST(RequestParserTest, KeepsHeadersQueryAndConnectionIntent) {
  http::RequestParser p({});
  const std::string bytes =
      "GET /api/actas?estado=r%C3%BAbrica&x=1&x=2 HTTP/1.1\r\nHost: t\r\nX-Mixed-Case: Valor  \r\n"
      "Connection: keep-alive, Close\r\n\r\n";
  EXPECT_EQ(p.Feed(bytes), bytes.size());
  ASSERT_EQ(p.state(), http::RequestParser::State::kComplete);
  http::ParsedRequest r = p.TakeRequest();
  EXPECT_EQ(r.path, "/api/actas");
  ASSERT_EQ(r.query.size(), 3u);
  EXPECT_EQ(r.query[0], (std::pair<std::string, std::string>("estado", "rúbrica")));
  ASSERT_NE(r.FindHeader("x-mixed-case"), nullptr);
  EXPECT_EQ(*r.FindHeader("x-mixed-case"), "Valor");
  EXPECT_FALSE(r.keep_alive);
  // HTTP/1.0 is never kept alive; an HTTP/1.1 request is unless it says close.
  EXPECT_EQ(p.Feed("GET / HTTP/1.0\r\n\r\n"), 18u);
  EXPECT_FALSE(p.TakeRequest().keep_alive);
  const std::string keep = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
  EXPECT_EQ(p.Feed(keep), keep.size());
  EXPECT_TRUE(p.TakeRequest().keep_alive);
}

TEST(RequestParserTest, StopsAtTheEndOfOneRequestAndLeavesTheNext) {
  http::RequestParser p({});
  const std::string first = "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc";
  const std::string second = "GET /b HTTP/1.1\r\nHost: t\r\n\r\n";
  EXPECT_EQ(p.Feed(first + second), first.size());
  EXPECT_EQ(p.TakeRequest().body, "abc");
  EXPECT_FALSE(p.started());
  EXPECT_EQ(p.Feed(second), second.size());
  EXPECT_EQ(p.TakeRequest().path, "/b");
}

TEST(RequestParserTest, AllocatesForADeclaredBodyOnlyAsItArrives) {
  http::ParserLimits limits;
  limits.max_body_bytes = 1ll << 30;
  http::RequestParser p(limits);
  p.Feed("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000000\r\n\r\nab");
  EXPECT_EQ(p.state(), http::RequestParser::State::kBody);
  EXPECT_EQ(p.body_bytes(), 2);
  EXPECT_LE(p.request().body.capacity(), size_t{1} << 21) << "reserved the declared gigabyte";
}

}  // namespace
}  // namespace rubrica::server
