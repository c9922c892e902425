// Parsing of CMS SignedData from untrusted bytes, into views over the caller's buffer.
// Checks the DER structure only; what the fields mean (algorithms, digests, signatures) is
// judged by the callers (VerifyCms, VerifyTimestampToken).
//
// Limits (bytes from anyone): the input at most kMaxSignedDataBytes, at most
// kMaxCertificates certificates, kMaxSignerInfos signer infos, kMaxAttributes attributes per
// set and kMaxAttributeValues values per attribute. Past a limit: signing.bad_der.
//
// Pure functions, thread-safe. Views point into `der`, which must outlive the result.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::signing {

inline constexpr size_t kMaxSignedDataBytes = 4u << 20;
inline constexpr size_t kMaxCertificates = 64;
inline constexpr size_t kMaxSignerInfos = 16;
inline constexpr size_t kMaxAttributes = 64;
inline constexpr size_t kMaxAttributeValues = 16;

struct ParsedAttribute {
  std::string oid;                      // dotted
  std::vector<std::string_view> values;  // whole encodings
};

struct ParsedSignerInfo {
  int64_t version = 0;
  // SignerIdentifier: issuerAndSerialNumber (issuer Name encoding, serial INTEGER content)
  // or subjectKeyIdentifier [0] (key id content).
  std::string_view sid_issuer;
  std::string_view sid_serial;
  std::string_view sid_key_id;
  std::string digest_algorithm;
  std::string_view signed_attrs_der;  // whole [0] IMPLICIT encoding; empty when absent
  std::vector<ParsedAttribute> signed_attrs;
  std::string signature_algorithm;
  std::string_view signature_params;  // whole encoding of the parameters; empty when absent
  std::string_view signature;
  std::vector<ParsedAttribute> unsigned_attrs;
  size_t offset = 0;  // of the SignerInfo in the input

  /// The signed attributes as they were signed: the SET OF (tag 0x31) encoding.
  std::string SignedAttributesAsSet() const;
  /// The first attribute of type `oid` (signed or unsigned list), or nullptr.
  static const ParsedAttribute* Find(const std::vector<ParsedAttribute>& attrs, std::string_view oid);
};

struct ParsedSignedData {
  int64_t version = 0;
  std::vector<std::string> digest_algorithms;
  std::string econtent_type;
  std::optional<std::string_view> econtent;  // the OCTET STRING content; nullopt: detached
  std::vector<std::string_view> certificates;  // whole encodings (other choices skipped)
  std::vector<size_t> certificate_offsets;     // of each, in the input
  std::vector<ParsedSignerInfo> signer_infos;
  size_t trailing_zeros = 0;  // zero bytes after the ContentInfo (PDF /Contents padding)
};

/// Parses a ContentInfo holding SignedData. Zero bytes after it are allowed (a PDF's
/// /Contents is zero-padded); any other trailing byte is an error. Errors are
/// signing.bad_der (kInvalidArgument) or signing.not_signed_data (kInvalidArgument) with
/// the byte offset.
Result<ParsedSignedData> ParseSignedData(std::string_view der);

}  // namespace rubrica::signing
