// The monthly package end to end, with real processes on loopback: two secretariats (two
// `rubrica demo` installations, each with its own local CA and seal) build the package of
// March 2023 (the demo's session minute, archived), deliver it over HTTPS to a real
// `rubrica serve --agency` (its own data directory, seal and TLS certificate), and record
// the agency's signed receipt. Tools we did not write judge the files: unzip -t, xmllint
// --schema, xmlsec1 --verify --trusted-pem. Tampered packages are refused by the inbox
// and by `rubrica package verify`, each with its reason.
#include <gtest/gtest.h>
#include <signal.h>

#include <unistd.h>

#include <memory>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/delivery/package_zip.h"
#include "rubrica/net/http_client.h"
#include "rubrica/server/data_directory.h"
#include "support/test_support.h"

namespace rubrica {
namespace {

using testing::ChildProcess;
using testing::JsonField;
using testing::CommandResult;
using testing::RubricaBinary;
using testing::RunCommand;
using testing::SourceDir;
using testing::TempDir;

constexpr const char* kMonth = "2023-03";
// Inside March 2023 in Mexico City: the packages arrive on time.
constexpr const char* kBeforeDeadline = "2023-03-28T18:00:00Z";
// When the agency's installation (its CA, seal and TSA) is made.
constexpr const char* kAgencyCreated = "2023-01-10T12:00:00Z";

// Splits a PEM bundle into one file per certificate (xmlsec1 reads one per --trusted-pem).
std::vector<std::string> SplitPem(const std::string& pem, const std::string& prefix) {
  std::vector<std::string> files;
  size_t at = 0;
  for (;;) {
    size_t begin = pem.find("-----BEGIN CERTIFICATE-----", at);
    if (begin == std::string::npos) break;
    size_t end = pem.find("-----END CERTIFICATE-----", begin);
    end += std::string("-----END CERTIFICATE-----").size();
    const std::string file = prefix + std::to_string(files.size()) + ".pem";
    EXPECT_TRUE(WriteFileAtomic(file, pem.substr(begin, end - begin) + "\n").ok());
    files.push_back(file);
    at = end;
  }
  return files;
}

struct Secretariat {
  std::string dir;
  std::string name;
};

class DeliveryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    agency_ = new ChildProcess();
    secretariats_ = {{*tmp_ / "zamora", "STM de Zamora (demostración)"},
                     {*tmp_ / "otra", "STL de otra entidad (demostración)"}};
    for (const Secretariat& s : secretariats_) {
      CommandResult demo = RunCommand({RubricaBinary(), "demo", "--data-dir", s.dir}, {}, 900);
      ASSERT_EQ(demo.exit_code, 0) << demo.out << demo.err;
      CommandResult seal = RunCommand(
          {RubricaBinary(), "package", "seal-cert", "--data-dir", s.dir, "--out", s.dir + "/seal.pem",
           "--clock-start", kAgencyCreated});
      ASSERT_EQ(seal.exit_code, 0) << seal.err;
      CommandResult reg = RunCommand({RubricaBinary(), "agency", "register", "--data-dir", AgencyDir(), "--name",
                                      s.name, "--seal-cert", s.dir + "/seal.pem", "--ca", s.dir + "/trust/ca.pem",
                                      "--clock-start", kAgencyCreated});
      ASSERT_EQ(reg.exit_code, 0) << reg.out << reg.err;
    }
    ASSERT_TRUE(agency_->Start({RubricaBinary(), "serve", "--agency", "--data-dir", AgencyDir(), "--port", "0",
                                "--clock-start", kBeforeDeadline}));
    const std::string started = agency_->WaitForLine("agency.started", 120);
    ASSERT_FALSE(started.empty()) << agency_->output();
    port_ = JsonField(started, "port");
  }
  static void TearDownTestSuite() {
    if (agency_) {
      agency_->Signal(SIGTERM);
      agency_->Wait(30);
    }
    delete agency_;
    delete tmp_;
  }

  static std::string AgencyDir() { return *tmp_ / "agency"; }
  static std::string Url() { return "https://127.0.0.1:" + port_ + "/api/paquetes"; }

  static CommandResult Send(const Secretariat& s) {
    return RunCommand({RubricaBinary(), "package", "send", "--data-dir", s.dir, "--secretariat", "1", "--month",
                       kMonth, "--url", Url(), "--ca-file", AgencyDir() + "/tls/ca.pem", "--agency-trust",
                       AgencyDir() + "/trust/ca.pem", "--clock-start", kBeforeDeadline},
                      {}, 300);
  }

  static Result<net::HttpResponse> Https(const std::string& method, const std::string& path,
                                              const std::string& body = "") {
    net::HttpRequest req;
    req.method = method;
    req.url = "https://127.0.0.1:" + port_ + path;
    req.body = body;
    if (!body.empty()) req.content_type = "application/zip";
    net::HttpClientOptions o;
    o.ca_file = AgencyDir() + "/tls/ca.pem";
    o.require_tls = true;
    return net::SendHttp(req, o);
  }

  static TempDir* tmp_;
  static ChildProcess* agency_;
  static std::vector<Secretariat> secretariats_;
  static std::string port_;
};

TempDir* DeliveryTest::tmp_ = nullptr;
ChildProcess* DeliveryTest::agency_ = nullptr;
std::vector<Secretariat> DeliveryTest::secretariats_;
std::string DeliveryTest::port_;

TEST_F(DeliveryTest, TwoSecretariatsDeliverOnTimeOverHttpsAndTheirReceiptsVerify) {
  ASSERT_FALSE(port_.empty());
  std::vector<std::string> packages;
  for (const Secretariat& s : secretariats_) {
    CommandResult sent = Send(s);
    ASSERT_EQ(sent.exit_code, 0) << sent.out << sent.err;
    EXPECT_EQ(JsonField(sent.out, "accepted"), "true") << sent.out;
    EXPECT_EQ(JsonField(sent.out, "on_time"), "true") << sent.out;
    EXPECT_EQ(JsonField(sent.out, "repeat"), "false") << sent.out;
    packages.push_back(JsonField(sent.out, "package"));

    // Tools we did not write: the receipt against its schema and the agency's seal.
    const std::string receipt = s.dir + "/out/acuse-1-2023-03.xml";
    ASSERT_TRUE(PathExists(receipt));
    CommandResult lint = RunCommand({"xmllint", "--noout", "--schema", SourceDir() + "/docs/acuse-paquete.xsd", receipt});
    EXPECT_EQ(lint.exit_code, 0) << lint.err;
    auto agency_ca = ReadFile(AgencyDir() + "/trust/ca.pem");
    ASSERT_TRUE(agency_ca.ok());
    std::vector<std::string> xmlsec = {"xmlsec1", "--verify"};
    for (const auto& f : SplitPem(*agency_ca, s.dir + "/agency-anchor-")) {
      xmlsec.push_back("--trusted-pem");
      xmlsec.push_back(f);
    }
    xmlsec.push_back(receipt);
    CommandResult verified = RunCommand(xmlsec);
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;

    // The package itself: unzip -t, and its manifest against the schema and the seal.
    const std::string zip_file = *tmp_ / ("pkg-" + std::to_string(packages.size()) + ".zip");
    auto data = server::DataDirectory::Open(s.dir);
    ASSERT_TRUE(data.ok()) << data.status().message();
    auto blob = data->blobs->Get(packages.back());
    ASSERT_TRUE(blob.ok()) << blob.status().message();
    ASSERT_TRUE(WriteFileAtomic(zip_file, *blob).ok());
    CommandResult unzip = RunCommand({"unzip", "-t", zip_file});
    EXPECT_EQ(unzip.exit_code, 0) << unzip.out << unzip.err;
    auto zip = ReadFile(zip_file);
    ASSERT_TRUE(zip.ok());
    auto entries = delivery::ReadZip(*zip);
    ASSERT_TRUE(entries.ok());
    std::string manifest;
    size_t sealed_pdfs = 0, certified_copies = 0;
    for (const auto& e : *entries) {
      if (e.name == "manifest.xml") manifest = e.bytes;
      if (e.name.ends_with(".pdf")) ++sealed_pdfs;
      if (e.name.ends_with(".copia-certificada.zip")) {
        ++certified_copies;
        // The archive's certified copy, itself a ZIP the tools accept.
        const std::string copy_file = *tmp_ / ("copy-" + std::to_string(certified_copies) + ".zip");
        ASSERT_TRUE(WriteFileAtomic(copy_file, e.bytes).ok());
        CommandResult copy_ok = RunCommand({"unzip", "-t", copy_file});
        EXPECT_EQ(copy_ok.exit_code, 0) << copy_ok.out << copy_ok.err;
      }
    }
    ASSERT_FALSE(manifest.empty());
    // Every acta travels with its certified copy.
    EXPECT_GT(sealed_pdfs, 0u);
    EXPECT_EQ(certified_copies, sealed_pdfs);
    EXPECT_EQ(manifest.find("no está disponible"), std::string::npos);
    const std::string manifest_file = s.dir + "/manifest.xml";
    ASSERT_TRUE(WriteFileAtomic(manifest_file, manifest).ok());
    CommandResult mlint =
        RunCommand({"xmllint", "--noout", "--schema", SourceDir() + "/docs/manifiesto-paquete.xsd", manifest_file});
    EXPECT_EQ(mlint.exit_code, 0) << mlint.err;
    auto own_ca = ReadFile(s.dir + "/trust/ca.pem");
    ASSERT_TRUE(own_ca.ok());
    std::vector<std::string> mverify = {"xmlsec1", "--verify"};
    for (const auto& f : SplitPem(*own_ca, s.dir + "/own-anchor-")) {
      mverify.push_back("--trusted-pem");
      mverify.push_back(f);
    }
    mverify.push_back(manifest_file);
    CommandResult mverified = RunCommand(mverify);
    EXPECT_EQ(mverified.exit_code, 0) << mverified.out << mverified.err;
    EXPECT_NE(manifest.find("<firmante"), std::string::npos);
    EXPECT_NE(manifest.find("tipo=\"session_minute\""), std::string::npos);

    // The acta is now delivered at the secretariat, with the receipt.
    auto tx = data->db->BeginRead();
    ASSERT_TRUE(tx.ok());
    auto st = tx->Prepare("SELECT state, receipt_blob_id FROM wf_acta WHERE acta_date LIKE '2023-03-%'");
    ASSERT_TRUE(st.ok());
    auto row = st->Step();
    ASSERT_TRUE(row.ok() && *row);
    EXPECT_EQ(st->ColumnText(0), "delivered");
    EXPECT_FALSE(st->ColumnText(1).empty());
  }

  // Sent again: the outbox holds the message as sent, so nothing goes out a second time.
  CommandResult again = Send(secretariats_[0]);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(JsonField(again.out, "package"), packages[0]);
  EXPECT_EQ(again.out.find("\"at_us\"", again.out.find("\"at_us\"") + 1), std::string::npos)
      << "one attempt only: " << again.out;
  // The same bytes posted to the agency again: the original receipt, marked as a repeat.
  {
    auto data = server::DataDirectory::Open(secretariats_[0].dir);
    ASSERT_TRUE(data.ok());
    auto zip = data->blobs->Get(packages[0]);
    ASSERT_TRUE(zip.ok());
    auto repeat = Https("POST", "/api/paquetes", *zip);
    ASSERT_TRUE(repeat.ok()) << repeat.status().message();
    EXPECT_EQ(repeat->status, 200);
    EXPECT_EQ(repeat->Header("Rubrica-Repeat"), "true");
    auto first = ReadFile(secretariats_[0].dir + "/out/acuse-1-2023-03.xml");
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(repeat->body, *first);
  }

  auto month = Https("GET", "/api/entregas?mes=2023-03");
  ASSERT_TRUE(month.ok()) << month.status().message();
  ASSERT_EQ(month->status, 200) << month->body;
  for (const Secretariat& s : secretariats_) {
    const size_t at = month->body.find("\"name\":\"" + s.name + "\"");
    ASSERT_NE(at, std::string::npos) << month->body;
    EXPECT_EQ(JsonField(month->body.substr(at), "status"), "delivered_on_time") << month->body;
  }
  size_t copies = 0;
  for (size_t at = 0; (at = month->body.find(packages[0], at)) != std::string::npos; ++at) ++copies;
  EXPECT_EQ(copies, 1u) << month->body;
}

TEST_F(DeliveryTest, TamperedPackagesAreRefusedByTheInboxAndByPackageVerifyWithTheReason) {
  const Secretariat& s = secretariats_[1];
  const std::string original = *tmp_ / "original.zip";
  CommandResult built = RunCommand({RubricaBinary(), "package", "build", "--data-dir", s.dir, "--secretariat", "1",
                                    "--month", kMonth, "--out", original, "--clock-start", kBeforeDeadline});
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  CommandResult intact = RunCommand({RubricaBinary(), "package", "verify", original, "--trust", s.dir + "/trust/ca.pem"});
  EXPECT_EQ(intact.exit_code, 0) << intact.out << intact.err;

  auto zip = ReadFile(original);
  ASSERT_TRUE(zip.ok());
  auto entries = delivery::ReadZip(*zip);
  ASSERT_TRUE(entries.ok());
  auto variant = [&](auto change) {
    std::vector<delivery::ZipEntry> copy = *entries;
    change(copy);
    auto out = delivery::WriteZip(copy);
    EXPECT_TRUE(out.ok());
    return *out;
  };
  struct Case {
    const char* what;
    std::string zip;
    const char* code;
  } cases[] = {
      {"one byte of the acta altered",
       variant([](std::vector<delivery::ZipEntry>& es) {
         for (auto& e : es) {
           if (e.name != "manifest.xml") e.bytes[e.bytes.size() / 2] ^= 0x01;
         }
       }),
       "delivery.file_altered"},
      {"one byte of the manifest altered",
       variant([](std::vector<delivery::ZipEntry>& es) {
         for (auto& e : es) {
           if (e.name != "manifest.xml") continue;
           const size_t at = e.bytes.find("<titulo>") + 8;
           e.bytes[at] = e.bytes[at] == 'X' ? 'Y' : 'X';
         }
       }),
       "delivery.bad_signature"},
      {"the acta removed",
       variant([](std::vector<delivery::ZipEntry>& es) {
         std::erase_if(es, [](const delivery::ZipEntry& e) { return e.name != "manifest.xml"; });
       }),
       "delivery.file_missing"},
  };
  for (const Case& c : cases) {
    const std::string file = *tmp_ / "tampered.zip";
    ASSERT_TRUE(WriteFileAtomic(file, c.zip).ok());
    CommandResult v = RunCommand(
        {RubricaBinary(), "package", "verify", file, "--trust", s.dir + "/trust/ca.pem", "--json"});
    EXPECT_EQ(v.exit_code, 1) << c.what << ": " << v.out << v.err;
    EXPECT_NE(v.out.find(std::string("\"code\":\"") + c.code + "\""), std::string::npos) << c.what << ": " << v.out;

    auto answer = Https("POST", "/api/paquetes", c.zip);
    ASSERT_TRUE(answer.ok()) << c.what << ": " << answer.status().message();
    EXPECT_EQ(answer->status, 422) << c.what << ": " << answer->body;
    EXPECT_NE(answer->body.find("resultado=\"rechazado\""), std::string::npos) << c.what;
    EXPECT_NE(answer->body.find(std::string("codigo=\"") + c.code + "\""), std::string::npos)
        << c.what << ": " << answer->body;
  }
}

// Done-when 2 (first half): the agency is down when the package is sent; the outbox's
// sender retries with growing waits, and once the agency is back the package arrives
// exactly once.
TEST_F(DeliveryTest, WhileTheAgencyIsDownTheOutboxRetriesWithGrowingWaitsAndDeliversOnce) {
  const Secretariat& s = secretariats_[0];
  const std::string dir = *tmp_ / "agency-down";
  CommandResult reg = RunCommand({RubricaBinary(), "agency", "register", "--data-dir", dir, "--name", s.name,
                                  "--seal-cert", s.dir + "/seal.pem", "--ca", s.dir + "/trust/ca.pem",
                                  "--clock-start", kAgencyCreated});
  ASSERT_EQ(reg.exit_code, 0) << reg.err;
  // Started once for its TLS identity and port, then stopped for the whole send.
  std::string port;
  {
    ChildProcess first;
    ASSERT_TRUE(first.Start({RubricaBinary(), "serve", "--agency", "--data-dir", dir, "--port", "0", "--clock-start",
                             kBeforeDeadline}));
    const std::string started = first.WaitForLine("agency.started", 120);
    ASSERT_FALSE(started.empty()) << first.output();
    port = JsonField(started, "port");
    first.Signal(SIGTERM);
    ASSERT_EQ(first.Wait(30), 0) << first.output();
  }
  // A new package of the month (a correction), never sent before.
  CommandResult built = RunCommand({RubricaBinary(), "package", "build", "--data-dir", s.dir, "--secretariat", "1",
                                    "--month", kMonth, "--clock-start", kBeforeDeadline});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  const std::string package = JsonField(built.out, "package");
  ChildProcess send;
  ASSERT_TRUE(send.Start({RubricaBinary(), "package", "send", "--data-dir", s.dir, "--secretariat", "1", "--month",
                          kMonth, "--url", "https://127.0.0.1:" + port + "/api/paquetes", "--ca-file",
                          dir + "/tls/ca.pem", "--agency-trust", dir + "/trust/ca.pem", "--clock-start",
                          kBeforeDeadline, "--wait-seconds", "120", "--retry-base-seconds", "1"}));
  sleep(6);  // attempts at ~0, ~0.5-1, ~1.5-3 s fail: nothing listens
  ChildProcess agency;
  ASSERT_TRUE(agency.Start({RubricaBinary(), "serve", "--agency", "--data-dir", dir, "--port", port,
                            "--clock-start", kBeforeDeadline}));
  ASSERT_FALSE(agency.WaitForLine("agency.started", 120).empty()) << agency.output();
  ASSERT_EQ(send.Wait(180), 0) << send.output();
  const std::string out = send.output();
  EXPECT_EQ(JsonField(out, "package"), package) << out;
  EXPECT_EQ(JsonField(out, "accepted"), "true") << out;
  // The attempts: at least three failures, then one success, each wait longer than the last.
  std::vector<int64_t> at;
  std::vector<std::string> ok;
  for (size_t p = 0; (p = out.find("\"at_us\":", p)) != std::string::npos; ++p) {
    at.push_back(std::stoll(out.substr(p + 8)));
    ok.push_back(JsonField(out.substr(p), "ok"));
  }
  ASSERT_GE(at.size(), 4u) << out;
  for (size_t i = 0; i + 1 < ok.size(); ++i) EXPECT_EQ(ok[i], "false") << out;
  EXPECT_EQ(ok.back(), "true") << out;
  for (size_t i = 2; i < at.size(); ++i) EXPECT_GT(at[i] - at[i - 1], at[i - 1] - at[i - 2]) << out;
  // The agency holds it once.
  net::HttpRequest req;
  req.method = "GET";
  req.url = "https://127.0.0.1:" + port + "/api/entregas?mes=2023-03";
  net::HttpClientOptions o;
  o.ca_file = dir + "/tls/ca.pem";
  auto month = net::SendHttp(req, o);
  ASSERT_TRUE(month.ok()) << month.status().message();
  size_t copies = 0;
  for (size_t p = 0; (p = month->body.find("\"sha256\":", p)) != std::string::npos; ++p) ++copies;
  EXPECT_EQ(copies, 1u) << month->body;
  EXPECT_NE(month->body.find(package), std::string::npos) << month->body;
  agency.Signal(SIGTERM);
  EXPECT_EQ(agency.Wait(30), 0);
}

TEST_F(DeliveryTest, AClientThatDoesNotTrustTheAgencysCaIsRefusedTheConnection) {
  net::HttpRequest req;
  req.method = "GET";
  req.url = "https://127.0.0.1:" + port_ + "/healthz";
  net::HttpClientOptions o;
  o.ca_file = secretariats_[0].dir + "/trust/ca.pem";  // some other CA
  auto r = net::SendHttp(req, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "net.tls_failed") << r.status().message();
  o.ca_file = AgencyDir() + "/tls/ca.pem";
  auto ok = net::SendHttp(req, o);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->status, 200);
}

}  // namespace
}  // namespace rubrica
