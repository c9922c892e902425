// Checks on one parsed SignerInfo, shared by the CMS verifier and the timestamp-token
// verifier. Each returns OK or an error with its own stable code, which VerifyCms turns
// into a report line and VerifyTimestampToken returns as is.
//
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "signed_data_parser.h"

struct evp_md_st;

namespace rubrica::signing {

/// Parses every embedded certificate. signing.bad_der names the one that does not parse.
Result<std::vector<keys::Certificate>> ParseCertificates(const ParsedSignedData& sd);

/// Every digest and signature algorithm of `sd` and `si`: MD5 or SHA-1 anywhere give
/// signing.weak_algorithm (kRejected); anything but SHA-256/384/512 with RSA (PKCS#1 v1.5 or
/// PSS) or ECDSA gives signing.unsupported_algorithm (kInvalidArgument); a signer digest
/// algorithm missing from SignedData digestAlgorithms gives signing.inconsistent_algorithms
/// (kInvalidArgument).
Status CheckAlgorithms(const ParsedSignedData& sd, const ParsedSignerInfo& si);
/// Like CheckAlgorithms, but SHA-1 passes (it can still be verified; whether it is strong
/// enough is the caller's constraint). MD5 and DSA-SHA-1 stay signing.weak_algorithm.
Status CheckAlgorithmsSupported(const ParsedSignedData& sd, const ParsedSignerInfo& si);
/// True when SHA-1 appears among the algorithms of `sd` or `si`.
bool UsesSha1(const ParsedSignedData& sd, const ParsedSignerInfo& si);
/// The OpenSSL digest of a digest OID (SHA-1/256/384/512); nullptr for others.
const evp_md_st* DigestMd(std::string_view digest_oid);

/// Content-type, message-digest (and, when present, the signing-certificate attributes)
/// appear once with one value each, and content-type equals `content_type_oid`.
/// signing.bad_signed_attributes (kInvalidArgument).
Status CheckSignedAttributeShape(const ParsedSignerInfo& si, std::string_view content_type_oid);

/// The value of the message-digest attribute (after CheckSignedAttributeShape).
Result<std::string_view> MessageDigestValue(const ParsedSignerInfo& si);

/// The certificate that the SignerInfo's sid names. signing.signer_certificate_missing
/// (kRejected) when none of `certs` matches.
Result<keys::Certificate> FindSignerCertificate(const ParsedSignerInfo& si,
                                                const std::vector<keys::Certificate>& certs);

/// The signing-certificate-v2 attribute (or, when `allow_v1`, signing-certificate with
/// SHA-1, which RFC 3161 TSAs still emit) names `signer` in its first ESSCertID:
/// signing.signing_certificate_missing (kInvalidArgument) when absent or malformed,
/// signing.signing_certificate_mismatch (kRejected) when it names another certificate.
Status CheckSigningCertificate(const ParsedSignerInfo& si, const keys::Certificate& signer,
                               bool allow_v1);

/// The signature over the signed attributes verifies with `signer`'s public key, and the
/// signature algorithm fits the key type (RSA PKCS#1 v1.5 or PSS, ECDSA on any curve).
/// signing.signature_invalid (kRejected).
Status CheckSignature(const ParsedSignerInfo& si, const keys::Certificate& signer);
/// The same for a SignerInfo without signed attributes, whose signature is over `digest`
/// (the digest of the content with the SignerInfo's digest algorithm).
Status CheckSignatureOverDigest(const ParsedSignerInfo& si, const keys::Certificate& signer,
                                std::string_view digest);

/// The TSA certificate has extendedKeyUsage timeStamping marked critical (RFC 3161 2.3).
/// signing.tsa_certificate_not_timestamping (kRejected).
Status CheckTsaCertificate(const keys::Certificate& tsa);

}  // namespace rubrica::signing
