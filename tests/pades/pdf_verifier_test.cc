#include "rubrica/signing/pdf_verifier.h"

#include <gtest/gtest.h>

#include <functional>

#include "pades/external_tools.h"
#include "pades/signed_acta.h"
#include "rubrica/base/files.h"
#include "pdf/cos/test_pdf.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/pades_signer.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/incremental_update.h"
#include "rubrica/pdf/cos/pdf_file.h"

namespace rubrica::signing {
namespace {

using pdf::testpdf::PageRef;
using pdf::testpdf::Update;

using pades_testing::SignedActa;
using pdf::cos::IncrementalUpdate;
using pdf::cos::Object;
using pdf::cos::PdfFile;
using pdf::cos::Ref;
using pdf::cos::SignatureKind;

class PdfVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { acta_ = new SignedActa(); }
  static void TearDownTestSuite() {
    delete acta_;
    acta_ = nullptr;
  }

  VerifyReport Verify(const std::string& pdf, keys::TrustStore* trust = nullptr) {
    keys::TrustStore store(clock_);
    store.AddAnchor(acta_->pki().ca());
    VerifyOptions o;
    o.trust = trust ? trust : &store;
    o.max_decoded_bytes = 64u << 20;
    return VerifyPdf(pdf, o, clock_);
  }

  static std::string Dump(const VerifyReport& r) { return ToText(r); }

  static SignedActa* acta_;
  SystemClock clock_;
};

SignedActa* PdfVerifierTest::acta_ = nullptr;


bool HasChange(const VerifyReport& r, const std::string& code) {
  for (const auto& c : r.changes) {
    if (!c.allowed && c.code == code) return true;
  }
  return false;
}

TEST_F(PdfVerifierTest, ACompleteActaIsValidAndComplete) {
  VerifyReport r = Verify(acta_->Complete());
  ASSERT_EQ(r.exit, VerifyExit::kValidAndComplete) << Dump(r);
  ASSERT_EQ(r.signatures.size(), 7u);  // certification + 3 rubrics + 3 feet
  for (const auto& s : r.signatures) {
    EXPECT_EQ(s.indication, "TOTAL-PASSED") << s.field;
    EXPECT_TRUE(s.covers_whole_revision) << s.field;
    ASSERT_TRUE(s.local_date.has_value()) << s.field;
    EXPECT_EQ(*s.local_date, "2026-03-14");
  }
  EXPECT_EQ(r.signatures[0].kind, "certification");
  EXPECT_EQ(r.signatures[1].kind, "rubric");
  EXPECT_EQ(r.signatures[6].kind, "foot");
  EXPECT_TRUE(r.completeness.complete);
  EXPECT_TRUE(r.completeness.same_date);
  EXPECT_TRUE(r.changes_allowed);
  EXPECT_TRUE(r.completeness.missing.empty());
}

TEST_F(PdfVerifierTest, TheArchiveSealIsADocumentTimestampWithValidationMaterial) {
  auto sealed = SealPdf(acta_->Complete(), "sello_archivo", {acta_->pki().ca().der()}, {}, *acta_->tsa());
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  VerifyReport r = Verify(*sealed);
  ASSERT_EQ(r.exit, VerifyExit::kValidAndComplete) << Dump(r);
  EXPECT_TRUE(r.completeness.archived);
  EXPECT_EQ(r.signatures.back().kind, "document_timestamp");
  EXPECT_EQ(r.signatures.back().indication, "TOTAL-PASSED");
  EXPECT_TRUE(r.changes_allowed);
  {
    // pdfsig (poppler) sees every signature, the seal included, and no unsigned field.
    rubrica::testing::TempDir dir;
    ASSERT_TRUE(WriteFileAtomic(dir / "sealed.pdf", *sealed).ok());
    auto ps = pades_testing::RunPdfsig(dir / "sealed.pdf", acta_->anchor_path(), dir.path());
    EXPECT_EQ(ps.signatures.size(), r.signatures.size()) << ps.output;
    EXPECT_EQ(ps.unsigned_fields, 0) << ps.output;
    // Debian 12's poppler (22.12) does not know RFC 3161 document timestamps ("Signature
    // Type: unknown"): the seal is judged by `openssl ts -verify` instead.
    for (const auto& s : ps.signatures) {
      if (s.field != "sello_archivo") {
        EXPECT_TRUE(s.valid && s.trusted) << s.field << "\n" << ps.output;
      }
    }
    auto file = PdfFile::Open(*sealed);
    ASSERT_TRUE(file.ok());
    auto fields = pdf::cos::ReadFields(*file, file->last());
    auto sig = file->GetLatest(fields->at("sello_archivo").dict.Get("V")->ref());
    const auto& br = sig->Get("ByteRange")->array();
    ASSERT_TRUE(WriteFileAtomic(dir / "covered.bin", sealed->substr(0, br[1].as_int()) +
                                                         sealed->substr(br[2].as_int(), br[3].as_int()))
                    .ok());
    std::string token = sig->Get("Contents")->text();
    ASSERT_TRUE(WriteFileAtomic(dir / "seal.tst", token).ok());
    auto ts = rubrica::testing::RunCommand({"openssl", "ts", "-verify", "-data", dir / "covered.bin", "-in",
                                            dir / "seal.tst", "-token_in", "-CAfile", acta_->anchor_path()});
    EXPECT_EQ(ts.exit_code, 0) << ts.out << ts.err;
    EXPECT_NE(ts.out.find("Verification: OK"), std::string::npos) << ts.out << ts.err;
  }
  // The seal may not be added twice under one name, and nothing may follow it unseen.
  auto file = PdfFile::Open(*sealed);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(SealPdf(*sealed, "sello_archivo", {}, {}, *acta_->tsa()).status().code(),
            "pdf.field_already_signed");
  std::string tampered = Update(*sealed, [](const PdfFile& f, IncrementalUpdate& up) {
    Ref page = PageRef(f, 0);
    Object p = *f.GetLatest(page);
    p.Set("Rotate", Object::Int(90));
    up.Replace(page, p);
  });
  EXPECT_EQ(Verify(tampered).exit, VerifyExit::kInvalid);
}

// Revocation as an archivist meets it years later: only the anchor in hand, the CRL inside
// the archive seal's /DSS, every certificate judged at the time its timestamp proves.
TEST_F(PdfVerifierTest, RevocationIsJudgedFromTheSealsCrlAtTheSigningTime) {
  using std::chrono::hours;
  const Instant signed_at = signing::testing::TestInstant();  // every timestamp of the acta
  const keys::Certificate& foot1 = acta_->member(1).foot.cert;
  auto seal_with = [&](const std::string& crl) {
    auto sealed = SealPdf(acta_->Complete(), "sello_archivo", {acta_->pki().ca().der()}, {crl}, *acta_->tsa());
    EXPECT_TRUE(sealed.ok()) << sealed.status().ToString();
    return sealed.ok() ? *sealed : std::string();
  };
  auto entry_of = [](const SignatureEntry& s, const std::string& of) -> const RevocationEntry* {
    for (const auto& v : s.revocation) {
      if (v.of == of) return &v;
    }
    return nullptr;
  };
  auto find = [](const VerifyReport& r, const std::string& field) -> const SignatureEntry& {
    for (const auto& s : r.signatures) {
      if (s.field == field) return s;
    }
    ADD_FAILURE() << "no " << field;
    return r.signatures.front();
  };
  auto mentions = [](const SignatureEntry& s, const std::string& text) {
    for (const auto& w : s.warnings) {
      if (w.find(text) != std::string::npos) return true;
    }
    return false;
  };

  // Without any CRL, revocation is reported as not checked (the acta is still valid: the
  // verdict does not require revocation data unless asked).
  {
    VerifyReport r = Verify(acta_->Complete());
    ASSERT_EQ(r.exit, VerifyExit::kValidAndComplete) << Dump(r);
    EXPECT_EQ(r.dss_crls, 0u);
    const RevocationEntry* v = entry_of(find(r, "firma_1"), "signer");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->state, "not_checked");
    EXPECT_NE(v->note.find("no CRL"), std::string::npos) << v->note;
  }
  // A clean CRL issued after the signatures: every certificate, signers' and the TSA's,
  // is good according to the document's own CRL.
  {
    VerifyReport r = Verify(seal_with(acta_->pki().Crl({}, signed_at + hours(1))));
    ASSERT_EQ(r.exit, VerifyExit::kValidAndComplete) << Dump(r);
    EXPECT_EQ(r.dss_crls, 1u);
    EXPECT_EQ(r.dss_certificates, 1u);
    for (const auto& s : r.signatures) {
      ASSERT_FALSE(s.revocation.empty()) << s.field;
      for (const auto& v : s.revocation) {
        EXPECT_EQ(v.state, "good") << s.field << " " << v.of;
        EXPECT_EQ(v.source, "crl (document)") << s.field;
      }
      EXPECT_NE(entry_of(s, "timestamp"), nullptr) << s.field;
      if (s.kind == SignatureRole::kDocumentTimestamp) {
        // The seal is the last timestamp: judged now, when a CRL of March cannot show a
        // revocation since (a renewal would carry a fresher one).
        EXPECT_EQ(s.validation_time_source, "now");
        EXPECT_TRUE(mentions(s, "before the validation time")) << s.field;
      } else {
        // Judged at their own time, which the seal proves: the CRL is after it.
        EXPECT_EQ(s.poe_by, "sello_archivo") << s.field;
        EXPECT_FALSE(mentions(s, "revocation")) << s.field;
      }
    }
    const std::string json = ToJson(r);
    EXPECT_NE(json.find("\"source\":\"crl (document)\""), std::string::npos);
    EXPECT_NE(json.find("\"dss\":{\"certificates\":1,\"crls\":1}"), std::string::npos);
  }
  // Revoked after signing (a lost key reported days later): the signature stays valid,
  // and the report says so.
  {
    VerifyReport r = Verify(seal_with(acta_->pki().Crl({{foot1, signed_at + hours(48)}}, signed_at + hours(72))));
    ASSERT_EQ(r.exit, VerifyExit::kValidAndComplete) << Dump(r);
    const SignatureEntry& f1 = find(r, "firma_1");
    EXPECT_EQ(f1.indication, "TOTAL-PASSED");
    const RevocationEntry* v = entry_of(f1, "signer");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->state, "revoked");
    EXPECT_EQ(v->reason, "keyCompromise");
    EXPECT_EQ(v->revoked_at, FormatRfc3339Utc(std::chrono::floor<std::chrono::seconds>(signed_at + hours(48))));
    EXPECT_TRUE(mentions(f1, "after the time of this signature")) << Dump(r);
    EXPECT_EQ(entry_of(find(r, "rubrica_1"), "signer")->state, "good");  // the rubric certificate
  }
  // Revoked before the signature's time: that signature fails, the acta is not valid.
  {
    VerifyReport r = Verify(seal_with(acta_->pki().Crl({{foot1, signed_at - hours(24)}}, signed_at + hours(1))));
    EXPECT_EQ(r.exit, VerifyExit::kInvalid) << Dump(r);
    const SignatureEntry& f1 = find(r, "firma_1");
    EXPECT_EQ(f1.indication, "TOTAL-FAILED");
    EXPECT_EQ(f1.sub_indication, "REVOKED");
    EXPECT_EQ(find(r, "firma_2").indication, "TOTAL-PASSED");
    EXPECT_EQ(find(r, "rubrica_1").indication, "TOTAL-PASSED");
  }
  // A CRL that does not verify against the issuer (another CA of the same name) is ignored:
  // it can neither revoke nor vouch.
  {
    signing::testing::TestPki impostor;
    ASSERT_EQ(impostor.ca().SubjectString(), acta_->pki().ca().SubjectString());
    VerifyReport r = Verify(seal_with(impostor.Crl({{foot1, signed_at - hours(24)}}, signed_at + hours(1))));
    ASSERT_EQ(r.exit, VerifyExit::kValidAndComplete) << Dump(r);
    EXPECT_EQ(entry_of(find(r, "firma_1"), "signer")->state, "not_checked");
  }
  // A CRL older than the signatures vouches for nothing after it was issued: said.
  {
    VerifyReport r = Verify(seal_with(acta_->pki().Crl({}, signed_at - hours(24 * 10))));
    ASSERT_EQ(r.exit, VerifyExit::kValidAndComplete) << Dump(r);
    const SignatureEntry& f1 = find(r, "firma_1");
    EXPECT_EQ(entry_of(f1, "signer")->state, "good");
    EXPECT_TRUE(mentions(f1, "before the time of this signature")) << Dump(r);
  }
}

TEST_F(PdfVerifierTest, RollbackToAnEarlierRevisionIsIncomplete) {
  // Cut after the certification and the first two rubrics.
  VerifyReport r = Verify(acta_->Stage(3));
  EXPECT_EQ(r.exit, VerifyExit::kIncomplete) << Dump(r);
  EXPECT_FALSE(r.completeness.complete);
  EXPECT_EQ(r.completeness.missing.size(), 4u);  // rubric of 3, feet of 1, 2, 3
}

struct Attack {
  const char* name;
  std::function<std::string(const std::string&)> apply;
  VerifyExit exit;
  const char* sub_indication;  // expected on some signature ("" when none)
  const char* change;          // expected forbidden change code ("" when none)
};

TEST_F(PdfVerifierTest, RejectsEveryAttackWithTheRightReason) {
  const Attack attacks[] = {
      {"flipped byte in a signed range",
       [](std::string pdf) {
         // A letter of the document information's /Producer: in the original revision,
         // covered by every signature, and no parser would notice the change.
         size_t p = pdf.find("/Producer(");
         EXPECT_NE(p, std::string::npos);
         if (p == std::string::npos) return std::string();
         size_t letter = pdf.find_first_of("abcdefghijklmnopqrstuvwxyz", p + 10);
         EXPECT_LT(letter, p + 60);
         pdf[letter] ^= 0x01;
         return pdf;
       },
       VerifyExit::kInvalid, "HASH_FAILURE", ""},
      {"/Contents zeroed",
       [](std::string pdf) {
         size_t p = pdf.rfind("/Contents <") + 11;
         size_t e = pdf.find('>', p);
         for (size_t i = p; i < e; ++i) pdf[i] = '0';
         return pdf;
       },
       VerifyExit::kInvalid, "FORMAT_FAILURE", ""},
      {"/ByteRange removed",
       [](std::string pdf) {
         size_t p = pdf.rfind("/ByteRange [");
         size_t e = pdf.find(']', p) + 1;
         for (size_t i = p; i < e; ++i) pdf[i] = ' ';
         return pdf;
       },
       VerifyExit::kInvalid, "FORMAT_FAILURE", ""},
      {"hole wider than /Contents, content injected",
       [](std::string pdf) {
         size_t p = pdf.rfind("/ByteRange [0 ");
         size_t e = pdf.find(']', p);
         std::string nums = pdf.substr(p + 14, e - p - 14);
         long a, b, c;
         std::sscanf(nums.c_str(), "%ld %ld %ld", &a, &b, &c);
         // The hole now also spans the start of /M (D:2026...): the date can be changed
         // without touching a signed byte.
         std::string wider = "/ByteRange [0 " + std::to_string(a) + " " + std::to_string(b + 12) + " " +
                             std::to_string(c - 12) + "]";
         wider.resize(e + 1 - p, ' ');
         pdf.replace(p, e + 1 - p, wider);
         EXPECT_EQ(pdf.substr(static_cast<size_t>(b), 12), "/M (D:202603");
         pdf.replace(static_cast<size_t>(b), 12, "/M (D:209903");
         return pdf;
       },
       VerifyExit::kInvalid, "FORMAT_FAILURE", ""},
      {"update changes page content",
       [](const std::string& pdf) {
         return Update(pdf, [](const PdfFile& f, IncrementalUpdate& up) {
           Ref page = PageRef(f, 0);
           Object p = *f.GetLatest(page);
           p.Set("Contents", Object::MakeRef(up.Add(Object::Stream({}, "BT /F1 20 Tf 72 700 Td (ACUERDO FALSO) Tj ET"))));
           up.Replace(page, p);
         });
       },
       VerifyExit::kInvalid, "", "forbidden.page"},
      {"evil annotation over the text",
       [](const std::string& pdf) {
         return Update(pdf, [](const PdfFile& f, IncrementalUpdate& up) {
           Ref page = PageRef(f, 0);
           Object p = *f.GetLatest(page);
           Ref ap = up.Add(Object::Stream({{"Subtype", Object::Name("Form")},
                                           {"BBox", Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(400), Object::Int(100)})}},
                                          "1 1 1 rg 0 0 400 100 re f"));
           Ref annot = up.Add(Object::MakeDict({{"Type", Object::Name("Annot")},
                                                {"Subtype", Object::Name("FreeText")},
                                                {"Rect", Object::MakeArray({Object::Int(64), Object::Int(500), Object::Int(464), Object::Int(600)})},
                                                {"AP", Object::MakeDict({{"N", Object::MakeRef(ap)}})}}));
           Object annots = *f.Resolve(*p.Get("Annots"), f.last());
           annots.array().push_back(Object::MakeRef(annot));
           p.Set("Annots", annots);
           up.Replace(page, p);
         });
       },
       VerifyExit::kInvalid, "", "forbidden.annotation"},
      {"sneaky signature: a new field painting over the text",
       [](const std::string& pdf) {
         return Update(pdf, [](const PdfFile& f, IncrementalUpdate& up) {
           Ref form_ref = f.Catalog(f.last())->Get("AcroForm")->ref();
           Object form = *f.GetLatest(form_ref);
           Ref ap = up.Add(Object::Stream({{"Subtype", Object::Name("Form")},
                                           {"BBox", Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(450), Object::Int(700)})}},
                                          "1 1 1 rg 0 0 450 700 re f"));
           Ref field = up.Add(Object::MakeDict({{"FT", Object::Name("Sig")},
                                                {"T", Object::String("sello_extra")},
                                                {"Type", Object::Name("Annot")},
                                                {"Subtype", Object::Name("Widget")},
                                                {"Rect", Object::MakeArray({Object::Int(64), Object::Int(60), Object::Int(514), Object::Int(760)})},
                                                {"AP", Object::MakeDict({{"N", Object::MakeRef(ap)}})}}));
           form.GetMutable("Fields")->array().push_back(Object::MakeRef(field));
           up.Replace(form_ref, form);
         });
       },
       VerifyExit::kInvalid, "", "forbidden.new_field"},
      // Not "could not be processed": every signature can still be checked, and the bytes
      // after them are an unexplained change.
      {"data appended after the last %%EOF",
       [](const std::string& pdf) { return pdf + "BT (texto agregado) Tj ET\n"; },
       VerifyExit::kInvalid, "", ""},
  };
  for (const Attack& a : attacks) {
    SCOPED_TRACE(a.name);
    VerifyReport r = Verify(a.apply(acta_->Complete()));
    EXPECT_EQ(r.exit, a.exit) << Dump(r);
    if (*a.sub_indication) {
      bool found = false;
      for (const auto& s : r.signatures) found = found || s.sub_indication == a.sub_indication;
      EXPECT_TRUE(found) << Dump(r);
    }
    if (*a.change) {
      EXPECT_TRUE(HasChange(r, a.change)) << Dump(r);
    }
  }
}

TEST_F(PdfVerifierTest, RejectsAForeignCertificateAndTheWrongSigner) {
  // firma_3 signed by someone from another PKI.
  signing::testing::TestPki other;
  auto intruder = other.Issue(keys::KeyAlgorithm::kEcdsaP256, "Carla Díaz Supuesta");
  std::string before_last = acta_->Stage(acta_->stage_count() - 2);
  std::string foreign = acta_->SignWith(before_last, SignedActa::Request(SignatureKind::kFoot, 3), intruder, other.ca());
  VerifyReport r = Verify(foreign);
  EXPECT_EQ(r.exit, VerifyExit::kInvalid) << Dump(r);
  EXPECT_EQ(r.signatures.back().indication, "INDETERMINATE");
  EXPECT_EQ(r.signatures.back().sub_indication, "NO_CERTIFICATE_CHAIN_FOUND");

  // firma_3 signed by member 1, a trusted certificate but not the required signer.
  std::string wrong = acta_->SignAs(before_last, SignedActa::Request(SignatureKind::kFoot, 3), 1);
  VerifyReport w = Verify(wrong);
  EXPECT_EQ(w.exit, VerifyExit::kInvalid) << Dump(w);
  EXPECT_EQ(w.signatures.back().indication, "TOTAL-PASSED");
  EXPECT_FALSE(w.signatures.back().signer_matches);
  EXPECT_EQ(w.completeness.signers[2].foot, "invalid");
}

// Shadow attacks (Mahzoon et al., NDSS 2021): the document is prepared, before anyone signs,
// with content that stays hidden; a later update reveals it. Each variant needs a change
// after signing that only filling a signature field would be allowed to make.
TEST_F(PdfVerifierTest, RejectsShadowAttacks) {
  const std::string hidden_text = "BT /F1 12 Tf 72 650 Td (PAGO AUTORIZADO: 1000000) Tj ET";
  pdf::testpdf::TestPdfOptions o{.pages = 2, .signers = 3};
  o.extra_objects.push_back(Object::Stream({}, hidden_text));  // hidden content
  std::string prepared = pdf::testpdf::BuildTestPdf(o);
  auto file = PdfFile::Open(prepared);
  ASSERT_TRUE(file.ok());
  const Ref hidden{file->Size(0) - 1, 0};
  std::string signed_pdf = acta_->SignEverything(prepared).back();

  struct Variant {
    const char* name;
    std::function<void(const PdfFile&, IncrementalUpdate&)> reveal;
    const char* change;
  } variants[] = {
      {"hide: the page now also draws the hidden stream",
       [&](const PdfFile& f, IncrementalUpdate& up) {
         Ref page = PageRef(f, 0);
         Object p = *f.GetLatest(page);
         p.Set("Contents", Object::MakeArray({*p.Get("Contents"), Object::MakeRef(hidden)}));
         up.Replace(page, p);
       },
       "forbidden.page"},
      {"replace: the page's content stream object is redefined",
       [&](const PdfFile& f, IncrementalUpdate& up) {
         Object p = *f.GetLatest(PageRef(f, 0));
         up.Replace(p.Get("Contents")->ref(), Object::Stream({}, hidden_text));
       },
       "manipulation.shadow_replace"},
      {"hide-and-replace: the catalog points at a shadow page tree",
       [&](const PdfFile& f, IncrementalUpdate& up) {
         Ref shadow_page = up.Add(Object::MakeDict({{"Type", Object::Name("Page")},
                                                    {"MediaBox", Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(612), Object::Int(792)})},
                                                    {"Contents", Object::MakeRef(hidden)}}));
         Ref shadow_pages = up.Add(Object::MakeDict({{"Type", Object::Name("Pages")},
                                                     {"Kids", Object::MakeArray({Object::MakeRef(shadow_page)})},
                                                     {"Count", Object::Int(1)}}));
         Object cat = *f.Catalog(f.last());
         cat.Set("Pages", Object::MakeRef(shadow_pages));
         up.Replace(f.revisions().back().trailer.Get("Root")->ref(), cat);
       },
       "manipulation.shadow_hide_and_replace"},
  };
  EXPECT_NE(Verify(signed_pdf).exit, VerifyExit::kInvalid) << Dump(Verify(signed_pdf));
  // Hide, as published: a copy of the page's content object, with its own number, waits
  // inside the signed original (here in the data of an unused stream); an update lists
  // that number at the copy's offset, in bytes an earlier revision holds.
  {
    auto signed_file = PdfFile::Open(signed_pdf);
    ASSERT_TRUE(signed_file.ok());
    const Ref content = signed_file->GetLatest(PageRef(*signed_file, 0))->Get("Contents")->ref();
    const std::string shadow = std::to_string(content.num) + " 0 obj\n<</Length " +
                               std::to_string(hidden_text.size()) + ">>\nstream\n" + hidden_text +
                               "\nendstream\nendobj\n";
    pdf::testpdf::TestPdfOptions so{.pages = 2, .signers = 3};
    so.extra_objects.push_back(Object::Stream({}, shadow));
    const std::string signed_shadow = acta_->SignEverything(pdf::testpdf::BuildTestPdf(so)).back();
    const size_t at = signed_shadow.find(shadow);
    ASSERT_NE(at, std::string::npos);
    auto f = PdfFile::Open(signed_shadow);
    ASSERT_TRUE(f.ok());
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n\r\n", at);
    const std::string update = "xref\n" + std::to_string(content.num) + " 1\n" + entry + "trailer\n<</Size " +
                               std::to_string(f->Size(f->last())) + "/Root " +
                               std::to_string(f->revisions().back().trailer.Get("Root")->ref().num) +
                               " 0 R/Prev " + std::to_string(f->revisions().back().xref_offset) + ">>\nstartxref\n" +
                               std::to_string(signed_shadow.size()) + "\n%%EOF\n";
    VerifyReport r = Verify(signed_shadow + update);
    EXPECT_EQ(r.exit, VerifyExit::kInvalid) << Dump(r);
    bool named = false;
    for (const auto& c : r.changes) {
      named = named || (!c.allowed && c.code == "manipulation.object_in_earlier_revision" && c.object == content.num &&
                        c.revision == f->revisions().size());
    }
    EXPECT_TRUE(named) << Dump(r);
    EXPECT_NE(ToText(r).find("ataque de sombra"), std::string::npos) << Dump(r);
    for (const auto& s : r.signatures) EXPECT_EQ(s.indication, "TOTAL-PASSED") << s.field;
  }
  // Hide-and-replace, as published: a whole second document (catalog, page tree, page,
  // content) waits unused inside the signed original; an update made of nothing but a new
  // cross-reference section and trailer names its catalog as /Root.
  {
    pdf::testpdf::TestPdfOptions plain{.pages = 2, .signers = 3};
    auto numbered = PdfFile::Open(pdf::testpdf::BuildTestPdf(plain));
    ASSERT_TRUE(numbered.ok());
    const int first = numbered->Size(0);  // the extra objects are numbered from here
    const Ref real_form = numbered->Catalog(0)->Get("AcroForm")->ref();
    auto ref = [](int num) { return Object::MakeRef(Ref{num, 0}); };
    pdf::testpdf::TestPdfOptions so = plain;
    so.extra_objects = {
        Object::Stream({}, hidden_text),
        Object::MakeDict({{"Type", Object::Name("Page")},
                          {"Parent", ref(first + 2)},
                          {"MediaBox", Object::MakeArray({Object::Int(0), Object::Int(0), Object::Int(612), Object::Int(792)})},
                          {"Contents", ref(first)}}),
        Object::MakeDict({{"Type", Object::Name("Pages")}, {"Kids", Object::MakeArray({ref(first + 1)})}, {"Count", Object::Int(1)}}),
        Object::MakeDict({{"Type", Object::Name("Catalog")}, {"Pages", ref(first + 2)}, {"AcroForm", Object::MakeRef(real_form)}}),
    };
    const std::string signed_shadow = acta_->SignEverything(pdf::testpdf::BuildTestPdf(so)).back();
    auto f = PdfFile::Open(signed_shadow);
    ASSERT_TRUE(f.ok());
    ASSERT_EQ(f->GetLatest(Ref{first + 3, 0})->Get("Type")->text(), "Catalog");
    const std::string update = "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<</Size " + std::to_string(f->Size(f->last())) +
                               "/Root " + std::to_string(first + 3) + " 0 R/Prev " +
                               std::to_string(f->revisions().back().xref_offset) + ">>\nstartxref\n" +
                               std::to_string(signed_shadow.size()) + "\n%%EOF\n";
    VerifyReport r = Verify(signed_shadow + update);
    EXPECT_EQ(r.exit, VerifyExit::kInvalid) << Dump(r);
    bool named = false;
    for (const auto& c : r.changes) {
      named = named || (!c.allowed && c.code == "manipulation.shadow_hide_and_replace" && c.object == first + 3 &&
                        c.revision == f->revisions().size());
    }
    EXPECT_TRUE(named) << Dump(r);
    EXPECT_NE(ToText(r).find("ataque de sombra"), std::string::npos) << Dump(r);
    for (const auto& s : r.signatures) EXPECT_EQ(s.indication, "TOTAL-PASSED") << s.field;
  }
  for (const auto& v : variants) {
    SCOPED_TRACE(v.name);
    VerifyReport r = Verify(Update(signed_pdf, v.reveal));
    EXPECT_EQ(r.exit, VerifyExit::kInvalid) << Dump(r);
    EXPECT_TRUE(HasChange(r, v.change)) << Dump(r);
    for (const auto& s : r.signatures) EXPECT_EQ(s.indication, "TOTAL-PASSED") << s.field;
  }
}

TEST_F(PdfVerifierTest, FilesThatCannotBeProcessedSayWhy) {
  std::string deep = "%PDF-1.7\n1 0 obj\n" + std::string(5000, '[') + std::string(5000, ']') + "\nendobj\n";
  const struct {
    const char* name;
    std::string bytes;
    const char* code;
  } cases[] = {
      {"empty", "", "pdf.not_a_pdf"},
      {"garbage", std::string(4096, 'z'), "pdf.not_a_pdf"},
      {"unsigned", acta_->Stage(0), "verify.no_signatures"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    VerifyReport r = Verify(c.bytes);
    EXPECT_EQ(r.exit, VerifyExit::kNotProcessed) << Dump(r);
    EXPECT_EQ(r.error_code, c.code) << r.error;
    EXPECT_FALSE(r.error.empty());
  }
}

// Alteration is named even when it also breaks the structure: the digests are checked on the
// raw bytes first, so a garante reads "altered" (exit 1, HASH_FAILURE on the signatures
// that cover the change), never "could not be processed".
TEST_F(PdfVerifierTest, AlterationIsNamedEvenWhenTheStructureBreaks) {
  const std::string& complete = acta_->Complete();
  auto file = PdfFile::Open(complete);
  ASSERT_TRUE(file.ok());
  const size_t original_end = file->revisions()[0].end;
  const size_t last_xref = file->revisions().back().xref_offset;
  const size_t signatures = 7;
  auto flip = [&](size_t at, char with) {
    std::string pdf = complete;
    pdf[at] = with == 0 ? static_cast<char>(pdf[at] ^ 0x20) : with;
    return pdf;
  };
  // A byte in the middle of a compressed stream of the original revision.
  const size_t flate = complete.find("/FlateDecode");
  ASSERT_LT(flate, original_end);
  const size_t data = complete.find("stream\n", flate) + 7;
  const size_t data_end = complete.find("endstream", data);
  ASSERT_LT(data_end, original_end);
  // A dictionary of the original revision: one delimiter, so it no longer parses.
  const size_t dict = complete.find("<<", complete.find(" 0 obj", original_end / 2));
  ASSERT_LT(dict, original_end);
  const struct {
    const char* name;
    std::string pdf;
    size_t altered;  // how many signatures cover the change (the newest ones are last)
  } cases[] = {
      {"a byte flipped inside a compressed stream of the original revision",
       flip(data + (data_end - data) / 2, 0), signatures},
      {"a dictionary of the original revision broken", flip(dict + 1, '('), signatures},
      {"a byte flipped in a key of the original revision", flip(dict + 3, 0), signatures},
      {"a byte flipped in the last revision's xref", flip(last_xref + 12, '9'), 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    VerifyReport r = Verify(c.pdf);
    EXPECT_EQ(r.exit, VerifyExit::kInvalid) << Dump(r);
    ASSERT_EQ(r.signatures.size(), signatures) << Dump(r);
    for (size_t i = 0; i < signatures; ++i) {
      const SignatureEntry& s = r.signatures[i];
      if (i + c.altered >= signatures) {
        EXPECT_EQ(s.sub_indication, "HASH_FAILURE") << i << "\n" << Dump(r);
        EXPECT_EQ(s.integrity, Integrity::kAltered) << i;
      } else {
        EXPECT_EQ(s.integrity, Integrity::kIntact) << i << "\n" << Dump(r);
      }
    }
    EXPECT_NE(ToText(r).find("ALTERADA"), std::string::npos);
  }
  // Truncated: the signatures inside the first half are checked and hold; the rest of the
  // file cannot be read, which is not "valid" either.
  VerifyReport cut = Verify(complete.substr(0, complete.size() / 2));
  EXPECT_EQ(cut.exit, VerifyExit::kInvalid) << Dump(cut);
  EXPECT_EQ(cut.structure_error_code, "pdf.revision_structure");
  ASSERT_FALSE(cut.signatures.empty());
  for (const auto& s : cut.signatures) EXPECT_EQ(s.integrity, Integrity::kIntact);
}

// Without any trust anchor the report is still made in full: integrity, changes, signers;
// every chain INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND, and the text says why in Spanish.
TEST_F(PdfVerifierTest, WithoutTrustAnchorsTheReportIsStillComplete) {
  VerifyOptions o;
  o.max_decoded_bytes = 64u << 20;
  VerifyReport r = VerifyPdf(acta_->Complete(), o, clock_);
  EXPECT_EQ(r.exit, VerifyExit::kInvalid);
  EXPECT_FALSE(r.trust_anchors);
  ASSERT_EQ(r.signatures.size(), 7u);
  for (const auto& s : r.signatures) {
    EXPECT_EQ(s.integrity, Integrity::kIntact) << s.field;
    EXPECT_EQ(s.indication, "INDETERMINATE") << s.field;
    EXPECT_EQ(s.sub_indication, "NO_CERTIFICATE_CHAIN_FOUND") << s.field;
    EXPECT_FALSE(s.signer_name.empty()) << s.field;
  }
  EXPECT_TRUE(r.changes_allowed);
  EXPECT_TRUE(r.completeness.assessed);
  const std::string text = ToText(r);
  EXPECT_NE(text.find("no se indicó un certificado raíz de confianza"), std::string::npos) << text;
  EXPECT_EQ(text.find("signer certificate"), std::string::npos) << "English leaked into the text report:\n" << text;
}

TEST_F(PdfVerifierTest, ReportJsonCarriesTheVerdict) {
  std::string json = ToJson(Verify(acta_->Complete()));
  EXPECT_NE(json.find("\"status\":\"valid_and_complete\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"format\":\"rubrica-verify-report/1\""), std::string::npos);
  EXPECT_NE(json.find("\"sub_indication\":\"\""), std::string::npos);
}

}  // namespace
}  // namespace rubrica::signing
