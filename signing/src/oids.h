// Object identifiers of the CMS and RFC 3161 profile, as dotted text. The parsers turn
// every OID they read into this form, so comparisons are plain string comparisons.
#pragma once

namespace rubrica::signing::oid {

// Content types (RFC 5652, RFC 3161).
inline constexpr const char* kData = "1.2.840.113549.1.7.1";
inline constexpr const char* kSignedData = "1.2.840.113549.1.7.2";
inline constexpr const char* kTstInfo = "1.2.840.113549.1.9.16.1.4";

// Attributes (RFC 5652 11, RFC 5035, RFC 3161 appendix A).
inline constexpr const char* kContentType = "1.2.840.113549.1.9.3";
inline constexpr const char* kMessageDigest = "1.2.840.113549.1.9.4";
inline constexpr const char* kSigningTime = "1.2.840.113549.1.9.5";
inline constexpr const char* kSigningCertificate = "1.2.840.113549.1.9.16.2.12";
inline constexpr const char* kSigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
inline constexpr const char* kSignatureTimeStamp = "1.2.840.113549.1.9.16.2.14";

// Digest algorithms.
inline constexpr const char* kMd5 = "1.2.840.113549.2.5";
inline constexpr const char* kSha1 = "1.3.14.3.2.26";
inline constexpr const char* kSha256 = "2.16.840.1.101.3.4.2.1";
inline constexpr const char* kSha384 = "2.16.840.1.101.3.4.2.2";
inline constexpr const char* kSha512 = "2.16.840.1.101.3.4.2.3";

// Signature algorithms.
inline constexpr const char* kRsaEncryption = "1.2.840.113549.1.1.1";
inline constexpr const char* kMd5WithRsa = "1.2.840.113549.1.1.4";
inline constexpr const char* kSha1WithRsa = "1.2.840.113549.1.1.5";
inline constexpr const char* kSha256WithRsa = "1.2.840.113549.1.1.11";
inline constexpr const char* kEcdsaWithSha1 = "1.2.840.10045.4.1";
inline constexpr const char* kEcdsaWithSha256 = "1.2.840.10045.4.3.2";
inline constexpr const char* kEcdsaWithSha384 = "1.2.840.10045.4.3.3";
inline constexpr const char* kEcdsaWithSha512 = "1.2.840.10045.4.3.4";
inline constexpr const char* kSha384WithRsa = "1.2.840.113549.1.1.12";
inline constexpr const char* kSha512WithRsa = "1.2.840.113549.1.1.13";
inline constexpr const char* kRsaPss = "1.2.840.113549.1.1.10";
inline constexpr const char* kMgf1 = "1.2.840.113549.1.1.8";
inline constexpr const char* kDsaWithSha1 = "1.2.840.10040.4.3";

}  // namespace rubrica::signing::oid
