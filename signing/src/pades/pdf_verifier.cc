#include "rubrica/signing/pdf_verifier.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/embedded_files.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/cos/revision_analysis.h"
#include "rubrica/pdf/signature_plan.h"
#include "rubrica/signing/cms_verifier.h"
#include "rubrica/signing/timestamp_token.h"
#include "byte_range_check.h"
#include "required_signers.h"

namespace rubrica::signing {

namespace {

using pdf::cos::Object;
using pdf::cos::PdfFile;
using pdf::cos::Ref;

constexpr char kSignerListName[] = "firmantes.json";

void NotProcessed(VerifyReport& rep, const Status& s) {
  rep.exit = VerifyExit::kNotProcessed;
  rep.error_code = s.code();
  rep.error = s.message();
  rep.verdict = "could not be processed: " + s.message();
  rep.verdict_es = "No se pudo procesar el archivo: " + s.message_es();
}

std::string KindOf(const std::string& field, const Object& sig, bool certification) {
  if (const Object* t = sig.Get("Type"); t && t->is_name("DocTimeStamp")) return "document_timestamp";
  if (certification) return "certification";
  if (field.rfind("rubrica_", 0) == 0) return "rubric";
  if (field.rfind("firma_", 0) == 0) return "foot";
  return "other";
}

// /Contents is zero-padded after the DER; the DER header says where the token ends.
std::string DerPrefix(const std::string& bytes) {
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x30) return bytes;
  size_t len = static_cast<unsigned char>(bytes[1]), header = 2;
  if (len & 0x80) {
    size_t n = len & 0x7f;
    if (n == 0 || n > 4 || bytes.size() < 2 + n) return bytes;
    len = 0;
    for (size_t k = 0; k < n; ++k) len = (len << 8) | static_cast<unsigned char>(bytes[2 + k]);
    header += n;
  }
  return header + len <= bytes.size() ? bytes.substr(0, header + len) : bytes;
}

void Fail(SignatureEntry& e, std::string_view indication, std::string_view sub, const std::string& error) {
  // Keep the first (most fundamental) failure as the indication.
  if (e.indication.empty() || e.indication == "TOTAL-PASSED") {
    e.indication = std::string(indication);
    e.sub_indication = std::string(sub);
  }
  e.errors.push_back(error);
}

// Maps a keys::TrustStore failure to ETSI EN 319 102-1 terms.
void ChainFailure(SignatureEntry& e, const keys::ValidationReport& v, const std::string& what) {
  const std::string& code = v.status.code();
  std::string_view ind = "INDETERMINATE", sub = "CHAIN_CONSTRAINTS_FAILURE";
  if (code == "keys.untrusted_issuer") sub = "NO_CERTIFICATE_CHAIN_FOUND";
  else if (code == "keys.certificate_expired") sub = "EXPIRED";
  else if (code == "keys.not_yet_valid") sub = "NOT_YET_VALID";
  else if (code == "keys.revocation_unknown") sub = "TRY_LATER";
  else if (code == "keys.certificate_revoked") {
    ind = "TOTAL-FAILED";
    sub = "REVOKED";
  } else if (code == "keys.bad_signature_in_chain") {
    ind = "TOTAL-FAILED";
    sub = "SIG_CRYPTO_FAILURE";
  }
  Fail(e, ind, sub, what + ": " + code + ": " + v.status.message());
}

// The validation material of the last revision's /DSS (ETSI EN 319 142-1 §5.4): its
// certificates help build chains and its CRLs answer revocation (each must verify against
// its issuer to be used, so a forged one is ignored). Rúbrica writes no OCSP responses and
// reads none. An entry that does not resolve or decode is skipped: it can only take away
// an answer, never make a signature look valid.
struct Dss {
  std::vector<keys::Certificate> certificates;
  std::vector<std::string> crls;
};

Dss ReadDss(const PdfFile& file, size_t max_decoded) {
  Dss dss;
  auto catalog = file.Catalog(file.last());
  if (!catalog.ok()) return dss;
  const Object* ref = catalog->Get("DSS");
  if (ref == nullptr) return dss;
  auto dict = file.Resolve(*ref, file.last());
  if (!dict.ok() || !dict->is_dict()) return dss;
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
    if (cert.ok()) dss.certificates.push_back(std::move(cert).value());
  });
  streams("CRLs", [&](std::string der) { dss.crls.push_back(std::move(der)); });
  return dss;
}

// Copies what chain validation learnt of revocation into the report: one entry per
// certificate below the anchor (state not_checked when nothing answered), and a warning for
// each revoked after `at` (still valid at `at`, which the timestamp proves) or vouched for
// only by a CRL older than `at`.
void RecordRevocation(SignatureEntry& e, const keys::ValidationReport& v, std::string_view of, Instant at) {
  for (size_t i = 0; i + 1 < v.chain.size() && i < v.revocation.size(); ++i) {
    const keys::RevocationCheck& c = v.revocation[i];
    RevocationEntry r;
    r.of = std::string(of);
    r.certificate = v.chain[i].SubjectCommonName();
    r.source = c.source;
    r.note = c.note;
    switch (c.state) {
      case keys::RevocationCheck::State::kGood: r.state = "good"; break;
      case keys::RevocationCheck::State::kRevoked: r.state = "revoked"; break;
      case keys::RevocationCheck::State::kNotChecked: r.state = "not_checked"; break;
    }
    if (c.state != keys::RevocationCheck::State::kNotChecked) r.this_update = FormatRfc3339Utc(c.this_update);
    if (c.revocation) {
      r.revoked_at = FormatRfc3339Utc(c.revocation->revoked_at);
      r.reason = std::string(keys::RevocationReasonName(c.revocation->reason));
    }
    const std::string who = std::string(of) + " chain: '" + r.certificate + "'";
    if (c.revocation && c.revocation->revoked_at > at) {
      e.warnings.push_back("revocation: " + who + " was revoked on " + *r.revoked_at + " (" + r.reason +
                           "), after the time of this signature (" + FormatRfc3339Utc(at) + ")");
    } else if (c.state == keys::RevocationCheck::State::kGood &&
               c.this_update < std::chrono::floor<std::chrono::seconds>(at)) {  // CRLs: whole seconds
      e.warnings.push_back("revocation: the " + c.source + " used for " + who + " was issued on " +
                           *r.this_update + ", before the time of this signature (" + FormatRfc3339Utc(at) +
                           "): it cannot show a revocation in between");
    }
    e.revocation.push_back(std::move(r));
  }
}

}  // namespace

VerifyReport VerifyPdf(std::string_view bytes, const VerifyOptions& options, const Clock& clock) {
  VerifyReport rep;
  rep.file_size = bytes.size();
  rep.file_sha256 = Sha256Hex(bytes);
  if (bytes.size() > options.max_file_bytes) {
    NotProcessed(rep, Status::Error(ErrorKind::kTooLarge, "verify.file_too_large",
                                    "the file has " + std::to_string(bytes.size()) +
                                        " bytes, over the limit of " + std::to_string(options.max_file_bytes),
                                    "El archivo es demasiado grande."));
    return rep;
  }
  if (options.trust == nullptr) {
    NotProcessed(rep, Status::Error(ErrorKind::kInvalidArgument, "verify.no_trust_store",
                                    "no trust anchors configured"));
    return rep;
  }
  auto opened = PdfFile::Open(std::string(bytes));
  if (!opened.ok()) {
    NotProcessed(rep, opened.status());
    return rep;
  }
  const PdfFile& file = *opened;
  rep.revisions = file.revisions().size();

  // Every object of every revision parses, and every stream decodes within the cap.
  size_t decoded = 0;
  for (size_t r = 0; r < file.revisions().size(); ++r) {
    for (const auto& [num, e] : file.revisions()[r].entries) {
      if (!e.in_use) continue;
      auto obj = file.Get({num, e.gen}, r);
      if (!obj.ok()) {
        NotProcessed(rep, obj.status());
        return rep;
      }
      if (!obj->is_stream()) continue;
      auto data = pdf::cos::DecodeStream(*obj, options.max_decoded_bytes - decoded);
      if (!data.ok()) {
        if (data.status().code() == "pdf.unsupported_filter") continue;  // images: not decoded
        NotProcessed(rep, data.status().WithContext("object " + std::to_string(num)));
        return rep;
      }
      decoded += data->size();
    }
  }

  auto fields = pdf::cos::ReadFields(file, file.last());
  if (!fields.ok()) {
    NotProcessed(rep, fields.status());
    return rep;
  }
  auto analyses = pdf::cos::AnalyzeRevisions(file);
  if (!analyses.ok()) {
    NotProcessed(rep, analyses.status());
    return rep;
  }
  rep.changes_allowed = true;
  for (const auto& a : *analyses) {
    for (const auto& f : a.findings) {
      rep.changes.push_back({a.revision, f.allowed, f.code, f.object, f.message});
      rep.changes_allowed = rep.changes_allowed && f.allowed;
    }
  }

  // The required-signer list, as certified (revision 0 is what the certification covers).
  std::optional<pdf::SignerList> list;
  std::optional<TimeZone> zone;
  {
    auto json = pdf::cos::ReadEmbeddedFile(file, 0, kSignerListName, 1u << 20);
    if (!json.ok()) {
      NotProcessed(rep, json.status());
      return rep;
    }
    if (*json) {
      auto parsed = pdf::SignerListFromJson(**json);
      if (parsed.ok()) {
        list = std::move(*parsed);
        auto tz = TimeZone::Load(list->acta.time_zone.empty() ? "America/Mexico_City" : list->acta.time_zone);
        if (tz.ok()) zone = *tz;
      } else {
        rep.completeness.reason = "the embedded " + std::string(kSignerListName) +
                                  " does not parse: " + parsed.status().message();
      }
    } else {
      rep.completeness.reason = std::string("no ") + kSignerListName + " in the original revision: not a Rúbrica acta";
    }
  }
  if (!zone) zone = TimeZone::Utc();

  const Dss dss = ReadDss(file, options.max_decoded_bytes);
  rep.dss_certificates = dss.certificates.size();
  rep.dss_crls = dss.crls.size();
  // Parsed once; each CRL's signature is then checked once per issuer, not per signature.
  keys::CrlSet dss_crls;
  for (const std::string& der : dss.crls) (void)dss_crls.Add(der, "/DSS");  // one that does not parse answers nothing

  // Signatures, oldest revision first.
  struct Found {
    std::string field;
    Ref ref;
    Object dict;
    size_t defined_in;
  };
  std::vector<Found> found;
  for (const auto& [name, field] : *fields) {
    if (field.type != "Sig") continue;
    const Object* v = field.dict.Get("V");
    if (v == nullptr) continue;
    if (!v->is_ref()) {
      NotProcessed(rep, Status::Error(ErrorKind::kInvalidArgument, "verify.bad_signature_value",
                                      "signature field '" + name + "' has a direct /V"));
      return rep;
    }
    auto dict = file.GetLatest(v->ref());
    if (!dict.ok() || !dict->is_dict()) {
      NotProcessed(rep, dict.ok() ? Status::Error(ErrorKind::kInvalidArgument, "verify.bad_signature_value",
                                                  "signature value of '" + name + "' is not a dictionary")
                                  : dict.status());
      return rep;
    }
    found.push_back({name, v->ref(), *dict, *file.DefiningRevision(v->ref().num, file.last())});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.defined_in < b.defined_in; });
  if (found.empty()) {
    NotProcessed(rep, Status::Error(ErrorKind::kInvalidArgument, "verify.no_signatures",
                                    "the document carries no signatures",
                                    "El documento no tiene firmas electrónicas."));
    return rep;
  }

  // 1. Raw bytes: every /ByteRange and /Contents as they sit in the file; then the bytes each
  // signature covers, hashed in one pass. A signature its revision fills alone has the rest
  // of that revision to itself; others (already failed) can share one revision's tail, so
  // they are hashed only while their tails add up to less than the file: a thousand
  // signature dictionaries in one revision cannot make the verifier hash the file a
  // thousand times.
  std::vector<ByteRangeCheck> checks;
  std::vector<std::array<int64_t, 4>> to_hash;
  std::vector<std::optional<size_t>> hash_slot(found.size());
  uint64_t shared_tails = 0;
  for (size_t i = 0; i < found.size(); ++i) {
    const Found& f = found[i];
    checks.push_back(CheckByteRange(bytes, file, f.ref, f.dict, f.defined_in));
    if (!checks.back().ok) continue;
    const auto& r = checks.back().byte_range;
    const bool alone = f.defined_in >= 1 && (*analyses)[f.defined_in - 1].signed_field == f.field;
    if (!alone) {
      shared_tails += static_cast<uint64_t>(r[3]);
      if (shared_tails > bytes.size()) continue;
    }
    hash_slot[i] = to_hash.size();
    to_hash.push_back(r);
  }
  const std::vector<std::string> digests = CoveredDigests(bytes, to_hash);

  RequiredSignerIndex required(list ? &*list : nullptr);
  for (size_t i = 0; i < found.size(); ++i) {
    const Found& f = found[i];
    SignatureEntry e;
    e.field = f.field;
    e.revision = f.defined_in;
    const bool cert_rev = f.defined_in >= 1 && (*analyses)[f.defined_in - 1].certification &&
                          (*analyses)[f.defined_in - 1].signed_field == f.field;
    e.kind = KindOf(f.field, f.dict, cert_rev);
    e.indication = "TOTAL-PASSED";

    const ByteRangeCheck& br = checks[i];
    e.byte_range = br.byte_range;
    e.covers_whole_revision = br.covers_whole_revision;
    if (!br.ok) Fail(e, "TOTAL-FAILED", "FORMAT_FAILURE", "byte_range: " + br.error);
    if (f.defined_in == 0) {
      Fail(e, "TOTAL-FAILED", "FORMAT_FAILURE",
           "structure: the signature is part of the original revision (signed before approval?)");
    } else if ((*analyses)[f.defined_in - 1].signed_field != f.field) {
      Fail(e, "TOTAL-FAILED", "FORMAT_FAILURE",
           "structure: revision " + std::to_string(f.defined_in) + " does not fill '" + f.field + "' alone");
    }
    const Object* sub = f.dict.Get("SubFilter");
    const bool doc_ts = e.kind == "document_timestamp";
    if (sub == nullptr || !sub->is_name(doc_ts ? "ETSI.RFC3161" : "ETSI.CAdES.detached")) {
      Fail(e, "TOTAL-FAILED", "FORMAT_FAILURE", "format: /SubFilter is not " +
                                                     std::string(doc_ts ? "ETSI.RFC3161" : "ETSI.CAdES.detached"));
    }
    const Object* contents = f.dict.Get("Contents");
    std::optional<keys::Certificate> signer;
    std::vector<keys::Certificate> embedded;
    std::optional<TimestampInfo> ts;
    if (br.ok && contents != nullptr && contents->is_string() && !hash_slot[i]) {
      Fail(e, "TOTAL-FAILED", "FORMAT_FAILURE",
           "cms: not checked: its revision holds other signatures, whose covered bytes already "
           "add up to more than the file");
    } else if (br.ok && contents != nullptr && contents->is_string()) {
      const std::string& digest = digests[*hash_slot[i]];
      if (doc_ts) {
        auto info = VerifyTimestampToken(DerPrefix(contents->text()), digest);
        if (!info.ok()) Fail(e, "TOTAL-FAILED", "HASH_FAILURE", "timestamp: " + info.status().ToString());
        else ts = *info;
        if (ts) {
          signer = ts->tsa_certificate;
          embedded = ts->certificates;
        }
      } else {
        auto cms = VerifyCms(contents->text(), digest);
        if (!cms.ok()) {
          Fail(e, "TOTAL-FAILED", "FORMAT_FAILURE", "cms: " + cms.status().ToString());
        } else {
          if (!cms->ok()) {
            EtsiStatus st = EtsiStatusFor(cms->result);
            const CmsCheck* first = cms->FirstFailure();
            Fail(e, st.indication, st.sub_indication,
                 first ? first->id + ": " + first->message : std::string(CmsResultName(cms->result)));
          }
          if (cms->has_signing_time) e.warnings.push_back("cms: signing-time attribute present (PAdES baseline forbids it)");
          signer = cms->signer;
          embedded = cms->certificates;
          if (cms->timestamp.present && cms->timestamp.info) ts = cms->timestamp.info;
          if (!cms->timestamp.present) e.warnings.push_back("timestamp: no signature-time-stamp (time not proven)");
        }
      }
    } else if (br.ok) {
      Fail(e, "TOTAL-FAILED", "FORMAT_FAILURE", "format: /Contents is missing or not a string");
    }

    if (signer) {
      e.signer_name = signer->SubjectCommonName();
      e.signer_title = signer->SubjectAttribute("title");
      e.signer_subject = signer->SubjectString();
      e.certificate_sha256 = signer->FingerprintSha256();
      e.issuer = signer->IssuerString();
    }
    if (ts) {
      e.time_utc = FormatRfc3339Utc(ts->gen_time);
      e.time_local = zone->FormatLocal(ts->gen_time);
      e.local_date = e.time_local->substr(0, 10);
      e.tsa = ts->tsa_certificate.SubjectCommonName();
    }
    // 2. Identity and trust at the signing time (proven by the timestamp), or --at.
    if (signer && e.indication == "TOTAL-PASSED") {
      keys::ValidationOptions vo;
      vo.time = options.at ? *options.at : ts ? ts->gen_time : clock.Now();
      vo.purpose = doc_ts ? keys::Purpose::kTimestamping : keys::Purpose::kDocumentSigning;
      vo.allow_network = options.allow_network;
      vo.require_revocation_info = options.require_revocation;
      vo.document_crls = &dss_crls;
      embedded.insert(embedded.end(), dss.certificates.begin(), dss.certificates.end());
      keys::ValidationReport v = options.trust->Validate(*signer, embedded, vo);
      if (!v.ok()) ChainFailure(e, v, doc_ts ? "timestamp authority certificate" : "signer certificate");
      RecordRevocation(e, v, doc_ts ? "timestamp" : "signer", vo.time);
      if (ts && !doc_ts) {
        keys::ValidationOptions to = vo;
        to.time = ts->gen_time;
        to.purpose = keys::Purpose::kTimestamping;
        std::vector<keys::Certificate> tsa_chain = ts->certificates;
        tsa_chain.insert(tsa_chain.end(), dss.certificates.begin(), dss.certificates.end());
        keys::ValidationReport tv = options.trust->Validate(ts->tsa_certificate, tsa_chain, to);
        if (!tv.ok()) ChainFailure(e, tv, "timestamp authority certificate");
        RecordRevocation(e, tv, "timestamp", to.time);
      }
    }
    // 3. The required signer of this field.
    if (signer && (e.kind == "rubric" || e.kind == "foot")) {
      required.Match(e, *signer);
    }
    rep.signatures.push_back(std::move(e));
  }

  // Completeness.
  Completeness& c = rep.completeness;
  if (list) BuildCompleteness(*list, rep.signatures, c);

  // Verdict.
  bool all_valid = true, mismatch = false;
  for (const auto& s : rep.signatures) {
    all_valid = all_valid && s.indication == "TOTAL-PASSED";
    mismatch = mismatch || !s.signer_matches;
  }
  if (!all_valid || mismatch || !rep.changes_allowed) {
    rep.exit = VerifyExit::kInvalid;
    rep.verdict = !all_valid ? "a signature is not valid"
                  : mismatch ? "a field is signed by someone other than its required signer"
                             : "the document changed after signing in a way that is not allowed";
    rep.verdict_es = !all_valid ? "Al menos una firma no es válida."
                     : mismatch ? "Un campo está firmado por una persona distinta de la requerida."
                                : "El documento se modificó después de firmarse de una forma no permitida.";
  } else if (!c.complete) {
    rep.exit = VerifyExit::kIncomplete;
    rep.verdict = "every signature is valid, but the acta is incomplete: " + c.reason;
    rep.verdict_es = "Todas las firmas son válidas, pero el acta está incompleta.";
  } else {
    rep.exit = VerifyExit::kValidAndComplete;
    rep.verdict = "valid and complete: every required signer rubricated and signed at the foot on " +
                  c.approved_on + ", and nothing changed except what the signatures may add";
    rep.verdict_es = "Válida y completa: todas las personas requeridas rubricaron y firmaron al calce el " +
                     c.approved_on + ", y el documento no tiene cambios no permitidos.";
  }
  return rep;
}

}  // namespace rubrica::signing
