#include "document_reader.h"

#include <algorithm>
#include <optional>

#include "rubrica/pdf/cos/embedded_files.h"

namespace rubrica::signing {

namespace {

using pdf::cos::Object;
using pdf::cos::PdfFile;

// The validation material of the last revision's /DSS (ETSI EN 319 142-1 §5.4): its
// certificates help build chains and its CRLs answer revocation (each must verify against
// its issuer to be used, so a forged one is ignored). Rúbrica writes no OCSP responses and
// reads none. An entry that does not resolve or decode is skipped: it can only take away
// an answer, never make a signature look valid.
void ReadDss(const PdfFile& file, size_t max_decoded, DocumentReading& out) {
  auto catalog = file.Catalog(file.last());
  if (!catalog.ok()) return;
  const Object* ref = catalog->Get("DSS");
  if (ref == nullptr) return;
  auto dict = file.Resolve(*ref, file.last());
  if (!dict.ok() || !dict->is_dict()) return;
  auto streams = [&](std::string_view key, auto&& take) {
    const Object* entry = dict->Get(key);
    if (entry == nullptr) return;
    auto array = file.Resolve(*entry, file.last());
    if (!array.ok() || !array->is_array()) return;
    for (const Object& item : array->array()) {
      auto stream = file.Resolve(item, file.last());
      if (!stream.ok() || !stream->is_stream()) continue;
      auto data = pdf::cos::DecodeStream(*stream, max_decoded);
      if (data.ok()) take(std::move(data).value());
    }
  };
  streams("Certs", [&](std::string der) {
    auto cert = keys::Certificate::FromDer(der);
    if (cert.ok()) out.dss_certificates.push_back(std::move(cert).value());
  });
  // Parsed once; each CRL's signature is then checked once per issuer, not per signature.
  // One that does not parse answers nothing.
  streams("CRLs", [&](std::string der) {
    ++out.dss_crl_count;
    (void)out.dss_crls.Add(der, "/DSS");
  });
}

// Every object of every revision parses, and every stream decodes within the cap.
Status ReadEveryObject(const PdfFile& file, size_t max_decoded) {
  size_t decoded = 0;
  for (size_t r = 0; r < file.revisions().size(); ++r) {
    for (const auto& [num, e] : file.revisions()[r].entries) {
      if (!e.in_use) continue;
      ASSIGN_OR_RETURN(const Object* obj, file.Find({num, e.gen}, r));  // parsed once, not copied
      if (!obj->is_stream()) continue;
      auto size = pdf::cos::DecodedSize(*obj, max_decoded - decoded);
      if (!size.ok()) {
        if (size.status().code() == "pdf.unsupported_filter") continue;  // images: not decoded
        return size.status().WithContext("object " + std::to_string(num));
      }
      decoded += *size;
    }
  }
  return Status::Ok();
}

Status ReadSignatures(const PdfFile& file, const std::map<std::string, pdf::cos::Field>& fields,
                      std::vector<FoundSignature>& out) {
  for (const auto& [name, field] : fields) {
    if (field.type != "Sig") continue;
    const Object* v = field.dict.Get("V");
    if (v == nullptr) continue;
    if (!v->is_ref()) {
      return Status::Error(ErrorKind::kInvalidArgument, "verify.bad_signature_value",
                           "signature field '" + name + "' has a direct /V",
                           "Un campo de firma no tiene un valor válido.");
    }
    // Pointers into the file's parsed objects (kept for its life), not copies: a signature
    // value carries its /Contents, tens of KiB each.
    ASSIGN_OR_RETURN(const Object* dict, file.Find(v->ref(), file.last()));
    if (!dict->is_dict()) {
      return Status::Error(ErrorKind::kInvalidArgument, "verify.bad_signature_value",
                           "signature value of '" + name + "' is not a dictionary",
                           "Un campo de firma no tiene un valor válido.");
    }
    auto def = file.DefiningRevision(v->ref().num, file.last());
    size_t rev = def ? *def : 0;
    pdf::cos::Ref ref = v->ref();
    std::string field_name = name;
    // A value redefined or replaced after the revision its /ByteRange covers (a spoofed
    // /Reason or /M: what viewers show as signed): the signature is judged as it was
    // signed, and the redefinition is a finding of the revision that wrote it.
    if (const Object* br = dict->Get("ByteRange"); br && br->is_array() && br->array().size() == 4 &&
                                                   br->array()[2].is_int() && br->array()[3].is_int()) {
      const int64_t end = br->array()[2].as_int() + br->array()[3].as_int();
      for (size_t r = 0; r < rev; ++r) {
        if (static_cast<int64_t>(file.revisions()[r].end) != end) continue;
        // The value as signed: this object, or the one the field named then (an update
        // that points the field at a copy with another /Reason).
        std::string signed_name = name;
        if (!file.DefiningRevision(ref.num, r)) {
          // The signature field of revision r whose value has this /ByteRange: this field,
          // or another one the update removed (a field swapped for a copy).
          auto then = pdf::cos::ReadFields(file, r);
          if (!then.ok()) break;
          std::optional<pdf::cos::Ref> found;
          for (const auto& [n, fld] : *then) {
            const Object* old_v = fld.dict.Get("V");
            if (fld.type != "Sig" || old_v == nullptr || !old_v->is_ref()) continue;
            auto old_dict = file.Get(old_v->ref(), r);
            const Object* old_br = old_dict.ok() ? old_dict->Get("ByteRange") : nullptr;
            // The same field, or one no longer in the form (a field the update swapped); a
            // field still in the form is reported on its own.
            if (n != name && fields.count(n)) continue;
            if (old_br && *old_br == *br && (!found || n == name)) {
              found = old_v->ref();
              signed_name = n;
            }
          }
          if (!found) break;
          ref = *found;
        }
        ASSIGN_OR_RETURN(const Object* signed_dict, file.Find(ref, r));
        if (!signed_dict->is_dict()) break;
        dict = signed_dict;
        field_name = signed_name;
        rev = r;
        break;
      }
    }
    out.push_back({field_name, ref, dict, rev});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const FoundSignature& a, const FoundSignature& b) { return a.defined_in < b.defined_in; });
  return Status::Ok();
}

Status ReadStructure(std::string_view bytes, size_t max_decoded, DocumentReading& out) {
  ASSIGN_OR_RETURN(PdfFile opened, PdfFile::OpenView(bytes));
  out.file.emplace(std::move(opened));
  const PdfFile& file = *out.file;
  // Notes are made as objects are read: collected once everything was.
  struct CollectNotes {
    const PdfFile& file;
    DocumentReading& out;
    ~CollectNotes() {
      for (const pdf::cos::ReadNote& n : file.notes()) {
        if (n.code.rfind("read.", 0) == 0) out.notes.push_back({n.code, n.message, n.message_es});
        else if (n.revision == 0) out.original_ambiguities.push_back(n);
      }
    }
  } collect{file, out};
  RETURN_IF_ERROR(ReadEveryObject(file, max_decoded));
  pdf::cos::FieldSource source = pdf::cos::FieldSource::kAcroForm;
  ASSIGN_OR_RETURN(auto fields, pdf::cos::ReadFields(file, file.last(), 10000, &source));
  if (source == pdf::cos::FieldSource::kPageAnnotations) {
    out.notes.push_back({"read.fields_from_annotations",
                         "the catalog has no /AcroForm: signature fields were found through the pages' /Annots",
                         "El catálogo no tiene /AcroForm: los campos de firma se encontraron en las anotaciones de "
                         "las páginas."});
  }
  ASSIGN_OR_RETURN(out.analyses, pdf::cos::AnalyzeRevisions(file));
  RETURN_IF_ERROR(ReadSignatures(file, fields, out.signatures));

  // The required-signer list, as certified (revision 0 is what the certification covers).
  ASSIGN_OR_RETURN(auto json, pdf::cos::ReadEmbeddedFile(file, 0, std::string(pdf::kSignerListFileName), 1u << 20));
  if (json) {
    out.list_present = true;
    auto parsed = pdf::SignerListFromJson(*json);
    if (parsed.ok()) {
      out.list = std::move(*parsed);
      auto tz = TimeZone::Load(out.list->acta.time_zone.empty() ? "America/Mexico_City" : out.list->acta.time_zone);
      if (tz.ok()) out.zone = *tz;
    } else {
      out.list_error = "the embedded " + std::string(pdf::kSignerListFileName) +
                       " does not parse: " + parsed.status().message();
    }
  }
  ReadDss(file, max_decoded, out);
  return Status::Ok();
}

}  // namespace

DocumentReading ReadDocument(std::string_view bytes, size_t max_decoded_bytes) {
  DocumentReading out;
  out.error = ReadStructure(bytes, max_decoded_bytes, out);
  return out;
}

}  // namespace rubrica::signing
