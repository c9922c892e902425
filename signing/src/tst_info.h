// TSTInfo (RFC 3161 2.4.2), the content a TimeStampToken signs: encoding for the embedded
// TSA, parsing (strict DER, bounded) for the verifier.
//
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "der_reader.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"

namespace rubrica::signing {

/// MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING },
/// shared by TimeStampReq and TSTInfo.
struct MessageImprint {
  std::string algorithm;  // dotted hash OID
  std::string hashed;
};
std::string EncodeMessageImprint(std::string_view algorithm_oid, std::string_view hashed);
/// Reads a MessageImprint. Errors: signing.bad_der.
Result<MessageImprint> ReadMessageImprint(der::Reader& r);

/// Largest serial number or nonce accepted from the wire (RFC 3161 allows 160 bits and more;
/// 64 bytes is far beyond any real one).
inline constexpr size_t kMaxSerialOrNonceBytes = 64;

struct TstInfo {
  std::string policy_oid;        // dotted
  MessageImprint imprint;
  std::string serial;            // unsigned big-endian bytes
  Instant gen_time;
  int64_t accuracy_micros = -1;  // -1: absent
  std::string nonce;             // INTEGER content bytes as received; "" when absent
  std::string tsa_name;          // encoding of the Name for tsa [0] directoryName; "" when absent
};

/// The DER TSTInfo: version 1, ordering false (left out), no extensions.
/// Fails with signing.bad_oid when `info.policy_oid` is not an OID.
Result<std::string> EncodeTstInfo(const TstInfo& info);

/// Parses a TSTInfo. Errors: signing.bad_der with the byte offset.
Result<TstInfo> ParseTstInfo(std::string_view der);

}  // namespace rubrica::signing
