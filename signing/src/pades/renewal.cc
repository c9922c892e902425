#include "rubrica/signing/renewal.h"

#include <algorithm>
#include <map>

#include "raw_signatures.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/signing/pades_signer.h"
#include "rubrica/signing/timestamp_token.h"

namespace rubrica::signing {

namespace {

using pdf::cos::Object;

std::optional<std::array<int64_t, 4>> ByteRangeOf(const Object& sig) {
  const Object* br = sig.Get("ByteRange");
  if (br == nullptr || !br->is_array() || br->array().size() != 4) return std::nullopt;
  std::array<int64_t, 4> out{};
  for (size_t i = 0; i < 4; ++i) {
    if (!br->array()[i].is_int()) return std::nullopt;
    out[i] = br->array()[i].as_int();
  }
  return out;
}

}  // namespace

Result<std::vector<ArchiveTimestamp>> ReadArchiveTimestamps(std::string_view bytes) {
  ASSIGN_OR_RETURN(pdf::cos::PdfFile file, pdf::cos::PdfFile::OpenView(bytes));
  ASSIGN_OR_RETURN(auto fields, pdf::cos::ReadFields(file, file.last()));
  std::vector<RawSignature> raw = FindRawSignatures(bytes);
  HashCoveredBytes(bytes, raw);
  std::map<std::array<int64_t, 4>, const RawSignature*> by_range;
  for (const RawSignature& r : raw) by_range.emplace(r.byte_range, &r);
  std::vector<ArchiveTimestamp> out;
  for (const auto& [name, field] : fields) {
    const Object* v = field.type == "Sig" ? field.dict.Get("V") : nullptr;
    if (v == nullptr || !v->is_ref()) continue;
    ASSIGN_OR_RETURN(Object sig, file.GetLatest(v->ref()));
    const Object* type = sig.Get("Type");
    if (type == nullptr || !type->is_name("DocTimeStamp")) continue;
    ArchiveTimestamp t;
    t.field = name;
    t.revision = file.DefiningRevision(v->ref().num, file.last()).value_or(0);
    auto range = ByteRangeOf(sig);
    auto match = range ? by_range.find(*range) : by_range.end();
    if (match == by_range.end() || !match->second->hashed) {
      t.status = Status::Error(ErrorKind::kInvalidArgument, "signing.bad_timestamp_token",
                               "document timestamp '" + name + "' has no checkable /ByteRange and /Contents");
    } else {
      const RawSignature& r = *match->second;
      t.digest_algorithm = DigestName(r.digest_oid);
      auto info = VerifyTimestampTokenImprint(r.contents, r.digest, r.digest_oid);
      if (info.ok()) {
        t.time = info->gen_time;
        t.tsa_certificate = info->tsa_certificate;
        t.certificates = info->certificates;
      } else {
        t.status = info.status();
      }
    }
    out.push_back(std::move(t));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ArchiveTimestamp& a, const ArchiveTimestamp& b) { return a.revision < b.revision; });
  return out;
}

Result<std::string> RenewPdf(std::string_view pdf, const std::vector<std::string>& certificates,
                             const std::vector<std::string>& crls, TimestampClient& tsa) {
  ASSIGN_OR_RETURN(std::vector<ArchiveTimestamp> stamps, ReadArchiveTimestamps(pdf));
  if (stamps.empty()) {
    return Status::Error(ErrorKind::kConflict, "signing.not_sealed",
                         "the document has no archive seal (document timestamp) to renew",
                         "El documento no tiene sello de archivo que renovar.");
  }
  // The validation material of the last timestamp: its TSA's certificates as the token
  // carries them, then what the caller adds (the chain up to the root, current CRLs).
  std::vector<std::string> material;
  for (const auto& c : stamps.back().certificates) material.push_back(c.der());
  material.insert(material.end(), certificates.begin(), certificates.end());
  const std::string field = std::string(kArchiveSealField) + "_" + std::to_string(stamps.size() + 1);
  return SealPdf(pdf, field, material, crls, tsa);
}

}  // namespace rubrica::signing
