#include "rubrica/signing/cms_signer.h"

#include "oids.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/signing/timestamp_token.h"
#include "signed_data.h"

namespace rubrica::signing {

Result<PreparedSignature> PrepareSignedAttributes(std::string_view content_digest_sha256,
                                                  const keys::Certificate& signer) {
  if (content_digest_sha256.size() != 32) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_digest",
                         "the content digest must be 32 bytes (SHA-256), got " +
                             std::to_string(content_digest_sha256.size()));
  }
  RETURN_IF_ERROR(SignatureAlgorithmFor(signer).status());
  std::string attrs = EncodeSignedAttributes(oid::kData, content_digest_sha256, signer);
  std::string digest = Sha256(attrs);
  return PreparedSignature{std::move(attrs), std::move(digest), signer};
}

namespace {

// Checks the token and encodes; the signature value was checked by the caller.
Result<std::string> Assemble(const PreparedSignature& prepared, std::string_view signature_value,
                             const std::vector<keys::Certificate>& certificates,
                             const std::optional<std::string>& timestamp_token) {
  if (certificates.empty() || !(certificates.front() == prepared.signer)) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_certificates",
                         "the certificate list must start with the signer's certificate (" +
                             prepared.signer.SubjectString() + ")");
  }
  std::vector<std::string> unsigned_attributes;
  if (timestamp_token) {
    Result<TimestampInfo> ts = VerifyTimestampToken(*timestamp_token, Sha256(signature_value));
    if (!ts.ok()) {
      return Status::Error(ErrorKind::kRejected, "signing.bad_timestamp",
                           "the timestamp token cannot be embedded: " + ts.status().ToString(),
                           "El sello de tiempo recibido no es válido para esta firma.");
    }
    unsigned_attributes.push_back(EncodeAttribute(oid::kSignatureTimeStamp, {*timestamp_token}));
  }
  ASSIGN_OR_RETURN(std::string signature_algorithm, SignatureAlgorithmFor(prepared.signer));
  const std::string signer_info = EncodeSignerInfo({
      .signer = &prepared.signer,
      .signed_attributes = prepared.signed_attributes,
      .signature_algorithm = signature_algorithm,
      .signature = std::string(signature_value),
      .unsigned_attributes = unsigned_attributes,
  });
  return EncodeSignedData({
      .content_type_oid = oid::kData,
      .content = std::nullopt,
      .certificates = certificates,
      .signer_infos = {signer_info},
  });
}

}  // namespace

Result<std::string> AssembleSignedData(const PreparedSignature& prepared,
                                       std::string_view signature_value,
                                       const std::vector<keys::Certificate>& certificates,
                                       const std::optional<std::string>& timestamp_token) {
  if (!keys::VerifySignature(prepared.signer, prepared.signed_attributes, signature_value)) {
    return Status::Error(ErrorKind::kRejected, "signing.bad_external_signature",
                         "the signature value (" + std::to_string(signature_value.size()) +
                             " bytes) does not verify over the prepared signed attributes with the key of " +
                             prepared.signer.SubjectString(),
                         "La firma recibida no corresponde al documento preparado o al certificado.");
  }
  return Assemble(prepared, signature_value, certificates, timestamp_token);
}

Result<std::string> SignCms(std::string_view content_digest_sha256, const keys::SigningKey& key,
                            const std::vector<keys::Certificate>& certificates,
                            TimestampClient* tsa) {
  if (certificates.empty()) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_certificates",
                         "no signer certificate given");
  }
  ASSIGN_OR_RETURN(PreparedSignature prepared,
                   PrepareSignedAttributes(content_digest_sha256, certificates.front()));
  ASSIGN_OR_RETURN(std::string signature, key.Sign(prepared.signed_attributes));
  // Verifying the fresh signature with the certificate both proves the key is the
  // certificate's and catches a faulty signing operation; it costs less than comparing
  // the encoded public keys (SigningKey::Matches goes through OpenSSL's encoders).
  if (!keys::VerifySignature(prepared.signer, prepared.signed_attributes, signature)) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.key_certificate_mismatch",
                         "the signing key is not the key of " + prepared.signer.SubjectString(),
                         "La llave de firma no corresponde al certificado.");
  }
  std::optional<std::string> token;
  if (tsa != nullptr) {
    ASSIGN_OR_RETURN(token, tsa->Timestamp(Sha256(signature)));
  }
  return Assemble(prepared, signature, certificates, token);
}

}  // namespace rubrica::signing
