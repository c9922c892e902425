#include "rubrica/signing/cms_verifier.h"

#include "oids.h"
#include "rubrica/base/crypto_util.h"
#include "der_reader.h"
#include "signed_data_parser.h"
#include "signer_checks.h"
#include "tst_info.h"

#include <openssl/evp.h>

namespace rubrica::signing {
namespace {

using State = CmsCheck::State;

// Records the checks in order; a check whose prerequisite failed stays kNotRun.
class Checks {
 public:
  explicit Checks(CmsReport& report) : report_(report) {}

  void Pass(std::string id, std::string message) {
    report_.checks.push_back({std::move(id), State::kPassed, CmsResult::kPassed, std::move(message)});
  }
  void Fail(std::string id, CmsResult failure, std::string message) {
    report_.checks.push_back({std::move(id), State::kFailed, failure, std::move(message)});
    if (report_.result == CmsResult::kPassed) report_.result = failure;
  }
  // Pass when `s` is OK, else fail with `failure` and the status message.
  bool Record(std::string id, const Status& s, CmsResult failure, std::string ok_message) {
    if (s.ok()) {
      Pass(std::move(id), std::move(ok_message));
      return true;
    }
    Fail(std::move(id), failure, s.message());
    return false;
  }
  void NotRun(std::string id, std::string why) {
    report_.checks.push_back({std::move(id), State::kNotRun, CmsResult::kPassed, std::move(why)});
  }

 private:
  CmsReport& report_;
};

void CheckTimestamp(const ParsedSignerInfo& si, CmsReport& report, Checks& checks) {
  const char* id = "cms.timestamp";
  std::vector<std::string_view> tokens;
  for (const ParsedAttribute& a : si.unsigned_attrs) {
    if (a.oid == oid::kSignatureTimeStamp) tokens.insert(tokens.end(), a.values.begin(), a.values.end());
  }
  if (tokens.empty()) {
    checks.Pass(id, "no signature-time-stamp attribute");
    return;
  }
  report.timestamp.present = true;
  if (tokens.size() > 1) {
    report.timestamp.status = Status::Error(
        ErrorKind::kInvalidArgument, "signing.bad_timestamp_token",
        std::to_string(tokens.size()) + " signature-time-stamps; this profile expects one",
        "La firma contiene varios sellos de tiempo.");
    checks.Fail(id, CmsResult::kTimestampFailure, report.timestamp.status.message());
    return;
  }
  report.timestamp.token = std::string(tokens[0]);
  Result<TimestampInfo> info = VerifyTimestampTokenOver(tokens[0], si.signature);
  if (!info.ok()) {
    report.timestamp.status = info.status();
    checks.Fail(id, CmsResult::kTimestampFailure, "signature-time-stamp: " + info.status().message());
    return;
  }
  checks.Pass(id, "signature-time-stamp by " + info->tsa_certificate.SubjectString() + " at " +
                      FormatRfc3339UtcMicros(info->gen_time) + " imprints this signature value");
  report.timestamp.info = std::move(*info);
}

}  // namespace

std::string_view CmsResultName(CmsResult r) {
  switch (r) {
    case CmsResult::kPassed: return "passed";
    case CmsResult::kFormatFailure: return "format_failure";
    case CmsResult::kCryptoConstraintsFailure: return "crypto_constraints_failure";
    case CmsResult::kHashFailure: return "hash_failure";
    case CmsResult::kNoSigningCertificateFound: return "no_signing_certificate_found";
    case CmsResult::kSigCryptoFailure: return "sig_crypto_failure";
    case CmsResult::kTimestampFailure: return "timestamp_failure";
  }
  return "format_failure";
}

EtsiStatus EtsiStatusFor(CmsResult r) {
  switch (r) {
    case CmsResult::kPassed: return {"TOTAL-PASSED", ""};
    case CmsResult::kFormatFailure: return {"TOTAL-FAILED", "FORMAT_FAILURE"};
    case CmsResult::kHashFailure: return {"TOTAL-FAILED", "HASH_FAILURE"};
    case CmsResult::kSigCryptoFailure: return {"TOTAL-FAILED", "SIG_CRYPTO_FAILURE"};
    case CmsResult::kCryptoConstraintsFailure: return {"INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE"};
    case CmsResult::kNoSigningCertificateFound: return {"INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND"};
    case CmsResult::kTimestampFailure: return {"INDETERMINATE", "SIG_CONSTRAINTS_FAILURE"};
  }
  return {"TOTAL-FAILED", "FORMAT_FAILURE"};
}

const CmsCheck* CmsReport::FirstFailure() const {
  for (const CmsCheck& c : checks) {
    if (c.state == State::kFailed) return &c;
  }
  return nullptr;
}

bool CmsReport::intact() const {
  bool digest = false, signature = false;
  for (const CmsCheck& c : checks) {
    if (c.id == "cms.message_digest") digest = c.state == State::kPassed;
    if (c.id == "cms.signature") signature = c.state == State::kPassed;
  }
  return digest && signature;
}

bool CmsReport::altered() const {
  for (const CmsCheck& c : checks) {
    if (c.id == "cms.message_digest" && c.state == State::kFailed && c.failure == CmsResult::kHashFailure) {
      return true;
    }
  }
  return false;
}

Result<std::string> CoveredDigestAlgorithm(std::string_view der) {
  ASSIGN_OR_RETURN(ParsedSignedData sd, ParseSignedData(der));
  if (sd.econtent_type == oid::kTstInfo && sd.econtent) {
    ASSIGN_OR_RETURN(TstInfo tst, ParseTstInfo(*sd.econtent));
    return tst.imprint.algorithm;
  }
  if (sd.econtent && !sd.econtent->empty()) return std::string(oid::kSha1);
  if (sd.signer_infos.empty()) return der::BadDer("signerInfos", 0, "empty");
  return sd.signer_infos[0].digest_algorithm;
}

Result<CmsReport> VerifyCms(std::string_view cms_der, std::string_view content_digest_sha256) {
  if (content_digest_sha256.size() != 32) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_digest",
                         "the content digest must be 32 bytes (SHA-256), got " +
                             std::to_string(content_digest_sha256.size()));
  }
  return VerifyPdfCms(cms_der, content_digest_sha256, CmsProfile::kCadesDetached);
}

CmsReport VerifyPdfCms(std::string_view cms_der, std::string_view content_digest, CmsProfile profile) {
  CmsReport report;
  report.result = CmsResult::kPassed;
  Checks checks(report);
  const char* kNeedsStructure = "not run: the CMS does not parse";
  const bool cades = profile == CmsProfile::kCadesDetached;

  Result<ParsedSignedData> parsed = ParseSignedData(cms_der);
  Result<std::vector<keys::Certificate>> certs =
      parsed.ok() ? ParseCertificates(*parsed) : Result<std::vector<keys::Certificate>>(parsed.status());
  if (!checks.Record("cms.structure", certs.status(), CmsResult::kFormatFailure,
                     "DER CMS SignedData")) {
    for (const char* id : {"cms.single_signer", "cms.detached", "cms.content_type",
                           "cms.signed_attributes", "cms.algorithms", "cms.message_digest",
                           "cms.signer_certificate", "cms.signing_certificate_v2", "cms.signature",
                           "cms.timestamp"}) {
      checks.NotRun(id, kNeedsStructure);
    }
    return report;
  }
  const ParsedSignedData& sd = *parsed;
  report.certificates = std::move(*certs);

  size_t signers = sd.signer_infos.size();
  if (signers > 1 && !cades) {
    // PKCS#7 signatures from some tools (podofosign) carry the SignerInfo twice; the first
    // is the one viewers verify, and the only one this report speaks for.
    report.warnings.push_back("cms: " + std::to_string(signers) + " SignerInfos; only the first was verified");
    signers = 1;
  }
  if (signers != 1) {
    checks.Fail("cms.single_signer", CmsResult::kFormatFailure,
                std::to_string(signers) + " SignerInfos; a PDF signature must have exactly one");
  } else {
    checks.Pass("cms.single_signer", "one SignerInfo");
  }
  // adbe.pkcs7.sha1 embeds the SHA-1 of the covered bytes as content; every other profile
  // is detached.
  const bool embedded = sd.econtent.has_value();
  const bool want_embedded = profile == CmsProfile::kPkcs7Sha1 || (profile == CmsProfile::kUnknown && embedded);
  if (embedded && !want_embedded) {
    checks.Fail("cms.detached", CmsResult::kFormatFailure,
                "the SignedData embeds " + std::to_string(sd.econtent->size()) +
                    " bytes of content; a detached signature requires none");
  } else if (!embedded && want_embedded) {
    checks.Fail("cms.detached", CmsResult::kFormatFailure,
                "adbe.pkcs7.sha1 requires the SHA-1 of the covered bytes as content; there is none");
  } else {
    checks.Pass("cms.detached", embedded ? "content: the SHA-1 of the covered bytes" : "detached (no eContent)");
  }
  if (sd.econtent_type != oid::kData) {
    checks.Fail("cms.content_type", CmsResult::kFormatFailure,
                "eContentType is " + sd.econtent_type + ", expected id-data (" + oid::kData + ")");
  } else {
    checks.Pass("cms.content_type", "eContentType id-data");
  }
  if (signers != 1) {
    for (const char* id : {"cms.signed_attributes", "cms.algorithms", "cms.message_digest",
                           "cms.signer_certificate", "cms.signing_certificate_v2", "cms.signature",
                           "cms.timestamp"}) {
      checks.NotRun(id, "not run: no single SignerInfo to check");
    }
    return report;
  }

  const ParsedSignerInfo& si = sd.signer_infos[0];
  report.signature_value = std::string(si.signature);
  report.digest_algorithm = si.digest_algorithm;
  for (const ParsedAttribute& a : si.signed_attrs) report.signed_attributes.push_back(a.oid);
  report.has_signing_time = ParsedSignerInfo::Find(si.signed_attrs, oid::kSigningTime) != nullptr;
  const bool has_attrs = !si.signed_attrs_der.empty();

  bool attrs_ok = true;
  if (has_attrs || cades) {
    attrs_ok = checks.Record("cms.signed_attributes", CheckSignedAttributeShape(si, oid::kData),
                             CmsResult::kFormatFailure, "content-type id-data and message-digest present once");
  } else {
    checks.Pass("cms.signed_attributes", "none: the signature is over the content itself (PKCS#7)");
    report.warnings.push_back("cms: PKCS#7 without signed attributes");
  }
  // Under CAdES SHA-1 fails the profile outright; a PKCS#7 signature with SHA-1 is still
  // verified, so the report can tell an intact signature from an altered one, and the weak
  // algorithm stays a constraint failure.
  const Status algs = cades ? CheckAlgorithms(sd, si) : CheckAlgorithmsSupported(sd, si);
  const CmsResult algs_failure = algs.code() == "signing.inconsistent_algorithms" ? CmsResult::kFormatFailure
                                                                                  : CmsResult::kCryptoConstraintsFailure;
  bool algs_ok = algs.ok();
  if (!algs_ok) {
    checks.Fail("cms.algorithms", algs_failure, algs.message());
  } else if (!cades && UsesSha1(sd, si)) {
    checks.Fail("cms.algorithms", CmsResult::kCryptoConstraintsFailure,
                "SHA-1 is no longer strong enough to prove a signature (it was verified all the same)");
  } else {
    checks.Pass("cms.algorithms", si.digest_algorithm + " with " + si.signature_algorithm);
  }
  // What the signature value covers, as a digest with the SignerInfo's algorithm: the
  // covered bytes (detached), or the embedded SHA-1 of them (adbe.pkcs7.sha1).
  std::optional<std::string> signed_content_digest;
  if (attrs_ok && algs_ok) {
    std::string_view content = content_digest;
    std::string embedded_digest;
    bool content_ok = true;
    if (embedded && want_embedded) {
      if (*sd.econtent != content_digest) {
        checks.Fail("cms.message_digest", CmsResult::kHashFailure,
                    "the embedded SHA-1 " + HexEncode(*sd.econtent) + " differs from the covered bytes' " +
                        HexEncode(content_digest) + ": the signed content was changed");
        content_ok = false;
      } else {
        unsigned char h[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_Digest(sd.econtent->data(), sd.econtent->size(), h, &n, DigestMd(si.digest_algorithm), nullptr);
        embedded_digest.assign(reinterpret_cast<char*>(h), n);
        content = embedded_digest;
      }
    }
    if (!content_ok) {
    } else if (!has_attrs) {
      checks.Pass("cms.message_digest", "no signed attributes: the signature covers the content digest directly");
      signed_content_digest = std::string(content);
    } else {
      Result<std::string_view> md = MessageDigestValue(si);
      if (!md.ok()) {
        checks.Fail("cms.message_digest", CmsResult::kFormatFailure, md.status().message());
      } else if (*md != content) {
        checks.Fail("cms.message_digest", CmsResult::kHashFailure,
                    "message-digest " + HexEncode(*md) + " differs from the covered bytes' digest " +
                        HexEncode(content) + ": the signed content was changed");
      } else {
        checks.Pass("cms.message_digest", "message-digest equals the digest of the covered bytes");
      }
    }
  } else {
    checks.NotRun("cms.message_digest", "not run: signed attributes or algorithms unusable");
  }

  Result<keys::Certificate> signer = FindSignerCertificate(si, report.certificates);
  if (checks.Record("cms.signer_certificate", signer.status(), CmsResult::kNoSigningCertificateFound,
                    signer.ok() ? "signer certificate " + signer->SubjectString() : "")) {
    report.signer = *signer;
    const bool has_ess = ParsedSignerInfo::Find(si.signed_attrs, oid::kSigningCertificateV2) != nullptr ||
                         ParsedSignerInfo::Find(si.signed_attrs, oid::kSigningCertificate) != nullptr;
    if (attrs_ok && has_attrs && (cades || has_ess)) {
      Status ess = CheckSigningCertificate(si, *signer, /*allow_v1=*/!cades);
      checks.Record("cms.signing_certificate_v2", ess,
                    ess.code() == "signing.signing_certificate_mismatch"
                        ? CmsResult::kNoSigningCertificateFound
                        : CmsResult::kFormatFailure,
                    "signing-certificate-v2 names the signer certificate");
    } else if (!cades) {
      checks.Pass("cms.signing_certificate_v2", "not present (PKCS#7)");
      report.warnings.push_back("cms: PKCS#7, no PAdES baseline attributes (signing-certificate-v2)");
    } else {
      checks.NotRun("cms.signing_certificate_v2", "not run: signed attributes unusable");
    }
    if (algs_ok && has_attrs && attrs_ok) {
      checks.Record("cms.signature", CheckSignature(si, *signer), CmsResult::kSigCryptoFailure,
                    "the signature over the signed attributes verifies");
    } else if (algs_ok && signed_content_digest) {
      checks.Record("cms.signature", CheckSignatureOverDigest(si, *signer, *signed_content_digest),
                    CmsResult::kSigCryptoFailure, "the signature over the content digest verifies");
    } else {
      checks.NotRun("cms.signature", "not run: algorithms or signed attributes unusable");
    }
  } else {
    checks.NotRun("cms.signing_certificate_v2", "not run: no signer certificate");
    checks.NotRun("cms.signature", "not run: no signer certificate");
  }
  CheckTimestamp(si, report, checks);
  return report;
}

}  // namespace rubrica::signing
