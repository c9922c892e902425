// A small DER encoder: each function returns the complete encoding (tag, length, content)
// of one value, so structures are built by concatenation. Enough of X.690 for CMS and
// RFC 3161: universal types with single-byte tags and context-specific tags [0]..[30].
//
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"

namespace rubrica::signing::der {

// Identifier octets used in CMS and RFC 3161.
inline constexpr uint8_t kBoolean = 0x01;
inline constexpr uint8_t kInteger = 0x02;
inline constexpr uint8_t kBitString = 0x03;
inline constexpr uint8_t kOctetString = 0x04;
inline constexpr uint8_t kNull = 0x05;
inline constexpr uint8_t kOid = 0x06;
inline constexpr uint8_t kUtf8String = 0x0c;
inline constexpr uint8_t kGeneralizedTime = 0x18;
inline constexpr uint8_t kSequence = 0x30;
inline constexpr uint8_t kSet = 0x31;
/// Context-specific, constructed: [n] EXPLICIT, or [n] IMPLICIT of a constructed type.
constexpr uint8_t ContextConstructed(int n) { return static_cast<uint8_t>(0xa0 | n); }
/// Context-specific, primitive: [n] IMPLICIT of a primitive type.
constexpr uint8_t ContextPrimitive(int n) { return static_cast<uint8_t>(0x80 | n); }

/// One element with the given tag around `content`.
std::string Tlv(uint8_t tag, std::string_view content);

/// A SEQUENCE of already-encoded elements, in the given order.
std::string Sequence(const std::vector<std::string>& elements);
/// A SET OF already-encoded elements, sorted by their encodings as X.690 11.6 requires.
std::string SetOf(std::vector<std::string> elements);

/// INTEGER from unsigned big-endian magnitude bytes (leading zeros dropped, a 0x00 added
/// when the top bit is set). An empty magnitude encodes 0.
std::string UnsignedInteger(std::string_view magnitude);
/// INTEGER from a small non-negative number.
std::string SmallInteger(uint64_t value);
std::string Boolean(bool value);
std::string OctetString(std::string_view bytes);
std::string Null();
std::string Utf8String(std::string_view text);
/// BIT STRING with the single named bit `bit` set (trailing zero bits dropped, as DER
/// requires for named-bit lists such as PKIFailureInfo).
std::string NamedBit(int bit);
/// GeneralizedTime "YYYYMMDDHHMMSS[.f]Z", UTC, with the fraction to the microsecond and
/// trailing zeros dropped (RFC 3161 2.4.2 / X.690 11.7).
std::string GeneralizedTime(Instant t);

/// OBJECT IDENTIFIER from dotted text ("1.2.840.113549.1.7.1"). Arcs of any size.
/// Fails with signing.bad_oid (kInvalidArgument) on text that is not an OID.
Result<std::string> Oid(std::string_view dotted);
/// Same, for OIDs known to be valid (the constants in oids.h); never fails.
std::string KnownOid(std::string_view dotted);

/// AlgorithmIdentifier SEQUENCE { oid } (no parameters).
std::string AlgorithmId(std::string_view dotted);
/// AlgorithmIdentifier SEQUENCE { oid, NULL }.
std::string AlgorithmIdWithNull(std::string_view dotted);

}  // namespace rubrica::signing::der
