#include "rubrica/signing/pades_signer.h"

#include "rubrica/base/crypto_util.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/signing/cms_verifier.h"
#include "rubrica/signing/timestamp_token.h"

namespace rubrica::signing {

namespace {

Result<pdf::cos::PreparedSignature> PreparePdf(const pdf::cos::PdfFile& file,
                                               pdf::cos::SignatureRequest& request,
                                               const std::vector<keys::Certificate>& chain) {
  request.contents_bytes = std::max(request.contents_bytes, EstimateCmsSize(chain));
  return pdf::cos::PrepareSignature(file, request);
}

}  // namespace

size_t EstimateCmsSize(const std::vector<keys::Certificate>& chain) {
  size_t certs = 0;
  for (const auto& c : chain) certs += c.der().size();
  // The chain, the signed attributes and signature (~1 KiB), and a timestamp token with
  // the TSA's own chain (a few KiB); rounded up generously, never below 16 KiB.
  size_t estimate = certs + 12288;
  estimate = (estimate + 1023) / 1024 * 1024;
  return std::max<size_t>(estimate, 16384);
}

Result<std::string> SignPdf(std::string_view pdf, pdf::cos::SignatureRequest request,
                            const keys::SigningKey& key, const std::vector<keys::Certificate>& chain,
                            TimestampClient* tsa) {
  ASSIGN_OR_RETURN(pdf::cos::PdfFile file, pdf::cos::PdfFile::OpenView(pdf));
  return SignPdf(file, std::move(request), key, chain, tsa);
}

Result<std::string> SignPdf(const pdf::cos::PdfFile& file, pdf::cos::SignatureRequest request,
                            const keys::SigningKey& key, const std::vector<keys::Certificate>& chain,
                            TimestampClient* tsa) {
  ASSIGN_OR_RETURN(pdf::cos::PreparedSignature prepared, PreparePdf(file, request, chain));
  const std::string digest = pdf::cos::SignedDigest(prepared);
  // SignCms verifies its signature value over the attributes that bind `digest`; embedding
  // only fills the hole, so the covered bytes are those hashed above (tested in pades_tests).
  ASSIGN_OR_RETURN(std::string cms, SignCms(digest, key, chain, tsa));
  RETURN_IF_ERROR(pdf::cos::EmbedSignature(prepared, cms));
  return std::move(prepared.bytes);
}

Result<ExternalPdfSignature> PrepareExternalPdfSignature(std::string_view pdf,
                                                         pdf::cos::SignatureRequest request,
                                                         const keys::Certificate& signer,
                                                         const std::vector<keys::Certificate>& chain) {
  ASSIGN_OR_RETURN(pdf::cos::PdfFile file, pdf::cos::PdfFile::OpenView(pdf));
  return PrepareExternalPdfSignature(file, std::move(request), signer, chain);
}

Result<ExternalPdfSignature> PrepareExternalPdfSignature(const pdf::cos::PdfFile& file,
                                                         pdf::cos::SignatureRequest request,
                                                         const keys::Certificate& signer,
                                                         const std::vector<keys::Certificate>& chain) {
  ASSIGN_OR_RETURN(pdf::cos::PreparedSignature prepared, PreparePdf(file, request, chain));
  ASSIGN_OR_RETURN(PreparedSignature cms, PrepareSignedAttributes(pdf::cos::SignedDigest(prepared), signer));
  return ExternalPdfSignature{std::move(prepared), std::move(cms)};
}

Result<std::string> FinalizeExternalPdfSignature(const ExternalPdfSignature& prepared,
                                                 std::string_view signature_value,
                                                 const std::vector<keys::Certificate>& chain,
                                                 TimestampClient* tsa) {
  // Refuse a value over other bytes before spending a timestamp on it.
  if (!keys::VerifySignature(prepared.cms.signer, prepared.cms.signed_attributes, signature_value)) {
    return Status::Error(ErrorKind::kRejected, "signing.bad_external_signature",
                         "the signature value does not verify over the prepared attributes with "
                         "the certificate of " + prepared.cms.signer.SubjectCommonName(),
                         "La firma enviada por el dispositivo no corresponde al documento.");
  }
  std::optional<std::string> token;
  if (tsa != nullptr) {
    ASSIGN_OR_RETURN(std::string t, tsa->Timestamp(Sha256(signature_value)));
    token = std::move(t);
  }
  ASSIGN_OR_RETURN(std::string cms, AssembleSignedData(prepared.cms, signature_value, chain, token));
  // AssembleSignedData verified the value and the timestamp against the prepared attributes.
  pdf::cos::PreparedSignature p = prepared.pdf;
  RETURN_IF_ERROR(pdf::cos::EmbedSignature(p, cms));
  return std::move(p.bytes);
}

Result<std::string> SealPdf(std::string_view pdf, std::string field,
                            const std::vector<std::string>& certificates,
                            const std::vector<std::string>& crls, TimestampClient& tsa) {
  ASSIGN_OR_RETURN(pdf::cos::PdfFile file, pdf::cos::PdfFile::OpenView(pdf));
  pdf::cos::SignatureRequest req;
  req.kind = pdf::cos::SignatureKind::kDocumentTimestamp;
  req.field = std::move(field);
  req.dss_certificates = certificates;
  req.dss_crls = crls;
  ASSIGN_OR_RETURN(pdf::cos::PreparedSignature prepared, pdf::cos::PrepareSignature(file, req));
  const std::string digest = pdf::cos::SignedDigest(prepared);
  ASSIGN_OR_RETURN(std::string token, tsa.Timestamp(digest));
  RETURN_IF_ERROR(pdf::cos::EmbedSignature(prepared, token));
  if (!VerifyTimestampToken(token, digest).ok()) {
    return Status::Error(ErrorKind::kInternal, "signing.self_check_failed",
                         "the sealed PDF does not check out");
  }
  return std::move(prepared.bytes);
}

}  // namespace rubrica::signing
