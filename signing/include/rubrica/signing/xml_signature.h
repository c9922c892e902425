// Enveloped XML signatures (XMLDSig, W3C xmldsig-core1) over a whole document, with the
// signing time proven by an RFC 3161 timestamp carried as a XAdES SignatureTimeStamp.
// Made and checked with xmlsec1 (OpenSSL); the profile is in docs/signing.md, "Signed XML":
//
//   <root ...>
//     ...the document...
//     <ds:Signature Id="rubrica-sig-<hex>">
//       <ds:SignedInfo>
//         <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
//         <ds:SignatureMethod Algorithm="...xmldsig-more#ecdsa-sha256 | #rsa-sha256"/>
//         <ds:Reference URI="">                       exactly one: the whole document
//           <ds:Transforms> enveloped-signature, then xml-exc-c14n# </ds:Transforms>
//           <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
//           <ds:DigestValue>...</ds:DigestValue>
//       <ds:SignatureValue>...</ds:SignatureValue>
//       <ds:KeyInfo><ds:X509Data> signer certificate, then the chain </ds:X509Data>
//       <ds:Object>                                   only when a TSA was given
//         <xades:QualifyingProperties Target="#rubrica-sig-<hex>">
//           <xades:UnsignedProperties><xades:UnsignedSignatureProperties>
//             <xades:SignatureTimeStamp>
//               <ds:CanonicalizationMethod Algorithm="...xml-exc-c14n#"/>
//               <xades:EncapsulatedTimeStamp> base64 DER TimeStampToken
//
// The timestamp's imprint is SHA-256 of the exclusive canonical form of the
// ds:SignatureValue element (XAdES, ETSI EN 319 132-1 5.3). It sits outside SignedInfo, so
// any XMLDSig verifier (`xmlsec1 --verify`) checks the signature without knowing XAdES.
//
// Thread-safe: xmlsec and libxml2 are initialised once per process (std::call_once), with
// xmlsec's OpenSSL backend initialised without touching OpenSSL's global configuration.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/signing/timestamp_token.h"
#include "rubrica/signing/xml_document.h"

namespace rubrica::signing {

/// Signs `xml` (a whole document, as ParseXml accepts it) with `key`, whose certificate is
/// `cert`; `chain` (intermediates, optionally the root) is embedded after it. When `tsa` is
/// not null the signature is timestamped as described above. Returns the signed document
/// (UTF-8, the signature as the last child of the root element).
///
/// Errors: those of ParseXml for `xml`; xml.already_signed (kInvalidArgument) when the
/// document already holds a ds:Signature; signing.key_certificate_mismatch
/// (kInvalidArgument) when `key` is not the key of `cert`; signing.unsupported_key
/// (kInvalidArgument) for a key that is neither EC P-256 nor RSA; the TimestampClient's
/// errors (signing.tsa_*) unchanged; xml.sign_failed (kInternal) when xmlsec fails.
Result<std::string> SignXmlEnveloped(std::string_view xml, const keys::SigningKey& key,
                                     const keys::Certificate& cert,
                                     const std::vector<keys::Certificate>& chain,
                                     TimestampClient* tsa, const XmlLimits& limits = {});

struct XmlVerifyOptions {
  /// The verification time (required): the timestamp's TSA certificate must be valid at
  /// it, and the signing time must not be after it.
  Instant time;
  /// Refuse a signature without a timestamp (xml.timestamp_missing). Default true. When
  /// false and none is present, the signer's certificate is checked at `time`.
  bool require_timestamp = true;
  /// Passed to the trust store for both chains (revocation, network, CRLs). The verifier
  /// sets `time` (the signing time for the signer, `time` above for the TSA); `purpose`
  /// applies to the signer (default kDocumentSigning: the installation's seal and member
  /// certificates qualify), the TSA is always checked for kTimestamping.
  keys::ValidationOptions validation;
  XmlLimits limits;
  /// Tolerate co-signatures (xml_cosignature.h: ds:Signature children of the root, Id
  /// "rubrica-cosig-…") beside the one enveloped signature, which
  /// then covers them; they are not checked here (VerifyXmlCoSignatures does). Default false:
  /// any other signature is xml.signature_extra.
  bool allow_cosignatures = false;
};

struct XmlSignatureInfo {
  keys::Certificate signer;
  std::string signer_subject;       // RFC 2253
  std::string signer_fingerprint;   // SHA-256 of the certificate DER, lower-case hex
  std::string signature_algorithm;  // "ecdsa-sha256" or "rsa-sha256"
  /// The signing time proven by the timestamp (genTime); absent without one.
  std::optional<Instant> signing_time;
  std::optional<TimestampInfo> timestamp;
  /// The reference digest matched (always true in a returned info: a mismatch is an error).
  bool digest_ok = false;
  /// The signer's chain as validated, leaf first, anchor last.
  std::vector<keys::Certificate> chain;
};

/// Verifies the one enveloped signature of `xml` against `trust`. Checks, in order, each
/// failure with its own code:
///   xml.too_large / xml.dtd_refused / xml.malformed   as ParseXml;
///   xml.signature_missing (kRejected)     no ds:Signature;
///   xml.signature_extra (kRejected)       more than one ds:Signature anywhere (co-signatures
///                                         aside when options.allow_cosignatures);
///   xml.signature_misplaced (kRejected)   the signature is not the last child element of
///                                         the root (moved or wrapped document);
///   xml.bad_reference (kRejected)         not exactly one Reference, or its URI is not ""
///                                         (present and empty: the whole document);
///   xml.bad_transform (kRejected)         Reference transforms other than exactly
///                                         enveloped-signature + exclusive C14N;
///   xml.unsupported_algorithm (kRejected) canonicalization, digest or signature algorithm
///                                         outside the profile;
///   xml.bad_key_info (kRejected)          no X509Data, an unparsable certificate, or no
///                                         single leaf certificate among those embedded;
///   xml.bad_object (kRejected)            a ds:Object other than one QualifyingProperties
///                                         targeting this signature;
///   xml.digest_mismatch (kRejected)       the document changed after signing;
///   xml.signature_invalid (kRejected)     the SignatureValue does not verify;
///   xml.timestamp_missing (kRejected)     no timestamp while one is required;
///   xml.bad_timestamp (kRejected)         the token does not verify over the SignatureValue
///                                         (cause in the message), or its TSA certificate
///                                         does not validate in `trust` at options.time;
///   xml.signed_after_time (kRejected)     the proven signing time is after options.time;
///   xml.untrusted_signer (kRejected)      the signer's chain does not validate in `trust`
///                                         at the signing time (the keys.* cause in the
///                                         message: untrusted issuer, expired, revoked...).
Result<XmlSignatureInfo> VerifyXmlSignature(std::string_view xml, const keys::TrustStore& trust,
                                            const XmlVerifyOptions& options);

}  // namespace rubrica::signing
