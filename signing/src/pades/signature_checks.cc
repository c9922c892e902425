#include "signature_checks.h"

#include "rubrica/base/crypto_util.h"

namespace rubrica::signing {

namespace {

// Maps a keys::TrustStore failure to ETSI EN 319 102-1 terms.
void ChainFailure(SignatureEntry& e, const keys::ValidationReport& v, const std::string& what) {
  const std::string& code = v.status.code();
  Indication ind = Indication::kIndeterminate;
  SubIndication sub = SubIndication::kChainConstraintsFailure;
  if (code == "keys.untrusted_issuer") sub = SubIndication::kNoCertificateChainFound;
  else if (code == "keys.certificate_expired") sub = SubIndication::kExpired;
  else if (code == "keys.not_yet_valid") sub = SubIndication::kNotYetValid;
  else if (code == "keys.revocation_unknown") sub = SubIndication::kTryLater;
  else if (code == "keys.certificate_revoked") {
    ind = Indication::kTotalFailed;
    sub = SubIndication::kRevoked;
  } else if (code == "keys.bad_signature_in_chain") {
    ind = Indication::kTotalFailed;
    sub = SubIndication::kSigCryptoFailure;
  }
  Fail(e, ind, sub, what + ": " + code + ": " + v.status.message());
}

// Copies what chain validation learnt of revocation into the report: one entry per
// certificate below the anchor (state not_checked when nothing answered), and a warning for
// each revoked after `at` (still valid at `at`, which the timestamp proves) or vouched for
// only by a CRL older than `at`.
void RecordRevocation(SignatureEntry& e, const keys::ValidationReport& v, std::string_view of, Instant at,
                      std::string_view when = "the time of this signature") {
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
                           "), after " + std::string(when) + " (" + FormatRfc3339Utc(at) + ")");
    } else if (c.state == keys::RevocationCheck::State::kGood &&
               c.this_update < std::chrono::floor<std::chrono::seconds>(at)) {  // CRLs: whole seconds
      e.warnings.push_back("revocation: the " + c.source + " used for " + who + " was issued on " +
                           *r.this_update + ", before " + std::string(when) + " (" + FormatRfc3339Utc(at) +
                           "): it cannot show a revocation in between");
    }
    e.revocation.push_back(std::move(r));
  }
}

SubIndication FromEtsi(std::string_view sub) { return SubIndicationFromName(sub); }

Indication IndicationFromName(std::string_view name) {
  if (name == "TOTAL-PASSED") return Indication::kTotalPassed;
  if (name == "TOTAL-FAILED") return Indication::kTotalFailed;
  return Indication::kIndeterminate;
}

}  // namespace

void Fail(SignatureEntry& e, Indication indication, SubIndication sub, const std::string& error) {
  if (e.errors.empty() && e.indication == Indication::kTotalPassed) {
    e.indication = indication;
    e.sub_indication = sub;
  }
  e.errors.push_back(error);
}

std::optional<CmsProfile> ProfileOf(std::string_view sub_filter) {
  if (sub_filter == "ETSI.CAdES.detached") return CmsProfile::kCadesDetached;
  if (sub_filter == "adbe.pkcs7.detached") return CmsProfile::kPkcs7Detached;
  if (sub_filter == "adbe.pkcs7.sha1") return CmsProfile::kPkcs7Sha1;
  return std::nullopt;
}

SignatureValue CheckSignatureValue(SignatureEntry& e, const RawSignature& raw, bool doc_ts, CmsProfile profile,
                                   const TimeZone& zone) {
  SignatureValue out;
  e.digest_algorithm = DigestName(raw.digest_oid);
  if (!raw.hashed) {
    if (raw.over_budget) {
      Fail(e, Indication::kTotalFailed, SubIndication::kFormatFailure,
           "cms: not checked: its revision holds other signatures, whose covered bytes already add up to "
           "more than the file");
    } else if (raw.digest_oid.empty()) {
      Fail(e, Indication::kTotalFailed, SubIndication::kFormatFailure,
           std::string(doc_ts ? "timestamp" : "cms") + ": the signature value does not parse as CMS");
    } else if (DigestName(raw.digest_oid).empty()) {
      Fail(e, Indication::kIndeterminate, SubIndication::kCryptoConstraintsFailure,
           "cms: the covered bytes are hashed with " + raw.digest_oid + ", which is not supported");
    }
    return out;
  }
  if (doc_ts) {
    auto info = VerifyTimestampTokenImprint(raw.contents, raw.digest, raw.digest_oid);
    if (!info.ok()) {
      const bool altered = info.status().code() == "signing.timestamp_imprint_mismatch";
      e.integrity = altered ? Integrity::kAltered : Integrity::kUnknown;
      Fail(e, Indication::kTotalFailed, altered ? SubIndication::kHashFailure : SubIndication::kFormatFailure,
           "timestamp: " + info.status().ToString());
    } else {
      e.integrity = Integrity::kIntact;
      out.timestamp = *info;
      out.signer = info->tsa_certificate;
      out.embedded = info->certificates;
    }
  } else {
    CmsReport cms = VerifyPdfCms(raw.contents, raw.digest, profile);
    e.integrity = cms.intact() ? Integrity::kIntact : cms.altered() ? Integrity::kAltered : Integrity::kUnknown;
    if (!cms.ok()) {
      EtsiStatus st = EtsiStatusFor(cms.result);
      const CmsCheck* first = cms.FirstFailure();
      Fail(e, IndicationFromName(st.indication), FromEtsi(st.sub_indication),
           first ? first->id + ": " + first->message : std::string(CmsResultName(cms.result)));
    }
    if (cms.has_signing_time && profile == CmsProfile::kCadesDetached) {
      e.warnings.push_back("cms: signing-time attribute present (PAdES baseline forbids it)");
    }
    for (const std::string& w : cms.warnings) e.warnings.push_back(w);
    out.signer = cms.signer;
    out.embedded = cms.certificates;
    if (cms.timestamp.present && cms.timestamp.info) out.timestamp = cms.timestamp.info;
    if (!cms.timestamp.present) e.warnings.push_back("timestamp: no signature-time-stamp (time not proven)");
  }
  if (out.signer) {
    e.signer_name = out.signer->SubjectCommonName();
    e.signer_title = out.signer->SubjectAttribute("title");
    e.signer_subject = out.signer->SubjectString();
    e.certificate_sha256 = out.signer->FingerprintSha256();
    e.issuer = out.signer->IssuerString();
  }
  if (out.timestamp) {
    e.time_utc = FormatRfc3339Utc(out.timestamp->gen_time);
    e.time_local = zone.FormatLocal(out.timestamp->gen_time);
    e.local_date = e.time_local->substr(0, 10);
    e.tsa = out.timestamp->tsa_certificate.SubjectCommonName();
  }
  return out;
}

void CheckTrust(SignatureEntry& e, const SignatureValue& v, bool doc_ts, std::optional<Instant> poe,
                const VerifyOptions& options, const std::vector<keys::Certificate>& dss_certificates,
                const keys::CrlSet& dss_crls, const Clock& clock) {
  if (!v.signer || e.indication != Indication::kTotalPassed || options.trust == nullptr) return;
  const std::optional<TimestampInfo>& ts = v.timestamp;
  keys::ValidationOptions vo;
  // ETSI EN 319 102-1 past signature validation, reduced to what a PAdES-LTA chain gives:
  // a later valid document timestamp proves the signature (or earlier timestamp) existed
  // at its time, so the chain only has to be valid then.
  if (doc_ts) {
    vo.time = poe ? *poe : options.at ? *options.at : clock.Now();
    e.validation_time_source = poe ? "poe" : options.at ? "at" : "now";
  } else if (poe) {
    vo.time = ts ? ts->gen_time : *poe;
    e.validation_time_source = ts ? "signature_timestamp" : "poe";
  } else {
    vo.time = options.at ? *options.at : ts ? ts->gen_time : clock.Now();
    e.validation_time_source = options.at ? "at" : ts ? "signature_timestamp" : "now";
  }
  e.validation_time = FormatRfc3339Utc(vo.time);
  vo.purpose = doc_ts ? keys::Purpose::kTimestamping : keys::Purpose::kDocumentSigning;
  vo.ocsp = options.ocsp;
  vo.require_revocation_info = options.require_revocation;
  vo.document_crls = &dss_crls;
  std::vector<keys::Certificate> embedded = v.embedded;
  embedded.insert(embedded.end(), dss_certificates.begin(), dss_certificates.end());
  keys::ValidationReport report = options.trust->Validate(*v.signer, embedded, vo);
  if (!report.ok()) ChainFailure(e, report, doc_ts ? "timestamp authority certificate" : "signer certificate");
  // Judged at --at or now (nothing later proves the time): a CRL older than that time
  // leaves a revocation since then unknown, which the last timestamp's warning says.
  const bool at_validation_time = e.validation_time_source == "at" || e.validation_time_source == "now";
  RecordRevocation(e, report, doc_ts ? "timestamp" : "signer", vo.time,
                   at_validation_time ? "the validation time" : "the time of this signature");
  if (ts && !doc_ts) {
    keys::ValidationOptions to = vo;
    to.time = poe ? *poe : ts->gen_time;
    to.purpose = keys::Purpose::kTimestamping;
    std::vector<keys::Certificate> tsa_chain = ts->certificates;
    tsa_chain.insert(tsa_chain.end(), dss_certificates.begin(), dss_certificates.end());
    keys::ValidationReport tv = options.trust->Validate(ts->tsa_certificate, tsa_chain, to);
    if (!tv.ok()) ChainFailure(e, tv, "timestamp authority certificate");
    RecordRevocation(e, tv, "timestamp", to.time);
  }
}

}  // namespace rubrica::signing
