// `rubrica sign` goes through the bounded client: a "service" (a real Python process on
// loopback, tests/net/peers/http_peer.py) whose answer is larger than the CLI's cap, or has
// no end, makes it fail cleanly with its own code instead of reading without limit.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/http_peer.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::net {
namespace {

using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;
using rubrica::testing::SourceDir;
using rubrica::testing::TempDir;

TEST(SignCliBoundedTest, AServiceAnsweringAnOversizeBodyFailsTheSignCleanly) {
  TempDir dir;
  const std::string password_file = dir / "password.txt";
  ASSERT_TRUE(WriteFileAtomic(password_file, "clave-de-pruebas\n").ok());
  // The SAT's published test e.firma: its key opens with its password, so the CLI gets as
  // far as logging in, which is where the oversize answer comes.
  const std::string sat = SourceDir() + "/tests/fixtures/efirma-sat-pruebas";
  const std::vector<std::vector<std::string>> peers = {{"body", "2000000", "length"},  // 2 MB > 1 MiB
                                                       {"endless", "chunked"}};
  for (const auto& mode : peers) {
    SCOPED_TRACE(mode[0]);
    testing::HttpPeer peer(mode);
    ASSERT_FALSE(peer.Url().empty()) << peer.process().output();
    auto r = RunCommand({RubricaBinary(), "sign", "--server", peer.Url(), "--login",
                         "persona@ejemplo.mx", "--acta", "1", "--kind", "rubric", "--cer", sat + "/certificate.cer",
                         "--key", sat + "/private_key.key", "--password-file", password_file,
                         "--key-password-file", sat + "/password.txt"},
                        {}, 60);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("[cli.server_answer_too_large]"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("La respuesta del servidor excede el tamaño máximo."), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

}  // namespace
}  // namespace rubrica::net
