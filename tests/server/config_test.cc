#include "rubrica/server/config.h"

#include <gtest/gtest.h>

#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::server {
namespace {

TEST(ConfigTest, EmbeddedDefaults) {
  testing::TempDir dir;
  ConfigInputs in;
  in.flags["data_dir"] = dir / "data";
  auto c = LoadConfig(in);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 8080);
  EXPECT_EQ(c->time_zone, "America/Mexico_City");
  EXPECT_EQ(c->public_url, "http://127.0.0.1:8080");
  EXPECT_TRUE(PathExists(dir / "data"));
}

TEST(ConfigTest, PrecedenceIsFileThenEnvironmentThenFlags) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "r.conf",
                              "# comment\nlisten.port = 9001\nlog.level = debug\n"
                              "http.threads = 4\n")
                  .ok());
  ConfigInputs in;
  in.config_file = dir / "r.conf";
  in.env = {{"RUBRICA_LISTEN_PORT", "9002"}, {"RUBRICA_HTTP_THREADS", "8"}};
  in.flags = {{"data_dir", dir / "d"}, {"listen.port", "9003"}};
  auto c = LoadConfig(in);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->listen_port, 9003);  // flag beats env beats file
  EXPECT_EQ(c->http_threads, 8);    // env beats file
  EXPECT_EQ(c->log_level, "debug");  // file beats default
}

TEST(ConfigTest, ReadsRubricaConfInsideTheDataDirectory) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "rubrica.conf", "listen.port = 7000\n").ok());
  ConfigInputs in;
  in.flags["data_dir"] = dir.path();
  auto c = LoadConfig(in);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen_port, 7000);
}

struct BadCase {
  const char* name;
  std::string file;
  std::map<std::string, std::string> flags;
  const char* want_in_message;
};

TEST(ConfigTest, BadConfigurationNamesTheKey) {
  testing::TempDir dir;
  const BadCase cases[] = {
      {"unknown key", "listen.prot = 80\n", {}, "unknown key 'listen.prot'"},
      {"port too big", "listen.port = 70000\n", {}, "listen.port: 70000 is out of range"},
      {"port negative", "", {{"listen.port", "-1"}}, "listen.port: -1 is out of range"},
      {"port not a number", "listen.port = http\n", {}, "listen.port: 'http' is not an integer"},
      {"bad zone", "time_zone = Mars/Base\n", {}, "time_zone: unknown zone"},
      {"bad level", "log.level = loud\n", {}, "log.level"},
      {"unwritable data dir", "", {{"data_dir", "/proc/rubrica"}}, "data_dir:"},
      {"no equals", "listen.port 80\n", {}, "expected 'key = value'"},
      // public_url goes into the QR code printed on every certified page: an http(s) base.
      {"public_url not http", "public_url = ftp://actas.example\n", {}, "public_url: 'ftp://"},
      {"public_url with a query", "", {{"public_url", "https://actas.example/?a=1"}}, "public_url:"},
      {"public_url with a fragment", "public_url = https://actas.example#x\n", {}, "public_url:"},
      {"public_url with a space", "", {{"public_url", "https://actas example.mx"}}, "public_url:"},
      {"public_url too long", "", {{"public_url", "https://" + std::string(93, 'a') + ".mx"}}, "public_url:"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    ConfigInputs in;
    in.flags = c.flags;
    if (!in.flags.count("data_dir")) in.flags["data_dir"] = dir / "d";
    if (!c.file.empty()) {
      ASSERT_TRUE(WriteFileAtomic(dir / "bad.conf", c.file).ok());
      in.config_file = dir / "bad.conf";
    }
    auto r = LoadConfig(in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.want_in_message), std::string::npos)
        << r.status().message();
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos) << "one line";
  }
}

TEST(ConfigTest, PublicUrlMayEndWithASlash) {
  testing::TempDir dir;
  for (const char* url : {"https://actas.zamora.gob.mx/", "http://127.0.0.1:8080", "https://x.mx/rubrica"}) {
    ConfigInputs in;
    in.flags = {{"data_dir", dir / "d"}, {"public_url", url}};
    auto c = LoadConfig(in);
    ASSERT_TRUE(c.ok()) << url << ": " << c.status().ToString();
    EXPECT_EQ(c->public_url, url);
  }
}

TEST(ConfigTest, HousekeepingKeysHaveTheirDefaultsAndRanges) {
  testing::TempDir dir;
  ConfigInputs in;
  in.flags["data_dir"] = dir / "data";
  auto c = LoadConfig(in);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->backup_dir, "");  // no scheduled backup unless asked
  EXPECT_EQ(c->backup_interval_hours, 24);
  EXPECT_EQ(c->backup_keep, 7);
  EXPECT_EQ(c->outbox_retention_days, 90);
  in.env = {{"RUBRICA_BACKUP_DIR", dir / "set"}, {"RUBRICA_BACKUP_KEEP", "3"}};
  in.flags["backup.interval_hours"] = "6";
  in.flags["outbox.retention_days"] = "0";
  c = LoadConfig(in);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->backup_dir, dir / "set");
  EXPECT_EQ(c->backup_interval_hours, 6);
  EXPECT_EQ(c->backup_keep, 3);
  EXPECT_EQ(c->outbox_retention_days, 0);
  struct Bad {
    const char* key;
    const char* value;
  };
  for (const Bad& b : {Bad{"backup.interval_hours", "0"}, Bad{"backup.interval_hours", "8761"}, Bad{"backup.keep", "0"},
                       Bad{"backup.keep", "1001"}, Bad{"outbox.retention_days", "-1"}, Bad{"outbox.retention_days", "x"}}) {
    ConfigInputs bad;
    bad.flags = {{"data_dir", dir / "data"}, {b.key, b.value}};
    auto r = LoadConfig(bad);
    EXPECT_FALSE(r.ok()) << b.key << " = " << b.value;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find(b.key), std::string::npos) << r.status().ToString();
    }
  }
}

TEST(ConfigTest, EveryKeyIsDocumented) {
  for (const auto& k : ConfigKeys()) {
    EXPECT_FALSE(k.description.empty()) << k.name;
    EXPECT_EQ(k.env.rfind("RUBRICA_", 0), 0u) << k.name;
  }
}

}  // namespace
}  // namespace rubrica::server
