// HttpTimestampClient against real local peers: our TSA, a closed port, a peer that never
// answers, HTTP servers that answer 500, garbage, rejections and replayed replies.
#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/logger.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/signing/timestamp_token.h"
#include "signing/test_pki.h"
#include "signing/tsa_server.h"
#include "support/local_http_server.h"

namespace rubrica::signing {
namespace {

using std::chrono::milliseconds;
using testing::TestPki;
using testing::TsaServer;

using rubrica::testing::LocalHttpReply;
using rubrica::testing::LocalHttpRequest;

// An HTTP server on port 0 that answers every request with `handler`.
class FakeTsa {
 public:
  explicit FakeTsa(rubrica::testing::LocalHttpServer::Handler handler) : server_(std::move(handler), 2) {}
  std::string url() const { return server_.Url("/tsa"); }

 private:
  rubrica::testing::LocalHttpServer server_;
};

LocalHttpReply TimestampReply(int status, std::string body) {
  return {status, "application/timestamp-reply", std::move(body)};
}

std::unique_ptr<HttpTimestampClient> Client(const std::string& url, milliseconds timeout = milliseconds(5000)) {
  auto c = HttpTimestampClient::Create(url, {.timeout = timeout});
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(*c);
}

TEST(HttpTimestampClientTest, ClosedPortIsUnavailableWithinTheTimeout) {
  int port = 0;
  {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = socket.address().port();
  }  // closed: nothing listens there any more
  auto client = Client("http://127.0.0.1:" + std::to_string(port) + "/tsa", milliseconds(2000));
  const auto start = std::chrono::steady_clock::now();
  auto token = client->Timestamp(Sha256("x"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), "signing.tsa_unavailable");
  EXPECT_EQ(token.status().kind(), ErrorKind::kUnavailable);
  EXPECT_LT(elapsed, milliseconds(2000));
}

TEST(HttpTimestampClientTest, PeerThatNeverAnswersTimesOut) {
  // Listening (the kernel completes the handshake) but never reading or answering.
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  auto client = Client("http://127.0.0.1:" + std::to_string(socket.address().port()) + "/tsa", milliseconds(500));
  const auto start = std::chrono::steady_clock::now();
  auto token = client->Timestamp(Sha256("x"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), "signing.tsa_unavailable");
  EXPECT_NE(token.status().message().find("timed out"), std::string::npos) << token.status().message();
  EXPECT_GE(elapsed, milliseconds(400));
  EXPECT_LT(elapsed, milliseconds(3000));
}

TEST(HttpTimestampClientTest, PeerThatIsNotHttpIsABadResponse) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  std::thread peer([&] {
    Poco::Net::StreamSocket conn = socket.acceptConnection();
    char buf[4096];
    conn.setReceiveTimeout(Poco::Timespan(2, 0));
    conn.receiveBytes(buf, sizeof buf);
    const std::string garbage = "SSH-2.0-OpenSSH_9.2\r\n\r\n";
    conn.sendBytes(garbage.data(), static_cast<int>(garbage.size()));
    conn.shutdown();
  });
  auto token = Client("http://127.0.0.1:" + std::to_string(socket.address().port()) + "/tsa")->Timestamp(Sha256("x"));
  peer.join();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), "signing.tsa_bad_response") << token.status().ToString();
}

struct FakeCase {
  const char* name;
  int status;
  std::string body;
  const char* code;
};

class HttpTimestampClientFakeTest : public ::testing::TestWithParam<FakeCase> {};

TEST_P(HttpTimestampClientFakeTest, MisbehavingTsaGivesItsOwnCode) {
  const FakeCase& c = GetParam();
  FakeTsa fake([&c](const LocalHttpRequest&) { return TimestampReply(c.status, c.body); });
  auto token = Client(fake.url())->Timestamp(Sha256("x"));
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), c.code) << token.status().ToString();
  EXPECT_EQ(token.status().kind(), ErrorKind::kUnavailable);
  EXPECT_FALSE(token.status().message_es().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Peers, HttpTimestampClientFakeTest,
    ::testing::Values(FakeCase{"Http500", 500, "internal error", "signing.tsa_http_error"},
                      FakeCase{"Http404", 404, "", "signing.tsa_http_error"},
                      FakeCase{"GarbageBody", 200, "<html>hola</html>", "signing.tsa_bad_response"},
                      FakeCase{"EmptyBody", 200, "", "signing.tsa_bad_response"},
                      // Over the 64 KiB cap (net::SendHttp refuses it): never a token.
                      FakeCase{"OversizeBody", 200, std::string(64 * 1024 + 1, '\x30'), "signing.tsa_bad_response"},
                      FakeCase{"GrantedWithoutToken", 200, std::string("\x30\x05\x30\x03\x02\x01\x00", 7),
                               "signing.tsa_bad_response"},
                      FakeCase{"Waiting", 200, std::string("\x30\x05\x30\x03\x02\x01\x03", 7),
                               "signing.tsa_rejected"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(HttpTimestampClientTest, RejectionCarriesTheTsaReason) {
  TestPki pki;
  testing::TestTsa tsa(pki);
  // A TSA that refuses: our authority's answer to a malformed request.
  FakeTsa fake([&tsa](const LocalHttpRequest&) {
    return TimestampReply(200, *tsa.authority().Respond("garbage"));
  });
  auto token = Client(fake.url())->Timestamp(Sha256("x"));
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), "signing.tsa_rejected");
  EXPECT_NE(token.status().message().find("status 2"), std::string::npos) << token.status().message();
  EXPECT_NE(token.status().message().find("bit 5"), std::string::npos) << token.status().message();
}

TEST(HttpTimestampClientTest, ReplayedOrForeignReplyIsRefused) {
  TestPki pki;
  testing::TestTsa tsa(pki);
  std::mutex mu;
  std::string first_reply;
  // Answers every request with the reply to the first one it saw.
  FakeTsa replaying([&](const LocalHttpRequest& req) {
    std::lock_guard<std::mutex> lock(mu);
    if (first_reply.empty()) first_reply = *tsa.authority().Respond(req.body);
    return TimestampReply(200, first_reply);
  });
  auto client = Client(replaying.url());
  ASSERT_TRUE(client->Timestamp(Sha256("a")).ok());
  auto replayed = client->Timestamp(Sha256("a"));
  EXPECT_EQ(replayed.status().code(), "signing.tsa_bad_response");
  EXPECT_NE(replayed.status().message().find("nonce"), std::string::npos) << replayed.status().message();
  auto foreign = client->Timestamp(Sha256("b"));
  EXPECT_EQ(foreign.status().code(), "signing.tsa_bad_response");
  EXPECT_NE(foreign.status().message().find("signing.timestamp_imprint_mismatch"), std::string::npos)
      << foreign.status().message();
}

TEST(HttpTimestampClientTest, RefusesUrlsAndImprintsItCannotUse) {
  for (const char* url : {"https://tsa.example/tsa", "ftp://tsa.example/", "http://", "no url at all"}) {
    EXPECT_EQ(HttpTimestampClient::Create(url).status().code(), "signing.bad_tsa_url") << url;
  }
  EXPECT_EQ(HttpTimestampClient::Create("http://127.0.0.1:1/tsa", {.timeout = milliseconds(0)}).status().code(),
            "signing.bad_tsa_url");
  auto client = Client("http://127.0.0.1:1/tsa");
  EXPECT_EQ(client->Timestamp("not 32 bytes").status().code(), "signing.bad_digest");
}


TEST(InProcessTimestampClientTest, AsksTheAuthorityDirectlyAndChecksItsTokens) {
  TestPki pki;
  testing::TestTsa tsa(pki);
  InProcessTimestampClient client(tsa.authority());
  auto a = client.Timestamp(Sha256("acta"));
  auto b = client.Timestamp(Sha256("acta"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto info = VerifyTimestampToken(*a, Sha256("acta"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->gen_time, testing::TestInstant());
  EXPECT_NE(*a, *b);  // a fresh nonce and serial each time
  EXPECT_EQ(client.Timestamp("not 32 bytes").status().code(), "signing.bad_digest");
}

TEST(InProcessTimestampClientTest, AnAuthorityThatCannotSignIsTsaFailed) {
  TestPki pki;
  testing::Identity id = pki.Issue(keys::KeyAlgorithm::kEcdsaP256, "Sellado de Tiempo de Pruebas",
                                   testing::Usage::kTimeStamping);
  const std::string pem = *id.key.ToEncryptedPkcs8Pem("clave", keys::Pkcs8Encryption{10});
  int calls = 0;
  ManualClock clock(testing::TestInstant());
  // The key can be unlocked once (Create checks it against the certificate), never again.
  auto authority = TimestampAuthority::Create(
      {id.cert, pki.ca()},
      [&]() -> Result<keys::SigningKey> {
        if (calls++ > 0) return Status::Error(ErrorKind::kUnavailable, "keys.locked", "locked");
        return keys::SigningKey::FromEncryptedPkcs8(pem, "clave");
      },
      clock);
  ASSERT_TRUE(authority.ok()) << authority.status().ToString();
  InProcessTimestampClient client(**authority);
  auto token = client.Timestamp(Sha256("acta"));
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), "signing.tsa_failed") << token.status().ToString();
}

}  // namespace
}  // namespace rubrica::signing
