// Starts the real service on port 0 in-process and talks HTTP to it.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "rubrica/base/logger.h"
#include "rubrica/server/http.h"
#include "rubrica/server/service.h"
#include "support/test_support.h"

namespace rubrica::server {
namespace {

struct Reply {
  int status;
  std::string body;
};

Reply Send(int port, const std::string& method, const std::string& path,
           const std::string& body = "", const std::string& content_type = "application/json") {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!body.empty()) {
    req.setContentType(content_type);
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse resp;
  std::string out;
  Poco::StreamCopier::copyToString(session.receiveResponse(resp), out);
  return {static_cast<int>(resp.getStatus()), out};
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ConfigInputs in;
    in.flags = {{"data_dir", dir_ / "data"}, {"listen.port", "0"}};
    auto config = LoadConfig(in);
    ASSERT_TRUE(config.ok());
    auto svc = Service::Create(*config, clock_, logger_);
    ASSERT_TRUE(svc.ok()) << svc.status().ToString();
    service_ = std::move(*svc);
    ASSERT_TRUE(service_->Start().ok());
  }
  testing::TempDir dir_;
  SystemClock clock_;
  NullLogger logger_;
  std::unique_ptr<Service> service_;
};

TEST_F(ServiceTest, HealthzAndVersion) {
  Reply h = Send(service_->port(), "GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, "{\"status\":\"ok\"}");
  Reply v = Send(service_->port(), "GET", "/version");
  EXPECT_EQ(v.status, 200);
  EXPECT_NE(v.body.find("\"name\":\"rubrica\""), std::string::npos);
}

TEST_F(ServiceTest, UnknownPathIsJson404) {
  Reply r = Send(service_->port(), "GET", "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("\"code\":\"server.no_route\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"message\":\"La dirección solicitada no existe.\""), std::string::npos);
}

TEST(RouterTest, BodyLimitAndPathParams) {
  testing::TempDir dir;
  Router router;
  router.Add("POST", "/echo/{name}", [](HttpExchange& ex) {
    auto body = ex.Body();
    if (!body.ok()) {
      ex.SendError(body.status());
      return;
    }
    ex.SendJson(200, "{\"name\":\"" + ex.PathParam("name") + "\",\"n\":" +
                         std::to_string(body->size()) + "}");
  });
  NullLogger logger;
  HttpServerOptions opts;
  opts.max_body_bytes = 1024;
  HttpServer server(opts, router, logger);
  ASSERT_TRUE(server.Start().ok());
  Reply ok = Send(server.port(), "POST", "/echo/ana", std::string(1000, 'x'));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "{\"name\":\"ana\",\"n\":1000}");
  Reply big = Send(server.port(), "POST", "/echo/ana", std::string(2000, 'x'));
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(big.body.find("server.body_too_large"), std::string::npos);
  Reply wrong_method = Send(server.port(), "GET", "/echo/ana");
  EXPECT_EQ(wrong_method.status, 400);
  EXPECT_NE(wrong_method.body.find("server.method_not_allowed"), std::string::npos);
}

}  // namespace
}  // namespace rubrica::server
