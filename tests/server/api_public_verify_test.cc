// POST /api/verify is public (the page /verificar needs no account), so an anonymous client
// address may ask only so often: 10 verifications per 10 minutes, then 429
// api.too_many_verifications with Retry-After and a Spanish message. Logged-in callers are
// bound only by the concurrency limit.
#include <gtest/gtest.h>

#include "api_client.h"
#include "rubrica/base/clock.h"
#include "rubrica/server/service.h"
#include "support/test_support.h"

namespace rubrica::server::testing {
namespace {

TEST(PublicVerificationTest, AnAnonymousAddressIsLimitedPerWindowAndALoggedInCallerIsNot) {
  rubrica::testing::TempDir dir;
  ConfigInputs in;
  in.flags = {{"data_dir", dir / "data"}, {"listen.port", "0"}};
  auto config = LoadConfig(in);
  ASSERT_TRUE(config.ok());
  SystemClock clock;
  RecordingLogger logger;
  ServiceOptions o;
  o.password_scrypt_log2_n = 10;
  o.verify_worker_binary = rubrica::testing::RubricaBinary();
  auto service = Service::Create(*config, clock, logger, o);
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  ASSERT_TRUE((*service)->Start().ok());
  const int port = (*service)->port();

  // Not a PDF: the sandbox answers at once with "could not be processed" (exit 2).
  const std::string upload = "%PDF-not really";
  Client anonymous(port);
  for (int i = 0; i < 10; ++i) {
    SCOPED_TRACE(i);
    Reply r = anonymous.Send("POST", "/api/verify", upload, "application/pdf");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Int("exit_code"), 2);
  }
  Reply limited = anonymous.Send("POST", "/api/verify", upload, "application/pdf");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Code(), "api.too_many_verifications");
  EXPECT_FALSE(limited.headers["retry-after"].empty());
  EXPECT_NE(limited.Str("error.message").find("Espere"), std::string::npos);

  // The administrator, logged in from the same address, is not limited.
  const std::string link = logger.Field("accounts.administrator_invitation", "link");
  const std::string token = link.substr(link.find("token=") + 6);
  ASSERT_EQ(Client(port)
                .Post("/api/invitations/accept",
                      "{\"token\":\"" + token + "\",\"password\":\"contraseña de prueba 1\"}")
                .status,
            200);
  Client admin = LoginBearer(port, "admin", "contraseña de prueba 1");
  Reply r = admin.Send("POST", "/api/verify", upload, "application/pdf");
  EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace
}  // namespace rubrica::server::testing
