// POST /tsa, the service's route to its embedded TSA for outside clients: what it refuses
// before the authority sees a byte, and that it answers a timestamp query.
#include <gtest/gtest.h>

#include "rubrica/base/logger.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/server/http.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"
#include "signing/test_pki.h"
#include "support/local_http_server.h"
#include "tsa_route.h"

namespace rubrica::server {
namespace {

using rubrica::testing::HttpPost;
using rubrica::testing::HttpPostReply;

class TsaRouteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signing::testing::Identity id =
        pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Sellado de Tiempo de Pruebas",
                   signing::testing::Usage::kTimeStamping);
    auto authority = signing::TimestampAuthority::Create({id.cert, pki_.ca()}, std::move(id.key), clock_);
    ASSERT_TRUE(authority.ok()) << authority.status().ToString();
    authority_ = std::move(*authority);
    AddTsaRoute(router_, *authority_);
    http_ = std::make_unique<HttpServer>(HttpServerOptions{.threads = 2}, router_, logger_);
    ASSERT_TRUE(http_->Start().ok());
  }
  void TearDown() override {
    if (http_) http_->Stop();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(http_->port()) + "/tsa"; }

  signing::testing::TestPki pki_;
  ManualClock clock_{Instant(std::chrono::sys_days(std::chrono::year(2026) / 3 / 14))};
  NullLogger logger_;
  std::unique_ptr<signing::TimestampAuthority> authority_;
  Router router_;
  std::unique_ptr<HttpServer> http_;
};

TEST_F(TsaRouteTest, RefusesWrongContentTypeAndOversizeAndAnswersQueries) {
  const std::string garbage = "not a TimeStampReq";
  HttpPostReply wrong_type = HttpPost(url(), "application/octet-stream", garbage);
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_NE(wrong_type.body.find("\"code\":\"server.bad_content_type\""), std::string::npos) << wrong_type.body;
  // Any TimeStampReq, even a malformed one, is answered 200: the verdict is inside.
  HttpPostReply with_params = HttpPost(url(), "application/timestamp-query; charset=binary", garbage);
  EXPECT_EQ(with_params.status, 200);
  EXPECT_EQ(with_params.content_type, "application/timestamp-reply");
  HttpPostReply huge = HttpPost(url(), "application/timestamp-query", std::string(100 * 1024, 'x'));
  EXPECT_EQ(huge.status, 413);
  EXPECT_NE(huge.body.find("\"code\":\"server.body_too_large\""), std::string::npos) << huge.body;
  // A real client gets a checked token through the route.
  auto client = signing::HttpTimestampClient::Create(url());
  ASSERT_TRUE(client.ok());
  auto token = (*client)->Timestamp(std::string(32, '\x01'));
  EXPECT_TRUE(token.ok()) << token.status().ToString();
}

}  // namespace
}  // namespace rubrica::server
