#include "render/pdf_assembly.h"

#include <mutex>

#include "render/pdf_objects.h"
#include "render/podofo_lock.h"
#include "rubrica/base/crypto_util.h"

namespace rubrica::pdf::render {

using PoDoFo::PdfArray;
using PoDoFo::PdfDictionary;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;

PoDoFo::PdfString Utf8String(std::string_view utf8) {
  const std::string copy(utf8);
  return PoDoFo::PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(copy.c_str()));
}

PoDoFo::PdfString AsciiString(std::string_view ascii) {
  for (char c : ascii) {
    // PoDoFo would take other bytes as PDFDocEncoding; text that is not ASCII goes as UTF-16.
    if (static_cast<unsigned char>(c) >= 0x80) return Utf8String(ascii);
  }
  const std::string copy(ascii);
  return PoDoFo::PdfString(copy.c_str());
}

PoDoFo::PdfVariant Integer(long long v) {
  return PoDoFo::PdfVariant(static_cast<PoDoFo::pdf_int64>(v));
}

PdfArray RectArray(const Rect& r) {
  PdfArray a;
  for (double v : {r.left, r.bottom, r.right, r.top}) a.push_back(PoDoFo::PdfVariant(v));
  return a;
}

namespace {

Status RenderFailed(const std::string& what) {
  return Status::Error(ErrorKind::kInternal, "pdf.render_failed", "writing the PDF failed: " + what,
                       "No se pudo generar el PDF del acta.");
}

// PoDoFo derives /ID from /Info alone; ours must change with any byte of content. Both
// entries become the first 16 bytes of the SHA-256 of the file as PoDoFo wrote it (same
// length, so no offset moves).
Status ReplaceFileId(std::string& pdf) {
  const size_t trailer = pdf.rfind("trailer");
  const size_t id = trailer == std::string::npos ? trailer : pdf.find("/ID", trailer);
  if (id == std::string::npos) return RenderFailed("no /ID in the trailer");
  const std::string hex = HexEncode(Sha256(pdf).substr(0, 16));
  size_t at = id;
  for (int i = 0; i < 2; ++i) {
    const size_t open = pdf.find('<', at);
    const size_t close = open == std::string::npos ? open : pdf.find('>', open);
    if (close == std::string::npos || close - open - 1 != hex.size()) {
      return RenderFailed("unexpected /ID format");
    }
    pdf.replace(open + 1, hex.size(), hex);
    at = close + 1;
  }
  return Status::Ok();
}

void AddInfo(PoDoFo::PdfVecObjects& objects, const DocumentInfo& info, PdfObject& trailer) {
  PdfObject* o = objects.CreateObject();
  PdfDictionary& d = o->GetDictionary();
  d.AddKey("Title", Utf8String(info.title));
  if (!info.author.empty()) d.AddKey("Author", Utf8String(info.author));
  if (!info.subject.empty()) d.AddKey("Subject", Utf8String(info.subject));
  d.AddKey("Creator", Utf8String(kCreator));
  d.AddKey("Producer", Utf8String(kProducer));
  d.AddKey("CreationDate", AsciiString(info.pdf_date));
  d.AddKey("ModDate", AsciiString(info.pdf_date));
  trailer.GetDictionary().AddKey("Info", o->Reference());
}

// PDF/A-3 (ISO 19005-3 6.2.3, 6.6): the XMP packet, uncompressed, and the output intent.
void AddPdfA(PoDoFo::PdfVecObjects& objects, PdfObject& catalog, const AssemblyInput& in) {
  PdfObject* metadata = objects.CreateObject("Metadata");
  metadata->GetDictionary().AddKey("Subtype", PdfName("XML"));
  metadata->GetStream()->Set(in.xmp.data(), static_cast<PoDoFo::pdf_long>(in.xmp.size()),
                             PoDoFo::TVecFilters());
  catalog.GetDictionary().AddKey("Metadata", metadata->Reference());

  PdfObject* icc = objects.CreateObject();
  icc->GetDictionary().AddKey("N", Integer(3));
  icc->GetStream()->Set(in.icc_profile.data(),
                        static_cast<PoDoFo::pdf_long>(in.icc_profile.size()));
  PdfDictionary intent;
  intent.AddKey("Type", PdfName("OutputIntent"));
  intent.AddKey("S", PdfName("GTS_PDFA1"));
  intent.AddKey("OutputConditionIdentifier", AsciiString("sRGB IEC61966-2.1"));
  intent.AddKey("RegistryName", AsciiString("http://www.color.org"));
  intent.AddKey("Info", AsciiString("sRGB IEC61966-2.1"));
  intent.AddKey("DestOutputProfile", icc->Reference());
  PdfArray intents;
  intents.push_back(intent);
  catalog.GetDictionary().AddKey("OutputIntents", intents);
}

// The QR code as a Form XObject in module units (the page scales it, see DrawForm).
PdfObject* AddQrForm(PoDoFo::PdfVecObjects& objects, const QrCode& qr) {
  PdfObject* x = objects.CreateObject("XObject");
  PdfDictionary& d = x->GetDictionary();
  d.AddKey("Subtype", PdfName("Form"));
  d.AddKey("BBox", RectArray({0, 0, static_cast<double>(qr.size), static_cast<double>(qr.size)}));
  const std::string ops = QrOperators(qr);
  x->GetStream()->Set(ops.data(), static_cast<PoDoFo::pdf_long>(ops.size()));
  return x;
}

Result<std::string> Assemble(const AssemblyInput& in) {
  PoDoFo::PdfVecObjects objects;
  objects.SetAutoDelete(true);  // PoDoFo's default leaves the objects to the document
  PdfObject* catalog = objects.CreateObject("Catalog");
  PdfObject* page_tree = objects.CreateObject("Pages");
  catalog->GetDictionary().AddKey("Pages", page_tree->Reference());
  catalog->GetDictionary().AddKey("Lang", AsciiString("es-MX"));
  PdfDictionary viewer;
  viewer.AddKey("DisplayDocTitle", PoDoFo::PdfVariant(true));
  catalog->GetDictionary().AddKey("ViewerPreferences", viewer);

  int font_mask =
      (1 << static_cast<int>(FontStyle::kRegular)) | (1 << static_cast<int>(FontStyle::kBold));
  for (const ContentStream& page : in.pages) font_mask |= page.font_mask();
  const FontRefs fonts = AddFonts(objects, *in.fonts, font_mask);
  AddPdfA(objects, *catalog, in);
  PdfObject* qr_form = in.qr != nullptr ? AddQrForm(objects, *in.qr) : nullptr;

  PdfArray kids;
  std::vector<PdfObject*> pages;
  const PageGeometry& g = *in.geometry;
  for (const ContentStream& content : in.pages) {
    PdfObject* stream = objects.CreateObject();
    stream->GetStream()->Set(content.str().data(),
                             static_cast<PoDoFo::pdf_long>(content.str().size()));
    PdfObject* page = objects.CreateObject("Page");
    PdfDictionary& d = page->GetDictionary();
    d.AddKey("Parent", page_tree->Reference());
    d.AddKey("MediaBox", RectArray({0, 0, g.width, g.height}));
    d.AddKey("Contents", stream->Reference());
    PdfDictionary resources;
    resources.AddKey("Font", FontResources(fonts, content.font_mask()));
    PdfArray procset;
    procset.push_back(PdfName("PDF"));
    procset.push_back(PdfName("Text"));
    resources.AddKey("ProcSet", procset);
    if (content.uses_form() && qr_form != nullptr) {
      PdfDictionary xobjects;
      xobjects.AddKey(kQrFormName, qr_form->Reference());
      resources.AddKey("XObject", xobjects);
    }
    d.AddKey("Resources", resources);
    kids.push_back(page->Reference());
    pages.push_back(page);
  }
  page_tree->GetDictionary().AddKey("Kids", kids);
  page_tree->GetDictionary().AddKey("Count", Integer(static_cast<long long>(pages.size())));

  if (in.form != nullptr) AddSignatureForm(objects, *catalog, pages, fonts, *in.form);

  PdfObject trailer;
  trailer.GetDictionary().AddKey("Root", catalog->Reference());
  AddInfo(objects, in.info, trailer);

  PoDoFo::PdfWriter writer(&objects, &trailer);
  writer.SetPdfVersion(PoDoFo::ePdfVersion_1_7);
  writer.SetWriteMode(PoDoFo::ePdfWriteMode_Compact);
  writer.SetUseXRefStream(false);
  PoDoFo::PdfRefCountedBuffer buffer;
  PoDoFo::PdfOutputDevice device(&buffer);
  writer.Write(&device);
  std::string pdf(buffer.GetBuffer(), device.GetLength());
  RETURN_IF_ERROR(ReplaceFileId(pdf));
  return pdf;
}

}  // namespace

Result<std::string> AssemblePdf(const AssemblyInput& input) {
  if (input.pages.empty()) return RenderFailed("no pages");
  std::lock_guard<std::mutex> lock(PodofoMutex());
  try {
    return Assemble(input);
  } catch (const PoDoFo::PdfError& e) {
    return RenderFailed(std::string(PoDoFo::PdfError::ErrorName(e.GetError())));
  } catch (const std::exception& e) {
    return RenderFailed(e.what());
  }
}

}  // namespace rubrica::pdf::render
