#include "rubrica/signing/pdf_verifier.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "byte_range_check.h"
#include "document_reader.h"
#include "raw_signatures.h"
#include "required_signers.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/lang/dates.h"
#include "signature_checks.h"

// Verification runs in named stages, each with one job and one place in this file:
//   1. bytes      raw_signatures.h: signatures found and hashed on the raw file;
//   2. structure  document_reader.h: revisions, objects, fields, revision analysis, signer
//                 list, DSS; a failure here is reported, never hides stage 1's results;
//   3. signatures per signature: the structural byte-range checks, the signature value,
//                 the chains at the signing time, the required signer (signature_checks.h);
//   4. completeness against the signer list (required_signers.h);
//   5. verdict.
namespace rubrica::signing {

namespace {

using pdf::cos::Object;
using pdf::cos::PdfFile;

void NotProcessed(VerifyReport& rep, const Status& s) {
  rep.exit = VerifyExit::kNotProcessed;
  rep.error_code = s.code();
  rep.error = s.message();
  rep.verdict = "could not be processed: " + s.message();
  rep.verdict_es = "No se pudo procesar el archivo: " + s.message_es();
}

SignatureRole RoleOf(const std::string& field, const Object& sig, bool certification) {
  if (const Object* t = sig.Get("Type"); t && t->is_name("DocTimeStamp")) return SignatureRole::kDocumentTimestamp;
  if (certification) return SignatureRole::kCertification;
  if (field.rfind("rubrica_", 0) == 0) return SignatureRole::kRubric;
  if (field.rfind("firma_", 0) == 0) return SignatureRole::kFoot;
  return SignatureRole::kOther;
}

// The revision a raw signature covers, counted by the %%EOF markers up to its end (used
// only when the structure cannot be read).
size_t RevisionByEofCount(std::string_view bytes, const std::array<int64_t, 4>& r) {
  const std::string_view covered = bytes.substr(0, static_cast<size_t>(r[2] + r[3]));
  size_t n = 0;
  for (size_t at = covered.find("%%EOF"); at != std::string_view::npos; at = covered.find("%%EOF", at + 5)) ++n;
  return n == 0 ? 0 : n - 1;
}

bool IsTimestampToken(const RawSignature& raw) {
  // id-ct-TSTInfo (1.2.840.113549.1.9.16.1.4) as DER: an RFC 3161 token, not a CMS signature.
  static const std::string kTstInfoOid("\x06\x0b\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x04", 13);
  return raw.contents.find(kTstInfoOid) != std::string::npos && raw.contents.size() > 0 &&
         raw.contents.find(kTstInfoOid) < 64;
}

// Stage 3 when the structure could not be read: each raw candidate on its own.
void CheckRawOnly(std::string_view bytes, const std::vector<RawSignature>& raw, const VerifyOptions& options,
                  const Clock& clock, VerifyReport& rep) {
  keys::CrlSet none;
  for (const RawSignature& r : raw) {
    SignatureEntry e;
    e.byte_range = r.byte_range;
    e.revision = RevisionByEofCount(bytes, r.byte_range);
    const bool doc_ts = IsTimestampToken(r);
    e.kind = doc_ts ? SignatureRole::kDocumentTimestamp : SignatureRole::kOther;
    SignatureValue v = CheckSignatureValue(e, r, doc_ts, CmsProfile::kUnknown, TimeZone::Utc());
    CheckTrust(e, v, doc_ts, std::nullopt, options, {}, none, clock);
    rep.signatures.push_back(std::move(e));
  }
}

// Stage 3's trust checks, newest signature first: each signature and document timestamp
// is judged at the time proven by the earliest valid document timestamp of a later
// revision (its proof of existence), the last document timestamp at --at or now.
void CheckTrustAlongTheChain(std::vector<SignatureEntry>& entries, const std::vector<SignatureValue>& values,
                             const VerifyOptions& options, const DocumentReading& doc, const Clock& clock) {
  for (size_t i = entries.size(); i-- > 0;) {
    SignatureEntry& e = entries[i];
    std::optional<Instant> poe;
    std::string poe_by;
    for (size_t j = i + 1; j < entries.size(); ++j) {
      const SignatureEntry& later = entries[j];
      if (later.kind != SignatureRole::kDocumentTimestamp || later.revision <= e.revision) continue;
      if (later.indication != Indication::kTotalPassed || !values[j].timestamp) continue;
      if (!poe || values[j].timestamp->gen_time < *poe) {
        poe = values[j].timestamp->gen_time;
        poe_by = later.field;
      }
    }
    CheckTrust(e, values[i], e.kind == SignatureRole::kDocumentTimestamp, poe, options, doc.dss_certificates,
               doc.dss_crls, clock);
    if (poe) e.poe_by = poe_by;
  }
}

// The archive chain for the report, and why it does not reach the validation time.
void DescribeTimestampChain(VerifyReport& rep, const std::vector<SignatureValue>& values) {
  for (size_t i = 0; i < rep.signatures.size(); ++i) {
    const SignatureEntry& s = rep.signatures[i];
    if (s.kind != SignatureRole::kDocumentTimestamp) continue;
    TimestampChainEntry t;
    t.field = s.field;
    t.revision = s.revision;
    t.time_utc = s.time_utc;
    t.validation_time = s.validation_time;
    t.validation_time_source = s.validation_time_source;
    t.tsa = s.tsa;
    if (values[i].timestamp) t.tsa_not_after = FormatRfc3339Utc(values[i].timestamp->tsa_certificate.NotAfter());
    t.digest_algorithm = s.digest_algorithm;
    t.indication = s.indication;
    t.sub_indication = s.sub_indication;
    rep.timestamp_chain.push_back(std::move(t));
  }
  if (rep.timestamp_chain.empty() || !rep.trust_anchors) return;
  const TimestampChainEntry& last = rep.timestamp_chain.back();
  if (last.indication == Indication::kTotalPassed) return;
  const std::string at = last.validation_time.value_or("?");
  if (last.sub_indication == SubIndication::kExpired && last.tsa_not_after) {
    rep.long_term_code = "verify.last_timestamp_expired";
    rep.long_term_reason = "the TSA certificate of the last document timestamp '" + last.field + "' (" +
                           last.time_utc.value_or("?") + ") expired on " + *last.tsa_not_after +
                           ", before the validation time " + at +
                           ", and no later timestamp proves the document existed before then: it was not renewed";
    rep.long_term_reason_es = "El certificado del sello de tiempo más reciente («" + last.field + "») venció el " +
                              last.tsa_not_after->substr(0, 10) + ", antes de la fecha de verificación (" +
                              at.substr(0, 10) +
                              "), y ningún sello posterior prueba que el documento existía antes: el sello de "
                              "archivo no se renovó a tiempo.";
  } else {
    rep.long_term_code = "verify.last_timestamp_not_valid";
    rep.long_term_reason = "the last document timestamp '" + last.field + "' is " +
                           std::string(Name(last.indication)) + "/" + std::string(Name(last.sub_indication)) +
                           " at " + at + ": it proves nothing about the signatures before it";
    rep.long_term_reason_es = "El sello de tiempo más reciente («" + last.field +
                              "») no es válido a la fecha de verificación: no prueba la existencia de las firmas "
                              "anteriores.";
  }
}

// Stage 3 with the structure: the signatures its fields hold, each matched to its raw
// candidate by byte range.
void CheckSignatures(std::string_view bytes, const std::vector<RawSignature>& raw, DocumentReading& doc,
                     const VerifyOptions& options, const Clock& clock, VerifyReport& rep) {
  const PdfFile& file = *doc.file;
  std::map<std::array<int64_t, 4>, const RawSignature*> by_range;
  for (const RawSignature& r : raw) by_range.emplace(r.byte_range, &r);
  RequiredSignerIndex required(doc.list ? &*doc.list : nullptr);
  // A raw signature belongs to the field whose dictionary holds its hole; another field
  // whose /ByteRange names the same bytes (a copied or edited dictionary) is not judged by
  // that signature's value.
  std::vector<ByteRangeCheck> checks;
  std::set<const RawSignature*> claimed;
  for (const FoundSignature& f : doc.signatures) {
    checks.push_back(CheckByteRange(bytes, file, f.ref, *f.dict, f.defined_in));
    auto m = by_range.find(checks.back().byte_range);
    if (checks.back().ok && m != by_range.end()) claimed.insert(m->second);
  }
  std::vector<SignatureValue> values;
  for (size_t i = 0; i < doc.signatures.size(); ++i) {
    const FoundSignature& f = doc.signatures[i];
    SignatureEntry e;
    e.field = f.field;
    e.revision = f.defined_in;
    const pdf::cos::RevisionAnalysis* analysis = f.defined_in >= 1 ? &doc.analyses[f.defined_in - 1] : nullptr;
    const bool cert_rev = analysis && analysis->certification && analysis->signed_field == f.field;
    e.kind = RoleOf(f.field, *f.dict, cert_rev);
    const bool doc_ts = e.kind == SignatureRole::kDocumentTimestamp;

    const ByteRangeCheck& br = checks[i];
    e.byte_range = br.byte_range;
    e.covers_whole_revision = br.covers_whole_revision;
    if (!br.ok) Fail(e, Indication::kTotalFailed, SubIndication::kFormatFailure, "byte_range: " + br.error);
    if (f.defined_in == 0) {
      // A Rúbrica acta is signed only after approval; any other PDF may be signed as saved.
      if (doc.list_present || !br.covers_whole_revision) {
        Fail(e, Indication::kTotalFailed, SubIndication::kFormatFailure,
             "structure: the signature is part of the original revision (signed before approval?)");
      }
    } else if (analysis->signed_field != f.field) {
      Fail(e, Indication::kTotalFailed, SubIndication::kFormatFailure,
           "structure: revision " + std::to_string(f.defined_in) + " does not fill '" + f.field + "' alone");
    }
    const Object* sub = f.dict->Get("SubFilter");
    e.sub_filter = sub && sub->is_name() ? sub->text() : "";
    std::optional<CmsProfile> profile = ProfileOf(e.sub_filter);
    if (doc_ts ? e.sub_filter != "ETSI.RFC3161" : !profile) {
      Fail(e, Indication::kTotalFailed, SubIndication::kFormatFailure,
           "format: /SubFilter " + (e.sub_filter.empty() ? std::string("(none)") : e.sub_filter) +
               " is not " + (doc_ts ? "ETSI.RFC3161" : "ETSI.CAdES.detached, adbe.pkcs7.detached or adbe.pkcs7.sha1"));
    } else if (profile && *profile != CmsProfile::kCadesDetached) {
      e.warnings.push_back("format: " + e.sub_filter + ": PKCS#7, not a PAdES baseline signature");
    }
    // The value is checked even when the byte range fails a structural check, so the report
    // still says whether the bytes it does cover are intact (the indication stays failed).
    auto match = by_range.find(br.byte_range);
    SignatureValue v;
    if (match != by_range.end() && !br.ok && claimed.count(match->second)) {
      Fail(e, Indication::kTotalFailed, SubIndication::kFormatFailure,
           "format: /ByteRange names the bytes of another field's signature, not this dictionary's /Contents");
    } else if (match != by_range.end()) {
      v = CheckSignatureValue(e, *match->second, doc_ts, profile.value_or(CmsProfile::kUnknown), doc.zone);
    } else if (br.ok) {
      Fail(e, Indication::kTotalFailed, SubIndication::kFormatFailure, "format: /Contents is not a signature value");
    }
    if (options.trust == nullptr && v.signer && e.indication == Indication::kTotalPassed) {
      Fail(e, Indication::kIndeterminate, SubIndication::kNoCertificateChainFound,
           "trust: no trust anchor was given (--trust): the signer's certificate cannot be judged");
    }
    rep.signatures.push_back(std::move(e));
    values.push_back(std::move(v));
  }
  CheckTrustAlongTheChain(rep.signatures, values, options, doc, clock);
  for (size_t i = 0; i < rep.signatures.size(); ++i) {
    SignatureEntry& e = rep.signatures[i];
    if (values[i].signer && (e.kind == SignatureRole::kRubric || e.kind == SignatureRole::kFoot)) {
      required.Match(e, *values[i].signer);
    }
  }
  DescribeTimestampChain(rep, values);
}

void Verdict(VerifyReport& rep) {
  const Completeness& c = rep.completeness;
  bool all_valid = true, mismatch = false, altered = false, untrusted_only = true, checked = false;
  for (const auto& s : rep.signatures) {
    all_valid = all_valid && s.indication == Indication::kTotalPassed;
    mismatch = mismatch || !s.signer_matches;
    altered = altered || s.integrity == Integrity::kAltered;
    checked = checked || s.integrity != Integrity::kUnknown;
    if (s.indication != Indication::kTotalPassed) {
      untrusted_only = untrusted_only && s.sub_indication == SubIndication::kNoCertificateChainFound;
    }
  }
  if (!rep.structure_error_code.empty()) {
    rep.exit = VerifyExit::kInvalid;
    if (altered) {
      rep.verdict = "a signature is not valid: the bytes it covers were altered (the structure could not be read: " +
                    rep.structure_error + ")";
      rep.verdict_es = "Al menos una firma no es válida: el contenido firmado fue alterado (además, la estructura del "
                       "PDF no se pudo leer).";
    } else {
      rep.verdict = "the signed bytes are intact, but the rest of the file could not be read: " + rep.structure_error;
      rep.verdict_es = "Las partes firmadas están íntegras, pero el resto del archivo no se pudo leer: " +
                       rep.structure_error_es;
    }
    (void)checked;
    return;
  }
  if (!all_valid || mismatch || !rep.changes_allowed) {
    rep.exit = VerifyExit::kInvalid;
    if (!all_valid && untrusted_only && !rep.trust_anchors && !altered) {
      rep.verdict = "the signatures are intact, but no trust anchor was given: who signed cannot be confirmed";
      rep.verdict_es = "Las firmas están íntegras, pero no se indicó un certificado raíz de confianza (--trust): no se "
                       "puede confirmar quién firmó.";
      if (!rep.changes_allowed) {
        rep.verdict += "; and the document changed after signing in a way that is not allowed";
        rep.verdict_es += " Además, el documento se modificó después de firmarse de una forma no permitida.";
      }
      return;
    }
    if (!rep.long_term_code.empty() && !altered && !mismatch && rep.changes_allowed) {
      rep.verdict = "INDETERMINATE: " + rep.long_term_reason;
      rep.verdict_es = "INDETERMINADO: " + rep.long_term_reason_es;
      return;
    }
    rep.verdict = altered       ? "a signature is not valid: the bytes it covers were altered"
                  : !all_valid  ? "a signature is not valid"
                  : mismatch    ? "a field is signed by someone other than its required signer"
                                : "the document changed after signing in a way that is not allowed";
    rep.verdict_es = altered      ? "Al menos una firma no es válida: el contenido firmado fue alterado."
                     : !all_valid ? "Al menos una firma no es válida."
                     : mismatch   ? "Un campo está firmado por una persona distinta de la requerida."
                                  : "El documento se modificó después de firmarse de una forma no permitida.";
    return;
  }
  if (c.not_applicable) {
    rep.exit = VerifyExit::kValidAndComplete;
    rep.verdict = "valid: every signature is valid and nothing changed except what signatures may add (no "
                  "required-signer list: completeness does not apply)";
    rep.verdict_es = "Válido: todas las firmas son válidas y el documento no tiene cambios no permitidos (no trae "
                     "lista de firmantes requeridos: la completitud no aplica).";
  } else if (!c.complete) {
    rep.exit = VerifyExit::kIncomplete;
    rep.verdict = "every signature is valid, but the acta is incomplete: " + c.reason;
    rep.verdict_es = "Todas las firmas son válidas, pero el acta está incompleta.";
  } else {
    rep.exit = VerifyExit::kValidAndComplete;
    rep.verdict = "valid and complete: every required signer rubricated and signed at the foot on " +
                  c.approved_on + ", and nothing changed except what the signatures may add";
    rep.verdict_es = "Válida y completa: todas las personas requeridas rubricaron y firmaron al calce el " +
                     lang::DateEs(c.approved_on) + ", y el documento no tiene cambios no permitidos.";
  }
}

}  // namespace

VerifyReport VerifyPdf(std::string_view bytes, const VerifyOptions& options, const Clock& clock) {
  VerifyReport rep;
  rep.file_size = bytes.size();
  rep.trust_anchors = options.trust != nullptr;
  if (bytes.size() > options.max_file_bytes) {
    rep.file_sha256 = Sha256Hex(bytes);
    NotProcessed(rep, Status::Error(ErrorKind::kTooLarge, "verify.file_too_large",
                                    "the file has " + std::to_string(bytes.size()) +
                                        " bytes, over the limit of " + std::to_string(options.max_file_bytes),
                                    "El archivo es demasiado grande."));
    return rep;
  }

  // 1. Bytes.
  std::vector<RawSignature> raw = FindRawSignatures(bytes);
  std::string file_sha256;
  HashCoveredBytes(bytes, raw, &file_sha256);  // and the file's own SHA-256 in the same pass
  rep.file_sha256 = HexEncode(file_sha256);

  // 2. Structure.
  DocumentReading doc = ReadDocument(bytes, options.max_decoded_bytes);
  rep.notes = doc.notes;
  if (doc.file) rep.revisions = doc.file->revisions().size();
  if (!doc.error.ok()) {
    bool any = false;
    for (const RawSignature& r : raw) any = any || r.hashed;
    if (!any) {
      NotProcessed(rep, doc.error);
      return rep;
    }
    rep.structure_error_code = doc.error.code();
    rep.structure_error = doc.error.message();
    rep.structure_error_es = doc.error.message_es();
    rep.changes_allowed = false;
    CheckRawOnly(bytes, raw, options, clock, rep);
    rep.completeness.reason = "the structure could not be read";
    Verdict(rep);
    return rep;
  }
  rep.changes_allowed = true;
  for (const auto& n : doc.original_ambiguities) rep.changes.push_back({0, true, n.code, n.object, n.message});
  // What a PDF that is not a Rúbrica acta did before its first signature is what that
  // signature signs: listed, not judged. An acta is judged from its approved original on.
  size_t first_signed = 0;
  if (!doc.list_present && !doc.signatures.empty()) first_signed = doc.signatures.front().defined_in;
  for (const auto& a : doc.analyses) {
    for (pdf::cos::RevisionFinding f : a.findings) {
      if (!doc.list_present && f.code == "forbidden.after_archive_seal") {
        // The archive seal is an acta's: in any other PDF a document timestamp is one more
        // signature, and signing after it is ordinary successive signing (as EU DSS reads it).
        f = {true, "change.after_document_timestamp", 0,
             "revision " + std::to_string(a.revision) + " follows a document timestamp (not a Rúbrica acta: no "
             "archive seal to keep)"};
      }
      const bool allowed = f.allowed || a.revision <= first_signed;
      if (!allowed || f.code.rfind("change.", 0) == 0 || a.revision > first_signed) {
        rep.changes.push_back({a.revision, allowed, f.code, f.object, f.message});
      }
      rep.changes_allowed = rep.changes_allowed && allowed;
    }
  }
  rep.dss_certificates = doc.dss_certificates.size();
  rep.dss_crls = doc.dss_crl_count;
  if (doc.signatures.empty()) {
    NotProcessed(rep, Status::Error(ErrorKind::kInvalidArgument, "verify.no_signatures",
                                    "the document carries no signatures",
                                    "El documento no tiene firmas electrónicas."));
    return rep;
  }

  // 3. Signatures.
  CheckSignatures(bytes, raw, doc, options, clock, rep);

  // 4. Completeness.
  Completeness& c = rep.completeness;
  if (doc.list) {
    BuildCompleteness(*doc.list, rep.signatures, c);
  } else if (doc.list_present) {
    c.reason = doc.list_error;
  } else {
    c.not_applicable = true;
    c.reason = std::string("no ") + std::string(pdf::kSignerListFileName) +
               " in the original revision: not a Rúbrica acta, completeness does not apply";
  }

  // 5. Verdict.
  Verdict(rep);
  return rep;
}

}  // namespace rubrica::signing
