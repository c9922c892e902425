// Signed PDFs that other software made, as a garante receives them: files rewritten by qpdf
// (linearized, object streams, encrypted with an empty user password), signed by poppler's
// `pdfsig -add-signature` (NSS, BER-encoded adbe.pkcs7.detached) and by PoDoFo's
// `podofosign`, then signed again with our own SignPdf. Every signature must be reported
// intact where pdfsig finds it valid, successive signing must raise no forbidden change, and
// the attacks of the verifier's tests must still be named on them.
#include <gtest/gtest.h>

#include <functional>

#include "pades/external_tools.h"
#include "pades/signed_acta.h"
#include "pdf/cos/test_pdf.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/incremental_update.h"
#include "rubrica/signing/pades_signer.h"
#include "rubrica/signing/pdf_verifier.h"
#include "support/test_support.h"

namespace rubrica::pades_testing {
namespace {

using pdf::cos::IncrementalUpdate;
using pdf::cos::Object;
using pdf::cos::PdfFile;
using pdf::cos::Ref;
using pdf::cos::SignatureKind;
using rubrica::testing::RunCommand;
using signing::Integrity;
using signing::VerifyExit;
using signing::VerifyReport;

class ForeignPdfTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    acta_ = new SignedActa("stl-plantilla-instalacion.json", 2);
    const std::string d = acta_->dir();
    // RSA: NSS sizes the signature with a dummy one first, and an ECDSA value one byte longer
    // than its estimate makes pdfsig fail at random.
    external_ = new signing::testing::Identity(
        acta_->pki().Issue(keys::KeyAlgorithm::kRsa2048, "Firmante Externo Ficticio"));
    ASSERT_TRUE(WriteFileAtomic(d + "/signer.pem", external_->cert.ToPem()).ok());
    ASSERT_TRUE(
        WriteFileAtomic(d + "/signer.key", *external_->key.ToEncryptedPkcs8Pem("clave", {.scrypt_log2_n = 10})).ok());
    // An NSS database holding the same identity, for pdfsig -add-signature.
    ASSERT_EQ(RunCommand({"openssl", "pkcs12", "-export", "-inkey", d + "/signer.key", "-passin", "pass:clave", "-in",
                          d + "/signer.pem", "-certfile", acta_->anchor_path(), "-name", "firmante", "-passout",
                          "pass:clave", "-out", d + "/signer.p12"})
                  .exit_code,
              0);
    ASSERT_TRUE(MakeDirs(d + "/nss").ok());
    ASSERT_EQ(RunCommand({"certutil", "-N", "-d", "sql:" + d + "/nss", "--empty-password"}).exit_code, 0);
    ASSERT_EQ(RunCommand({"pk12util", "-i", d + "/signer.p12", "-d", "sql:" + d + "/nss", "-W", "clave"}).exit_code, 0);
    base_ = new std::string(pdf::testpdf::BuildTestPdf({.pages = 2, .signers = 2}));
  }
  static void TearDownTestSuite() {
    delete external_;
    external_ = nullptr;
    delete acta_;
    delete base_;
    acta_ = nullptr;
    base_ = nullptr;
  }

  VerifyReport Verify(const std::string& pdf) {
    keys::TrustStore store(clock_);
    store.AddAnchor(acta_->pki().ca());
    signing::VerifyOptions o;
    o.trust = &store;
    o.max_decoded_bytes = 64u << 20;
    return signing::VerifyPdf(pdf, o, clock_);
  }

  std::string Path(const std::string& name) { return dir_ / name; }

  // Runs a tool that reads `in` and writes the returned file.
  std::string Tool(const std::string& in, const std::string& name, const std::vector<std::string>& argv_before,
                   const std::vector<std::string>& argv_after = {}) {
    const std::string src = Path(name + ".in.pdf"), out = Path(name + ".pdf");
    EXPECT_TRUE(WriteFileAtomic(src, in).ok());
    std::vector<std::string> argv = argv_before;
    argv.push_back(src);
    argv.insert(argv.end(), argv_after.begin(), argv_after.end());
    argv.push_back(out);
    auto r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 0) << argv[0] << ": " << r.out << r.err;
    auto bytes = ReadFile(out);
    return bytes.ok() ? *bytes : "";
  }

  std::string Qpdf(const std::string& in, const std::string& name, const std::vector<std::string>& options) {
    std::vector<std::string> argv = {"qpdf", "--allow-weak-crypto"};
    argv.insert(argv.end(), options.begin(), options.end());
    return Tool(in, name, argv);
  }

  std::string Pdfsig(const std::string& in, const std::string& name) {
    return Tool(in, name,
                {"pdfsig", "-nssdir", "sql:" + acta_->dir() + "/nss", "-add-signature", "-nick", "firmante",
                 "-new-signature-field-name", "sello_externo", "-digest", "SHA256", "-upw", ""});
  }

  std::string Podofosign(const std::string& in, const std::string& name, const std::string& field) {
    const std::string src = Path(name + ".in.pdf"), out = Path(name + ".pdf");
    EXPECT_TRUE(WriteFileAtomic(src, in).ok());
    auto r = RunCommand({"podofosign", "-in", src, "-out", out, "-cert", acta_->dir() + "/signer.pem", "-pkey",
                         acta_->dir() + "/signer.key", "-password", "clave", "-field-name", field,
                         "-field-use-existing", "-digest", "SHA256"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    auto bytes = ReadFile(out);
    return bytes.ok() ? *bytes : "";
  }

  std::string Ours(const std::string& in, const std::string& field) {
    pdf::cos::SignatureRequest req = SignedActa::Request(SignatureKind::kFoot, 1);
    req.field = field;
    return acta_->SignAs(in, req, 1);
  }

  // pdfsig (poppler) finds every signature valid: the cryptography, as our integrity (the
  // trust in our anchor is judged by the verifier's own tests).
  void ExpectPdfsigValid(const std::string& pdf, const std::string& name, size_t signatures) {
    const std::string path = Path(name + ".check.pdf");
    ASSERT_TRUE(WriteFileAtomic(path, pdf).ok());
    auto run = RunCommand({"pdfsig", "-nocert", path});
    size_t valid = 0;
    for (size_t at = run.out.find("Signature is Valid."); at != std::string::npos;
         at = run.out.find("Signature is Valid.", at + 1)) {
      ++valid;
    }
    EXPECT_EQ(valid, signatures) << run.out << run.err;
  }

  static SignedActa* acta_;
  static signing::testing::Identity* external_;
  static std::string* base_;
  SystemClock clock_;
  rubrica::testing::TempDir dir_;
};

SignedActa* ForeignPdfTest::acta_ = nullptr;
signing::testing::Identity* ForeignPdfTest::external_ = nullptr;
std::string* ForeignPdfTest::base_ = nullptr;

std::string Dump(const VerifyReport& r) { return signing::ToText(r); }

TEST_F(ForeignPdfTest, FilesMadeByOtherToolsAreReadAndEverySignatureIsIntact) {
  const std::string lin = Qpdf(*base_, "lin", {"--linearize"});
  const std::string objstm = Qpdf(*base_, "objstm", {"--object-streams=generate"});
  const struct {
    const char* name;
    std::function<std::string()> make;
    size_t signatures;
    const char* note;  // a read note the report must carry ("" when none)
  } cases[] = {
      {"linearized by qpdf, then signed twice by SignPdf", [&] { return Ours(Ours(lin, "firma_1"), "firma_2"); }, 2,
       "read.linearized"},
      {"object streams by qpdf, then signed twice by SignPdf",
       [&] { return Ours(Ours(objstm, "firma_1"), "firma_2"); }, 2, "read.xref_stream"},
      {"signed by podofosign (adbe.pkcs7.detached), then by SignPdf",
       [&] { return Ours(Podofosign(*base_, "podofo", "firma_1"), "firma_2"); }, 2, ""},
      {"linearized, signed by podofosign, then by SignPdf",
       [&] { return Ours(Podofosign(lin, "lin-podofo", "firma_1"), "firma_2"); }, 2, ""},
      {"object streams, signed by pdfsig (NSS, BER CMS), then by SignPdf",
       [&] { return Ours(Pdfsig(objstm, "objstm-pdfsig"), "firma_1"); }, 2, "read.xref_stream"},
      {"encrypted AES-256 (R6) with an empty user password, signed by pdfsig",
       [&] { return Pdfsig(Qpdf(*base_, "aes256", {"--encrypt", "", "propietario", "256", "--"}), "aes256-s"); }, 1,
       "read.encrypted"},
      {"encrypted AES-128 with an empty user password, signed by pdfsig",
       [&] {
         return Pdfsig(Qpdf(*base_, "aes128", {"--encrypt", "", "propietario", "128", "--use-aes=y", "--"}), "aes128-s");
       },
       1, "read.encrypted"},
      {"encrypted RC4-128 with an empty user password, signed by pdfsig",
       [&] {
         return Pdfsig(Qpdf(*base_, "rc4128", {"--encrypt", "", "propietario", "128", "--use-aes=n", "--"}), "rc4128-s");
       },
       1, "read.encrypted"},
      {"encrypted RC4-40 with an empty user password, signed by pdfsig",
       [&] { return Pdfsig(Qpdf(*base_, "rc440", {"--encrypt", "", "propietario", "40", "--"}), "rc440-s"); }, 1,
       "read.encrypted"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string pdf = c.make();
    ASSERT_FALSE(pdf.empty());
    VerifyReport r = Verify(pdf);
    EXPECT_EQ(r.exit, VerifyExit::kValidAndComplete) << Dump(r);
    EXPECT_TRUE(r.completeness.not_applicable);
    EXPECT_TRUE(r.changes_allowed) << Dump(r);
    ASSERT_EQ(r.signatures.size(), c.signatures) << Dump(r);
    for (const auto& s : r.signatures) {
      EXPECT_EQ(s.integrity, Integrity::kIntact) << s.field;
      EXPECT_EQ(s.indication, "TOTAL-PASSED") << s.field << "\n" << Dump(r);
    }
    if (*c.note) {
      bool noted = false;
      for (const auto& n : r.notes) noted = noted || n.code == c.note;
      EXPECT_TRUE(noted) << Dump(r);
    }
    ExpectPdfsigValid(pdf, "case", c.signatures);

    // The verifier's attacks on the same file: one byte flipped in the original revision
    // is named on every signature; for files we can append to, a changed page is named.
    std::string flipped = pdf;
    const size_t at = flipped.find("endobj", flipped.size() / 8);
    flipped[at - 3] ^= 0x01;
    VerifyReport f = Verify(flipped);
    EXPECT_EQ(f.exit, VerifyExit::kInvalid) << Dump(f);
    for (const auto& s : f.signatures) EXPECT_EQ(s.sub_indication, "HASH_FAILURE") << s.field << "\n" << Dump(f);
    std::string page_changed = pdf::testpdf::Update(pdf, [](const PdfFile& file, IncrementalUpdate& up) {
      Ref page = pdf::testpdf::PageRef(file, 0);
      Object p = *file.GetLatest(page);
      p.Set("Contents", Object::MakeRef(up.Add(Object::Stream({}, "BT /F1 20 Tf 72 700 Td (OTRO TEXTO) Tj ET"))));
      up.Replace(page, p);
    });
    if (std::string(c.note) == "read.encrypted") {
      EXPECT_TRUE(page_changed.empty()) << "an encrypted file cannot be appended to in clear";
      continue;
    }
    VerifyReport pc = Verify(page_changed);
    EXPECT_EQ(pc.exit, VerifyExit::kInvalid) << Dump(pc);
    bool named = false;
    for (const auto& ch : pc.changes) named = named || (!ch.allowed && ch.code == "forbidden.page");
    EXPECT_TRUE(named) << Dump(pc);
  }
}

// A signature's dictionary redefined after signing with another /Reason, what viewers show
// as signed (EU DSS's public pades-spoofing-replaced-reason.pdf), or the field pointed at a
// copy of it with another /Reason (pdf-spoofing-attack.pdf; both in tests/fixtures/foreign/):
// the signature is judged as it was signed (intact, in its own revision) and the change is
// named as manipulation with its revision and object.
TEST_F(ForeignPdfTest, ASignatureDictionaryReplacedAfterSigningIsNamedAsManipulation) {
  const std::string signed_pdf = Ours(*base_, "firma_1");
  enum Spoof { kRedefined, kFieldPointsAtCopy, kFieldSwapped };
  for (const Spoof how : {kRedefined, kFieldPointsAtCopy, kFieldSwapped}) {
    SCOPED_TRACE(how == kRedefined ? "the dictionary redefined"
                 : how == kFieldPointsAtCopy ? "the field pointed at a copy"
                                             : "the field swapped for another with a copy");
    int named_object = 0;
    const std::string spoofed = pdf::testpdf::Update(signed_pdf, [&](const PdfFile& f, IncrementalUpdate& up) {
      auto field = pdf::cos::FindField(f, f.last(), "firma_1");
      ASSERT_TRUE(field.ok());
      const Ref sig = field->dict.Get("V")->ref();
      Object d = *f.GetLatest(sig);
      d.Set("Reason", Object::String("Aprobado sin reservas"));
      if (how == kRedefined) {
        up.Replace(sig, d);
        named_object = sig.num;
        return;
      }
      const Ref copy = up.Add(d);
      Object fd = field->dict;
      fd.Set("V", Object::MakeRef(copy));
      if (how == kFieldPointsAtCopy) {
        up.Replace(field->ref, fd);
        named_object = field->ref.num;
        return;
      }
      fd.Set("T", Object::String("firma_falsa"));
      const Ref swapped = up.Add(fd);
      const Ref form_ref = f.Catalog(f.last())->Get("AcroForm")->ref();
      Object form = *f.GetLatest(form_ref);
      for (Object& x : form.GetMutable("Fields")->array()) {
        if (x.is_ref() && x.ref() == field->ref) x = Object::MakeRef(swapped);
      }
      up.Replace(form_ref, form);
      named_object = copy.num;
    });
    VerifyReport r = Verify(spoofed);
    EXPECT_EQ(r.exit, VerifyExit::kInvalid) << Dump(r);
    ASSERT_EQ(r.signatures.size(), 1u) << Dump(r);
    EXPECT_EQ(r.signatures[0].field, "firma_1");
    EXPECT_EQ(r.signatures[0].integrity, Integrity::kIntact);
    EXPECT_EQ(r.signatures[0].revision, 1u);
    EXPECT_EQ(r.signatures[0].indication, "TOTAL-PASSED") << Dump(r);
    bool named = false;
    for (const auto& ch : r.changes) {
      named = named ||
              (!ch.allowed && ch.code == "manipulation.shadow_replace" && ch.revision == 2 && ch.object == named_object);
    }
    EXPECT_TRUE(named) << Dump(r);
  }
}

// A second signature field whose dictionary names the first signature's bytes (EU DSS's
// public hello_signed_INCSAVE_signed_EDITED.pdf): its own /Contents is not what is hashed,
// so it is not reported intact on the strength of the other's signature.
TEST_F(ForeignPdfTest, AFieldWhoseByteRangeNamesAnotherSignaturesBytesIsNotIntact) {
  const std::string one = Ours(*base_, "firma_1");
  const std::string two = Ours(one, "firma_2");
  auto file = PdfFile::Open(two);
  ASSERT_TRUE(file.ok());
  auto first = pdf::cos::FindField(*file, file->last(), "firma_1");
  auto second = pdf::cos::FindField(*file, file->last(), "firma_2");
  ASSERT_TRUE(first.ok() && second.ok());
  // Rewrite firma_2's /ByteRange in place, same length, to firma_1's.
  auto r1 = file->GetLatest(first->dict.Get("V")->ref())->Get("ByteRange")->array();
  auto r2 = file->GetLatest(second->dict.Get("V")->ref())->Get("ByteRange")->array();
  auto text = [](const pdf::cos::Array& a) {
    std::string t = "/ByteRange [";
    for (size_t i = 0; i < a.size(); ++i) t += (i ? " " : "") + std::to_string(a[i].as_int());
    return t + "]";
  };
  std::string edited = two;
  const size_t at = edited.rfind(text(r2));
  ASSERT_NE(at, std::string::npos);
  std::string with = text(r1);
  ASSERT_LE(with.size(), text(r2).size());
  with.resize(text(r2).size(), ' ');
  edited.replace(at, with.size(), with);
  VerifyReport r = Verify(edited);
  EXPECT_EQ(r.exit, VerifyExit::kInvalid) << Dump(r);
  ASSERT_EQ(r.signatures.size(), 2u) << Dump(r);
  EXPECT_EQ(r.signatures[0].integrity, Integrity::kIntact) << Dump(r);
  EXPECT_NE(r.signatures[1].integrity, Integrity::kIntact) << Dump(r);
  EXPECT_EQ(r.signatures[1].indication, "TOTAL-FAILED") << Dump(r);
}

}  // namespace
}  // namespace rubrica::pades_testing
