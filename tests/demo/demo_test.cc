// Runs the real `rubrica demo` once and judges what it wrote with tools we did not write.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <thread>

#include "pades/external_tools.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/embedded_files.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/signature_plan.h"
#include "rubrica/base/crypto_util.h"
#include "support/test_support.h"

namespace rubrica {
namespace {

using pdf::cos::Object;
using pdf::cos::PdfFile;

class DemoTest : public ::testing::Test {
 protected:
  // Under CTest the demo ran once already (fixture DemoRun, $RUBRICA_DEMO_DIR); run directly,
  // the binary runs it itself into a scratch directory.
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    if (const char* d = std::getenv("RUBRICA_DEMO_DIR")) {
      data_ = d;
      first_run_ = new testing::CommandResult{0, "", ""};
    } else {
      data_ = *dir_ / "data";
      first_run_ = new testing::CommandResult(
          testing::RunCommand({testing::RubricaBinary(), "demo", "--data-dir", data_}, {}, 900));
    }
  }
  static void TearDownTestSuite() {
    delete first_run_;
    delete dir_;
  }
  static std::string Data() { return data_; }
  static std::string Out(const std::string& name) { return Data() + "/out/" + name; }
  static std::string Anchor() { return Data() + "/trust/ca.pem"; }
  static std::string Bytes(const std::string& path) {
    auto r = ReadFile(path);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : "";
  }

  static testing::TempDir* dir_;
  static testing::CommandResult* first_run_;
  static std::string data_;
};

std::string DemoTest::data_;

testing::TempDir* DemoTest::dir_ = nullptr;
testing::CommandResult* DemoTest::first_run_ = nullptr;

const char* kActas[] = {"acta-instalacion", "acta-sesion-ordinaria"};

// The demo's story ends when the session minute is sealed, 16 March 2023 (demo.h). Every
// check of what it wrote that judges certificates against a date does so as of a few days
// later, not today: the members' certificates end with the municipal administration on 31
// August 2027 and the first TSA and seal certificates on 1 November 2027, so "today" would
// make these tests fail from then on (tools we did not write check the certificates of
// signatures at the time they are asked; our verifier checks the last archive timestamp at
// the date it is given).
constexpr char kJudgedAtText[] = "2023-03-20T12:00:00Z";
Instant JudgedAt() { return *ParseRfc3339(kJudgedAtText); }

// Runs every job on a few threads (the tools are separate processes; gtest's EXPECTs are
// thread-safe).
void InParallel(const std::vector<std::function<void()>>& jobs, unsigned threads = 4) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < jobs.size();) jobs[i]();
    });
  }
  for (auto& t : pool) t.join();
}


// What the sqlite3 tool (not our code) reads from the demo's database.
std::string Sql(const std::string& db, const std::string& query) {
  auto r = testing::RunCommand({"sqlite3", "-readonly", db, query});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

TEST_F(DemoTest, EverythingTheDemoWroteIsItsOwnersAlone) {
  ASSERT_EQ(first_run_->exit_code, 0) << first_run_->err;
  int checked = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(Data())) {
    struct stat st;
    ASSERT_EQ(::lstat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 077, 0u) << e.path() << " mode " << std::oct << (st.st_mode & 0777);
    ++checked;
  }
  struct stat root;
  ASSERT_EQ(::stat(Data().c_str(), &root), 0);
  EXPECT_EQ(root.st_mode & 0777, 0700u);
  EXPECT_GT(checked, 10);
}

TEST_F(DemoTest, RunsAndWritesTheActasAndTheTrustAnchor) {
  ASSERT_EQ(first_run_->exit_code, 0) << first_run_->out << first_run_->err;
  for (const char* a : kActas) {
    EXPECT_TRUE(PathExists(Out(std::string(a) + ".pdf"))) << a;
    EXPECT_TRUE(PathExists(Out(std::string(a) + ".sellada.pdf"))) << a;
  }
  EXPECT_TRUE(PathExists(Anchor()));
}

// Each archived acta's certified copy: a ZIP unzip accepts, whose report xmlsec1 accepts
// with only the root certificate and whose sealed PDF is the one the demo exported.
TEST_F(DemoTest, WritesACertifiedCopyOfEachActaThatToolsAccept) {
  ASSERT_EQ(first_run_->exit_code, 0) << first_run_->out << first_run_->err;
  const std::string anchor = Bytes(Anchor());
  const std::string end = "-----END CERTIFICATE-----\n";
  const std::string root = *dir_ / "demo-root.pem";
  ASSERT_TRUE(WriteFileAtomic(root, anchor.substr(0, anchor.find(end) + end.size())).ok());
  for (const char* a : kActas) {
    const std::string zip = Out(std::string(a) + ".copia-certificada.zip");
    ASSERT_TRUE(PathExists(zip)) << a;
    auto tested = testing::RunCommand({"/usr/bin/unzip", "-t", zip});
    EXPECT_EQ(tested.exit_code, 0) << tested.out << tested.err;
    const std::string into = *dir_ / (std::string("copia-") + a);
    auto unzipped = testing::RunCommand({"/usr/bin/unzip", "-o", "-q", zip, "-d", into});
    ASSERT_EQ(unzipped.exit_code, 0) << unzipped.err;
    auto verified = testing::RunCommand(
        {"/usr/bin/xmlsec1", "--verify", "--verification-time", "2023-03-20 12:00:00", "--trusted-pem", root,
         into + "/reporte-verificacion.xml"},
        {"TZ=UTC"});
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    const std::string report = Bytes(into + "/reporte-verificacion.xml");
    EXPECT_NE(report.find(Sha256Hex(Bytes(Out(std::string(a) + ".sellada.pdf")))), std::string::npos) << a;
    EXPECT_TRUE(PathExists(into + "/constancia-verificacion.pdf")) << a;
  }
}

// What the demo writes for people is its owner's only, whatever the umask (CTest's is 022).
TEST_F(DemoTest, ItsOutputFilesAre0600AndTheirDirectory0700) {
  ASSERT_EQ(first_run_->exit_code, 0);
  auto mode = [](const std::string& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
  };
  EXPECT_EQ(mode(Data() + "/out"), 0700u);
  const std::vector<std::string> files = ListFilesRecursive(Data() + "/out");
  // Two actas, their sealed copies and certified copies, demo.json, March's package and its
  // receipt.
  EXPECT_EQ(files.size(), 9u);
  for (const std::string& f : files) EXPECT_EQ(mode(f), 0600u) << f;
}

// The messages the demo's events produced, read with Python's email package and its
// calendar parts with the icalendar library (tests/server/peers/ics_check.py).
TEST_F(DemoTest, TheOutboxHoldsTheConvocationsWithTheirCalendarAndTheFirmeHoyMessages) {
  auto r = testing::RunCommand({"/usr/bin/python3", testing::SourceDir() + "/tests/server/peers/ics_check.py",
                                Data() + "/outbox"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, int> convocations, firme_hoy;
  std::stringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    std::string cell;
    while (std::getline(fields, cell, '|')) f.push_back(cell);
    f.resize(8);
    if (f[2].rfind("Convocatoria: sesión ordinaria del 16 de marzo de 2023", 0) == 0) {
      ++convocations[f[0]];
      EXPECT_EQ(f[3], "REQUEST") << line;
      EXPECT_EQ(f[6], "2023-03-16T16:00:00Z") << "10:00 in Zamora (UTC-6): " << line;
    }
    if (f[2].rfind("Firme hoy: ", 0) == 0) ++firme_hoy[f[0]];
  }
  // Every member in force on the session date (the titular and the substitute of each of
  // the five seats, and the facilitator), once each.
  EXPECT_EQ(convocations.size(), 11u) << r.out;
  for (const auto& [to, n] : convocations) EXPECT_EQ(n, 1) << to;
  // The installation acta's 13 signers on its approval day, and the minute's signers on
  // theirs: every signer of both actas is told to sign that day.
  EXPECT_EQ(firme_hoy.size(), 13u) << r.out;
  int total = 0;
  for (const auto& [to, n] : firme_hoy) total += n;
  EXPECT_EQ(total, 13 + 6) << "the minute's five seats and the facilitator\n" << r.out;
  for (const auto& f : ListFilesRecursive(Data() + "/outbox")) {
    struct stat st {};
    ASSERT_EQ(::stat(f.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << f;
  }
}

TEST_F(DemoTest, PdfsigFindsEverySignatureValidAndTrustedAndNoEmptyField) {
  ASSERT_EQ(first_run_->exit_code, 0);
  const size_t expected[] = {27, 13};  // certification + 13 x 2; certification + 6 x 2
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(kActas[i]);
    testing::TempDir work;
    auto r = pades_testing::RunPdfsig(Out(std::string(kActas[i]) + ".pdf"), Anchor(), work.path(), JudgedAt());
    EXPECT_EQ(r.signatures.size(), expected[i]) << r.output;
    EXPECT_EQ(r.unsigned_fields, 0) << r.output;
    for (const auto& s : r.signatures) {
      EXPECT_TRUE(s.valid) << s.field;
      EXPECT_TRUE(s.trusted) << s.field << "\n" << r.output;
    }
    ASSERT_FALSE(r.signatures.empty());
    EXPECT_TRUE(r.signatures.back().whole_document);
  }
}

TEST_F(DemoTest, QpdfOpensslCmsAndOpensslTsAgree) {
  ASSERT_EQ(first_run_->exit_code, 0);
  for (const char* a : kActas) {
    SCOPED_TRACE(a);
    for (const std::string suffix : {".pdf", ".sellada.pdf"}) {
      std::string qpdf;
      EXPECT_TRUE(pades_testing::QpdfCheck(Out(a + suffix), &qpdf)) << qpdf;
    }
    testing::TempDir work;
    const std::string sealed = Bytes(Out(std::string(a) + ".sellada.pdf"));
    int cms = 0, ts = 0;
    for (const auto& line :
         pades_testing::OpensslVerifyEach(Bytes(Out(std::string(a) + ".pdf")), Anchor(), work.path(), JudgedAt())) {
      EXPECT_NE(line.find(": ok"), std::string::npos) << line;
      ++cms;
    }
    for (const auto& line : pades_testing::OpensslTsVerifyEach(sealed, Anchor(), work.path(), JudgedAt())) {
      EXPECT_NE(line.find(": ok"), std::string::npos) << line;
      ++ts;
    }
    EXPECT_GE(cms, 13);
    EXPECT_EQ(ts, cms + 1);  // every signature's timestamp, and the archive seal
  }
}

// The month's package, delivered to the demo's own agency inbox (HTTPS on loopback), with
// the agency's signed receipt beside it: judged by unzip, xmllint against our schema and
// xmlsec1 trusting only the agency's anchors.
TEST_F(DemoTest, MarchsPackageIsDeliveredToALoopbackAgencyAndItsReceiptVerifies) {
  ASSERT_EQ(first_run_->exit_code, 0) << first_run_->out << first_run_->err;
  const std::string zip = Out("paquete-1-2023-03.zip");
  const std::string receipt = Out("paquete-1-2023-03.acuse.xml");
  ASSERT_TRUE(PathExists(zip));
  ASSERT_TRUE(PathExists(receipt));
  auto tested = testing::RunCommand({"/usr/bin/unzip", "-t", zip});
  EXPECT_EQ(tested.exit_code, 0) << tested.out << tested.err;
  auto lint = testing::RunCommand(
      {"/usr/bin/xmllint", "--noout", "--schema", testing::SourceDir() + "/docs/acuse-paquete.xsd", receipt});
  EXPECT_EQ(lint.exit_code, 0) << lint.err;
  testing::TempDir work;
  auto certs = keys::Certificate::AllFromPem(Bytes(Data() + "/agencia/trust/ca.pem"));
  ASSERT_TRUE(certs.ok());
  ASSERT_FALSE(certs->empty());
  std::vector<std::string> xmlsec = {"/usr/bin/xmlsec1", "--verify"};
  for (size_t i = 0; i < certs->size(); ++i) {
    const std::string f = work / ("agency-" + std::to_string(i) + ".pem");
    ASSERT_TRUE(WriteFileAtomic(f, (*certs)[i].ToPem()).ok());
    xmlsec.push_back("--trusted-pem");
    xmlsec.push_back(f);
  }
  xmlsec.push_back(receipt);
  auto verified = testing::RunCommand(xmlsec);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  // Only the agency's anchors: the secretariat's own CA does not make the receipt valid.
  ASSERT_TRUE(WriteFileAtomic(work / "own.pem", keys::Certificate::AllFromPem(Bytes(Anchor()))->front().ToPem()).ok());
  auto foreign = testing::RunCommand({"/usr/bin/xmlsec1", "--verify", "--trusted-pem", (work / "own.pem"), receipt});
  EXPECT_NE(foreign.exit_code, 0) << foreign.out;
  const std::string xml = Bytes(receipt);
  EXPECT_NE(xml.find("resultado=\"recibido\""), std::string::npos) << xml.substr(0, 400);
  EXPECT_NE(xml.find(Sha256Hex(Bytes(zip))), std::string::npos) << "the receipt names the package it answers";
  EXPECT_EQ(Sql(Data() + "/rubrica.db", "SELECT state FROM wf_acta WHERE acta_date LIKE '2023-03-%'"), "delivered");
}

TEST_F(DemoTest, OurVerifierSaysValidAndCompleteAndTheAuditChainHolds) {
  ASSERT_EQ(first_run_->exit_code, 0);
  for (const char* a : kActas) {
    for (const std::string suffix : {".pdf", ".sellada.pdf"}) {
      auto r = testing::RunCommand({testing::RubricaBinary(), "verify", "--at", kJudgedAtText, Out(a + suffix), "--trust", Anchor(), "--json"});
      EXPECT_EQ(r.exit_code, 0) << a << suffix << "\n" << r.out << r.err;
      EXPECT_NE(r.out.find("\"status\":\"valid_and_complete\""), std::string::npos);
    }
  }
  auto sealed = testing::RunCommand({testing::RubricaBinary(), "verify", "--at", kJudgedAtText, Out("acta-instalacion.sellada.pdf"),
                                     "--trust", Anchor(), "--json"});
  EXPECT_NE(sealed.out.find("\"archived\":true"), std::string::npos) << sealed.out;
  // An archivist who trusts the root alone, offline, years later: the seal's own CRLs answer
  // revocation for every certificate of every chain (signers, issuing CA, TSA).
  {
    auto certs = keys::Certificate::AllFromPem(Bytes(Anchor()));
    ASSERT_TRUE(certs.ok());
    testing::TempDir work;
    const std::string root = work / "root.pem";
    ASSERT_TRUE(WriteFileAtomic(root, certs->front().ToPem()).ok());
    auto r = testing::RunCommand({testing::RubricaBinary(), "verify", "--at", kJudgedAtText, Out("acta-instalacion.sellada.pdf"),
                                  "--trust", root, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("\"crls\":2}"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"source\":\"crl (document)\""), std::string::npos);
    EXPECT_NE(r.out.find("Autoridad emisora"), std::string::npos);  // the issuing CA was checked too
    EXPECT_EQ(r.out.find("\"state\":\"not_checked\""), std::string::npos) << r.out;
    // Every signature's revocation is judged at the time the archive timestamp proves: no
    // warning for any of them. The last timestamp is judged at the date given (PAdES-LTA):
    // its TSA's CRLs from the seal may predate it, which the report says, and only that (a
    // renewal brings fresh ones).
    size_t warnings = 0, about_the_last_timestamp = 0;
    for (size_t at = r.out.find("revocation: "); at != std::string::npos;
         at = r.out.find("revocation: ", at + 1)) {
      ++warnings;
      if (r.out.compare(at, 58, "revocation: the crl (document) used for timestamp chain: '") == 0) {
        ++about_the_last_timestamp;
      }
    }
    EXPECT_EQ(warnings, about_the_last_timestamp) << r.out;
    // Without the seal, the same verifier says it could not check: it does not pretend.
    auto bare = testing::RunCommand({testing::RubricaBinary(), "verify", "--at", kJudgedAtText, Out("acta-instalacion.pdf"),
                                     "--trust", root, "--json"});
    EXPECT_EQ(bare.exit_code, 0) << bare.out;
    EXPECT_NE(bare.out.find("\"state\":\"not_checked\""), std::string::npos);
    // A garante who demands revocation proof gets it from the sealed copy, and a refusal
    // (INDETERMINATE / TRY_LATER, exit 1) from the unsealed one.
    auto strict_sealed = testing::RunCommand({testing::RubricaBinary(), "verify", "--at", kJudgedAtText, Out("acta-instalacion.sellada.pdf"),
                                              "--trust", root, "--require-revocation", "--json"});
    EXPECT_EQ(strict_sealed.exit_code, 0) << strict_sealed.out;
    auto strict_bare = testing::RunCommand({testing::RubricaBinary(), "verify", "--at", kJudgedAtText, Out("acta-instalacion.pdf"),
                                            "--trust", root, "--require-revocation", "--json"});
    EXPECT_EQ(strict_bare.exit_code, 1) << strict_bare.out;
    EXPECT_NE(strict_bare.out.find("\"indication\":\"INDETERMINATE\",\"sub_indication\":\"TRY_LATER\""),
              std::string::npos)
        << strict_bare.out;
    EXPECT_NE(strict_bare.out.find("keys.revocation_unknown"), std::string::npos);
    // The Spanish text says it once, at the end, and only when it is so.
    auto text_bare = testing::RunCommand({testing::RubricaBinary(), "verify", "--at", kJudgedAtText, Out("acta-instalacion.pdf"), "--trust", root});
    auto text_sealed = testing::RunCommand(
        {testing::RubricaBinary(), "verify", "--at", kJudgedAtText, Out("acta-instalacion.sellada.pdf"), "--trust", root});
    const std::string note = "Nota: no se pudo comprobar la revocación";
    EXPECT_NE(text_bare.out.find(note), std::string::npos) << text_bare.out;
    EXPECT_EQ(text_sealed.out.find(note), std::string::npos) << text_sealed.out;
    EXPECT_NE(text_sealed.out.find("vigente según la CRL incluida en el documento"), std::string::npos);
  }
  auto audit = testing::RunCommand({testing::RubricaBinary(), "audit", "verify", "--data-dir", Data()});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
}

// The folio and the approved content's hash the workflow recorded (read by sqlite3) are
// what every page of the certified revision and of the sealed file prints and encodes:
// zbarimg reads <public_url>/v/<folio>/<HASH> on each whole page rendered at 150 dpi and at
// 100 dpi (a fax, a cheap scan; the demo runs with the default public_url), pdftotext finds
// "Folio <folio>" on each page and the hash, the cadena, on the last. The address the QR
// code carries leads somewhere: a real `rubrica serve` of (a copy of) the demo's data
// directory answers it with the acta's verification page, which says the hash matches.
TEST_F(DemoTest, EveryPageOfBothActasCarriesTheFolioAndAQrCodeOfItsVerificationAddress) {
  ASSERT_EQ(first_run_->exit_code, 0);
  const std::string kinds[] = {"installation", "session_minute"};
  std::vector<std::pair<std::string, std::string>> addresses;  // folio, QR address
  for (int a = 0; a < 2; ++a) {
    SCOPED_TRACE(kActas[a]);
    const std::string row = Sql(Data() + "/rubrica.db",
                                "SELECT a.folio || ' ' || p.content_sha256 FROM wf_acta a JOIN wf_acta_approval p "
                                "ON p.acta_id = a.id AND p.superseded_at IS NULL WHERE a.kind = '" + kinds[a] + "'");
    const size_t space = row.find(' ');
    ASSERT_NE(space, std::string::npos) << row;
    const std::string folio = row.substr(0, space), hash = row.substr(space + 1);
    ASSERT_TRUE(std::regex_match(folio, std::regex("STM-[A-Z0-9-]+-20(22|23)-[0-9]+"))) << folio;
    ASSERT_EQ(hash.size(), 64u) << row;
    std::string upper = hash;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string url = "http://127.0.0.1:8080/v/" + folio + "/" + upper;
    addresses.emplace_back(folio, url);

    const std::string bytes = Bytes(Out(std::string(kActas[a]) + ".sellada.pdf"));
    auto file = PdfFile::Open(bytes);
    ASSERT_TRUE(file.ok());
    testing::TempDir work;
    ASSERT_TRUE(WriteFileAtomic(work / "certificada.pdf", bytes.substr(0, file->revisions()[1].end)).ok());
    for (const std::string& pdf : {work / "certificada.pdf", Out(std::string(kActas[a]) + ".sellada.pdf")}) {
      SCOPED_TRACE(pdf);
      const std::vector<std::string> pages = testing::PdfPageTexts(pdf);
      ASSERT_GE(pages.size(), 2u);
      for (const char* dpi : {"150", "100"}) {
        SCOPED_TRACE(std::string(dpi) + " dpi");
        // Whole pages, in gray, as a scanner gives them; zbarimg looks for QR codes only.
        const std::string prefix = work / ("p" + std::to_string(pdf.size()) + "-" + dpi);
        ASSERT_EQ(testing::RunCommand({"pdftoppm", "-r", dpi, "-gray", "-png", pdf, prefix}).exit_code, 0);
        std::vector<std::string> qr(pages.size());
        std::vector<std::function<void()>> jobs;
        for (size_t i = 0; i < pages.size(); ++i) {
          jobs.push_back([&, i] {
            char suffix[16];
            std::snprintf(suffix, sizeof suffix, pages.size() < 10 ? "-%zu.png" : "-%02zu.png", i + 1);
            qr[i] = testing::RunCommand({"zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", prefix + suffix})
                        .out;
          });
        }
        InParallel(jobs);
        for (size_t i = 0; i < pages.size(); ++i) EXPECT_EQ(qr[i], url + "\n") << "page " << i + 1;
      }
      for (size_t i = 0; i < pages.size(); ++i) {
        EXPECT_NE(pages[i].find("Folio " + folio), std::string::npos) << "page " << i + 1 << "\n" << pages[i];
      }
      EXPECT_NE(pages.back().find(hash), std::string::npos) << pages.back();
    }
  }
  ASSERT_EQ(addresses.size(), 2u);

  // A copy of the data directory, so that the service's lock never meets the test that runs
  // the demo again in the original (the database copied with SQLite's online backup: a
  // consistent snapshot even while that test writes).
  testing::TempDir served;
  ASSERT_EQ(testing::RunCommand({"cp", "-a", Data(), served / "data"}).exit_code, 0);
  for (const char* stale : {"/rubrica.db-wal", "/rubrica.db-shm", "/rubrica.lock"}) {
    std::filesystem::remove(served / "data" + stale);
  }
  ASSERT_EQ(testing::RunCommand({"sqlite3", Data() + "/rubrica.db", ".backup '" + served / "data/rubrica.db" + "'"})
                .exit_code,
            0);
  testing::ChildProcess serve;
  ASSERT_TRUE(serve.Start({testing::RubricaBinary(), "serve", "--data-dir", served / "data", "--port", "0"}));
  const std::string started = serve.WaitForLine("server.started", 120);
  ASSERT_FALSE(started.empty()) << serve.output();
  const size_t at = started.find("\"port\":");
  ASSERT_NE(at, std::string::npos) << started;
  const std::string origin = "http://127.0.0.1:" + std::to_string(std::stoi(started.substr(at + 7)));
  for (const auto& [folio, url] : addresses) {
    SCOPED_TRACE(url);
    const std::string path = url.substr(std::string("http://127.0.0.1:8080").size());
    auto got = testing::RunCommand({"curl", "-sS", "-L", "--max-time", "60", "-w", "\n%{http_code}", origin + path});
    ASSERT_EQ(got.exit_code, 0) << got.err;
    const size_t last = got.out.rfind('\n');
    ASSERT_NE(last, std::string::npos);
    EXPECT_EQ(got.out.substr(last + 1), "200");
    EXPECT_NE(got.out.find("Verificación del acta " + folio), std::string::npos) << got.out;
    EXPECT_NE(got.out.find("La huella de su copia coincide"), std::string::npos) << got.out;
  }
}

// The installation acta's first version is written from the records, not by hand: it
// names every person holding a seat term on the installation day and every seat as the
// secretariat's configuration has it (read back with sqlite3), and the rules the
// configuration sets (the STM's monthly cadence, 50 % + 1, the agency).
TEST_F(DemoTest, TheInstallationActaIsWrittenFromTheConfigurationAndNamesEveryMemberAndSeat) {
  ASSERT_EQ(first_run_->exit_code, 0);
  const std::string db = Data() + "/rubrica.db";
  const std::string content =
      Sql(db, "SELECT v.content_json FROM wf_acta_version v JOIN wf_acta a ON a.id = v.acta_id "
              "WHERE a.kind = 'installation' AND v.version = 1");
  ASSERT_FALSE(content.empty());
  std::istringstream people(Sql(db, "SELECT DISTINCT p.full_name FROM wf_person p JOIN wf_term t "
                                    "ON t.person_id = p.id WHERE t.starts_on <= '2022-11-14'"));
  int named = 0;
  for (std::string name; std::getline(people, name); ++named) {
    EXPECT_NE(content.find("\"" + name), std::string::npos) << name;
  }
  EXPECT_EQ(named, 11) << "five titulars, five substitutes and the facilitator";
  std::istringstream seats(Sql(db, "SELECT s.represents || '|' || m.label_es FROM wf_seat s JOIN wf_member_type m "
                                   "ON m.secretariat_id = s.secretariat_id AND m.code = s.member_type"));
  int seen = 0;
  for (std::string line; std::getline(seats, line); ++seen) {
    const std::string represents = line.substr(0, line.find('|')), label = line.substr(line.find('|') + 1);
    EXPECT_NE(content.find(represents), std::string::npos) << represents;
    EXPECT_NE(content.find(label), std::string::npos) << label;
  }
  EXPECT_EQ(seen, 5);
  for (const char* rule : {"una vez al mes", "50 % más uno", "al Instituto Michoacano de Transparencia"}) {
    EXPECT_NE(content.find(rule), std::string::npos) << rule;
  }
}

// The verifier's Spanish report writes dates as the actas do.
TEST_F(DemoTest, TheVerifiersSpanishReportWritesDatesInWords) {
  ASSERT_EQ(first_run_->exit_code, 0);
  auto r = testing::RunCommand({testing::RubricaBinary(), "verify", "--at", kJudgedAtText, Out("acta-instalacion.sellada.pdf"), "--trust", Anchor()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const std::string expected :
       {"firmaron al calce el 14 de noviembre de 2022", "aprobada el 14 de noviembre de 2022",
        "fecha y hora (sello de tiempo): 14 de noviembre de 2022, ", " h (UTC−6)", "rúbrica válida el 14 de noviembre de 2022",
        "Sellada para archivo el "}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
  EXPECT_FALSE(std::regex_search(r.out, std::regex("20[0-9][0-9]-[01][0-9]-[0-3][0-9]"))) << r.out;
}

TEST_F(DemoTest, TheMinuteNamesTheSubstituteWhoStoodInNotTheTitular) {
  ASSERT_EQ(first_run_->exit_code, 0);
  auto file = PdfFile::Open(Bytes(Out("acta-sesion-ordinaria.pdf")));
  ASSERT_TRUE(file.ok());
  auto json = pdf::cos::ReadEmbeddedFile(*file, 0, "firmantes.json", 1 << 20);
  ASSERT_TRUE(json.ok() && json->has_value());
  auto list = pdf::SignerListFromJson(**json);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  std::vector<std::string> names;
  for (const auto& s : list->signers) names.push_back(s.name + " (" + s.role + ")");
  const std::string all = ::testing::PrintToString(names);
  EXPECT_EQ(list->signers.size(), 6u) << all;
  EXPECT_NE(all.find("Mtro. Óscar Begoña Iturbide (suplente)"), std::string::npos) << all;
  EXPECT_EQ(all.find("Natalia Cervantes"), std::string::npos) << all;
  EXPECT_EQ(list->acta.approved_on, "2023-03-16");
}

// The minute's first draft was written from the session's record: what pdftotext reads in
// the signed minute is the recorded attendance, quorum, decisions and agreement, in the
// Spanish of lang/ (the facilitator's post agrees with her recorded gender).
TEST_F(DemoTest, TheMinuteIsWrittenFromTheSessionsRecord) {
  ASSERT_EQ(first_run_->exit_code, 0);
  auto r = testing::RunCommand({"pdftotext", Out("acta-sesion-ordinaria.pdf"), "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text;
  bool space = false;
  for (char c : r.out) {
    const bool ws = c == ' ' || c == '\n' || c == '\f' || c == '\t' || c == '\r';
    if (ws && !space) text += ' ';
    if (!ws) text += c;
    space = ws;
  }
  for (const char* expected : {
           "Acta de la primera sesión ordinaria de 2023",
           "siendo las 10:00 horas (diez horas) del día dieciséis de marzo de dos mil veintitrés",
           "suplente del asiento de la Academia, asistió en lugar de la Dra. Natalia Cervantes Ochoa",
           "Asistió la Mtra. Verónica Itzel Paredes Núñez",
           "en su calidad de facilitadora del Secretariado Técnico Municipal",
           "El Mtro. Óscar Begoña Iturbide, Representante suplente de la Academia, suplente",
           "Estuvieron presentes cinco asientos de los cinco",
           "quórum legal",
           "Priorizar los tres problemas públicos del diagnóstico. Se aprobó por consenso de los "
           "cinco asientos presentes",
           "Se aprobó por mayoría de votos: 4 votos a favor, 1 en contra y 0 abstenciones.",
           "Publicar en el micrositio el avance mensual del Plan de Acción Municipal",
           "31 de marzo de 2023",
           "a las 13:00 horas (trece horas) del día dieciséis de marzo de dos mil veintitrés",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected;
  }
}

// A grey-scale page rendered by pdftoppm (binary PGM).
struct Page {
  int width = 0, height = 0;
  std::string pixels;
  int Dark(double x0, double y0, double x1, double y1, double dpi) const {
    const double s = dpi / 72.0;
    int count = 0;
    for (int y = static_cast<int>(height - y1 * s) + 1; y < static_cast<int>(height - y0 * s) - 1; ++y) {
      for (int x = static_cast<int>(x0 * s) + 1; x < static_cast<int>(x1 * s) - 1; ++x) {
        if (x >= 0 && y >= 0 && x < width && y < height &&
            static_cast<unsigned char>(pixels[static_cast<size_t>(y) * width + x]) < 160) {
          ++count;
        }
      }
    }
    return count;
  }
};

std::vector<Page> Render(const std::string& pdf_path, const std::string& prefix, int dpi) {
  auto r = testing::RunCommand({"pdftoppm", "-r", std::to_string(dpi), "-gray", pdf_path, prefix});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<Page> pages;
  for (int i = 1;; ++i) {
    char name[32];
    std::string path;
    for (const char* fmt : {"-%d.pgm", "-%02d.pgm", "-%03d.pgm"}) {
      std::snprintf(name, sizeof name, fmt, i);
      if (PathExists(prefix + name)) path = prefix + name;
    }
    if (path.empty()) break;
    std::ifstream in(path, std::ios::binary);
    std::string magic;
    Page p;
    int maxval;
    in >> magic >> p.width >> p.height >> maxval;
    in.get();
    p.pixels.resize(static_cast<size_t>(p.width) * p.height);
    in.read(p.pixels.data(), static_cast<std::streamsize>(p.pixels.size()));
    pages.push_back(std::move(p));
  }
  return pages;
}

// Every signer's rubric is drawn on every page of the 29-page minute (and was not there in the
// approved, unsigned version); the foot signatures are drawn in their slots.
TEST_F(DemoTest, RubricsShowOnEveryPageAndFootSignaturesInTheirSlots) {
  ASSERT_EQ(first_run_->exit_code, 0);
  const std::string bytes = Bytes(Out("acta-sesion-ordinaria.pdf"));
  auto file = PdfFile::Open(bytes);
  ASSERT_TRUE(file.ok());
  // The approved version: the file cut after its first revision.
  testing::TempDir work;
  ASSERT_TRUE(WriteFileAtomic(work / "approved.pdf", bytes.substr(0, file->revisions()[0].end)).ok());
  const int dpi = 40;
  std::vector<Page> signed_pages = Render(Out("acta-sesion-ordinaria.pdf"), work / "s", dpi);
  std::vector<Page> approved_pages = Render(work / "approved.pdf", work / "a", dpi);
  ASSERT_GE(signed_pages.size(), 25u);
  ASSERT_EQ(signed_pages.size(), approved_pages.size());

  auto fields = pdf::cos::ReadFields(*file, file->last());
  ASSERT_TRUE(fields.ok());
  auto cat = file->Catalog(file->last());
  auto pages = file->GetLatest(cat->Get("Pages")->ref());
  std::map<int, int> page_index;
  for (size_t i = 0; i < pages->Get("Kids")->array().size(); ++i) {
    page_index[pages->Get("Kids")->array()[i].ref().num] = static_cast<int>(i);
  }
  auto rect_of = [&](const Object& w) {
    const auto& r = w.Get("Rect")->array();
    return std::array<double, 4>{r[0].as_number(), r[1].as_number(), r[2].as_number(), r[3].as_number()};
  };
  int marks = 0;
  for (const auto& [name, field] : *fields) {
    if (name.rfind("marca_", 0) == 0) {
      ASSERT_EQ(field.widgets.size(), signed_pages.size()) << name;
      for (auto w : field.widgets) {
        auto widget = file->GetLatest(w);
        const int p = page_index.at(widget->Get("P")->ref().num);
        auto r = rect_of(*widget);
        EXPECT_GT(signed_pages[p].Dark(r[0], r[1], r[2], r[3], dpi), 8) << name << " page " << p + 1;
        EXPECT_EQ(approved_pages[p].Dark(r[0], r[1], r[2], r[3], dpi), 0) << name << " page " << p + 1;
        ++marks;
      }
    } else if (name.rfind("firma_", 0) == 0) {
      auto r = rect_of(field.dict);
      const int p = page_index.at(field.dict.Get("P")->ref().num);
      EXPECT_GT(signed_pages[p].Dark(r[0], r[1], r[2], r[3], dpi),
                approved_pages[p].Dark(r[0], r[1], r[2], r[3], dpi) + 20)
          << name;
    }
  }
  EXPECT_EQ(marks, static_cast<int>(6 * signed_pages.size()));
}

// Every revision of an acta (certified, each rubric and foot signature, sealed) is what the
// archive may be handed: each must stay PDF/A-3b with every font embedded and the signer
// list attached as the document's data (/AFRelationship /Data), and pass qpdf, pdfsig and
// our verifier. The ~40 revisions are judged on a few threads: the tools are processes.
TEST_F(DemoTest, EveryRevisionOfBothActasIsPdfA3bWithEmbeddedFontsAndTheSignerList) {
  ASSERT_EQ(first_run_->exit_code, 0);
  testing::TempDir work;
  struct Revision {
    std::string name;  // "acta-instalacion revision 3"
    std::string path;
    size_t index = 0;  // 0: the approved version before its certification
    bool sealed = false;
    bool complete = false;  // every signature is in: the last signature's revision, the seal's
  };
  std::vector<Revision> revisions;
  for (const char* a : kActas) {
    const std::string bytes = Bytes(Out(std::string(a) + ".sellada.pdf"));
    auto file = PdfFile::Open(bytes);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_GE(file->revisions().size(), 14u) << a;
    for (size_t i = 0; i < file->revisions().size(); ++i) {
      Revision r{std::string(a) + " revision " + std::to_string(i + 1),
                 work / (std::string(a) + "-r" + std::to_string(i) + ".pdf"), i, i == file->last(),
                 i + 2 >= file->revisions().size()};
      ASSERT_TRUE(WriteFileAtomic(r.path, bytes.substr(0, file->revisions()[i].end)).ok());
      // The signer list is the catalog's associated file, with the relationship PDF/A-3 asks.
      auto catalog = file->Catalog(i);
      ASSERT_TRUE(catalog.ok()) << r.name;
      const Object* af = catalog->Get("AF");
      ASSERT_TRUE(af != nullptr && af->is_array() && af->array().size() == 1u && af->array()[0].is_ref()) << r.name;
      auto spec = file->Get(af->array()[0].ref(), i);
      ASSERT_TRUE(spec.ok()) << r.name;
      const Object* relationship = spec->Get("AFRelationship");
      EXPECT_TRUE(relationship != nullptr && relationship->is_name("Data")) << r.name;
      const Object* uf = spec->Get("UF");
      EXPECT_TRUE(uf != nullptr && pdf::cos::Utf8FromTextString(uf->text()) == "firmantes.json") << r.name;
      revisions.push_back(std::move(r));
    }
  }
  // The NSS database that trusts the anchor (work/nssdb), built once, then shared read-only.
  {
    const auto sig = pades_testing::RunPdfsig(revisions[1].path, Anchor(), work.path());
    EXPECT_EQ(sig.signatures.size(), 1u) << sig.output;
    for (const auto& s : sig.signatures) EXPECT_TRUE(s.valid) << s.field;
  }
  std::vector<std::function<void()>> jobs;
  for (const Revision& rev : revisions) {
    jobs.push_back([&, rev] {
      SCOPED_TRACE(rev.name);
      const std::string& path = rev.path;
      const auto meta = testing::RunCommand({"pdfinfo", "-meta", path});
      EXPECT_NE(meta.out.find("<pdfaid:part>3</pdfaid:part>"), std::string::npos) << meta.out;
      EXPECT_NE(meta.out.find("<pdfaid:conformance>B</pdfaid:conformance>"), std::string::npos);
      const auto fonts = testing::RunCommand({"pdffonts", path});
      EXPECT_EQ(fonts.exit_code, 0);
      int rows = 0;
      std::istringstream lines(fonts.out);
      for (std::string line; std::getline(lines, line);) {
        if (line.rfind("name", 0) == 0 || line.rfind("---", 0) == 0 || line.empty()) continue;
        ++rows;
        std::istringstream cols(line);
        std::string name, type, encoding, emb, sub;
        cols >> name >> type >> encoding >> emb >> sub;
        EXPECT_EQ(emb, "yes") << line;
        EXPECT_EQ(sub, "yes") << line;
      }
      EXPECT_GE(rows, 2) << fonts.out;
      EXPECT_NE(testing::RunCommand({"pdfdetach", "-list", path}).out.find("1: firmantes.json"), std::string::npos);
      std::string qpdf;
      EXPECT_TRUE(pades_testing::QpdfCheck(path, &qpdf)) << qpdf;
      if (rev.index == 0) return;  // the approved version, before its certification, is not signed
      const auto sig = testing::RunCommand({"pdfsig", "-nssdir", "sql:" + work / "nssdb", path});
      size_t valid = 0;
      for (size_t at = 0; (at = sig.out.find("Signature is Valid.", at)) != std::string::npos; ++at) ++valid;
      // The last revision of a sealed file is the archive's document timestamp, which
      // pdfsig lists without validating it like a CMS signature.
      EXPECT_EQ(valid, rev.sealed ? rev.index - 1 : rev.index) << sig.out;
      EXPECT_EQ(sig.out.find("Signature is Invalid"), std::string::npos) << sig.out;
      const auto verify =
          testing::RunCommand({testing::RubricaBinary(), "verify", "--at", kJudgedAtText, path, "--trust", Anchor(), "--json"}, {}, 300);
      // Valid and complete (0) once every signature is in, valid but incomplete (3) before.
      EXPECT_EQ(verify.exit_code, rev.complete ? 0 : 3) << verify.out << verify.err;
    });
  }
  InParallel(jobs);
}

TEST_F(DemoTest, ScreenshotsOfFirstMiddleAndLastPagesOfBothActasAreLeftInTheBuildFolder) {
  ASSERT_EQ(first_run_->exit_code, 0);
  const std::string dir = testing::ScreenshotDir("demo");
  for (const char* a : kActas) {
    const std::string pdf = Out(std::string(a) + ".sellada.pdf");
    auto info = testing::RunCommand({"pdfinfo", pdf});
    const size_t at = info.out.find("Pages:");
    ASSERT_NE(at, std::string::npos);
    const int pages = std::stoi(info.out.substr(at + 6));
    for (const auto& [label, page] : std::vector<std::pair<std::string, int>>{
             {"primera", 1}, {"media", (pages + 1) / 2}, {"ultima", pages}}) {
      const std::string out = dir + "/" + a + "-" + label;
      auto r = testing::RunCommand({"pdftoppm", "-r", "70", "-png", "-singlefile", "-f",
                                    std::to_string(page), "-l", std::to_string(page), pdf, out});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(Bytes(out + ".png").substr(1, 3), "PNG") << out;
    }
  }
}

TEST_F(DemoTest, RunningItAgainInTheSameDirectoryWorks) {
  ASSERT_EQ(first_run_->exit_code, 0);
  const std::string before = Bytes(Out("acta-instalacion.pdf"));
  auto again = testing::RunCommand({testing::RubricaBinary(), "demo", "--data-dir", Data()}, {}, 600);
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(Bytes(Out("acta-instalacion.pdf")), before);
}

}  // namespace
}  // namespace rubrica
