// The approved version's form and signer list, as the incremental signing writer expects
// them (render.h, docs/acta-format.md): certificacion and rubrica_k invisible on page 1,
// marca_k with one widget per page sharing one empty appearance, firma_k visible in the
// signature block, and firmantes.json as an associated file of the document. A document
// one seal signs (RenderOptions::single_seal_field) gets firma_1 alone.
#include "render/pdf_objects.h"
#include "rubrica/pdf/signature_plan.h"

namespace rubrica::pdf::render {

using PoDoFo::PdfArray;
using PoDoFo::PdfDictionary;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfReference;

namespace {

constexpr char kDefaultAppearance[] = "/RbSans 0 Tf 0 g";
constexpr long long kFlagPrint = 4;
constexpr long long kFlagHiddenSignature = 132;  // Print | Locked: never drawn, not movable
constexpr Rect kHidden{0, 0, 0, 0};

void AddAnnot(PdfObject& page, const PdfReference& annot) {
  PdfDictionary& d = page.GetDictionary();
  if (!d.HasKey("Annots")) d.AddKey("Annots", PdfArray());
  d.GetKey("Annots")->GetArray().push_back(annot);
}

// An empty Form XObject the size of `r`: the appearance a later revision replaces.
PdfObject* EmptyAppearance(PoDoFo::PdfVecObjects& objects, const Rect& r) {
  PdfObject* x = objects.CreateObject("XObject");
  PdfDictionary& d = x->GetDictionary();
  d.AddKey("Subtype", PdfName("Form"));
  d.AddKey("BBox", RectArray({0, 0, r.width(), r.height()}));
  x->GetStream()->Set("", 0, PoDoFo::TVecFilters());
  return x;
}

// A signature field merged with its widget.
PdfObject* SignatureField(PoDoFo::PdfVecObjects& objects, const std::string& name, const Rect& rect,
                          long long flags, PdfObject& page) {
  PdfObject* f = objects.CreateObject("Annot");
  PdfDictionary& d = f->GetDictionary();
  d.AddKey("Subtype", PdfName("Widget"));
  d.AddKey("FT", PdfName("Sig"));
  d.AddKey("T", AsciiString(name));
  d.AddKey("Rect", RectArray(rect));
  d.AddKey("F", Integer(flags));
  d.AddKey("P", page.Reference());
  AddAnnot(page, f->Reference());
  return f;
}

void AddSignerList(PoDoFo::PdfVecObjects& objects, PdfObject& catalog, const std::string& json) {
  PdfObject* file = objects.CreateObject("EmbeddedFile");
  file->GetDictionary().AddKey("Subtype", PdfName("application/json"));
  PdfDictionary params;
  params.AddKey("Size", Integer(static_cast<long long>(json.size())));
  file->GetDictionary().AddKey("Params", params);
  file->GetStream()->Set(json.data(), static_cast<PoDoFo::pdf_long>(json.size()));

  const std::string name(kSignerListFileName);
  PdfObject* spec = objects.CreateObject("Filespec");
  PdfDictionary& s = spec->GetDictionary();
  s.AddKey("F", AsciiString(name));
  s.AddKey("UF", Utf8String(name));
  PdfDictionary ef;
  ef.AddKey("F", file->Reference());
  ef.AddKey("UF", file->Reference());
  s.AddKey("EF", ef);
  s.AddKey("AFRelationship", PdfName("Data"));
  s.AddKey("Desc", Utf8String("Firmantes requeridos del acta aprobada"));

  PdfObject* tree = objects.CreateObject();
  PdfArray leaf;
  leaf.push_back(AsciiString(name));
  leaf.push_back(spec->Reference());
  tree->GetDictionary().AddKey("Names", leaf);
  PdfObject* names = objects.CreateObject();
  names->GetDictionary().AddKey("EmbeddedFiles", tree->Reference());
  catalog.GetDictionary().AddKey("Names", names->Reference());
  PdfArray af;
  af.push_back(spec->Reference());
  catalog.GetDictionary().AddKey("AF", af);
}

// Signer k's invisible rubric signature field (locking marca_k) and the mark field with
// one widget per page in `slot` of the margin strip.
void AddRubricFields(PoDoFo::PdfVecObjects& objects, const std::vector<PdfObject*>& pages,
                     const Rect& slot, int k, PdfObject& first, PdfArray& fields) {
  PdfObject* rubric =
      SignatureField(objects, RubricFieldName(k), kHidden, kFlagHiddenSignature, first);
  PdfDictionary lock;
  lock.AddKey("Type", PdfName("SigFieldLock"));
  lock.AddKey("Action", PdfName("Include"));
  PdfArray locked;
  locked.push_back(AsciiString(MarkFieldName(k)));
  lock.AddKey("Fields", locked);
  rubric->GetDictionary().AddKey("Lock", lock);
  fields.push_back(rubric->Reference());

  PdfObject* mark = objects.CreateObject();
  PdfDictionary& m = mark->GetDictionary();
  m.AddKey("FT", PdfName("Tx"));
  m.AddKey("T", AsciiString(MarkFieldName(k)));
  m.AddKey("Ff", Integer(0));
  m.AddKey("DA", AsciiString(kDefaultAppearance));
  PdfObject* appearance = EmptyAppearance(objects, slot);
  PdfArray kids;
  for (PdfObject* page : pages) {
    PdfObject* widget = objects.CreateObject("Annot");
    PdfDictionary& w = widget->GetDictionary();
    w.AddKey("Subtype", PdfName("Widget"));
    w.AddKey("Parent", mark->Reference());
    w.AddKey("P", page->Reference());
    w.AddKey("F", Integer(kFlagPrint));
    w.AddKey("Rect", RectArray(slot));
    PdfDictionary ap;
    ap.AddKey("N", appearance->Reference());
    w.AddKey("AP", ap);
    AddAnnot(*page, widget->Reference());
    kids.push_back(widget->Reference());
  }
  m.AddKey("Kids", kids);
  fields.push_back(mark->Reference());
}

}  // namespace

void AddSignatureForm(PoDoFo::PdfVecObjects& objects, PdfObject& catalog,
                      const std::vector<PdfObject*>& pages, const FontRefs& fonts,
                      const SignatureForm& form) {
  PdfArray fields;
  PdfObject& first = *pages.front();
  if (form.certification) {
    fields.push_back(SignatureField(objects, std::string(kCertificationFieldName), kHidden,
                                    kFlagHiddenSignature, first)
                         ->Reference());
  }
  for (size_t i = 0; i < form.foot_slots.size(); ++i) {
    const int k = static_cast<int>(i) + 1;
    if (i < form.rubric_slots.size()) AddRubricFields(objects, pages, form.rubric_slots[i], k, first, fields);
    const PageRect& foot = form.foot_slots[i];
    PdfObject* signature = SignatureField(objects, FootFieldName(k), foot.rect, kFlagPrint,
                                          *pages[static_cast<size_t>(foot.page - 1)]);
    PdfDictionary ap;
    ap.AddKey("N", EmptyAppearance(objects, foot.rect)->Reference());
    signature->GetDictionary().AddKey("AP", ap);
    fields.push_back(signature->Reference());
  }

  PdfObject* acroform = objects.CreateObject();
  PdfDictionary& a = acroform->GetDictionary();
  a.AddKey("Fields", fields);
  a.AddKey("SigFlags", Integer(3));
  a.AddKey("DA", AsciiString(kDefaultAppearance));
  PdfDictionary dr;
  dr.AddKey("Font", FontResources(fonts, (1 << static_cast<int>(FontStyle::kRegular)) |
                                             (1 << static_cast<int>(FontStyle::kBold))));
  a.AddKey("DR", dr);
  catalog.GetDictionary().AddKey("AcroForm", acroform->Reference());
  if (!form.signer_list_json.empty()) AddSignerList(objects, catalog, form.signer_list_json);
}

}  // namespace rubrica::pdf::render
