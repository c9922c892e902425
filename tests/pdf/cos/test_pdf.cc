#include "pdf/cos/test_pdf.h"

#include <cstdio>

namespace rubrica::pdf::testpdf {

using cos::Object;
using cos::Ref;

std::string WriteSingleRevision(const std::vector<Object>& objects, int root_num) {
  std::string out = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n";
    cos::Serialize(objects[i], out);
    out += "\nendobj\n";
  }
  size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f\r\n";
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n\r\n", off);
    out += line;
  }
  Object trailer = Object::MakeDict(
      {{"Size", Object::Int(static_cast<int64_t>(objects.size() + 1))},
       {"Root", Object::MakeRef({root_num, 0})},
       {"ID", Object::MakeArray({Object::String("0123456789abcdef", true),
                                 Object::String("0123456789abcdef", true)})}});
  out += "trailer\n" + cos::Serialize(trailer) + "\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::string BuildTestPdf(const TestPdfOptions& o) {
  // Layout of object numbers: 1 catalog, 2 pages, 3 acroform, 4 font regular, 5 font bold,
  // 6 certificacion, then per page (page, content), then per signer (rubrica, marca,
  // shared mark xobject, firma, widgets...).
  std::vector<Object> objs;
  auto add = [&](Object obj) {
    objs.push_back(std::move(obj));
    return Ref{static_cast<int>(objs.size()), 0};
  };
  auto ref = [](Ref r) { return Object::MakeRef(r); };
  auto rect = [](double a, double b, double c, double d) {
    return Object::MakeArray({Object::Real(a), Object::Real(b), Object::Real(c), Object::Real(d)});
  };
  Ref catalog = add(Object());
  Ref pages = add(Object());
  Ref acroform = add(Object());
  auto font = [&](const char* base) {
    cos::Array widths;
    for (int c = 32; c <= 255; ++c) widths.push_back(Object::Int(c == 32 ? 278 : 556));
    return Object::MakeDict({{"Type", Object::Name("Font")},
                             {"Subtype", Object::Name("Type1")},
                             {"BaseFont", Object::Name(base)},
                             {"Encoding", Object::Name("WinAnsiEncoding")},
                             {"FirstChar", Object::Int(32)},
                             {"LastChar", Object::Int(255)},
                             {"Widths", Object::MakeArray(widths)}});
  };
  Ref f_regular = add(font("Helvetica"));
  Ref f_bold = add(font("Helvetica-Bold"));
  Ref cert = add(Object());
  std::vector<Ref> page_refs;
  std::vector<cos::Array> annots(o.pages);
  for (int i = 0; i < o.pages; ++i) {
    std::string text = i == 0 ? o.page1_text : "Hoja " + std::to_string(i + 1);
    std::string content = "BT /F1 12 Tf 72 700 Td (" + text + ") Tj ET\n";
    Ref c = add(Object::Stream({}, content));
    Ref p = add(Object());
    page_refs.push_back(p);
    objs[p.num - 1] = Object::MakeDict(
        {{"Type", Object::Name("Page")},
         {"Parent", ref(pages)},
         {"MediaBox", rect(0, 0, 612, 792)},
         {"Contents", ref(c)},
         {"Resources", Object::MakeDict({{"Font", Object::MakeDict({{"F1", ref(f_regular)}})}})}});
  }
  cos::Array fields = {ref(cert)};
  objs[cert.num - 1] = Object::MakeDict({{"FT", Object::Name("Sig")},
                                         {"T", Object::String("certificacion")},
                                         {"Type", Object::Name("Annot")},
                                         {"Subtype", Object::Name("Widget")},
                                         {"Rect", rect(0, 0, 0, 0)},
                                         {"F", Object::Int(132)},
                                         {"P", ref(page_refs[0])}});
  annots[0].push_back(ref(cert));
  for (int k = 1; k <= o.signers; ++k) {
    std::string ks = std::to_string(k);
    double y0 = 700 - 80.0 * k;
    Ref rub = add(Object::MakeDict(
        {{"FT", Object::Name("Sig")},
         {"T", Object::String("rubrica_" + ks)},
         {"Type", Object::Name("Annot")},
         {"Subtype", Object::Name("Widget")},
         {"Rect", rect(0, 0, 0, 0)},
         {"F", Object::Int(132)},
         {"P", ref(page_refs[0])},
         {"Lock", Object::MakeDict({{"Type", Object::Name("SigFieldLock")},
                                    {"Action", Object::Name("Include")},
                                    {"Fields", Object::MakeArray({Object::String("marca_" + ks)})}})}}));
    annots[0].push_back(ref(rub));
    fields.push_back(ref(rub));
    Ref xobj = add(Object::Stream({{"Type", Object::Name("XObject")},
                                   {"Subtype", Object::Name("Form")},
                                   {"BBox", rect(0, 0, 50, 70)}},
                                  ""));
    Ref mark = add(Object());
    cos::Array kids;
    for (int i = 0; i < o.pages; ++i) {
      Ref w = add(Object::MakeDict({{"Type", Object::Name("Annot")},
                                    {"Subtype", Object::Name("Widget")},
                                    {"Parent", ref(mark)},
                                    {"P", ref(page_refs[i])},
                                    {"F", Object::Int(4)},
                                    {"Rect", rect(555, y0, 605, y0 + 70)},
                                    {"AP", Object::MakeDict({{"N", ref(xobj)}})}}));
      kids.push_back(ref(w));
      annots[i].push_back(ref(w));
    }
    objs[mark.num - 1] = Object::MakeDict({{"FT", Object::Name("Tx")},
                                           {"T", Object::String("marca_" + ks)},
                                           {"DA", Object::String("/RbSans 0 Tf 0 g")},
                                           {"Kids", Object::MakeArray(kids)}});
    fields.push_back(ref(mark));
    Ref empty_ap = add(Object::Stream({{"Type", Object::Name("XObject")},
                                       {"Subtype", Object::Name("Form")},
                                       {"BBox", rect(0, 0, 200, 50)}},
                                      ""));
    Ref foot = add(Object::MakeDict({{"FT", Object::Name("Sig")},
                                     {"T", Object::String("firma_" + ks)},
                                     {"Type", Object::Name("Annot")},
                                     {"Subtype", Object::Name("Widget")},
                                     {"Rect", rect(72, 100 + 60.0 * k, 272, 150 + 60.0 * k)},
                                     {"F", Object::Int(4)},
                                     {"P", ref(page_refs.back())},
                                     {"AP", Object::MakeDict({{"N", ref(empty_ap)}})}}));
    annots[o.pages - 1].push_back(ref(foot));
    fields.push_back(ref(foot));
  }
  for (int i = 0; i < o.pages; ++i) objs[page_refs[i].num - 1].Set("Annots", Object::MakeArray(annots[i]));
  for (const Object& extra : o.extra_objects) add(extra);
  cos::Array kids;
  for (Ref p : page_refs) kids.push_back(ref(p));
  objs[pages.num - 1] = Object::MakeDict({{"Type", Object::Name("Pages")},
                                          {"Kids", Object::MakeArray(kids)},
                                          {"Count", Object::Int(o.pages)}});
  objs[acroform.num - 1] = Object::MakeDict(
      {{"Fields", Object::MakeArray(fields)},
       {"SigFlags", Object::Int(3)},
       {"DA", Object::String("/RbSans 0 Tf 0 g")},
       {"DR", Object::MakeDict({{"Font", Object::MakeDict({{"RbSans", ref(f_regular)},
                                                          {"RbSansB", ref(f_bold)}})}})}});
  objs[catalog.num - 1] = Object::MakeDict({{"Type", Object::Name("Catalog")},
                                            {"Pages", ref(pages)},
                                            {"AcroForm", ref(acroform)}});
  return WriteSingleRevision(objs, catalog.num);
}

std::string Update(const std::string& pdf,
                   const std::function<void(const cos::PdfFile&, cos::IncrementalUpdate&)>& edit) {
  auto file = cos::PdfFile::Open(pdf);
  if (!file.ok()) return "";
  cos::IncrementalUpdate up(*file);
  edit(*file, up);
  auto w = up.Write("attackattackatta");
  return w.ok() ? w->bytes : "";
}

cos::Ref PageRef(const cos::PdfFile& f, int index) {
  auto cat = f.Catalog(f.last());
  auto pages = f.GetLatest(cat->Get("Pages")->ref());
  return pages->Get("Kids")->array()[index].ref();
}

}  // namespace rubrica::pdf::testpdf
