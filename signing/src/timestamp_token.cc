#include "rubrica/signing/timestamp_token.h"

#include <openssl/evp.h>

#include "oids.h"
#include "rubrica/signing/cms_verifier.h"
#include "rubrica/base/crypto_util.h"
#include "signed_data_parser.h"
#include "signer_checks.h"
#include "tst_info.h"

namespace rubrica::signing {
namespace {

Status BadToken(const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_timestamp_token",
                       "not a valid RFC 3161 timestamp token: " + why,
                       "El sello de tiempo no tiene un formato válido.");
}

}  // namespace

Result<TimestampInfo> VerifyTimestampToken(std::string_view token_der,
                                           std::string_view expected_imprint_sha256) {
  if (expected_imprint_sha256.size() != 32) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_digest",
                         "the expected imprint must be 32 bytes (SHA-256), got " +
                             std::to_string(expected_imprint_sha256.size()));
  }
  return VerifyTimestampTokenImprint(token_der, expected_imprint_sha256, oid::kSha256);
}

Result<TimestampInfo> VerifyTimestampTokenOver(std::string_view token_der, std::string_view data) {
  Result<std::string> alg = CoveredDigestAlgorithm(token_der);
  if (!alg.ok()) return BadToken(alg.status().message());
  const EVP_MD* md = DigestMd(*alg);
  if (md == nullptr || *alg == oid::kSha1) return VerifyTimestampTokenImprint(token_der, "", *alg);
  unsigned char h[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), h, &n, md, nullptr);
  return VerifyTimestampTokenImprint(token_der, std::string_view(reinterpret_cast<char*>(h), n), *alg);
}

Result<TimestampInfo> VerifyTimestampTokenImprint(std::string_view token_der, std::string_view expected_imprint,
                                                  std::string_view imprint_oid) {
  Result<ParsedSignedData> parsed = ParseSignedData(token_der);
  if (!parsed.ok()) return BadToken(parsed.status().message());
  const ParsedSignedData& sd = *parsed;
  if (sd.trailing_zeros != 0) return BadToken("bytes after the token");
  if (sd.econtent_type != oid::kTstInfo || !sd.econtent) {
    return BadToken("the SignedData does not embed a TSTInfo (eContentType " + sd.econtent_type + ")");
  }
  if (sd.signer_infos.size() != 1) {
    return BadToken(std::to_string(sd.signer_infos.size()) + " SignerInfos, expected exactly one");
  }
  const ParsedSignerInfo& si = sd.signer_infos[0];
  RETURN_IF_ERROR(CheckAlgorithms(sd, si));
  Status shape = CheckSignedAttributeShape(si, oid::kTstInfo);
  if (!shape.ok()) return BadToken(shape.message());
  Result<TstInfo> tst = ParseTstInfo(*sd.econtent);
  if (!tst.ok()) return BadToken(tst.status().message());
  Result<std::vector<keys::Certificate>> certs = ParseCertificates(sd);
  if (!certs.ok()) return BadToken(certs.status().message());

  ASSIGN_OR_RETURN(keys::Certificate tsa, FindSignerCertificate(si, *certs));
  RETURN_IF_ERROR(CheckSigningCertificate(si, tsa, /*allow_v1=*/true));
  RETURN_IF_ERROR(CheckTsaCertificate(tsa));
  ASSIGN_OR_RETURN(std::string_view digest, MessageDigestValue(si));
  unsigned char h[EVP_MAX_MD_SIZE];
  unsigned int hn = 0;
  EVP_Digest(sd.econtent->data(), sd.econtent->size(), h, &hn, DigestMd(si.digest_algorithm), nullptr);
  if (digest != std::string_view(reinterpret_cast<char*>(h), hn)) {
    return Status::Error(ErrorKind::kRejected, "signing.timestamp_digest_mismatch",
                         "the token's message-digest is not the digest of its TSTInfo",
                         "El sello de tiempo fue alterado.");
  }
  RETURN_IF_ERROR(CheckSignature(si, tsa));

  if (tst->imprint.algorithm != imprint_oid || tst->imprint.algorithm == oid::kSha1 ||
      tst->imprint.algorithm == oid::kMd5 || DigestMd(tst->imprint.algorithm) == nullptr) {
    if (tst->imprint.algorithm == oid::kSha1 || tst->imprint.algorithm == oid::kMd5) {
      return Status::Error(ErrorKind::kRejected, "signing.weak_algorithm",
                           "the token imprints with " + tst->imprint.algorithm + " (MD5 or SHA-1)",
                           "El sello de tiempo usa un algoritmo criptográfico inseguro.");
    }
    return Status::Error(ErrorKind::kInvalidArgument, "signing.unsupported_algorithm",
                         "the token imprints with " + tst->imprint.algorithm + ", expected " +
                             std::string(imprint_oid),
                         "El sello de tiempo usa un algoritmo que no se admite.");
  }
  if (tst->imprint.hashed != expected_imprint) {
    return Status::Error(ErrorKind::kRejected, "signing.timestamp_imprint_mismatch",
                         "the token timestamps " + HexEncode(tst->imprint.hashed) + ", not the expected " +
                             HexEncode(expected_imprint),
                         "El sello de tiempo corresponde a otros datos.");
  }
  return TimestampInfo{
      .gen_time = tst->gen_time,
      .policy_oid = tst->policy_oid,
      .serial_hex = HexEncode(tst->serial),
      .nonce_hex = HexEncode(tst->nonce),
      .accuracy_micros = tst->accuracy_micros,
      .tsa_certificate = tsa,
      .certificates = std::move(*certs),
  };
}

}  // namespace rubrica::signing
