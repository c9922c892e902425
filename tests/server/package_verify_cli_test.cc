// `rubrica package verify` verifies every sealed acta of a package in ONE sandboxed worker
// (verify-worker --batch, as the agency's inbox does), not one per acta, and still judges
// each acta on its own: a forged acta between two honest ones is named, the others are
// valid and complete. How many workers start is observed from outside: the `rubrica` run
// is a hard link in a folder whose `rubrica-verify-worker` is a script that logs each start
// and runs the real worker (the service takes the worker beside its executable).
#include <gtest/gtest.h>
#include <unistd.h>

#include <sys/stat.h>

#include "delivery/test_package.h"
#include "pades/signed_acta.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::server {
namespace {

using delivery::testing::Count;
using rubrica::testing::CommandResult;
using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;

// A folder beside the build's binaries with `rubrica` (a hard link: /proc/self/exe names
// this folder) and a `rubrica-verify-worker` that appends its arguments to `log` and
// execs the real worker. Removed on destruction.
class CountingWorkers {
 public:
  CountingWorkers() {
    const std::string real = RubricaBinary();
    const std::string bin = real.substr(0, real.rfind('/'));
    dir_ = bin + "/counting-workers-" + std::to_string(getpid());
    log_ = dir_ + "/workers.log";
    EXPECT_EQ(mkdir(dir_.c_str(), 0700), 0);
    rubrica_ = dir_ + "/rubrica";
    EXPECT_EQ(link(real.c_str(), rubrica_.c_str()), 0) << "hard link of " << real;
    const std::string script = dir_ + "/rubrica-verify-worker";
    EXPECT_TRUE(WriteFileAtomic(script, "#!/bin/sh\necho \"$*\" >> '" + log_ + "'\nexec '" + bin +
                                            "/rubrica-verify-worker' \"$@\"\n")
                    .ok());
    EXPECT_EQ(chmod(script.c_str(), 0700), 0);
  }
  ~CountingWorkers() { RunCommand({"rm", "-rf", dir_}); }
  const std::string& rubrica() const { return rubrica_; }
  /// One line per worker started.
  std::string Log() const {
    auto text = ReadFile(log_);
    return text.ok() ? *text : "";
  }

 private:
  std::string dir_, log_, rubrica_;
};

TEST(PackageVerifyCliTest, APackageCostsOneSandboxedWorkerAndEachActaIsStillJudgedOnItsOwn) {
  pades_testing::SignedActa acta;  // 3 members; every signature valid
  const std::string& honest = acta.Complete();
  const std::string forged = delivery::testing::ForgedActa(honest);
  ASSERT_NE(Sha256Hex(forged), Sha256Hex(honest));
  const signing::testing::Identity seal =
      acta.pki().Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello del STM de Villa Esperanza (prueba)");
  delivery::testing::PackageSender from;
  from.secretariat_name = "STM de Villa Esperanza (prueba)";
  from.agency = "Órgano Garante de Prueba";
  from.seal_key = &seal.key;
  from.seal_cert = &seal.cert;
  from.chain = {acta.pki().ca()};
  from.tsa = acta.tsa();
  auto zip = delivery::testing::MakePackage(
      from, {{"STM-VE-2026-001", &honest, {}}, {"STM-VE-2026-002", &forged, {}}, {"STM-VE-2026-003", &honest, {}}});
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  TempDir tmp;
  const std::string file = tmp / "paquete.zip";
  ASSERT_TRUE(WriteFileAtomic(file, *zip).ok());

  CountingWorkers workers;
  ASSERT_FALSE(::testing::Test::HasFailure());
  CommandResult text = RunCommand({workers.rubrica(), "package", "verify", file, "--trust", acta.anchor_path()});
  EXPECT_EQ(text.exit_code, 1) << text.out << text.err;
  EXPECT_NE(text.out.find("acta STM-VE-2026-001: valida_y_completa"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("acta STM-VE-2026-002: invalida"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("acta STM-VE-2026-003: valida_y_completa"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("RECHAZO [delivery.acta_invalid] actas/STM-VE-2026-002.pdf"), std::string::npos) << text.out;
  EXPECT_EQ(Count(text.out, "RECHAZO"), 1u) << text.out;
  std::string log = workers.Log();
  EXPECT_EQ(Count(log, "\n"), 1u) << "one worker for the three actas: " << log;
  EXPECT_NE(log.find("verify-worker"), std::string::npos) << log;
  EXPECT_NE(log.find("--batch"), std::string::npos) << log;

  // The honest package: exit 0, still one worker.
  auto good = delivery::testing::MakePackage(from, {{"STM-VE-2026-001", &honest, {}}, {"STM-VE-2026-003", &honest, {}}});
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  ASSERT_TRUE(WriteFileAtomic(tmp / "bueno.zip", *good).ok());
  CommandResult json = RunCommand({workers.rubrica(), "package", "verify", tmp / "bueno.zip", "--trust",
                                   acta.anchor_path(), "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.out << json.err;
  EXPECT_EQ(Count(json.out, "\"verdict\":\"valida_y_completa\""), 2u) << json.out;
  EXPECT_NE(json.out.find("\"ok\":true"), std::string::npos) << json.out;
  log = workers.Log();
  EXPECT_EQ(Count(log, "\n"), 2u) << "one more worker for the second package: " << log;
}

}  // namespace
}  // namespace rubrica::server
