// The first administrator: `rubrica init` creates the account without a password and prints
// its one-time link once; the link sets the password once; there is no default password.
#include <gtest/gtest.h>

#include "api_client.h"
#include "rubrica/base/clock.h"
#include "rubrica/server/service.h"
#include "support/test_support.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;

TEST(BootstrapTest, InitPrintsTheAdministratorLinkOnceAndItSetsThePasswordOnce) {
  rubrica::testing::TempDir dir;
  const std::string data = dir / "data";
  auto first = RunCommand({RubricaBinary(), "init", "--data-dir", data});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string token = TokenOfLink(first.out);
  ASSERT_EQ(token.size(), 43u) << first.out;  // 256 bits, base64url
  EXPECT_NE(first.out.find("usuario «admin»"), std::string::npos) << first.out;
  auto second = RunCommand({RubricaBinary(), "init", "--data-dir", data});
  ASSERT_EQ(second.exit_code, 0);
  EXPECT_EQ(second.out.find("token="), std::string::npos) << "printed a second link: " << second.out;

  ConfigInputs in;
  in.flags = {{"data_dir", data}, {"listen.port", "0"}};
  auto config = LoadConfig(in);
  ASSERT_TRUE(config.ok());
  SystemClock clock;
  RecordingLogger logger;
  ServiceOptions o;
  o.password_scrypt_log2_n = 10;
  auto service = Service::Create(*config, clock, logger, o);
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  ASSERT_TRUE((*service)->Start().ok());
  EXPECT_EQ(logger.Count("accounts.administrator_invitation"), 0) << "the service made another link";
  Client c((*service)->port());
  // No password works before the link is used.
  for (const char* guess : {"admin", "", "rubrica", "password"}) {
    Reply r = c.Post("/api/auth/token", std::string("{\"login\":\"admin\",\"password\":") + Q(guess) + "}");
    EXPECT_TRUE(r.status == 401 || r.status == 400) << guess << ": " << Describe(r);
  }
  Reply accept = c.Post("/api/invitations/accept", "{\"token\":" + Q(token) + ",\"password\":\"una-clave-de-administración\"}");
  ASSERT_EQ(accept.status, 200) << Describe(accept);
  EXPECT_TRUE(accept.Bool("account.administrator"));
  EXPECT_EQ(c.Post("/api/invitations/accept", "{\"token\":" + Q(token) + ",\"password\":\"otra-clave-distinta\"}").status, 422);
  Client admin = LoginBearer((*service)->port(), "admin", "una-clave-de-administración");
  EXPECT_EQ(admin.Get("/api/accounts").status, 200);
}

TEST(BootstrapTest, AFirstStartWithoutInitLogsTheLinkOnce) {
  rubrica::testing::TempDir dir;
  ConfigInputs in;
  in.flags = {{"data_dir", dir / "data"}, {"listen.port", "0"}};
  auto config = LoadConfig(in);
  ASSERT_TRUE(config.ok());
  SystemClock clock;
  for (int start = 0; start < 2; ++start) {
    RecordingLogger logger;
    auto service = Service::Create(*config, clock, logger);
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    EXPECT_EQ(logger.Count("accounts.administrator_invitation"), start == 0 ? 1 : 0);
    if (start == 0) {
      EXPECT_EQ(TokenOfLink(logger.Field("accounts.administrator_invitation", "link")).size(), 43u);
    }
  }
}

}  // namespace
}  // namespace rubrica::server::testing
