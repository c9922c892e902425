// The archive's renewal on the real service (port 0, in-process, injected clock): the
// background pass rotates the local CA's TSA certificate and renews the archived minute
// when its seal's TSA certificate nears its end, records it (archived_blob_id, audit
// "acta.renewed"), and the renewed PDF verifies years later with only the root, by the
// `rubrica verify` command. `rubrica renew` runs the same pass from the command line.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api_world.h"
#include "db_snapshot.h"
#include "pades/external_tools.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

using std::chrono::milliseconds;

Instant Day(int y, unsigned m, unsigned d) {
  return Instant(std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)));
}

// Waits (real time, bounded) until the acta's archived blob differs from `before`.
std::string WaitForRenewal(ApiWorld& w, const std::string& acta, const std::string& before) {
  for (int i = 0; i < 600; ++i) {
    const std::string now = w.As("garante").Get(acta).Str("archived_blob_id");
    if (!now.empty() && now != before) return now;
    std::this_thread::sleep_for(milliseconds(100));
  }
  return before;
}

TEST(ApiRenewalTest, TheServiceRenewsArchivedActasBeforeTheirSealsCertificateEnds) {
  WorldOptions o;
  o.titular2_attends = false;
  o.notifications = false;
  o.renewal_poll = milliseconds(100);
  ApiWorld w(o);
  w.AdvanceTo(Stage::kArchived);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string acta = "/api/actas/" + std::to_string(w.acta);
  const std::string sealed = w.As("garante").Get(acta).Str("archived_blob_id");
  ASSERT_FALSE(sealed.empty());

  // 2030-03-01: the seal's TSA certificate (2026 + 5 years) ends within a year.
  w.SetClock(Day(2030, 3, 1));
  const std::string first = WaitForRenewal(w, acta, sealed);
  ASSERT_NE(first, sealed) << "not renewed in 2030";
  // 2034-06-01: the 2030 certificate nears its end.
  w.SetClock(Day(2034, 6, 1));
  const std::string second = WaitForRenewal(w, acta, first);
  ASSERT_NE(second, first) << "not renewed in 2034";
  // Idempotent: an hour later nothing more happens.
  w.SetClock(Day(2034, 6, 1) + std::chrono::hours(2));
  std::this_thread::sleep_for(milliseconds(1500));
  EXPECT_EQ(w.As("garante").Get(acta).Str("archived_blob_id"), second);

  // Recorded: two audit entries "acta.renewed" by the system, from one blob to the next.
  const std::string audit = DumpTables(w.data_dir() + "/rubrica.db", "audit");
  size_t renewed = 0;
  for (size_t at = audit.find("acta.renewed"); at != std::string::npos; at = audit.find("acta.renewed", at + 1)) {
    ++renewed;
  }
  EXPECT_EQ(renewed, 2u) << audit.substr(0, 4000);
  EXPECT_NE(audit.find("\"from\":\"" + first + "\",\"to\":\"" + second + "\""), std::string::npos);
  EXPECT_NE(audit.find("keys.ca_renewed"), std::string::npos);

  // The public PDF is the renewed one; in 2036 it verifies with only the root, offline.
  auto pdf = w.As("public").Get(acta + "/pdf");
  ASSERT_EQ(pdf.status, 200) << Describe(pdf);
  const std::string path = w.dir() + "/renovada.pdf";
  ASSERT_TRUE(WriteFileAtomic(path, pdf.body).ok());
  auto ca = ReadFile(w.data_dir() + "/trust/ca.pem");
  ASSERT_TRUE(ca.ok());
  const std::string root_pem = w.dir() + "/root.pem";
  ASSERT_TRUE(WriteFileAtomic(root_pem, ca->substr(0, ca->find("-----END CERTIFICATE-----") + 26)).ok());
  auto verified = rubrica::testing::RunCommand({rubrica::testing::RubricaBinary(), "verify", "--at",
                                                "2036-06-01T00:00:00Z", "--trust", root_pem, path, "--json"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out.substr(0, 4000) << verified.err;
  EXPECT_NE(verified.out.find("\"field\":\"sello_archivo_3\""), std::string::npos);
  std::string qpdf;
  EXPECT_TRUE(pades_testing::QpdfCheck(path, &qpdf)) << qpdf;

  // The same pass from the command line, with the service stopped: nothing is due now.
  w.StopService();
  auto dry = rubrica::testing::RunCommand(
      {rubrica::testing::RubricaBinary(), "renew", "--data-dir", w.data_dir(), "--dry-run", "--json"});
  EXPECT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("{\"acta_id\":" + std::to_string(w.acta) + ",\"due\":false"), std::string::npos)
      << dry.out;
  auto missing = rubrica::testing::RunCommand(
      {rubrica::testing::RubricaBinary(), "renew", "--data-dir", w.data_dir(), "--acta", "999999"});
  EXPECT_EQ(missing.exit_code, 1) << missing.out << missing.err;
  auto usage = rubrica::testing::RunCommand(
      {rubrica::testing::RubricaBinary(), "renew", "--data-dir", w.data_dir(), "--acta", "uno"});
  EXPECT_EQ(usage.exit_code, 2) << usage.out << usage.err;
  w.StartService();
}

}  // namespace
}  // namespace rubrica::server::testing
