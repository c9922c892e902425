// The embedded TSA over real HTTP (tests/support's server; the service's own /tsa route is
// tested in tests/server/tsa_route_test.cc), judged by `openssl ts`.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "der_writer.h"
#include "oids.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/signing/timestamp_token.h"
#include "signing/test_pki.h"
#include "signing/tsa_server.h"
#include "support/test_support.h"

namespace rubrica::signing {
namespace {

using rubrica::testing::CommandResult;
using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;
using testing::HttpPost;
using testing::HttpReply;
using testing::TestPki;
using testing::TsaServer;

const std::string kDocument = "Acta de la sesión ordinaria, versión aprobada.";

class TsaTest : public ::testing::Test {
 public:
  TsaTest() : tsa_(pki_) {
    EXPECT_TRUE(WriteFileAtomic(dir_ / "doc.bin", kDocument).ok());
    EXPECT_TRUE(WriteFileAtomic(dir_ / "ca.pem", pki_.ca().ToPem()).ok());
    EXPECT_TRUE(WriteFileAtomic(dir_ / "tsa.pem", tsa_.certificate().ToPem()).ok());
  }

  HttpReply Post(const std::string& request) {
    return HttpPost(tsa_.url(), "application/timestamp-query", request);
  }
  std::string Query(const std::vector<std::string>& options) {
    std::vector<std::string> argv = {"openssl", "ts", "-query", "-data", dir_ / "doc.bin", "-out", dir_ / "q.tsq"};
    argv.insert(argv.end(), options.begin(), options.end());
    CommandResult r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return *ReadFile(dir_ / "q.tsq");
  }
  CommandResult ReplyText(const std::string& response) {
    EXPECT_TRUE(WriteFileAtomic(dir_ / "r.tsr", response).ok());
    return RunCommand({"openssl", "ts", "-reply", "-in", dir_ / "r.tsr", "-text"});
  }
  CommandResult VerifyReply(const std::vector<std::string>& how) {
    std::vector<std::string> argv = {"openssl", "ts", "-verify", "-in", dir_ / "r.tsr", "-CAfile",
                                     dir_ / "ca.pem", "-untrusted", dir_ / "tsa.pem"};
    argv.insert(argv.end(), how.begin(), how.end());
    return RunCommand(argv);
  }

  TempDir dir_;
  TestPki pki_;
  TsaServer tsa_;
};

struct QueryCase {
  const char* name;
  std::vector<std::string> options;
};

class TsaQueryTest : public TsaTest, public ::testing::WithParamInterface<QueryCase> {};

TEST_P(TsaQueryTest, OpensslQueryOverHttpIsGrantedAndVerifies) {
  const std::string query = Query(GetParam().options);
  HttpReply reply = Post(query);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.content_type, "application/timestamp-reply");

  CommandResult text = ReplyText(reply.body);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Status: Granted."), std::string::npos) << text.out;
  // The TSA's clock is the injected ManualClock (2026-03-14T17:30:00.25Z).
  EXPECT_NE(text.out.find("Time stamp: Mar 14 17:30:00.25 2026 GMT"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(std::string("Policy OID: ") + kDefaultTsaPolicyOid), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Accuracy: 0x01 seconds"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Ordering: no"), std::string::npos) << text.out;

  CommandResult by_data = VerifyReply({"-data", dir_ / "doc.bin"});
  EXPECT_EQ(by_data.exit_code, 0) << by_data.out << by_data.err;
  EXPECT_NE(by_data.out.find("Verification: OK"), std::string::npos) << by_data.out << by_data.err;
  CommandResult by_query = VerifyReply({"-queryfile", dir_ / "q.tsq"});
  EXPECT_NE(by_query.out.find("Verification: OK"), std::string::npos) << by_query.out << by_query.err;
  // A different document does not verify against this reply.
  ASSERT_TRUE(WriteFileAtomic(dir_ / "other.bin", kDocument + " (alterada)").ok());
  CommandResult other = VerifyReply({"-data", dir_ / "other.bin"});
  EXPECT_NE(other.exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Queries, TsaQueryTest,
                         ::testing::Values(QueryCase{"Sha256WithCert", {"-sha256", "-cert"}},
                                           QueryCase{"Sha256WithoutCert", {"-sha256"}},
                                           QueryCase{"Sha512NoNonce", {"-sha512", "-cert", "-no_nonce"}},
                                           QueryCase{"OurPolicy", {"-sha256", "-cert", "-tspolicy", kDefaultTsaPolicyOid}}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(TsaTest, TokensFromOurClientVerifyWithOpensslByDataAndByDigest) {
  auto client = HttpTimestampClient::Create(tsa_.url());
  ASSERT_TRUE(client.ok());
  auto token = (*client)->Timestamp(Sha256(kDocument));
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  ASSERT_TRUE(WriteFileAtomic(dir_ / "token.der", *token).ok());
  for (const std::vector<std::string>& how :
       {std::vector<std::string>{"-data", dir_ / "doc.bin"},
        std::vector<std::string>{"-digest", Sha256Hex(kDocument)}}) {
    std::vector<std::string> argv = {"openssl", "ts", "-verify", "-in", dir_ / "token.der", "-token_in",
                                     "-CAfile", dir_ / "ca.pem", "-untrusted", dir_ / "tsa.pem"};
    argv.insert(argv.end(), how.begin(), how.end());
    CommandResult r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Verification: OK"), std::string::npos) << r.out << r.err;
  }
}

// Crafted requests: SEQUENCE { version, messageImprint, [policy], [nonce], [certReq], [ext] }.
std::string Request(int version, std::string_view alg, std::string_view imprint,
                    std::vector<std::string> extra = {}) {
  std::vector<std::string> fields = {
      der::SmallInteger(static_cast<uint64_t>(version)),
      der::Sequence({der::AlgorithmId(alg), der::OctetString(imprint)})};
  fields.insert(fields.end(), extra.begin(), extra.end());
  return der::Sequence(fields);
}

struct RejectCase {
  const char* name;
  std::function<std::string(TsaTest&)> request;
  const char* failure_text;  // as `openssl ts -reply -text` prints the failInfo bit
};

class TsaRejectTest : public TsaTest, public ::testing::WithParamInterface<RejectCase> {};

TEST_P(TsaRejectTest, BadRequestsAreRejectedWithTheRightFailureBit) {
  HttpReply reply = Post(GetParam().request(*this));
  ASSERT_EQ(reply.status, 200) << reply.body;
  CommandResult text = ReplyText(reply.body);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Status: Rejected."), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(GetParam().failure_text), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("TST info:\nNot included."), std::string::npos) << text.out;
}

INSTANTIATE_TEST_SUITE_P(
    Requests, TsaRejectTest,
    ::testing::Values(
        RejectCase{"Garbage", [](TsaTest&) { return std::string("not DER at all"); },
                   "the data submitted has the wrong format"},
        RejectCase{"Empty", [](TsaTest&) { return std::string(); }, "the data submitted has the wrong format"},
        RejectCase{"Sha1Imprint", [](TsaTest& t) { return t.Query({"-sha1"}); },
                   "unrecognized or unsupported algorithm identifier"},
        RejectCase{"ImprintOfWrongLength",
                   [](TsaTest&) { return Request(1, oid::kSha256, "short"); },
                   "unrecognized or unsupported algorithm identifier"},
        RejectCase{"OtherPolicy", [](TsaTest& t) { return t.Query({"-sha256", "-tspolicy", "1.2.3.4"}); },
                   "requested TSA policy is not supported by the TSA"},
        RejectCase{"Version2", [](TsaTest&) { return Request(2, oid::kSha256, Sha256("x")); },
                   "transaction not permitted or supported"},
        RejectCase{"WithExtensions",
                   [](TsaTest&) {
                     return Request(1, oid::kSha256, Sha256("x"),
                                    {der::Tlv(der::ContextConstructed(0), der::Sequence({}))});
                   },
                   "requested extension is not supported by the TSA"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(TsaTest, SerialsAreUniqueAndTimeComesFromTheClock) {
  auto client = HttpTimestampClient::Create(tsa_.url());
  ASSERT_TRUE(client.ok());
  auto first = VerifyTimestampToken(*(*client)->Timestamp(Sha256("a")), Sha256("a"));
  tsa_.clock().Advance(std::chrono::seconds(90));
  auto second = VerifyTimestampToken(*(*client)->Timestamp(Sha256("a")), Sha256("a"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->gen_time, testing::TestInstant());
  EXPECT_EQ(second->gen_time, testing::TestInstant() + std::chrono::seconds(90));
  EXPECT_NE(first->serial_hex, second->serial_hex);
  EXPECT_GE(first->serial_hex.size(), 30u);  // ~127 random bits
  EXPECT_EQ(first->policy_oid, kDefaultTsaPolicyOid);
  EXPECT_EQ(first->accuracy_micros, 1000000);
}

TEST_F(TsaTest, AnswersConcurrentRequests) {
  std::vector<std::thread> threads;
  std::atomic<int> verified{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto client = HttpTimestampClient::Create(tsa_.url());
      for (int i = 0; i < 10; ++i) {
        const std::string imprint = Sha256("document " + std::to_string(t * 100 + i));
        auto token = (*client)->Timestamp(imprint);
        if (token.ok() && VerifyTimestampToken(*token, imprint).ok()) ++verified;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(verified.load(), 40);
}

TEST(TimestampAuthorityCreateTest, RefusesCertificatesRfc3161Forbids) {
  TestPki pki;
  ManualClock clock(testing::TestInstant());
  struct Case {
    const char* name;
    testing::Usage usage;
    bool matching_key;
  };
  for (const Case& c : {Case{"SignerCertificate", testing::Usage::kSigner, true},
                        Case{"EkuNotCritical", testing::Usage::kTimeStampingNotCritical, true},
                        Case{"KeyOfAnotherCertificate", testing::Usage::kTimeStamping, false}}) {
    testing::Identity id = pki.Issue(keys::KeyAlgorithm::kEcdsaP256, "TSA de Prueba", c.usage);
    keys::SigningKey key = c.matching_key ? std::move(id.key)
                                          : keys::SigningKey::Generate(keys::KeyAlgorithm::kEcdsaP256).value();
    auto tsa = TimestampAuthority::Create({id.cert}, std::move(key), clock);
    EXPECT_EQ(tsa.status().code(), "signing.bad_tsa_certificate") << c.name;
  }
  testing::Identity ok = pki.Issue(keys::KeyAlgorithm::kEcdsaP256, "TSA de Prueba", testing::Usage::kTimeStamping);
  auto bad_policy = TimestampAuthority::Create({ok.cert}, std::move(ok.key), clock, {.policy_oid = "none"});
  EXPECT_EQ(bad_policy.status().code(), "signing.bad_oid");
}

}  // namespace
}  // namespace rubrica::signing
