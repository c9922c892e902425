// Upgrades: a data directory made by release v0.1.0 (`rubrica demo`, the fixture
// tests/fixtures/upgrade/v0.1.0.tar.xz, see its README) opened by today's binary. Its
// migrations run to the versions a new installation has, its audit chain verifies, each
// archived acta verifies with `rubrica verify` and is served byte for byte as v0.1.0 wrote
// it, and the directory takes new work.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <set>

#include "api_client.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/server/config.h"
#include "rubrica/server/service.h"
#include "support/test_support.h"

namespace rubrica::server::testing {
namespace {

namespace fs = std::filesystem;
using rubrica::testing::CommandResult;
using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;
using rubrica::testing::SourceDir;
using rubrica::testing::TempDir;

// Rows of a query, each as its columns joined by '|'.
std::vector<std::string> Rows(const std::string& db_path, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const unsigned char* t = sqlite3_column_text(st, i);
      row += (i ? "|" : "") + std::string(t ? reinterpret_cast<const char*>(t) : "");
    }
    out.push_back(row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// The newest migration of each component.
std::map<std::string, std::string> MigrationLevels(const std::string& db_path) {
  std::map<std::string, std::string> out;
  for (const std::string& row : Rows(db_path, "SELECT component, version FROM schema_version")) {
    out[row.substr(0, row.find('|'))] = row.substr(row.find('|') + 1);
  }
  return out;
}

class UpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_ / "data";
    ASSERT_TRUE(MakeDirs(data_, 0700).ok());
    const std::string fixture = SourceDir() + "/tests/fixtures/upgrade/v0.1.0.tar.xz";
    CommandResult untar = RunCommand({"tar", "-xJf", fixture, "-C", data_});
    ASSERT_EQ(untar.exit_code, 0) << untar.err;
    ASSERT_TRUE(PathExists(data_ + "/rubrica.db"));
  }
  TempDir dir_;
  std::string data_;
};

TEST_F(UpgradeTest, AV010DataDirectoryMigratesVerifiesServesTheSamePdfsAndTakesNewWork) {
  // What v0.1.0 wrote: its archived actas (the sealed copies it exported) and their blobs.
  const std::vector<std::string> archived =
      Rows(data_ + "/rubrica.db", "SELECT id, archived_blob_id FROM wf_acta WHERE archived_blob_id != '' ORDER BY id");
  ASSERT_EQ(archived.size(), 2u) << "the v0.1.0 demo archives two actas";
  std::set<std::string> exported;
  for (const char* name : {"acta-instalacion.sellada.pdf", "acta-sesion-ordinaria.sellada.pdf"}) {
    auto pdf = ReadFile(data_ + "/out/" + name);
    ASSERT_TRUE(pdf.ok()) << name;
    exported.insert(Sha256Hex(*pdf));
  }

  // Today's binary opens it (`rubrica init` on an initialised directory: migrations, keys).
  CommandResult init = RunCommand({RubricaBinary(), "init", "--data-dir", data_}, {}, 300);
  ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
  TempDir fresh;
  CommandResult made = RunCommand({RubricaBinary(), "init", "--data-dir", fresh / "new"}, {}, 300);
  ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  const auto levels = MigrationLevels(data_ + "/rubrica.db");
  EXPECT_EQ(levels, MigrationLevels(fresh / "new/rubrica.db"));
  EXPECT_GE(levels.size(), 5u);

  CommandResult audit = RunCommand({RubricaBinary(), "audit", "verify", "--data-dir", data_});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;

  // Every archived acta: the blob v0.1.0 exported, verified with the fixture's own CA.
  std::map<int64_t, std::string> sealed;
  for (const std::string& row : archived) {
    const int64_t id = std::stoll(row.substr(0, row.find('|')));
    const std::string blob = row.substr(row.find('|') + 1);
    EXPECT_TRUE(exported.count(blob)) << "acta " << id << ": " << blob;
    const std::string path = data_ + "/blobs/sha256/" + blob.substr(0, 2) + "/" + blob.substr(2, 2) + "/" + blob;
    CommandResult v = RunCommand({RubricaBinary(), "verify", path, "--trust", data_ + "/trust/ca.pem"}, {}, 300);
    EXPECT_EQ(v.exit_code, 0) << "acta " << id << "\n" << v.out << v.err;
    sealed[id] = blob;
  }

  // The service on it (archive renewal off: what is served is what v0.1.0 archived)
  // serves those very bytes, and takes new work.
  ConfigInputs in;
  in.flags = {{"data_dir", data_}, {"listen.port", "0"}};
  auto config = LoadConfig(in);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  SystemClock clock;
  RecordingLogger logger;
  ServiceOptions so;
  so.renewals = false;
  so.notifications = true;
  so.pin_scrypt_log2_n = 10;
  so.password_scrypt_log2_n = 10;
  so.verify_worker_binary = RubricaBinary();
  auto service = Service::Create(*config, clock, logger, so);
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  ASSERT_TRUE((*service)->Start().ok());
  const int port = (*service)->port();
  for (const auto& [id, blob] : sealed) {
    Reply pdf = Client(port).Get("/api/actas/" + std::to_string(id) + "/pdf");
    ASSERT_EQ(pdf.status, 200) << Describe(pdf);
    EXPECT_EQ(Sha256Hex(pdf.body), blob) << "acta " << id;
  }
  // New work: the administrator's first login (v0.1.0 had no accounts: `rubrica init`
  // made the administrator and printed its one-time link), and a new secretariat.
  const size_t at = init.out.find("http");
  ASSERT_NE(at, std::string::npos) << "no administrator invitation for the upgraded directory\n" << init.out;
  const std::string link = init.out.substr(at, init.out.find_first_of(" \n", at) - at);
  Reply accepted = Client(port).Post("/api/invitations/accept",
                                     "{\"token\":" + Q(TokenOfLink(link)) + ",\"password\":\"clave-de-prueba-larga\"}");
  ASSERT_EQ(accepted.status, 200) << Describe(accepted);
  Client admin = LoginBearer(port, "admin", "clave-de-prueba-larga");
  Reply s = admin.Post("/api/secretariats", R"({"template":"stm",)"
                                            R"("name":"Secretariado Técnico Municipal de Prueba tras la actualización",)"
                                            R"("place":"Villa Esperanza, Michoacán","administration_ends":"2027-08-31"})");
  EXPECT_EQ(s.status, 201) << Describe(s);
  (*service)->Stop();
  CommandResult again = RunCommand({RubricaBinary(), "audit", "verify", "--data-dir", data_});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
}

}  // namespace
}  // namespace rubrica::server::testing
