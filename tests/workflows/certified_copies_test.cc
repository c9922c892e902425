// The certified copy: refused before the seal, made once per sealed revision and recorded,
// nothing recorded when the engine fails.
#include <gtest/gtest.h>

#include "acta_helpers.h"

namespace rubrica::workflows::testing {
namespace {

constexpr year_month_day kDay = 2026y / February / 16;

TEST(CertifiedCopiesTest, RefusedUntilTheActaIsSealed) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  ExpectRefusal(w, "workflows.not_archived",
                [&] { return w.wf().actas().CertifiedCopy(acta, "account:1").status(); });
  ReviewAndApprove(w, acta);
  SignAll(w, acta);
  ExpectRefusal(w, "workflows.not_archived",
                [&] { return w.wf().actas().CertifiedCopy(acta, "account:1").status(); });
  EXPECT_TRUE(w.engine->copies.empty());
}

TEST(CertifiedCopiesTest, MadeOnceFromTheSealedRevisionNamingEverySigner) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  ReviewAndApprove(w, acta);
  SignAll(w, acta);
  ASSERT_TRUE(w.wf().actas().Archive(w.Garante(), acta).ok());
  auto record = w.wf().actas().Get(acta);
  ASSERT_TRUE(record.ok());
  const auto before = Snapshot(w.db_path());

  auto copy = w.wf().actas().CertifiedCopy(acta, "account:9");
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  ASSERT_EQ(w.engine->copies.size(), 1u);
  const CertifiedCopyRequest& req = w.engine->copies[0];
  EXPECT_EQ(req.sealed_blob_id, record->archived_blob_id);
  EXPECT_EQ(req.folio, record->folio);
  EXPECT_EQ(req.state, "archived");
  EXPECT_EQ(req.state_es, "archivada");
  ASSERT_EQ(req.signers.size(), record->signers.size());
  for (size_t i = 0; i < req.signers.size(); ++i) {
    EXPECT_EQ(req.signers[i].full_name, w.names[record->signers[i].person_id]);
    EXPECT_FALSE(req.signers[i].represents.empty()) << "a titular sits in a seat";
  }
  auto bytes = w.blobs().Get(*copy);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->rfind("FAKE-COPY of " + record->archived_blob_id, 0), 0u);

  const auto after = Snapshot(w.db_path());
  EXPECT_EQ(after.audit_entries, before.audit_entries + 1);
  EXPECT_EQ(after.rows.at("wf_certified_copy"), before.rows.at("wf_certified_copy") + 1);

  auto again = w.wf().actas().CertifiedCopy(acta, "account:10");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *copy);
  EXPECT_EQ(w.engine->copies.size(), 1u) << "the recorded copy is served, not made again";
  EXPECT_EQ(Snapshot(w.db_path()).dump, after.dump);
}

TEST(CertifiedCopiesTest, AnEngineFailureRecordsNothing) {
  World w(Shape::kStl);
  const int64_t acta = DraftMinute(w, kDay, w.Titulars());
  ReviewAndApprove(w, acta);
  SignAll(w, acta);
  ASSERT_TRUE(w.wf().actas().Archive(w.Garante(), acta).ok());
  w.engine->FailNext();
  ExpectRefusal(w, "engine.unavailable",
                [&] { return w.wf().actas().CertifiedCopy(acta, "account:1").status(); });
  auto copy = w.wf().actas().CertifiedCopy(acta, "account:1");
  EXPECT_TRUE(copy.ok()) << copy.status().ToString();
}

}  // namespace
}  // namespace rubrica::workflows::testing
