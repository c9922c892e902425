// Several members of one acta signing at the same moment over HTTP, with the server-held key
// and from a device: the signatures serialise in the service, none is lost, none overwrites
// another, and the revisions form one chain. (The many-actas case at scale is bench/
// api_load_bench, CTest ApiLoad.) And anonymous callers asking at once for a certified copy
// that does not exist yet: it is made once.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "api_world.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

TEST(ApiConcurrencyTest, SignersOfOneActaAtOnceLoseNothingAndExtendOneChain) {
  WorldOptions o;
  o.titular2_attends = true;
  o.external_suplente = true;
  ApiWorld w(o);
  w.AdvanceTo(Stage::kRubric);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string acta = "/api/actas/" + std::to_string(w.acta);
  for (const std::string kind : {"rubric", "foot"}) {
    SCOPED_TRACE(kind);
    std::vector<std::thread> threads;
    std::vector<Reply> replies(4);
    int external_attempts = 0;
    const std::vector<std::string> pin_signers = {"titular", "titular2", "garante"};
    for (size_t i = 0; i < pin_signers.size(); ++i) {
      threads.emplace_back([&, i] {
        const WorldPerson& p = w.person(pin_signers[i]);
        replies[i] = w.As(p.key).Post(acta + (kind == "rubric" ? "/rubric" : "/foot-signature"),
                                      "{\"pin\":" + Q(p.pin) + "}");
      });
    }
    // The device prepares and finalizes; when another signature lands in between, the
    // service refuses (409 api.revision_moved) and the device prepares again.
    threads.emplace_back([&] {
      Client s = w.As("suplente");
      for (int attempt = 0; attempt < 10; ++attempt) {
        ++external_attempts;
        Reply prep = s.Post(acta + "/sign/prepare", "{\"kind\":\"" + kind + "\"}");
        if (prep.status != 201) {
          replies[3] = prep;
          return;
        }
        auto attrs = Base64Decode(prep.Str("signed_attributes"));
        replies[3] = s.Post(acta + "/sign/finalize", "{\"ticket\":" + Q(prep.Str("ticket")) +
                                                         ",\"signature\":" +
                                                         Q(Base64Encode(w.DeviceSign(attrs.ok() ? *attrs : ""))) + "}");
        if (!(replies[3].status == 409 && replies[3].Code() == "api.revision_moved")) return;
      }
    });
    for (auto& t : threads) t.join();
    for (size_t i = 0; i < replies.size(); ++i) EXPECT_EQ(replies[i].status, 200) << i << ": " << Describe(replies[i]);
    std::cout << kind << ": the device signed after " << external_attempts << " attempt(s)\n";
  }
  Reply done = w.As("facilitator").Get(acta);
  ASSERT_EQ(done.status, 200);
  EXPECT_TRUE(done.Bool("complete"));
  ASSERT_EQ(done.Size("signatures"), 8);
  // One chain: every signature produced its own revision, and the last is the acta's.
  std::set<std::string> blobs;
  for (int i = 0; i < 8; ++i) blobs.insert(done.Str("signatures[" + std::to_string(i) + "].blob_id"));
  EXPECT_EQ(blobs.size(), 8u);
  EXPECT_EQ(done.Str("current_blob_id"), done.Str("signatures[7].blob_id"));
  // Each revision extends the previous: its bytes start with the previous revision's.
  Client f = w.As("facilitator");
  std::string previous = f.Get(acta + "/revisions/" + done.Str("approvals[0].certified_blob_id")).body;
  for (int i = 0; i < 8; ++i) {
    const std::string rev = f.Get(acta + "/revisions/" + done.Str("signatures[" + std::to_string(i) + "].blob_id")).body;
    ASSERT_GT(rev.size(), previous.size());
    EXPECT_EQ(rev.compare(0, previous.size(), previous), 0) << "signature " << i << " does not extend the one before";
    previous = rev;
  }
  Reply verified = f.Send("POST", "/api/verify", previous, "application/pdf");
  ASSERT_EQ(verified.status, 200);
  EXPECT_EQ(verified.Int("exit_code"), 0) << verified.body.substr(0, 1500);
}

// Sixteen anonymous first requests for an acta's certified copy, all at once from one
// address: the copy is made once (one copy in the blob store: each making seals anew, so a
// second would leave other bytes; one recorded), every answer is that copy's bytes, 503 api.busy (it is being made) or 429
// api.too_many_certified_copies (the address's allowance), each refusal with Retry-After;
// asked again, everyone gets the same bytes.
TEST(ApiConcurrencyTest, ParallelFirstRequestsForACertifiedCopyMakeItOnce) {
  ApiWorld w;
  w.AdvanceTo(Stage::kArchived);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string copy = "/api/actas/" + std::to_string(w.acta) + "/certified-copy";
  auto zips_in_blob_store = [&] {
    int zips = 0;
    for (const auto& f : ListFilesRecursive(w.data_dir() + "/blobs")) {
      auto head = ReadFile(f, 64 << 20);
      if (head.ok() && head->rfind("PK\x03\x04", 0) == 0) ++zips;
    }
    return zips;
  };
  ASSERT_EQ(zips_in_blob_store(), 0);

  constexpr int kRequests = 16;
  std::vector<Reply> replies(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] { replies[static_cast<size_t>(i)] = w.As("public").Get(copy); });
  }
  for (auto& t : threads) t.join();

  EXPECT_EQ(zips_in_blob_store(), 1) << "the copy is made once: no second one left behind";
  Reply again = w.As("public").Get(copy);
  ASSERT_EQ(again.status, 200) << Describe(again);
  std::map<std::string, int> answers;
  for (const Reply& r : replies) {
    if (r.status == 200) {
      ++answers["200"];
      EXPECT_EQ(r.body, again.body) << "every copy served is the recorded one";
    } else {
      ++answers[std::to_string(r.status) + " " + r.Code()];
      EXPECT_TRUE((r.status == 503 && r.Code() == "api.busy") ||
                  (r.status == 429 && r.Code() == "api.too_many_certified_copies"))
          << Describe(r);
      EXPECT_FALSE(r.headers.count("retry-after") == 0) << Describe(r);
    }
  }
  EXPECT_EQ(answers["200"], 1) << "only the request that made it got it in the burst";
  std::string tally;
  for (const auto& [what, n] : answers) tally += what + ": " + std::to_string(n) + "; ";
  std::cout << "16 parallel first requests: " << tally << "\n";

  // Everyone asking later gets those bytes, without counting against their allowance.
  for (int i = 0; i < 8; ++i) {
    Reply later = w.As("public").Get(copy);
    ASSERT_EQ(later.status, 200) << i << ": " << Describe(later);
    EXPECT_EQ(later.body, again.body);
  }
  EXPECT_EQ(zips_in_blob_store(), 1);
  auto recorded = rubrica::testing::RunCommand(
      {"sqlite3", "-readonly", w.data_dir() + "/rubrica.db", "SELECT count(*) FROM wf_certified_copy"});
  EXPECT_EQ(recorded.out, "1\n") << recorded.err;
}

}  // namespace
}  // namespace rubrica::server::testing
