// The monthly package co-signed by the garante from their device (docs/delivery.md,
// "Co-signature"), over the real service: the secretariat requires it, the package is built
// as a draft awaiting it (never sent), only the garante may prepare and finalize it with a
// one-time ticket, the server places the device's signature, seals and keeps the package.
// Then tools we did not write (xmlsec1) accept both signatures of the manifest, `rubrica
// package verify` requires the co-signature, and a real `rubrica serve --agency` that
// registered the secretariat with its co-signer accepts the package with a receipt.
#include <gtest/gtest.h>
#include <signal.h>

#include "api_world.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/delivery/package_zip.h"
#include "rubrica/net/http_client.h"
#include "rubrica/store/blob_store.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::ChildProcess;
using rubrica::testing::CommandResult;
using rubrica::testing::JsonField;
using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;

// One file per certificate (xmlsec1 reads one per --trusted-pem).
std::vector<std::string> SplitPem(const std::string& pem, const std::string& prefix) {
  std::vector<std::string> files;
  for (size_t at = 0;;) {
    size_t begin = pem.find("-----BEGIN CERTIFICATE-----", at);
    if (begin == std::string::npos) break;
    size_t end = pem.find("-----END CERTIFICATE-----", begin) + 25;
    files.push_back(prefix + std::to_string(files.size()) + ".pem");
    EXPECT_TRUE(WriteFileAtomic(files.back(), pem.substr(begin, end - begin) + "\n").ok());
    at = end;
  }
  return files;
}

int Xmlsec1(const std::string& manifest_file, const std::vector<std::string>& trusted, const std::string& id_prefix) {
  std::vector<std::string> cmd = {"xmlsec1", "--verify"};
  for (const auto& f : trusted) {
    cmd.push_back("--trusted-pem");
    cmd.push_back(f);
  }
  cmd.push_back("--node-xpath");
  cmd.push_back("//*[local-name()='Signature'][starts-with(@Id,'" + id_prefix + "')]");
  cmd.push_back(manifest_file);
  return RunCommand(cmd).exit_code;
}

TEST(ApiPackageCosignTest, TheGaranteCosignsFromTheirDeviceAndTheAgencyAcceptsBothSignatures) {
  WorldOptions o;
  o.package_cosigner = "garante";
  ApiWorld w(o);
  w.AdvanceTo(Stage::kArchived);  // the minute of 2026-02-16, sealed
  const std::string sid = std::to_string(w.secretariat);
  const std::string base = "/api/secretariats/" + sid + "/packages";
  EXPECT_EQ(w.As("garante").Get("/api/secretariats/" + sid).Str("package_cosigner"), "garante");

  // The garante registers the certificate of their device (the key stays with the test).
  Reply reg = w.As("garante").Post(
      "/api/me/credentials/external",
      "{\"certificate\":" + Q(Base64Encode(w.garante_device().cer_der)) + ",\"current_pin\":" +
          Q(w.person("garante").pin) + "}");
  ASSERT_EQ(reg.status, 201) << Describe(reg);

  // Built as a draft awaiting the co-signature; it is not sent.
  Reply built = w.As("facilitator").Post(base, R"({"month":"2026-02"})");
  ASSERT_EQ(built.status, 201) << Describe(built);
  EXPECT_EQ(built.Str("state"), "awaiting_cosignature");
  EXPECT_EQ(built.Str("cosigner.role"), "garante");
  EXPECT_NE(built.body.find("\"cosigner\":{\"role\":\"garante\",\"name\":null}"), std::string::npos)
      << "nobody co-signed yet: " << built.body;
  const std::string draft = built.Str("sha256");
  Reply send = w.As("facilitator").Post(base + "/" + draft + "/send");
  EXPECT_EQ(send.status, 409) << Describe(send);
  EXPECT_EQ(send.Code(), "delivery.awaiting_cosignature");

  // Only the configured co-signer prepares.
  const std::string prepare = base + "/" + draft + "/cosign/prepare";
  const std::string finalize = base + "/" + draft + "/cosign/finalize";
  EXPECT_EQ(w.As("public").Post(prepare).status, 401);
  for (const std::string who : {"observer", "archivist", "admin", "titular", "suplente"}) {
    EXPECT_EQ(w.As(who).Post(prepare).status, 403) << who;
  }
  Reply facilitator = w.As("facilitator").Post(prepare);
  EXPECT_EQ(facilitator.status, 403) << Describe(facilitator);
  EXPECT_EQ(facilitator.Code(), "delivery.not_the_cosigner");
  EXPECT_EQ(w.As("garante").Post(base + "/" + std::string(64, 'a') + "/cosign/prepare").status, 404);

  Reply p = w.As("garante").Post(prepare);
  ASSERT_EQ(p.status, 201) << Describe(p);
  EXPECT_EQ(p.Str("algorithm"), "ecdsa-sha256");
  EXPECT_EQ(p.Str("cosigner"), "garante");
  EXPECT_EQ(p.Str("certificate_sha256"), Sha256Hex(w.garante_device().cer_der));
  auto signed_info = Base64Decode(p.Str("signed_info"));
  ASSERT_TRUE(signed_info.ok());
  EXPECT_NE(signed_info->find("SignedInfo"), std::string::npos) << *signed_info;
  auto digest = Base64Decode(p.Str("digest_to_sign"));
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(*digest, Sha256(*signed_info));
  const std::string ticket = p.Str("ticket");
  auto body = [&](const std::string& signature) {
    return "{\"ticket\":" + Q(ticket) + ",\"signature\":" + Q(Base64Encode(signature)) + "}";
  };

  // Someone else's ticket, another key, other bytes: refused, nothing written.
  Reply not_yours = w.As("facilitator").Post(finalize, body(ApiWorld::DeviceSign(*signed_info, w.garante_device())));
  EXPECT_EQ(not_yours.status, 403) << Describe(not_yours);
  EXPECT_EQ(not_yours.Code(), "api.ticket_not_yours");
  Reply other_key = w.As("garante").Post(finalize, body(w.DeviceSign(*signed_info)));  // the substitute's device
  EXPECT_EQ(other_key.status, 422) << Describe(other_key);
  EXPECT_EQ(other_key.Code(), "signing.bad_external_signature");
  Reply other_bytes =
      w.As("garante").Post(finalize, body(ApiWorld::DeviceSign(*signed_info + " ", w.garante_device())));
  EXPECT_EQ(other_bytes.status, 422) << Describe(other_bytes);
  Reply still = w.As("garante").Get(base + "?month=2026-02");
  ASSERT_EQ(still.Size("packages"), 1);
  EXPECT_EQ(still.Str("packages[0].state"), "awaiting_cosignature");

  // The garante's device signature: placed, verified, sealed.
  Reply done = w.As("garante").Post(finalize, body(ApiWorld::DeviceSign(*signed_info, w.garante_device())));
  ASSERT_EQ(done.status, 200) << Describe(done);
  EXPECT_EQ(done.Str("package.state"), "built");
  EXPECT_EQ(done.Str("package.cosigner.role"), "garante");
  EXPECT_EQ(done.Str("package.cosigner.name"), "Julián Cárdenas Vela") << "the CN of the device's certificate";
  const std::string sha256 = done.Str("package.sha256");
  EXPECT_NE(sha256, draft) << "the sealed package is a new ZIP";
  Reply reused = w.As("garante").Post(finalize, body(ApiWorld::DeviceSign(*signed_info, w.garante_device())));
  EXPECT_EQ(reused.status, 409) << Describe(reused);
  EXPECT_EQ(reused.Code(), "api.ticket_used");

  // The package's bytes (content-addressed blob) and its manifest.
  auto blobs = store::BlobStore::Open(w.data_dir() + "/blobs");
  ASSERT_TRUE(blobs.ok());
  auto zip = blobs->Get(sha256);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  EXPECT_EQ(Sha256Hex(*zip), sha256);
  auto entries = delivery::ReadZip(*zip);
  ASSERT_TRUE(entries.ok());
  std::string manifest;
  for (const auto& e : *entries) {
    if (e.name == "manifest.xml") manifest = e.bytes;
  }
  EXPECT_NE(manifest.find("<cofirma rol=\"garante\"/>"), std::string::npos) << manifest;
  const std::string tmp = w.dir();
  ASSERT_TRUE(WriteFileAtomic(tmp + "/manifest.xml", manifest).ok());
  ASSERT_TRUE(WriteFileAtomic(tmp + "/paquete.zip", *zip).ok());
  auto installation_ca = ReadFile(w.data_dir() + "/trust/ca.pem");
  ASSERT_TRUE(installation_ca.ok());
  const std::string bundle = *installation_ca + "\n" + w.test_ca_pem();
  ASSERT_TRUE(WriteFileAtomic(tmp + "/bundle.pem", bundle).ok());

  // xmlsec1 accepts both signatures (each against its own anchors, then the bundle).
  std::vector<std::string> trusted = SplitPem(bundle, tmp + "/anchor-");
  EXPECT_EQ(Xmlsec1(tmp + "/manifest.xml", trusted, "rubrica-cosig-"), 0);
  EXPECT_EQ(Xmlsec1(tmp + "/manifest.xml", trusted, "rubrica-sig-"), 0);
  EXPECT_EQ(RunCommand({"xmllint", "--noout", "--schema", rubrica::testing::SourceDir() + "/docs/manifiesto-paquete.xsd",
                        tmp + "/manifest.xml"})
                .exit_code,
            0);

  // rubrica package verify requires the co-signature it is told the secretariat registered.
  CommandResult ok = RunCommand({RubricaBinary(), "package", "verify", tmp + "/paquete.zip", "--trust",
                                 tmp + "/bundle.pem", "--cosigner", "garante", "--no-acta-verification"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("Cofirma del garante: Julián Cárdenas Vela"), std::string::npos) << ok.out;
  CommandResult wrong_role = RunCommand({RubricaBinary(), "package", "verify", tmp + "/paquete.zip", "--trust",
                                         tmp + "/bundle.pem", "--cosigner", "facilitator", "--no-acta-verification"});
  EXPECT_EQ(wrong_role.exit_code, 1) << wrong_role.out;
  EXPECT_NE(wrong_role.out.find("delivery.cosignature_invalid"), std::string::npos) << wrong_role.out;
  CommandResult untrusted = RunCommand({RubricaBinary(), "package", "verify", tmp + "/paquete.zip", "--trust",
                                        w.data_dir() + "/trust/ca.pem", "--cosigner", "garante",
                                        "--no-acta-verification"});
  EXPECT_EQ(untrusted.exit_code, 1) << untrusted.out;
  EXPECT_NE(untrusted.out.find("delivery.cosignature_invalid"), std::string::npos) << untrusted.out;

  // A real inbox that registered the secretariat with its co-signer accepts it.
  const std::string agency = tmp + "/agency";
  const std::string now = FormatRfc3339Utc(w.clock().Now());
  w.StopService();  // the CLI takes the data directory's lock
  auto seal_pem = RunCommand({RubricaBinary(), "package", "seal-cert", "--data-dir", w.data_dir(), "--out",
                              tmp + "/seal.pem", "--clock-start", now});
  w.StartService();
  ASSERT_EQ(seal_pem.exit_code, 0) << seal_pem.err;
  // Registered first with the facilitator as co-signer, then the registration is updated to
  // the garante (the secretariat changed its setting): the inbox checks the updated one.
  const std::string registered_at = FormatRfc3339Utc(w.clock().Now() - std::chrono::hours(24));
  auto register_cmd = [&](const std::string& cosigner, bool update) {
    std::vector<std::string> cmd = {RubricaBinary(), "agency", "register", "--data-dir", agency, "--name",
                                    "STM de Villa Esperanza", "--seal-cert", tmp + "/seal.pem", "--ca",
                                    tmp + "/bundle.pem", "--cosigner", cosigner, "--clock-start", registered_at};
    if (update) cmd.push_back("--update");
    return RunCommand(cmd);
  };
  CommandResult registered = register_cmd("facilitator", false);
  ASSERT_EQ(registered.exit_code, 0) << registered.out << registered.err;
  CommandResult twice = register_cmd("garante", false);
  EXPECT_NE(twice.exit_code, 0) << twice.out;
  EXPECT_NE(twice.err.find("agency.already_registered"), std::string::npos) << twice.err;
  CommandResult updated = register_cmd("garante", true);
  ASSERT_EQ(updated.exit_code, 0) << updated.out << updated.err;
  EXPECT_NE(updated.out.find("\"updated\":true"), std::string::npos) << updated.out;
  CommandResult agency_audit =
      RunCommand({"sqlite3", "-readonly", agency + "/rubrica.db",
                  "SELECT action || ' ' || payload FROM audit_log WHERE action LIKE 'agency.%' ORDER BY seq;"});
  EXPECT_NE(agency_audit.out.find("agency.register "), std::string::npos) << agency_audit.out << agency_audit.err;
  EXPECT_NE(agency_audit.out.find("\"cosigner_was\":\"facilitator\",\"cosigner\":\"garante\""),
            std::string::npos)
      << agency_audit.out;
  ChildProcess inbox;
  ASSERT_TRUE(inbox.Start({RubricaBinary(), "serve", "--agency", "--data-dir", agency, "--port", "0", "--clock-start",
                           FormatRfc3339Utc(w.clock().Now() + std::chrono::minutes(5))}));
  const std::string started = inbox.WaitForLine("agency.started", 120);
  ASSERT_FALSE(started.empty()) << inbox.output();
  net::HttpRequest req;
  req.method = "POST";
  req.url = "https://127.0.0.1:" + JsonField(started, "port") + "/api/paquetes";
  req.body = *zip;
  req.content_type = "application/zip";
  net::HttpClientOptions ho;
  ho.ca_file = agency + "/tls/ca.pem";
  ho.require_tls = true;
  ho.total_timeout = std::chrono::seconds(300);
  auto answer = net::SendHttp(req, ho);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_NE(answer->body.find("resultado=\"recibido\""), std::string::npos) << answer->body;
  // The receipt names the co-signer (role and certificate CN); tools we did not write
  // accept it against the schema in docs/ and the agency's seal.
  EXPECT_NE(answer->body.find("<cofirma rol=\"garante\" nombre=\"Julián Cárdenas Vela\"/>"), std::string::npos)
      << answer->body;
  ASSERT_TRUE(WriteFileAtomic(tmp + "/acuse.xml", answer->body).ok());
  CommandResult schema = RunCommand({"xmllint", "--noout", "--schema",
                                     rubrica::testing::SourceDir() + "/docs/acuse-paquete.xsd", tmp + "/acuse.xml"});
  EXPECT_EQ(schema.exit_code, 0) << schema.out << schema.err;
  std::vector<std::string> receipt_verify = {"xmlsec1", "--verify"};
  auto agency_ca = ReadFile(agency + "/trust/ca.pem");
  ASSERT_TRUE(agency_ca.ok());
  for (const auto& f : SplitPem(*agency_ca, tmp + "/agency-anchor-")) {
    receipt_verify.push_back("--trusted-pem");
    receipt_verify.push_back(f);
  }
  receipt_verify.push_back(tmp + "/acuse.xml");
  CommandResult receipt_ok = RunCommand(receipt_verify);
  EXPECT_EQ(receipt_ok.exit_code, 0) << receipt_ok.out << receipt_ok.err;
  // The agency's month view names it too.
  net::HttpRequest month_view;
  month_view.method = "GET";
  month_view.url = "https://127.0.0.1:" + JsonField(started, "port") + "/api/entregas?mes=2026-02";
  auto view = net::SendHttp(month_view, ho);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_NE(view->body.find("\"cosigner\":{\"role\":\"garante\",\"name\":\"Julián Cárdenas Vela\"}"),
            std::string::npos)
      << view->body;
  inbox.Signal(SIGTERM);
  inbox.Wait(30);

  // A ticket expires: a correction is built (a new draft), prepared, and finalized too late.
  Reply again = w.As("facilitator").Post(base, R"({"month":"2026-02"})");
  ASSERT_EQ(again.status, 201) << Describe(again);
  EXPECT_EQ(again.Str("state"), "awaiting_cosignature");
  EXPECT_EQ(again.Str("supersedes"), sha256) << "the correction names the sealed package, not the draft";
  const std::string draft2 = again.Str("sha256");
  Reply p2 = w.As("garante").Post(base + "/" + draft2 + "/cosign/prepare");
  ASSERT_EQ(p2.status, 201) << Describe(p2);
  auto signed_info2 = Base64Decode(p2.Str("signed_info"));
  ASSERT_TRUE(signed_info2.ok());
  // The first draft's ticket is not this package's.
  w.SetClock(w.clock().Now() + std::chrono::minutes(6));
  Reply late = w.As("garante").Post(base + "/" + draft2 + "/cosign/finalize",
                                    "{\"ticket\":" + Q(p2.Str("ticket")) + ",\"signature\":" +
                                        Q(Base64Encode(ApiWorld::DeviceSign(*signed_info2, w.garante_device()))) + "}");
  EXPECT_EQ(late.status, 422) << Describe(late);
  EXPECT_EQ(late.Code(), "api.ticket_expired");

  // The device side from a terminal: `rubrica sign --package` (the acta signing client).
  const DeviceCredential& d = w.garante_device();
  ASSERT_TRUE(WriteFileAtomic(tmp + "/garante.cer", d.cer_der).ok());
  ASSERT_TRUE(WriteFileAtomic(tmp + "/garante.key", d.key_pem).ok());
  ASSERT_TRUE(WriteFileAtomic(tmp + "/cuenta.txt", w.person("garante").password + "\n").ok());
  ASSERT_TRUE(WriteFileAtomic(tmp + "/llave.txt", d.key_password + "\n").ok());
  auto cosign_cli = [&](const std::string& login) {
    return RunCommand({RubricaBinary(), "sign", "--server", "http://127.0.0.1:" + std::to_string(w.port()),
                       "--login", login, "--secretariat", sid, "--package", draft2, "--cer", tmp + "/garante.cer",
                       "--key", tmp + "/garante.key", "--password-file", tmp + "/cuenta.txt",
                       "--key-password-file", tmp + "/llave.txt"});
  };
  CommandResult cli = cosign_cli(w.person("garante").email);
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  EXPECT_NE(cli.out.find("Paquete cofirmado con el certificado de Julián Cárdenas Vela"), std::string::npos) << cli.out;
  Reply month = w.As("garante").Get(base + "?month=2026-02");
  ASSERT_EQ(month.Size("packages"), 2) << month.body;
  EXPECT_EQ(month.Str("packages[1].state"), "built") << month.body;
  EXPECT_EQ(month.Str("packages[1].supersedes"), sha256);
  // Once sealed, there is nothing left to co-sign.
  CommandResult again_cli = cosign_cli(w.person("garante").email);
  EXPECT_EQ(again_cli.exit_code, 1) << again_cli.out << again_cli.err;
  EXPECT_NE(again_cli.err.find("delivery.no_package"), std::string::npos) << again_cli.err;
}

}  // namespace
}  // namespace rubrica::server::testing
