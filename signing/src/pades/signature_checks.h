// The per-signature stages of verification: the signature value (CMS or RFC 3161 token)
// against the digest of its covered bytes, then the signer's and the TSA's chains at the
// signing time, with revocation. Each stage writes into one SignatureEntry; the first
// failure decides its indication.
//
// Thread-safe for distinct entries.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "raw_signatures.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/cms_verifier.h"
#include "rubrica/signing/pdf_verifier.h"
#include "rubrica/signing/timestamp_token.h"
#include "rubrica/signing/verify_report.h"

namespace rubrica::signing {

/// Records a failure; the first one (the most fundamental) stays the indication.
void Fail(SignatureEntry& e, Indication indication, SubIndication sub, const std::string& error);

/// What the signature value stage learnt, for the trust stage.
struct SignatureValue {
  std::optional<keys::Certificate> signer;
  std::vector<keys::Certificate> embedded;
  std::optional<TimestampInfo> timestamp;  // signature-time-stamp, or the document timestamp
};

/// The CMS profile a /SubFilter names; nullopt for one this verifier does not know.
std::optional<CmsProfile> ProfileOf(std::string_view sub_filter);

/// Checks `raw` (its contents and covered digest) as a document timestamp (`doc_ts`) or a
/// CMS signature under `profile`; sets e.integrity, e.digest_algorithm, errors, warnings and
/// the time (in `zone`).
SignatureValue CheckSignatureValue(SignatureEntry& e, const RawSignature& raw, bool doc_ts, CmsProfile profile,
                                   const TimeZone& zone);

/// The signer's chain (and the TSA's), judged at:
///  - a document timestamp: `poe` (the time the next document timestamp proves), else
///    options.at, else now;
///  - a signature: with `poe`, its own signature-time-stamp's time (the time-stamp's TSA
///    chain at `poe`), or `poe` when it has none; without, options.at, else its
///    signature-time-stamp's time (the TSA chain at that time), else now.
/// Records the time and its source in e.validation_time(_source).
void CheckTrust(SignatureEntry& e, const SignatureValue& v, bool doc_ts, std::optional<Instant> poe,
                const VerifyOptions& options,
                const std::vector<keys::Certificate>& dss_certificates, const keys::CrlSet& dss_crls,
                const Clock& clock);

}  // namespace rubrica::signing
