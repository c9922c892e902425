// The agency's answer to a package (schema docs/acuse-paquete.xsd, namespace
// urn:rubrica:acuse-paquete:1): a receipt ("recibido", who co-signed the manifest, each
// acta with its hash and the verifier's verdict) or a refusal ("rechazado", each reason with its stable code and
// Spanish text), signed with XMLDSig by the agency's seal. Also the signing entry points
// both ends use for their XML. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/delivery/package_check.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/signing/timestamp_client.h"

namespace rubrica::delivery {

inline constexpr const char* kReceiptNamespace = "urn:rubrica:acuse-paquete:1";

struct Receipt {
  bool accepted = false;
  bool on_time = false;
  std::string agency;
  std::string package_sha256;
  uint64_t package_bytes = 0;
  std::string secretariat;  // the name the agency registered
  std::string month;        // YYYY-MM ("" when the manifest could not be read)
  std::string received_at;  // RFC 3339 UTC
  /// The co-signatures of the manifest that verified (<cofirma rol nombre>): the role and
  /// the certificate's CN (certificate_der is not carried).
  std::vector<CheckedCosigner> cosigners;
  std::vector<CheckedActa> actas;
  std::vector<CheckProblem> reasons;  // empty when accepted
};

std::string ReceiptXml(const Receipt& r);
/// delivery.bad_receipt (kRejected) when it does not parse or is not valid against the schema.
Result<Receipt> ParseReceipt(std::string_view xml);

/// An enveloped XMLDSig over the whole document by `key` (certificate and chain in
/// KeyInfo), its signing time timestamped by `tsa` (XAdES SignatureTimeStamp; the profile
/// of signing/xml_signature.h).
Result<std::string> SignXmlDocument(std::string_view xml, const keys::SigningKey& key,
                                    const keys::Certificate& cert,
                                    const std::vector<keys::Certificate>& chain,
                                    signing::TimestampClient& tsa);
/// Checks such a signature (timestamp required) against the anchors in `trust_pem` at
/// `clock`'s now (plus 15 minutes of skew between sender and receiver); returns the
/// signer's certificate. `code` (kRejected) when it fails, naming the xml.* cause.
Result<keys::Certificate> VerifyXmlDocument(std::string_view xml, std::string_view trust_pem,
                                            const Clock& clock, const char* code);

}  // namespace rubrica::delivery
