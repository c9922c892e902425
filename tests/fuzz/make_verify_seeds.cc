// Writes the verify fuzzer's seed corpus and its trust anchor (see fuzz/README.md):
//
//   make_verify_seeds fuzz/corpus/verify fuzz/verify_anchor.pem
//
// A rendered acta signed completely by one fictional member under a fresh test PKI, its
// stages, attacked copies, files that cannot be processed and hostile structures. Each
// file name starts with the exit status the verifier must give it (ok-, invalid-,
// broken-, incomplete-), which tests/fuzz/verify_seeds_test.cc checks.
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz/hostile_pdfs.h"
#include "verify_fuzz_target.h"
#include "pades/signed_acta.h"
#include "pdf/cos/test_pdf.h"
#include "rubrica/base/files.h"
#include "rubrica/pdf/cos/incremental_update.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/signing/pades_signer.h"
#include "support/test_support.h"

namespace {

using namespace rubrica;
using pdf::cos::IncrementalUpdate;
using pdf::cos::Object;
using pdf::cos::PdfFile;
using pdf::cos::Ref;
using pdf::testpdf::PageRef;
using pdf::testpdf::Update;

Object Rect(int a, int b, int c, int d) {
  return Object::MakeArray({Object::Int(a), Object::Int(b), Object::Int(c), Object::Int(d)});
}

// Replaces `len` bytes at the last occurrence of `marker` (+skip) with `with` (same length).
std::string Patch(std::string pdf, const std::string& marker, size_t skip, const std::string& with) {
  const size_t at = pdf.rfind(marker);
  if (at != std::string::npos) pdf.replace(at + skip, with.size(), with);
  return pdf;
}

std::string Encrypted(const std::string& pdf, const std::string& dir) {
  if (!WriteFileAtomic(dir + "/plain.pdf", pdf).ok()) return "";
  auto r = rubrica::testing::RunCommand(
      {"/usr/bin/qpdf", "--encrypt", "usuario", "propietario", "256", "--", dir + "/plain.pdf", dir + "/enc.pdf"});
  auto bytes = ReadFile(dir + "/enc.pdf");
  return r.exit_code == 0 && bytes.ok() ? *bytes : "";
}

// The archive seal (PAdES-B-LTA) over the complete acta: /DSS (the CA certificate and a CRL
// issued after the signatures) and a document timestamp.
std::string Sealed(pades_testing::SignedActa& acta) {
  const std::string crl = acta.pki().Crl({}, signing::testing::TestInstant() + std::chrono::hours(1));
  auto sealed = signing::SealPdf(acta.Complete(), "sello_archivo", {acta.pki().ca().der()}, {crl}, *acta.tsa());
  return sealed.ok() ? *sealed : "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_verify_seeds CORPUS_DIR ANCHOR.pem\n");
    return 2;
  }
  const std::string dir = argv[1];
  pades_testing::SignedActa acta("stl-plantilla-instalacion.json", 1);
  if (!WriteFileAtomic(argv[2], acta.pki().ca().ToPem()).ok()) return 1;
  const std::string& complete = acta.Complete();
  // Attacks start from the acta after its certification and the rubric (smaller than the
  // complete one: the corpus stays under 2 MB).
  const std::string& rubricated = acta.Stage(2);

  signing::testing::TestPki other;
  auto intruder = other.Issue(keys::KeyAlgorithm::kEcdsaP256, "Persona Ajena Ficticia");
  const std::string test_pdf = pdf::testpdf::BuildTestPdf({.pages = 1, .signers = 1});

  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"ok-acta-complete.pdf", complete},
      {"ok-acta-archive-sealed.pdf", Sealed(acta)},
      {"incomplete-acta-certified.pdf", acta.Stage(1)},
      {"incomplete-acta-rubricated.pdf", acta.Stage(2)},
      {"ok-test-form-signed.pdf", acta.SignEverything(test_pdf).back()},
      {"broken-test-form-unsigned.pdf", test_pdf},
      {"invalid-flipped-byte.pdf", Patch(rubricated, "/Producer(", 10, "X")},
      {"invalid-contents-zeroed.pdf", Patch(rubricated, "/Contents <", 11, std::string(64, '0'))},
      {"invalid-byterange-removed.pdf", Patch(rubricated, "/ByteRange [", 0, "/Foo       ")},
      {"invalid-page-changed.pdf",
       Update(rubricated,
              [](const PdfFile& f, IncrementalUpdate& up) {
                Object page = *f.GetLatest(PageRef(f, 0));
                page.Set("Contents", Object::MakeRef(up.Add(Object::Stream({}, "BT /F1 20 Tf 72 700 Td (OTRO) Tj ET"))));
                up.Replace(PageRef(f, 0), page);
              })},
      {"invalid-annotation-added.pdf",
       Update(rubricated,
              [](const PdfFile& f, IncrementalUpdate& up) {
                Object page = *f.GetLatest(PageRef(f, 0));
                Ref annot = up.Add(Object::MakeDict({{"Type", Object::Name("Annot")},
                                                     {"Subtype", Object::Name("Square")},
                                                     {"Rect", Rect(64, 500, 464, 600)}}));
                Object annots = page.Get("Annots") ? *f.Resolve(*page.Get("Annots"), f.last()) : Object::MakeArray();
                annots.array().push_back(Object::MakeRef(annot));
                page.Set("Annots", annots);
                up.Replace(PageRef(f, 0), page);
              })},
      // An empty signature field with no appearance, added after signing: allowed since the
      // verifier follows DSS and pyHanko (issue 13); the acta stays incomplete.
      {"incomplete-new-empty-signature-field.pdf",
       Update(rubricated,
              [](const PdfFile& f, IncrementalUpdate& up) {
                Ref form_ref = f.Catalog(f.last())->Get("AcroForm")->ref();
                Object form = *f.GetLatest(form_ref);
                Ref field = up.Add(Object::MakeDict({{"FT", Object::Name("Sig")},
                                                     {"T", Object::String("sello_extra")},
                                                     {"Subtype", Object::Name("Widget")},
                                                     {"Rect", Rect(64, 60, 514, 760)}}));
                form.GetMutable("Fields")->array().push_back(Object::MakeRef(field));
                up.Replace(form_ref, form);
              })},
      {"invalid-foreign-signer.pdf",
       acta.SignWith(acta.Stage(1), pades_testing::SignedActa::Request(pdf::cos::SignatureKind::kFoot, 1),
                     intruder, other.ca())},
      {"invalid-appended-data.pdf", rubricated + "BT (agregado) Tj ET\n"},
      {"invalid-truncated.pdf", complete.substr(0, complete.size() * 2 / 3)},
      {"broken-encrypted.pdf", Encrypted(test_pdf, acta.dir())},
      {"broken-garbage.pdf", std::string("%PDF-1.7\n") + std::string(300, '\x9c') + "\n%%EOF\n"},
      {"broken-empty.pdf", ""},
      {"broken-deep-nesting.pdf", fuzz_testing::DeeplyNested(200)},
      {"broken-name-tree-fan-out.pdf", fuzz_testing::NameTreeFanOut(8, 12)},
      {"broken-field-cycle.pdf", fuzz_testing::FieldCycle()},
      {"broken-decompression-bomb.pdf", fuzz_testing::DecompressionBomb(2 * fuzzing::kFuzzMaxDecodedBytes)},
      {"broken-many-keys.pdf", fuzz_testing::ManyKeysDictionary(2000)},
      {"broken-many-revisions.pdf", fuzz_testing::ManyRevisions(40, 20)},
      {"broken-nested-objects.pdf", fuzz_testing::NestedObjects(20, 200)},
      {"broken-xref-number-overflow.pdf", fuzz_testing::XrefNumberOverflow()},
      {"broken-huge-xref-count.pdf", fuzz_testing::HugeXrefCount()},
  };
  int failed = 0;
  for (const auto& [name, bytes] : seeds) {
    if (!WriteFileAtomic(dir + "/" + name, bytes).ok()) ++failed;
    std::printf("%-40s %8zu bytes\n", name.c_str(), bytes.size());
  }
  return failed == 0 ? 0 : 1;
}
