// Co-signatures of a signed XML document (docs/signing.md, "Signed XML: co-signatures"): a
// person whose key stays on their device signs the document *before* the installation's
// seal; the seal then envelops the co-signature (its enveloped transform removes only the
// seal's own signature), so it attests it, and adding the seal never breaks the
// co-signature, whose reference leaves every ds:Signature out:
//
//   <root ...>
//     ...the document...
//     <ds:Signature Id="rubrica-cosig-<hex>">           the co-signature, a child of the root
//       <ds:SignedInfo>
//         <ds:CanonicalizationMethod Algorithm="...xml-exc-c14n#"/>
//         <ds:SignatureMethod Algorithm="...xmldsig-more#ecdsa-sha256 | #rsa-sha256"/>
//         <ds:Reference URI="">
//           <ds:Transforms>
//             <ds:Transform Algorithm="http://www.w3.org/2002/06/xmldsig-filter2">
//               <dsig-xpath:XPath Filter="subtract">//ds:Signature</dsig-xpath:XPath>
//             <ds:Transform Algorithm="...xml-exc-c14n#"/>
//           <ds:DigestMethod Algorithm="...xmlenc#sha256"/><ds:DigestValue>...
//       <ds:SignatureValue>...</ds:SignatureValue>        raw r||s for ECDSA (XMLDSig 1.1)
//       <ds:KeyInfo><ds:X509Data> signer certificate, then its chain
//     <ds:Signature Id="rubrica-sig-<hex>">...the seal (xml_signature.h), last</ds:Signature>
//
// The co-signature carries no timestamp of its own: the seal's timestamp, over a signature
// value whose reference covers the co-signature, proves it existed by then, and the
// co-signer's certificate is validated at that time. Both verify with `xmlsec1 --verify`
// (select each with --node-xpath), XPath Filter 2.0 being a transform xmlsec implements.
//
// Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/xml_document.h"
#include "rubrica/signing/xml_signature.h"

namespace rubrica::signing {

/// What a device needs to co-sign, and what the server keeps until it answers.
struct XmlCoSignaturePrepared {
  std::string document;      // the document with the co-signature appended, its value empty
  std::string signature_id;  // "rubrica-cosig-<hex>"
  std::string signed_info;   // exclusive C14N of SignedInfo: the bytes the device signs
  std::string digest;        // SHA-256 of signed_info (32 bytes), for devices that sign digests
  std::string algorithm;     // "ecdsa-sha256" or "rsa-sha256" (from the certificate's key)
};

/// Appends the co-signature of `cert`'s holder to `xml` (a whole document holding no
/// signature yet) with its digest computed, its SignatureValue left empty. Errors: those of
/// ParseXml; xml.already_signed (kInvalidArgument) when the document holds a ds:Signature;
/// signing.unsupported_key for a certificate whose key is neither EC P-256 nor RSA;
/// xml.sign_failed (kInternal).
Result<XmlCoSignaturePrepared> PrepareXmlCoSignature(std::string_view xml,
                                                     const keys::Certificate& cert,
                                                     const std::vector<keys::Certificate>& chain,
                                                     const XmlLimits& limits = {});

/// Places `signature` (what the device made over `signed_info`: for ECDSA a DER
/// Ecdsa-Sig-Value or raw r||s, for RSA the PKCS#1 v1.5 value) into the prepared document
/// and checks it with xmlsec against the certificate in its KeyInfo. Returns the
/// co-signed document. signing.bad_external_signature (kRejected) when it does not verify
/// (another key, other bytes); xml.signature_missing (kRejected) when `signature_id` is not
/// an unsigned co-signature of the document.
Result<std::string> CompleteXmlCoSignature(std::string_view prepared_document,
                                           std::string_view signature_id,
                                           std::string_view signature,
                                           const XmlLimits& limits = {});

struct XmlCoSignatureInfo {
  keys::Certificate signer;
  std::string signature_id;
  std::string signer_subject;      // RFC 2253
  std::string signer_fingerprint;  // SHA-256 of the certificate DER, lower-case hex
  std::string signature_algorithm;
  std::vector<keys::Certificate> chain;  // as validated, leaf first
};

/// Verifies every co-signature of `xml` (each ds:Signature child of the root whose Id starts
/// with "rubrica-cosig-"): the profile above node by node (any other
/// shape, e.g. another XPath filter, is xml.bad_transform), then xmlsec, then the signer's
/// chain against `trust` at `options.time` (pass the seal's proven signing time). Returns
/// them in document order (empty when there is none). Codes as VerifyXmlSignature's.
Result<std::vector<XmlCoSignatureInfo>> VerifyXmlCoSignatures(std::string_view xml,
                                                              const keys::TrustStore& trust,
                                                              const XmlVerifyOptions& options);

}  // namespace rubrica::signing
