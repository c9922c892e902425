// PAdES signing: the one place where a PDF revision (pdf/cos/signature_update.h) and a CMS
// signature (cms_signer.h) meet.
//
// In-process (server-held key, unlocked for this one signature):
//   auto signed_pdf = SignPdf(pdf, request, key, chain, &tsa);
// External (the key never leaves the signer's device):
//   auto ext = PrepareExternalPdfSignature(pdf, request, signer_certificate);
//   ... the device signs ext->cms.signed_attributes (or ext->cms.digest_to_sign) ...
//   auto signed_pdf = FinalizeExternalPdfSignature(*ext, signature_value, chain, &tsa);
// Preparing is deterministic: the same pdf, request and certificate give the same bytes
// to sign, so a server may keep only (pdf id, request, certificate) between the two steps
// and prepare again at finalize time; a finalize against a pdf that moved on is refused
// because the bytes to sign differ.
//
// Nothing is returned unless the CMS checked out: SignCms and AssembleSignedData verify the
// signature value (and timestamp) over the signed attributes that bind the digest of the new
// revision's byte ranges, so a caller never stores a half-made or broken revision.
// Thread-safe (pure functions of their inputs).
#pragma once

#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/cos/signature_update.h"
#include "rubrica/signing/cms_signer.h"
#include "rubrica/signing/timestamp_client.h"

namespace rubrica::signing {

/// Bytes to reserve for the CMS of a signature with this chain and a timestamp.
size_t EstimateCmsSize(const std::vector<keys::Certificate>& chain);

/// Signs `request.field` of `pdf` with `key`; `chain` starts with the key's certificate.
/// `tsa` may be null (no signature-time-stamp; not PAdES B-T then).
Result<std::string> SignPdf(std::string_view pdf, pdf::cos::SignatureRequest request,
                            const keys::SigningKey& key, const std::vector<keys::Certificate>& chain,
                            TimestampClient* tsa);
/// The same, on a file the caller has already parsed (and may have read from), so that it is
/// parsed once.
Result<std::string> SignPdf(const pdf::cos::PdfFile& pdf, pdf::cos::SignatureRequest request,
                            const keys::SigningKey& key, const std::vector<keys::Certificate>& chain,
                            TimestampClient* tsa);

struct ExternalPdfSignature {
  pdf::cos::PreparedSignature pdf;  // the new revision with its placeholder (in memory)
  PreparedSignature cms;            // what the device must sign
};

Result<ExternalPdfSignature> PrepareExternalPdfSignature(std::string_view pdf,
                                                         pdf::cos::SignatureRequest request,
                                                         const keys::Certificate& signer,
                                                         const std::vector<keys::Certificate>& chain);
/// The same, on a file the caller has already parsed.
Result<ExternalPdfSignature> PrepareExternalPdfSignature(const pdf::cos::PdfFile& pdf,
                                                         pdf::cos::SignatureRequest request,
                                                         const keys::Certificate& signer,
                                                         const std::vector<keys::Certificate>& chain);

/// Completes an external signature. Errors: signing.bad_external_signature when the value
/// does not verify over the prepared attributes (nothing is produced), the TSA's errors.
Result<std::string> FinalizeExternalPdfSignature(const ExternalPdfSignature& prepared,
                                                 std::string_view signature_value,
                                                 const std::vector<keys::Certificate>& chain,
                                                 TimestampClient* tsa);

/// The archive seal (PAdES-B-LTA): one revision adding a /DSS with `certificates` and `crls`
/// (DER; the validation material a verifier needs years later) and a new invisible field
/// `field` holding a document timestamp (RFC 3161, SubFilter ETSI.RFC3161) over the whole
/// file, the DSS included. Errors: the TSA's (signing.tsa_*), pdf.field_already_signed when
/// `field` exists.
Result<std::string> SealPdf(std::string_view pdf, std::string field,
                            const std::vector<std::string>& certificates,
                            const std::vector<std::string>& crls, TimestampClient& tsa);

}  // namespace rubrica::signing
