// The delivery module's XML profile over signing/'s signed XML (docs/signing.md, "Signed
// XML"): schema validation, enveloped XMLDSig with a XAdES signature timestamp, and its
// verification, each refusal given the caller's stable code. Private to delivery/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/signing/timestamp_client.h"

namespace rubrica::delivery::xml {

/// `xml` is well-formed and valid against `xsd`; else `code` (kRejected) with libxml2's
/// first error.
Status ValidateSchema(std::string_view xml, std::string_view xsd, const char* code);

/// Appends the enveloped signature (signing::SignXmlEnveloped), timestamped by `tsa`.
Result<std::string> SignEnveloped(std::string_view xml, const keys::SigningKey& key,
                                  const keys::Certificate& cert,
                                  const std::vector<keys::Certificate>& chain,
                                  signing::TimestampClient* tsa);

/// signing::VerifyXmlSignature against the anchors of `trust_pem`, at `clock`'s now plus
/// 15 minutes of clock skew, a timestamp required. Returns the signer's certificate;
/// `code` (kRejected) naming the xml.* cause otherwise. `cosigned`: co-signatures are
/// tolerated beside the seal (checked by VerifyCoSignatures); `signing_time`, when given,
/// receives the time the seal's timestamp proves.
Result<keys::Certificate> VerifyEnveloped(std::string_view xml, std::string_view trust_pem,
                                          const Clock& clock, const char* code,
                                          bool cosigned = false, Instant* signing_time = nullptr);

struct CoSigner {
  keys::Certificate certificate;
  std::string name;  // the certificate's CN
};
/// signing::VerifyXmlCoSignatures against `trust_pem` at `time` (the seal's signing time).
/// `code` (kRejected) naming the xml.* cause when one fails.
Result<std::vector<CoSigner>> VerifyCoSignatures(std::string_view xml, std::string_view trust_pem,
                                                 const Clock& clock, Instant time, const char* code);

/// The certificates (DER) of the seal's KeyInfo (the ds:Signature that is the root's last
/// child element), read with libxml2; empty when there is none or it does not parse. Only
/// for choosing what to trust: the signature is verified on its own.
std::vector<std::string> SealKeyInfoCertificates(std::string_view xml);

}  // namespace rubrica::delivery::xml
