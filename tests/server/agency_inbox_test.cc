// The agency's inbox verifies every sealed acta of a package with the PDF verifier in its
// sandbox (one worker per package since the national month-end bench): a package whose
// manifest is signed by the registered seal and whose hashes all match, but which carries
// one forged acta, is refused naming that acta; the same sender's honest package is
// receipted. A real `rubrica serve --agency` process over HTTPS; the actas are signed by
// fictional members (tests/pades/signed_acta.cc).
#include <gtest/gtest.h>
#include <signal.h>

#include "agency/agency_installation.h"
#include "delivery/test_package.h"
#include "pades/signed_acta.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/net/http_client.h"

namespace rubrica::server::agency {
namespace {

using rubrica::testing::ChildProcess;
using rubrica::testing::RubricaBinary;
using rubrica::testing::TempDir;
using delivery::testing::Count;
using delivery::testing::JsonField;

constexpr const char* kAgencyClock = "2026-03-20T12:00:00Z";
constexpr const char* kAgencyName = "Órgano Garante de Prueba";

TEST(AgencyInboxTest, AForgedActaInAPackageSignedByTheRegisteredSealIsRefusedByTheVerifier) {
  pades_testing::SignedActa acta;  // 3 members; every signature valid
  const std::string& honest = acta.Complete();
  const std::string forged = delivery::testing::ForgedActa(honest);
  ASSERT_NE(Sha256Hex(forged), Sha256Hex(honest));
  const signing::testing::Identity seal =
      acta.pki().Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello del STM de Villa Esperanza (prueba)");
  auto anchor = ReadFile(acta.anchor_path());
  ASSERT_TRUE(anchor.ok());

  TempDir tmp;
  const std::string dir = tmp / "agency";
  {
    ManualClock clock(*ParseRfc3339(kAgencyClock));
    auto agency = OpenAgencyInstallation(dir, "agency_inbox_test", kAgencyName, clock, false);
    ASSERT_TRUE(agency.ok()) << agency.status().ToString();
    auto id = (*agency)->inbox->Register("STM de Villa Esperanza (prueba)", seal.cert.ToPem(), *anchor,
                                         "America/Mexico_City");
    ASSERT_TRUE(id.ok()) << id.status().ToString();
  }
  ChildProcess inbox;
  ASSERT_TRUE(inbox.Start({RubricaBinary(), "serve", "--agency", "--data-dir", dir, "--port", "0", "--name", kAgencyName,
                           "--clock-start", kAgencyClock}));
  const std::string started = inbox.WaitForLine("agency.started", 120);
  ASSERT_FALSE(started.empty()) << inbox.output();
  const std::string base = "https://127.0.0.1:" + JsonField(started, "port");

  delivery::testing::PackageSender from;
  from.secretariat_name = "STM de Villa Esperanza (prueba)";
  from.agency = kAgencyName;
  from.seal_key = &seal.key;
  from.seal_cert = &seal.cert;
  from.chain = {acta.pki().ca()};
  from.tsa = acta.tsa();
  net::HttpClientOptions http;
  http.ca_file = dir + "/tls/ca.pem";
  http.total_timeout = std::chrono::minutes(10);
  auto post = [&](const std::string& zip) {
    net::HttpRequest req;
    req.url = base + "/api/paquetes";
    req.content_type = "application/zip";
    req.headers = {{"Idempotency-Key", Sha256Hex(zip)}};
    req.body = zip;
    return net::SendHttp(req, http);
  };

  // The forged acta sits between two honest ones; its hash is the manifest's.
  auto bad = delivery::testing::MakePackage(
      from, {{"STM-VE-2026-001", &honest, {}}, {"STM-VE-2026-002", &forged, {}}, {"STM-VE-2026-003", &honest, {}}});
  ASSERT_TRUE(bad.ok()) << bad.status().ToString();
  auto refused = post(*bad);
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(refused->status, 422) << refused->body;
  EXPECT_NE(refused->body.find("resultado=\"rechazado\""), std::string::npos) << refused->body;
  EXPECT_EQ(Count(refused->body, "codigo=\"delivery.acta_invalid\""), 1u) << refused->body;
  EXPECT_NE(refused->body.find("archivo=\"actas/STM-VE-2026-002.pdf\""), std::string::npos) << refused->body;
  EXPECT_EQ(Count(refused->body, "<motivo "), 1u) << "only the forged acta is a reason: " << refused->body;
  EXPECT_EQ(Count(refused->body, "verificacion=\"valida_y_completa\""), 2u) << refused->body;
  EXPECT_EQ(Count(refused->body, "verificacion=\"invalida\""), 1u) << refused->body;

  // The same sender's honest package: every acta verified valid and complete.
  auto good = delivery::testing::MakePackage(from, {{"STM-VE-2026-001", &honest, {}}, {"STM-VE-2026-003", &honest, {}}});
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  auto receipt = post(*good);
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(receipt->status, 200) << receipt->body;
  EXPECT_NE(receipt->body.find("resultado=\"recibido\""), std::string::npos) << receipt->body;
  EXPECT_EQ(Count(receipt->body, "verificacion=\"valida_y_completa\""), 2u) << receipt->body;

  inbox.Signal(SIGTERM);
  EXPECT_EQ(inbox.Wait(60), 0) << inbox.output();
}

// A secretariat registered with its garante as co-signer: a package sealed without the
// co-signature is refused by the real inbox, naming that reason alone.
TEST(AgencyInboxTest, APackageWithoutTheRegisteredCoSignatureIsRefused) {
  pades_testing::SignedActa acta;
  const std::string& honest = acta.Complete();
  const signing::testing::Identity seal =
      acta.pki().Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello del STM de Villa Esperanza (prueba)");
  auto anchor = ReadFile(acta.anchor_path());
  ASSERT_TRUE(anchor.ok());
  TempDir tmp;
  const std::string dir = tmp / "agency";
  {
    ManualClock clock(*ParseRfc3339(kAgencyClock));
    auto agency = OpenAgencyInstallation(dir, "agency_inbox_test", kAgencyName, clock, false);
    ASSERT_TRUE(agency.ok()) << agency.status().ToString();
    EXPECT_EQ((*agency)->inbox->Register("otro", seal.cert.ToPem(), *anchor, "America/Mexico_City", "notario")
                  .status()
                  .code(),
              "agency.bad_registration");
    auto id = (*agency)->inbox->Register("STM de Villa Esperanza (prueba)", seal.cert.ToPem(), *anchor,
                                         "America/Mexico_City", "garante");
    ASSERT_TRUE(id.ok()) << id.status().ToString();
  }
  ChildProcess inbox;
  ASSERT_TRUE(inbox.Start({RubricaBinary(), "serve", "--agency", "--data-dir", dir, "--port", "0", "--name", kAgencyName,
                           "--clock-start", kAgencyClock}));
  const std::string started = inbox.WaitForLine("agency.started", 120);
  ASSERT_FALSE(started.empty()) << inbox.output();
  delivery::testing::PackageSender from;
  from.secretariat_name = "STM de Villa Esperanza (prueba)";
  from.agency = kAgencyName;
  from.seal_key = &seal.key;
  from.seal_cert = &seal.cert;
  from.chain = {acta.pki().ca()};
  from.tsa = acta.tsa();
  auto zip = delivery::testing::MakePackage(from, {{"STM-VE-2026-001", &honest, {}}});
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  net::HttpRequest req;
  req.url = "https://127.0.0.1:" + JsonField(started, "port") + "/api/paquetes";
  req.content_type = "application/zip";
  req.body = *zip;
  net::HttpClientOptions http;
  http.ca_file = dir + "/tls/ca.pem";
  http.total_timeout = std::chrono::minutes(10);
  auto refused = net::SendHttp(req, http);
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(refused->status, 422) << refused->body;
  EXPECT_NE(refused->body.find("codigo=\"delivery.cosignature_missing\""), std::string::npos) << refused->body;
  EXPECT_EQ(Count(refused->body, "<motivo "), 1u) << refused->body;
  inbox.Signal(SIGTERM);
  EXPECT_EQ(inbox.Wait(60), 0) << inbox.output();
}

}  // namespace
}  // namespace rubrica::server::agency
