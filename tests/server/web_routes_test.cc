// The web pages as `rubrica serve` serves them (server/src/web_routes.cc): every page path
// answers the application's index.html, hashed assets are cached as immutable, every answer
// carries the strict CSP and the anti-framing/sniffing/referrer headers, and without built
// pages the service says in Spanish how to build them. The page paths are the ones the
// application's router draws (web/src/routes.tsx).
#include "web_routes.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "api_client.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/files.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/service.h"
#include "support/test_support.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::SourceDir;

class WebRoutesTest : public ::testing::Test {
 protected:
  void Start(const std::string& web_root) {
    ConfigInputs in;
    in.flags = {{"data_dir", dir_ / "data"}, {"listen.port", "0"}, {"web.root", web_root}};
    auto config = LoadConfig(in);
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    ServiceOptions o;
    o.password_scrypt_log2_n = 10;
    auto service = Service::Create(*config, clock_, logger_, o);
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(*service);
    ASSERT_TRUE(service_->Start().ok());
  }

  void WriteSite() {
    ASSERT_TRUE(MakeDirs(dir_ / "web/assets").ok());
    ASSERT_TRUE(WriteFileAtomic(dir_ / "web/index.html", kIndex).ok());
    ASSERT_TRUE(WriteFileAtomic(dir_ / "web/assets/index-Bfth0sHo.js", "console.log(1);").ok());
    ASSERT_TRUE(
        WriteFileAtomic(dir_ / "web/assets/pdf.worker.min-wgc6bjNh.mjs", "export {};").ok());
    ASSERT_TRUE(WriteFileAtomic(dir_ / "web/assets/index-CuIZTtyN.css", "body{}").ok());
    ASSERT_TRUE(WriteFileAtomic(dir_ / "web/secret.txt", "not an asset").ok());
  }

  void ExpectSecurityHeaders(Reply& r) {
    EXPECT_EQ(r.headers["content-security-policy"], kWebContentSecurityPolicy);
    EXPECT_EQ(r.headers["x-frame-options"], "DENY");
    EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
    EXPECT_EQ(r.headers["referrer-policy"], "no-referrer");
  }

  static constexpr const char* kIndex =
      "<!doctype html><html lang=\"es\"><title>Rúbrica</title></html>";
  rubrica::testing::TempDir dir_;
  SystemClock clock_;
  NullLogger logger_;
  std::unique_ptr<Service> service_;
};

TEST_F(WebRoutesTest, EveryPagePathAnswersTheApplicationWithStrictHeaders) {
  WriteSite();
  Start(dir_ / "web");
  Client c(service_->port());
  for (std::string path : WebPagePaths()) {
    path = std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "7");
    for (const char* query : {"", "?token=abc_DEF-123"}) {
      SCOPED_TRACE(path + std::string(query));
      Reply r = c.Get(path + std::string(query));
      EXPECT_EQ(r.status, 200);
      EXPECT_EQ(r.body, kIndex);
      EXPECT_EQ(r.headers["content-type"], "text/html; charset=utf-8");
      EXPECT_EQ(r.headers["cache-control"], "no-cache");
      ExpectSecurityHeaders(r);
    }
  }
  // The policy allows no inline script, no eval, no framing, no other origin.
  const std::string csp = kWebContentSecurityPolicy;
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_NE(csp.find("worker-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe"), std::string::npos);
  EXPECT_EQ(csp.find("*"), std::string::npos);
}

TEST_F(WebRoutesTest, HashedAssetsAreServedWithTheirTypeAndCachedAsImmutable) {
  WriteSite();
  Start(dir_ / "web");
  Client c(service_->port());
  struct Case {
    std::string name, type, body;
  };
  for (const Case& k : std::vector<Case>{
           {"index-Bfth0sHo.js", "text/javascript; charset=utf-8", "console.log(1);"},
           {"pdf.worker.min-wgc6bjNh.mjs", "text/javascript; charset=utf-8", "export {};"},
           {"index-CuIZTtyN.css", "text/css; charset=utf-8", "body{}"}}) {
    SCOPED_TRACE(k.name);
    Reply r = c.Get("/assets/" + k.name);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, k.body);
    EXPECT_EQ(r.headers["content-type"], k.type);
    EXPECT_EQ(r.headers["cache-control"], "public, max-age=31536000, immutable");
    ExpectSecurityHeaders(r);
  }
  // Nothing outside assets/, nothing hidden, nothing missing.
  for (const char* path :
       {"/assets/missing.js", "/assets/.hidden", "/assets/..%2Fsecret.txt", "/assets/../secret.txt",
        "/secret.txt", "/index.html", "/assets/a/b.js"}) {
    SCOPED_TRACE(path);
    Reply r = c.Get(path);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body.find("not an asset"), std::string::npos);
  }
  // The API keeps its own answers: JSON, never cached.
  Reply api = c.Get("/api/openapi.json");
  EXPECT_EQ(api.status, 200);
  EXPECT_EQ(api.headers["cache-control"], "no-store");
}

TEST_F(WebRoutesTest, WithoutBuiltPagesTheServiceSaysInSpanishHowToBuildThem) {
  Start(dir_ / "no-web-here");
  Client c(service_->port());
  for (const char* path : {"/", "/invitacion?token=abc"}) {
    SCOPED_TRACE(path);
    Reply r = c.Get(path);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.headers["content-type"], "text/html; charset=utf-8");
    EXPECT_NE(r.body.find("<html lang=\"es\">"), std::string::npos);
    EXPECT_NE(r.body.find("scripts/web.sh"), std::string::npos);
    EXPECT_NE(r.body.find("web.root"), std::string::npos);
    ExpectSecurityHeaders(r);
  }
}

TEST(WebPagePathsTest, AreThePathsTheApplicationsRouterDraws) {
  auto routes = ReadFile(SourceDir() + "/web/src/routes.tsx");
  ASSERT_TRUE(routes.ok());
  std::set<std::string> drawn;
  const std::regex path_re(R"(path: '([^']+)')");
  for (auto it = std::sregex_iterator(routes->begin(), routes->end(), path_re);
       it != std::sregex_iterator(); ++it) {
    drawn.insert((*it)[1]);
  }
  const std::set<std::string> served(WebPagePaths().begin(), WebPagePaths().end());
  EXPECT_EQ(drawn, served);
  EXPECT_GE(served.size(), 8u);
}

}  // namespace
}  // namespace rubrica::server::testing
