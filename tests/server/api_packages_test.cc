// GET /api/secretariats/{id}/packages (the garante's board) over the real service: the
// month's packages as `rubrica package build` made them (a real process on the data
// directory), their state and deadline against the injected clock, who may read them, and
// the agency's answer refused while there is none.
#include <gtest/gtest.h>

#include "api_world.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::CommandResult;
using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;

TEST(ApiPackagesTest, TheMonthsPackageIsListedWithItsStateAndDeadlineForTheInsidersOnly) {
  ApiWorld w;
  w.AdvanceTo(Stage::kArchived);  // the minute of 2026-02-16, sealed
  const std::string sid = std::to_string(w.secretariat);
  const std::string list = "/api/secretariats/" + sid + "/packages?month=2026-02";

  Reply none = w.As("garante").Get(list);
  ASSERT_EQ(none.status, 200) << Describe(none);
  EXPECT_EQ(none.Size("packages"), 0);
  EXPECT_EQ(none.Str("month"), "2026-02");
  EXPECT_EQ(none.Str("due_on"), "2026-02-28") << "a month's package is due by its last day";
  EXPECT_EQ(w.As("garante").Get("/api/secretariats/" + sid + "/packages").status, 400) << "the month is required";
  EXPECT_EQ(w.As("garante").Get("/api/secretariats/" + sid + "/packages?month=2026-13").status, 400);

  // The package of February, built by the CLI on the service's data directory.
  w.StopService();
  const std::string out = w.dir() + "/paquete.zip";
  CommandResult built = RunCommand({RubricaBinary(), "package", "build", "--data-dir", w.data_dir(), "--secretariat",
                                    sid, "--month", "2026-02", "--out", out, "--clock-start",
                                    FormatRfc3339Utc(w.clock().Now())},
                                   {}, 600);
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  EXPECT_EQ(rubrica::testing::JsonField(built.out, "state"), "built") << built.out;  // no co-signature configured: ready to send
  EXPECT_EQ(built.out.find("\"cosigner\""), std::string::npos) << built.out;
  EXPECT_EQ(built.err.find("draft"), std::string::npos) << built.err;
  w.StartService();
  auto zip = ReadFile(out);
  ASSERT_TRUE(zip.ok());
  const std::string sha256 = Sha256Hex(*zip);

  for (const std::string who : {"garante", "facilitator", "titular", "suplente", "archivist"}) {
    Reply one = w.As(who).Get(list);
    ASSERT_EQ(one.status, 200) << who << ": " << Describe(one);
    ASSERT_EQ(one.Size("packages"), 1) << one.body;
    EXPECT_EQ(one.Str("packages[0].sha256"), sha256) << "the package the CLI wrote";
    EXPECT_EQ(one.Str("packages[0].file_name"), "paquete-" + sid + "-2026-02.zip");
    EXPECT_EQ(one.Int("packages[0].bytes"), static_cast<int64_t>(zip->size()));
    EXPECT_EQ(one.Str("packages[0].state"), "built");
    EXPECT_EQ(one.Str("packages[0].timeliness"), "due") << "16 February: still in time";
    EXPECT_EQ(one.Size("packages[0].acta_ids"), 1);
    EXPECT_EQ(one.Int("packages[0].acta_ids[0]"), w.acta);
    EXPECT_EQ(one.Size("packages[0].refusals"), 0);
    EXPECT_EQ(one.Str("packages[0].answer"), "") << "no answer from the agency yet";
    EXPECT_EQ(one.Str("packages[0].answered_at"), "");
  }
  EXPECT_EQ(w.As("observer").Get(list).status, 403);
  EXPECT_EQ(w.As("admin").Get(list).status, 403);
  EXPECT_EQ(w.As("public").Get(list).status, 401);
  // Another month has none.
  Reply march = w.As("garante").Get("/api/secretariats/" + sid + "/packages?month=2026-03");
  ASSERT_EQ(march.status, 200);
  EXPECT_EQ(march.Size("packages"), 0);

  // No answer to download; a malformed or unknown id is the same refusal.
  const std::string answer = "/api/secretariats/" + sid + "/packages/" + sha256 + "/answer";
  Reply missing = w.As("garante").Get(answer);
  EXPECT_EQ(missing.status, 404) << Describe(missing);
  EXPECT_EQ(missing.Code(), "api.no_package_answer");
  EXPECT_EQ(w.As("garante").Get("/api/secretariats/" + sid + "/packages/zz/answer").Code(), "api.no_package_answer");
  EXPECT_EQ(w.As("observer").Get(answer).status, 403);

  // Past the month's last day with nothing received: late.
  w.SetClock(ApiWorld::Local(2026, 3, 2, 9));
  Reply late = w.As("garante").Get(list);
  ASSERT_EQ(late.status, 200);
  EXPECT_EQ(late.Str("packages[0].timeliness"), "late");
}

}  // namespace
}  // namespace rubrica::server::testing
