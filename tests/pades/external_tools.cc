#include "pades/external_tools.h"

#include <chrono>
#include <sstream>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/signing/cms_verifier.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#define EXPECT_OK_OR_LOG(expr)                  \
  do {                                          \
    ::rubrica::Status s_ = (expr);              \
    EXPECT_TRUE(s_.ok()) << s_.ToString();      \
  } while (false)

namespace rubrica::pades_testing {

using rubrica::testing::RunCommand;

namespace {

// "-attime <seconds since the epoch>" when judging as of `at`.
std::vector<std::string> AtTime(std::optional<Instant> at) {
  if (!at) return {};
  return {"-attime", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count())};
}

}  // namespace

PdfsigResult RunPdfsig(const std::string& pdf_path, const std::string& anchor_pem_path,
                       const std::string& work_dir, std::optional<Instant> at) {
  PdfsigResult r;
  const std::string db = work_dir + "/nssdb";
  EXPECT_OK_OR_LOG(MakeDirs(db));
  RunCommand({"certutil", "-N", "-d", "sql:" + db, "--empty-password"});
  // Every certificate of the PEM bundle becomes a trusted CA.
  auto pem = ReadFile(anchor_pem_path);
  if (pem.ok()) {
    size_t pos = 0;
    int n = 0;
    while ((pos = pem->find("-----BEGIN CERTIFICATE-----", pos)) != std::string::npos) {
      size_t end = pem->find("-----END CERTIFICATE-----", pos) + 25;
      const std::string one = work_dir + "/anchor" + std::to_string(n) + ".pem";
      EXPECT_OK_OR_LOG(WriteFileAtomic(one, pem->substr(pos, end - pos) + "\n"));
      RunCommand({"certutil", "-A", "-d", "sql:" + db, "-n", "anchor" + std::to_string(n), "-t", "CT,C,C", "-i", one});
      pos = end;
      ++n;
    }
  }
  std::vector<std::string> argv = {"pdfsig", "-nssdir", "sql:" + db, pdf_path};
  std::vector<std::string> env;
  if (at) {
    // "YYYY-MM-DD hh:mm:ss" in UTC, the clock faketime starts pdfsig's process at.
    const std::string utc = FormatRfc3339Utc(*at);
    argv.insert(argv.begin(), {"faketime", utc.substr(0, 10) + " " + utc.substr(11, 8)});
    env.push_back("TZ=UTC");
  }
  auto run = RunCommand(argv, env);
  r.exit_code = run.exit_code;
  r.output = run.out + run.err;
  std::istringstream in(r.output);
  std::string line;
  PdfsigSignature* cur = nullptr;
  while (std::getline(in, line)) {
    if (line.rfind("Signature #", 0) == 0) {
      r.signatures.emplace_back();
      cur = &r.signatures.back();
    } else if (cur && line.find("- Signature Field Name:") != std::string::npos) {
      cur->field = line.substr(line.find(':') + 2);
    } else if (cur && line.find("Signature is Valid.") != std::string::npos) {
      cur->valid = true;
    } else if (cur && line.find("Certificate is Trusted.") != std::string::npos) {
      cur->trusted = true;
    } else if (cur && line.find("Total document signed") != std::string::npos) {
      cur->whole_document = true;
    }
    if (cur && line.find("The signature form field is not signed.") != std::string::npos) {
      ++r.unsigned_fields;
      r.signatures.pop_back();  // an empty field, not a signature
      cur = nullptr;
    }
  }
  return r;
}

namespace {

struct SignatureBytes {
  std::string field;
  pdf::cos::Object dict;  // the signature dictionary
  std::string covered;    // the bytes its /ByteRange covers
};

// Every filled signature field of `bytes`, with what its signature covers.
Result<std::vector<SignatureBytes>> Signatures(const std::string& bytes) {
  ASSIGN_OR_RETURN(pdf::cos::PdfFile file, pdf::cos::PdfFile::Open(bytes));
  ASSIGN_OR_RETURN(auto fields, pdf::cos::ReadFields(file, file.last()));
  std::vector<SignatureBytes> out;
  for (const auto& [name, f] : fields) {
    const pdf::cos::Object* v = f.dict.Get("V");
    if (f.type != "Sig" || v == nullptr) continue;
    ASSIGN_OR_RETURN(pdf::cos::Object sig, file.GetLatest(v->ref()));
    const auto& br = sig.Get("ByteRange")->array();
    out.push_back({name, sig, bytes.substr(0, br[1].as_int()) + bytes.substr(br[2].as_int(), br[3].as_int())});
  }
  return out;
}

}  // namespace

std::vector<std::string> OpensslVerifyEach(const std::string& bytes, const std::string& anchor,
                                           const std::string& work_dir, std::optional<Instant> at) {
  std::vector<std::string> out;
  auto sigs = Signatures(bytes);
  if (!sigs.ok()) return {"read: " + sigs.status().ToString()};
  int i = 0;
  for (const auto& [name, dict, covered] : *sigs) {
    const pdf::cos::Object* sig = &dict;
    // The DER's own length says where the CMS ends inside the zero-padded /Contents
    // (trimming zeros would cut a CMS whose last byte is 0x00).
    std::string cms = sig->Get("Contents")->text();
    size_t total = cms.size();
    if (cms.size() > 4 && static_cast<unsigned char>(cms[0]) == 0x30) {
      unsigned char l = static_cast<unsigned char>(cms[1]);
      if (l < 0x80) {
        total = 2 + l;
      } else {
        size_t n = l & 0x7f, len = 0;
        for (size_t k = 0; k < n; ++k) len = (len << 8) | static_cast<unsigned char>(cms[2 + k]);
        total = 2 + n + len;
      }
    }
    cms.resize(std::min(total, cms.size()));
    const std::string base = work_dir + "/sig" + std::to_string(i++);
    EXPECT_OK_OR_LOG(WriteFileAtomic(base + ".der", cms));
    EXPECT_OK_OR_LOG(WriteFileAtomic(base + ".bin", covered));
    std::vector<std::string> argv = {"openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", base + ".der",
                                     "-content", base + ".bin", "-CAfile", anchor, "-purpose", "any", "-out", "/dev/null"};
    for (const std::string& a : AtTime(at)) argv.push_back(a);
    auto r = RunCommand(argv);
    out.push_back(name + ": " + (r.exit_code == 0 ? std::string("ok") : r.err));
  }
  return out;
}

std::vector<std::string> OpensslTsVerifyEach(const std::string& bytes, const std::string& anchor,
                                             const std::string& work_dir, std::optional<Instant> at) {
  std::vector<std::string> out;
  auto sigs = Signatures(bytes);
  if (!sigs.ok()) return {"read: " + sigs.status().ToString()};
  int i = 0;
  for (const auto& [name, dict, covered] : *sigs) {
    const pdf::cos::Object* sig = &dict;
    const std::string base = work_dir + "/ts" + std::to_string(i++);
    std::vector<std::string> argv = {"openssl", "ts", "-verify", "-in", base + ".tst", "-token_in",
                                     "-CAfile", anchor};
    for (const std::string& a : AtTime(at)) argv.push_back(a);
    if (sig->Get("Type")->is_name("DocTimeStamp")) {
      EXPECT_OK_OR_LOG(WriteFileAtomic(base + ".tst", sig->Get("Contents")->text()));
      EXPECT_OK_OR_LOG(WriteFileAtomic(base + ".bin", covered));
      argv.insert(argv.end(), {"-data", base + ".bin"});
    } else {
      auto report = signing::VerifyCms(sig->Get("Contents")->text(), Sha256(covered));
      if (!report.ok() || report->timestamp.token.empty()) {
        out.push_back(name + ": no signature-time-stamp");
        continue;
      }
      EXPECT_OK_OR_LOG(WriteFileAtomic(base + ".tst", report->timestamp.token));
      argv.insert(argv.end(), {"-digest", HexEncode(Sha256(report->signature_value))});
    }
    auto r = RunCommand(argv);
    bool ok = r.exit_code == 0 && r.out.find("Verification: OK") != std::string::npos;
    out.push_back(name + ": " + (ok ? std::string("ok") : r.out + r.err));
  }
  return out;
}

bool QpdfCheck(const std::string& pdf_path, std::string* output) {
  auto r = RunCommand({"qpdf", "--check", pdf_path});
  if (output) *output = r.out + r.err;
  return r.exit_code == 0 && r.out.find("No syntax or stream encoding errors") != std::string::npos;
}

}  // namespace rubrica::pades_testing
