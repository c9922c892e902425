// The road of one PIN signature through the real service (HTTP handler -> workflow ->
// engine -> signing::SignPdf), counted: the acta is read from the database once (by the
// request's authorisation, whose read the workflow then checks and signs) and the PDF is
// parsed once (the engine reads the signer list from, and appends the revision to, one
// parse). A regression that reads or parses again fails here.
#include <gtest/gtest.h>

#include "api_world.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/workflows/actas.h"

namespace rubrica::server::testing {
namespace {

TEST(ApiSigningRoadTest, APinSignatureReadsTheActaOnceAndParsesItsPdfOnce) {
  // The counters are process-wide: the background notification sender (which reads actas
  // to write their messages) is off, so they count the request alone.
  WorldOptions o;
  o.notifications = false;
  ApiWorld w(o);
  w.AdvanceTo(Stage::kRubric);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string acta = "/api/actas/" + std::to_string(w.acta);
  int signatures = 0;
  for (const std::string kind : {"rubric", "foot-signature"}) {
    for (const std::string& key : w.Signers()) {
      SCOPED_TRACE(kind + " by " + key);
      const WorldPerson& p = w.person(key);
      const uint64_t reads = workflows::ActaReadsSoFar();
      const uint64_t parses = pdf::cos::PdfFile::OpenedSoFar();
      Reply r = w.As(key).Post(acta + "/" + kind, "{\"pin\":" + Q(p.pin) + "}");
      ASSERT_EQ(r.status, 200) << Describe(r);
      EXPECT_EQ(workflows::ActaReadsSoFar() - reads, 1u);
      EXPECT_EQ(pdf::cos::PdfFile::OpenedSoFar() - parses, 1u);
      // The acta in the reply is the acta after this signature.
      ++signatures;
      EXPECT_EQ(r.Str("acta.current_blob_id"), r.Str("blob_id"));
      EXPECT_EQ(r.Size("acta.signatures"), signatures);
    }
  }
  Reply done = w.As("facilitator").Get(acta);
  EXPECT_TRUE(done.Bool("complete"));
}

}  // namespace
}  // namespace rubrica::server::testing
