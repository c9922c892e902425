// A whole session and its acta through HTTP alone, on the real service (port 0): the
// administrator sets the secretariat up, the facilitator (from a browser session) runs the
// session and drafts the minute, two titulars, a substitute standing in and the garante
// review, approve, rubricate every page and sign at the foot with their PINs, the garante
// archives and delivers it. The signed PDF is then judged by pdfsig, qpdf and our own
// sandboxed verifier, and the audit chain by `rubrica audit verify`.
#include <gtest/gtest.h>

#include "api_world.h"
#include "pades/external_tools.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

TEST(ApiWalkTest, FacilitatorTwoMembersSubstituteAndGaranteCarryAnActaToDelivery) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kSessionHeld);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());

  // The session as anyone sees it: held, with attendance and quorum.
  Reply session = w.As("public").Get("/api/sessions/" + std::to_string(w.session));
  ASSERT_EQ(session.status, 200) << Describe(session);
  EXPECT_EQ(session.Str("session.status"), "closed");
  EXPECT_TRUE(session.Bool("quorum.met"));
  EXPECT_EQ(session.Int("quorum.present"), 4);
  EXPECT_EQ(session.Size("attendance"), 6);  // four seats, the facilitator, the observer

  w.AdvanceTo(Stage::kReview);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string acta = "/api/actas/" + std::to_string(w.acta);
  // In review: members read and comment; the public does not see a draft.
  EXPECT_EQ(w.As("suplente").Get(acta).Str("state"), "review");
  EXPECT_EQ(w.As("public").Get(acta).status, 401);
  Reply comments = w.As("garante").Get(acta + "/comments");
  ASSERT_EQ(comments.status, 200) << Describe(comments);
  EXPECT_EQ(comments.Size("comments"), 1);
  // The facilitator publishes a second version answering the comment.
  Reply v2 = w.As("facilitator")
                 .Post(acta + "/versions",
                       "{\"content\":" + ApiWorld::MinuteContent("ACTA DE LA PRIMERA SESIÓN "
                                                                 "ORDINARIA DE 2026 (v2)") +
                           "}");
  ASSERT_EQ(v2.status, 201) << Describe(v2);
  EXPECT_EQ(v2.Int("version"), 2);

  w.AdvanceTo(Stage::kRubric);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Reply approved = w.As("titular").Get(acta);
  EXPECT_EQ(approved.Str("state"), "rubric");
  EXPECT_EQ(approved.Int("approvals[0].version"), 2);
  EXPECT_TRUE(approved.Bool("approvals[0].certified"));
  EXPECT_EQ(approved.Size("signers"), 4);

  w.AdvanceTo(Stage::kDelivered);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Reply done = w.As("garante").Get(acta);
  ASSERT_EQ(done.status, 200);
  EXPECT_EQ(done.Str("state"), "delivered");
  EXPECT_TRUE(done.Bool("complete"));
  EXPECT_EQ(done.Size("signatures"), 8);
  EXPECT_EQ(done.Str("delivered_to"), "Instituto Estatal de Transparencia de Prueba");
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(done.Bool("signers[" + std::to_string(i) + "].rubric_signed"));
    EXPECT_TRUE(done.Bool("signers[" + std::to_string(i) + "].foot_signed"));
  }

  // The monthly obligation is met.
  Reply month = w.As("garante").Get("/api/secretariats/" + std::to_string(w.secretariat) +
                                    "/deliveries?month=2026-02");
  ASSERT_EQ(month.status, 200) << Describe(month);
  EXPECT_EQ(month.Str("obligations[0].status"), "delivered_on_time");

  // The archivist and the public get the sealed PDF; every revision is listed.
  Reply pdf = w.As("archivist").Get(acta + "/pdf");
  ASSERT_EQ(pdf.status, 200) << Describe(pdf);
  EXPECT_EQ(pdf.headers["content-type"], "application/pdf");
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(w.As("public").Get(acta + "/pdf").body, pdf.body);
  Reply revisions = w.As("public").Get(acta + "/revisions");
  ASSERT_EQ(revisions.status, 200);
  EXPECT_EQ(revisions.Size("revisions"), 10);  // certified, 8 signatures, sealed
  Reply first = w.As("public").Get(acta + "/revisions/" + revisions.Str("revisions[0].blob_id"));
  EXPECT_EQ(first.status, 200);
  EXPECT_LT(first.body.size(), pdf.body.size());

  // Judges we did not write: qpdf and pdfsig (trusting the installation's anchor).
  const std::string path = w.dir() + "/acta.pdf";
  ASSERT_TRUE(WriteFileAtomic(path, pdf.body).ok());
  std::string qpdf_out;
  EXPECT_TRUE(pades_testing::QpdfCheck(path, &qpdf_out)) << qpdf_out;
  auto sig = pades_testing::RunPdfsig(path, w.data_dir() + "/trust/ca.pem", w.dir());
  EXPECT_EQ(sig.unsigned_fields, 0) << sig.output;
  int valid = 0;
  for (const auto& s : sig.signatures) valid += s.valid ? 1 : 0;
  EXPECT_GE(valid, 9) << sig.output;  // certification + 8 member signatures

  // Our verifier, in its sandbox, through the API.
  Reply verified = w.As("archivist").Send("POST", "/api/verify", pdf.body, "application/pdf");
  ASSERT_EQ(verified.status, 200) << Describe(verified);
  EXPECT_EQ(verified.Int("exit_code"), 0) << verified.body.substr(0, 2000);
  // The service gives its verifier the installation's live CRLs: every certificate of every
  // chain is checked, none left "not_checked".
  EXPECT_NE(verified.body.find("\"state\":\"good\""), std::string::npos) << verified.body.substr(0, 3000);
  EXPECT_EQ(verified.body.find("\"state\":\"not_checked\""), std::string::npos) << verified.body;
  EXPECT_EQ(verified.body.find("\"state\":\"revoked\""), std::string::npos);

  // A titular reports a lost key after the acta was signed; the administrator revokes the
  // credential from the command line while the service runs. The next verification says
  // so at once, and the titular's signatures stay valid: they were made before.
  {
    const std::string holder = "person:" + std::to_string(w.person("titular").id);
    auto list = rubrica::testing::RunCommand({rubrica::testing::RubricaBinary(), "keys", "list", "--holder",
                                              holder, "--json", "--data-dir", w.data_dir()});
    ASSERT_EQ(list.exit_code, 0) << list.out << list.err;
    const size_t at = list.out.find("\"id\":");
    ASSERT_NE(at, std::string::npos) << list.out;
    const std::string id = std::to_string(std::stoll(list.out.substr(at + 5)));
    auto revoke = rubrica::testing::RunCommand({rubrica::testing::RubricaBinary(), "keys", "revoke", id,
                                                "--reason", "lost-key", "--data-dir", w.data_dir()});
    ASSERT_EQ(revoke.exit_code, 0) << revoke.out << revoke.err;
    Reply again = w.As("archivist").Send("POST", "/api/verify", pdf.body, "application/pdf");
    ASSERT_EQ(again.status, 200) << Describe(again);
    EXPECT_EQ(again.Int("exit_code"), 0) << again.body.substr(0, 2000);
    EXPECT_NE(again.body.find("\"state\":\"revoked\""), std::string::npos) << again.body.substr(0, 3000);
    EXPECT_NE(again.body.find("\"reason\":\"keyCompromise\""), std::string::npos);
    EXPECT_NE(again.body.find("after the time of this signature"), std::string::npos);
  }

  // The audit chain of everything above holds.
  w.StopService();
  auto audit = rubrica::testing::RunCommand(
      {rubrica::testing::RubricaBinary(), "audit", "verify", "--data-dir", w.data_dir()});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
}

}  // namespace
}  // namespace rubrica::server::testing
