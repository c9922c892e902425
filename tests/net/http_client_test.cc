// net::SendHttp, the one bounded client of every peer, against real peers: a Python process
// on loopback (tests/net/peers/http_peer.py) that answers bodies of a given size with each
// framing, answers without end, trickles, never answers, or speaks TLS with a certificate
// from a CA made here by the openssl command.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "net/http_peer.h"
#include "rubrica/base/files.h"
#include "rubrica/net/http_client.h"
#include "support/test_support.h"

namespace rubrica::net {
namespace {

using Peer = testing::HttpPeer;
using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

const char* const kPython = "/usr/bin/python3";

HttpRequest Post(const std::string& url) {
  HttpRequest r;
  r.url = url;
  r.content_type = "application/octet-stream";
  r.body = "hola";
  return r;
}

struct SizeCase {
  const char* name;
  uint64_t body_bytes;
  const char* framing;
  bool accepted;
};

class SizeLimitTest : public ::testing::TestWithParam<SizeCase> {};

// At the cap an answer is whole; one byte over it is refused whatever the framing says.
TEST_P(SizeLimitTest, AnswersUpToTheCapArriveWholeAndOneByteMoreIsRefused) {
  const SizeCase& c = GetParam();
  Peer peer({"body", std::to_string(c.body_bytes), c.framing});
  HttpClientOptions o;
  o.max_response_bytes = 100000;
  o.total_timeout = std::chrono::seconds(20);
  auto r = SendHttp(Post(peer.Url()), o);
  if (c.accepted) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, std::string(c.body_bytes, 'x'));
  } else {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), "net.response_too_large") << r.status().ToString();
    EXPECT_EQ(r.status().kind(), ErrorKind::kTooLarge);
    EXPECT_FALSE(r.status().message_es().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Framings, SizeLimitTest,
    ::testing::Values(SizeCase{"LengthAtCap", 100000, "length", true},
                      SizeCase{"LengthOver", 100001, "length", false},
                      SizeCase{"CloseAtCap", 100000, "close", true},
                      SizeCase{"CloseOver", 100001, "close", false},
                      SizeCase{"ChunkedAtCap", 100000, "chunked", true},
                      SizeCase{"ChunkedOver", 100001, "chunked", false}),
    [](const auto& info) { return std::string(info.param.name); });

// An answer without end can only be refused while it streams: the client stops at the cap
// (plus one read buffer) instead of holding it, long before the deadline.
TEST(SendHttpTest, AnAnswerWithoutEndIsRefusedAtTheCapNotBufferedWhole) {
  for (const char* framing : {"close", "chunked"}) {
    SCOPED_TRACE(framing);
    Peer peer({"endless", framing});
    HttpClientOptions o;
    o.max_response_bytes = 64 * 1024;
    o.total_timeout = std::chrono::seconds(30);
    const auto start = steady_clock::now();
    auto r = SendHttp(Post(peer.Url()), o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), "net.response_too_large") << r.status().ToString();
    EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(15));
    // The peer saw the client go away while it was still writing.
    EXPECT_FALSE(peer.process().WaitForLine("sent ", 30).empty()) << peer.process().output();
  }
}

// A declared length over the cap is refused from the head, before any of the body is read.
TEST(SendHttpTest, ADeclaredLengthOverTheCapIsRefusedBeforeTheBody) {
  Peer peer({"body", "1000000000", "length"});  // 1 GB announced
  HttpClientOptions o;
  o.max_response_bytes = 64 * 1024;
  o.total_timeout = std::chrono::seconds(30);
  const auto start = steady_clock::now();
  auto r = SendHttp(Post(peer.Url()), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "net.response_too_large");
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(15));
}

// A peer that accepts and never answers, or that trickles its head or its body one byte at
// a time (each read succeeds, the whole never ends), meets the total deadline.
TEST(SendHttpTest, APeerThatNeverAnswersOrTricklesHitsTheTotalDeadline) {
  for (const char* mode : {"silent", "trickle", "trickle-head"}) {
    SCOPED_TRACE(mode);
    Peer peer({mode});
    HttpClientOptions o;
    o.connect_timeout = milliseconds(1000);
    o.total_timeout = milliseconds(1500);
    o.max_response_bytes = 1u << 20;
    const auto start = steady_clock::now();
    auto r = SendHttp(Post(peer.Url()), o);
    const auto elapsed = steady_clock::now() - start;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), "net.timeout") << r.status().ToString();
    EXPECT_EQ(r.status().kind(), ErrorKind::kUnavailable);
    EXPECT_GE(elapsed, milliseconds(1400));
    EXPECT_LT(elapsed, milliseconds(6000));
  }
}

TEST(SendHttpTest, ANonHttpAnswerAndAClosedPortHaveTheirOwnCodes) {
  Peer garbage({"garbage"});
  auto r = SendHttp(Post(garbage.Url()), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "net.bad_response") << r.status().ToString();
  EXPECT_EQ(r.status().kind(), ErrorKind::kUnavailable);

  // A port that was free a moment ago: nothing listens there.
  auto free_port = RunCommand({kPython, "-c",
                               "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); "
                               "print(s.getsockname()[1])"});
  ASSERT_EQ(free_port.exit_code, 0) << free_port.err;
  const std::string port = free_port.out.substr(0, free_port.out.find('\n'));
  auto closed = SendHttp(Post("http://127.0.0.1:" + port + "/x"), {});
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.status().code(), "net.connect_failed") << closed.status().ToString();
}

// TLS: a certificate from a CA the caller did not name is refused; from the named CA, the
// same peer is reached. Plain http is refused when TLS is required.
class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MakeCa("ca-a", "CA A de pruebas");
    MakeCa("ca-b", "CA B de pruebas");
    ASSERT_TRUE(WriteFileAtomic(dir_ / "ext.cnf",
                                "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                                "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
                    .ok());
    Run({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
         dir_ / "peer.key", "-out", dir_ / "peer.csr", "-subj", "/CN=127.0.0.1"});
    Run({"openssl", "x509", "-req", "-in", dir_ / "peer.csr", "-CA", dir_ / "ca-a.pem", "-CAkey",
         dir_ / "ca-a.key", "-CAcreateserial", "-days", "2", "-out", dir_ / "peer.pem", "-extfile", dir_ / "ext.cnf"});
  }

  void Run(const std::vector<std::string>& argv) {
    auto r = RunCommand(argv);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void MakeCa(const std::string& name, const std::string& cn) {
    Run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
         dir_ / (name + ".key"), "-out", dir_ / (name + ".pem"), "-days", "2", "-subj", "/CN=" + cn, "-addext",
         "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
  }

  TempDir dir_;
};

TEST_F(TlsTest, APeerCertifiedByAnotherCaIsRefusedAndByTheNamedCaIsReached) {
  Peer peer({"tls", dir_ / "peer.pem", dir_ / "peer.key"});
  HttpClientOptions o;
  o.require_tls = true;
  o.total_timeout = std::chrono::seconds(20);
  o.ca_file = dir_ / "ca-b.pem";
  auto refused = SendHttp(Post(peer.Url("https")), o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "net.tls_failed") << refused.status().ToString();
  EXPECT_EQ(refused.status().kind(), ErrorKind::kUnavailable);

  o.ca_file = dir_ / "ca-a.pem";
  auto reached = SendHttp(Post(peer.Url("https")), o);
  ASSERT_TRUE(reached.ok()) << reached.status().ToString();
  EXPECT_EQ(reached->status, 200);
  EXPECT_EQ(reached->body, "ok");

  auto plain = SendHttp(Post(peer.Url("http")), o);
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.status().code(), "net.bad_url");
  EXPECT_EQ(plain.status().kind(), ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace rubrica::net
