// Encoding of CMS SignedData (RFC 5652) as the CAdES signature of a PDF and as the
// RFC 3161 TimeStampToken use it: one signer, identified by issuer and serial number,
// SHA-256, signed attributes content-type + message-digest + signing-certificate-v2.
// The same code builds both, so a timestamp token and a PDF signature differ only in the
// content type and in whether the content is embedded.
//
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"

namespace rubrica::signing {

/// An Attribute SEQUENCE { type, SET OF values } (values already encoded).
std::string EncodeAttribute(std::string_view type_oid, std::vector<std::string> values);

/// The ESSCertIDv2 SigningCertificateV2 value for `cert` (SHA-256, hash algorithm left
/// out as DER requires for the default, issuerSerial present).
std::string EncodeSigningCertificateV2(const keys::Certificate& cert);

/// The signed attributes as the DER SET OF that gets signed (tag 0x31): content-type
/// `content_type_oid`, message-digest `message_digest`, signing-certificate-v2 of `signer`.
std::string EncodeSignedAttributes(std::string_view content_type_oid,
                                   std::string_view message_digest,
                                   const keys::Certificate& signer);

/// The signatureAlgorithm for a signer's key: ecdsa-with-SHA256 for EC,
/// sha256WithRSAEncryption for RSA. Fails with signing.unsupported_key (kInvalidArgument).
Result<std::string> SignatureAlgorithmFor(const keys::Certificate& signer);

/// IssuerAndSerialNumber of `cert`.
std::string EncodeIssuerAndSerial(const keys::Certificate& cert);

/// The serial number of `cert` as unsigned big-endian bytes.
std::string SerialBytes(const keys::Certificate& cert);

struct SignerInfoParts {
  const keys::Certificate* signer = nullptr;
  std::string signed_attributes;  // the SET (0x31) that was signed
  std::string signature_algorithm;  // AlgorithmIdentifier encoding
  std::string signature;
  std::vector<std::string> unsigned_attributes;  // encoded Attributes; none: field omitted
};

/// A SignerInfo, version 1, digestAlgorithm sha256; the signed attributes are re-tagged
/// [0] IMPLICIT as RFC 5652 5.3 requires.
std::string EncodeSignerInfo(const SignerInfoParts& parts);

struct SignedDataParts {
  std::string content_type_oid;
  std::optional<std::string> content;  // nullopt: detached
  std::vector<keys::Certificate> certificates;
  std::vector<std::string> signer_infos;  // encoded SignerInfos
};

/// ContentInfo { id-signedData, [0] SignedData }. Version 1 for id-data, 3 otherwise
/// (RFC 5652 5.1); digestAlgorithms {sha256}; certificates as a DER-sorted SET.
std::string EncodeSignedData(const SignedDataParts& parts);

}  // namespace rubrica::signing
