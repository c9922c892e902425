// Who may read GET /metrics: loopback clients, plus metrics.allow_from.
#include <gtest/gtest.h>

#include "metrics.h"
#include "rubrica/server/config.h"
#include "rubrica/server/data_directory.h"
#include "support/test_support.h"

namespace rubrica::server {
namespace {

TEST(MetricsAccessTest, LoopbackAlwaysAndOtherClientsOnlyWhenAllowed) {
  struct Case {
    const char* remote;
    const char* allow_from;
    bool allowed;
  };
  const Case cases[] = {
      {"127.0.0.1:5000", "", true},
      {"127.3.4.5:5000", "", true},
      {"[::1]:5000", "", true},
      {"10.0.0.7:5000", "", false},
      {"[2001:db8::7]:5000", "", false},
      {"10.0.0.7:5000", "10.0.0.0/8", true},
      {"11.0.0.7:5000", "10.0.0.0/8", false},
      {"192.168.1.20:80", "10.0.0.0/8, 192.168.1.20", true},
      {"192.168.1.21:80", "10.0.0.0/8, 192.168.1.20", false},
      {"[2001:db8::7]:5000", "2001:db8::/32", true},
      {"[2001:db9::7]:5000", "2001:db8::/32", false},
      {"10.0.0.7:5000", "2001:db8::/32", false},
      {"not-an-address", "0.0.0.0/0", false},
      {"8.8.8.8:1", "0.0.0.0/0", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(MetricsClientAllowed(c.remote, c.allow_from), c.allowed) << c.remote << " / " << c.allow_from;
  }
}

TEST(MetricsAccessTest, AConfiguredRangeThatIsNotOneStopsStartUp) {
  rubrica::testing::TempDir dir;
  for (const std::string bad : {"10.0.0.0/33", "example.org", "10.0.0.0/", "::1/129", "10.0.0.1,nope"}) {
    ConfigInputs in;
    in.flags = {{"data_dir", dir / "data"}, {"metrics.allow_from", bad}};
    auto config = LoadConfig(in);
    ASSERT_FALSE(config.ok()) << bad;
    EXPECT_EQ(config.status().code(), "config.bad_value") << bad;
    EXPECT_NE(config.status().message().find("metrics.allow_from"), std::string::npos) << config.status().message();
  }
  ConfigInputs in;
  in.flags = {{"data_dir", dir / "data"}, {"metrics.allow_from", "10.0.0.0/8, 2001:db8::/32"}};
  auto config = LoadConfig(in);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->metrics_allow_from, "10.0.0.0/8, 2001:db8::/32");
}

// The PIN failures each scrape counts are read through an index of the audit log (a chain
// that grows for years), never by scanning it: SQLite's own query plan says so, on a data
// directory migrated as the service migrates it.
TEST(MetricsQueryTest, UnlockFailuresAreCountedThroughTheActionIndex) {
  rubrica::testing::TempDir dir;
  auto data = DataDirectory::Open(dir / "data", "");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  auto tx = data->db->BeginRead();
  ASSERT_TRUE(tx.ok());
  auto plan = tx->Prepare(std::string("EXPLAIN QUERY PLAN ") + kUnlockFailuresQuery);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::string details;
  for (;;) {
    auto row = plan->Step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    details += plan->ColumnText(3) + "\n";
  }
  EXPECT_NE(details.find("USING COVERING INDEX audit_log_action"), std::string::npos) << details;
  EXPECT_EQ(details.find("SCAN audit_log\n"), std::string::npos) << details;
}

}  // namespace
}  // namespace rubrica::server
