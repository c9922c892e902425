#include "rubrica/signing/timestamp_authority.h"

#include <optional>

#include "der_reader.h"
#include "der_writer.h"
#include "oids.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/keys/signing_key.h"
#include "signed_data.h"
#include "signer_checks.h"
#include "tst_info.h"

namespace rubrica::signing {
namespace {

constexpr size_t kMaxRequestBytes = 64 * 1024;

// PKIFailureInfo bits (RFC 3161 2.4.2).
constexpr int kBadAlg = 0;
constexpr int kBadRequest = 2;
constexpr int kBadDataFormat = 5;
constexpr int kUnacceptedPolicy = 15;
constexpr int kUnacceptedExtension = 16;

struct Request {
  MessageImprint imprint;
  std::string policy;  // "" when not requested
  std::string nonce;   // INTEGER content; "" when absent
  bool cert_req = false;
  bool has_extensions = false;
  int64_t version = 0;
};

Result<Request> ParseRequest(std::string_view bytes) {
  if (bytes.size() > kMaxRequestBytes) {
    return der::BadDer("TimeStampReq", 0, "larger than " + std::to_string(kMaxRequestBytes) + " bytes");
  }
  Request req;
  der::Reader top(bytes);
  ASSIGN_OR_RETURN(der::Element seq, top.Expect(der::kSequence, "TimeStampReq"));
  RETURN_IF_ERROR(top.ExpectEnd("TimeStampReq"));
  der::Reader in = seq.Children();
  ASSIGN_OR_RETURN(req.version, der::ReadSmallInteger(in, "TimeStampReq version"));
  ASSIGN_OR_RETURN(req.imprint, ReadMessageImprint(in));
  if (in.PeekTag() == der::kOid) {
    ASSIGN_OR_RETURN(req.policy, der::ReadOid(in, "reqPolicy"));
  }
  if (in.PeekTag() == der::kInteger) {
    ASSIGN_OR_RETURN(std::string_view nonce, der::ReadIntegerBytes(in, "nonce", kMaxSerialOrNonceBytes));
    req.nonce = std::string(nonce);
  }
  ASSIGN_OR_RETURN(std::optional<der::Element> cert_req, in.Optional(der::kBoolean, "certReq"));
  if (cert_req) {
    if (cert_req->content.size() != 1) return der::BadDer("certReq", cert_req->offset, "not a BOOLEAN");
    req.cert_req = cert_req->content[0] != 0;
  }
  ASSIGN_OR_RETURN(std::optional<der::Element> ext, in.Optional(der::ContextConstructed(0), "extensions"));
  req.has_extensions = ext.has_value();
  RETURN_IF_ERROR(in.ExpectEnd("TimeStampReq"));
  return req;
}

size_t DigestLength(std::string_view alg) {
  if (alg == oid::kSha256) return 32;
  if (alg == oid::kSha384) return 48;
  if (alg == oid::kSha512) return 64;
  return 0;
}

std::string Rejection(int failure_bit, std::string_view text) {
  const std::string status_info = der::Sequence({
      der::SmallInteger(2),  // rejection
      der::Sequence({der::Utf8String(text)}),
      der::NamedBit(failure_bit),
  });
  return der::Sequence({status_info});
}

}  // namespace

Status TimestampAuthority::Check(const std::vector<keys::Certificate>& certificates,
                                 const keys::SigningKey& key, const TimestampAuthorityOptions& options) {
  auto bad = [](const std::string& why) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_tsa_certificate",
                         "cannot run a TSA: " + why,
                         "El certificado de la autoridad de sellado de tiempo no es válido.");
  };
  if (certificates.empty()) return bad("no TSA certificate given");
  const keys::Certificate& tsa = certificates.front();
  if (!key.Matches(tsa)) return bad("the key does not match the certificate " + tsa.SubjectString());
  Status eku = CheckTsaCertificate(tsa);
  if (!eku.ok()) return bad(eku.message());
  RETURN_IF_ERROR(SignatureAlgorithmFor(tsa).status());
  RETURN_IF_ERROR(der::Oid(options.policy_oid).status());
  if (options.accuracy.count() < 0) return bad("negative accuracy");
  return Status::Ok();
}

Result<std::unique_ptr<TimestampAuthority>> TimestampAuthority::Create(
    std::vector<keys::Certificate> certificates, keys::SigningKey key, const Clock& clock,
    TimestampAuthorityOptions options) {
  RETURN_IF_ERROR(Check(certificates, key, options));
  return std::unique_ptr<TimestampAuthority>(new TimestampAuthority(
      std::move(certificates), std::make_shared<const keys::SigningKey>(std::move(key)), nullptr,
      clock, std::move(options)));
}

Result<std::unique_ptr<TimestampAuthority>> TimestampAuthority::Create(
    std::vector<keys::Certificate> certificates, TsaKeyProvider unlock, const Clock& clock,
    TimestampAuthorityOptions options) {
  if (!unlock) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_tsa_certificate",
                         "cannot run a TSA: no key provider given");
  }
  ASSIGN_OR_RETURN(keys::SigningKey key, unlock());
  RETURN_IF_ERROR(Check(certificates, key, options));
  return std::unique_ptr<TimestampAuthority>(new TimestampAuthority(
      std::move(certificates), nullptr, std::move(unlock), clock, std::move(options)));
}

Result<std::string> TimestampAuthority::Respond(std::string_view request_der) const {
  Result<Request> parsed = ParseRequest(request_der);
  if (!parsed.ok()) return Rejection(kBadDataFormat, "malformed TimeStampReq: " + parsed.status().message());
  const Request& req = *parsed;
  if (req.version != 1) return Rejection(kBadRequest, "TimeStampReq version must be 1");
  const size_t digest_length = DigestLength(req.imprint.algorithm);
  if (digest_length == 0) {
    return Rejection(kBadAlg, "unsupported imprint algorithm " + req.imprint.algorithm +
                                  "; use SHA-256, SHA-384 or SHA-512");
  }
  if (req.imprint.hashed.size() != digest_length) {
    return Rejection(kBadAlg, "imprint of " + std::to_string(req.imprint.hashed.size()) +
                                  " bytes does not fit its algorithm");
  }
  if (!req.policy.empty() && req.policy != options_.policy_oid) {
    return Rejection(kUnacceptedPolicy, "this TSA serves only policy " + options_.policy_oid);
  }
  if (req.has_extensions) return Rejection(kUnacceptedExtension, "no request extensions are supported");

  const keys::Certificate& tsa = certificates_.front();
  std::string serial = RandomBytes(16);
  serial[0] = static_cast<char>(serial[0] & 0x7f);
  TstInfo info{
      .policy_oid = options_.policy_oid,
      .imprint = req.imprint,
      .serial = serial,
      .gen_time = clock_.Now(),
      .accuracy_micros = options_.accuracy.count(),
      .nonce = req.nonce,
      .tsa_name = tsa.SubjectNameDer(),
  };
  ASSIGN_OR_RETURN(std::string tst_info, EncodeTstInfo(info));
  const std::string attrs = EncodeSignedAttributes(oid::kTstInfo, Sha256(tst_info), tsa);
  auto failed = [](const std::string& why) {
    return Status::Error(ErrorKind::kInternal, "signing.tsa_failed", "the TSA could not sign: " + why,
                         "El servicio de sellado de tiempo falló; intente de nuevo.");
  };
  std::optional<keys::SigningKey> unlocked;
  if (key_ == nullptr) {
    Result<keys::SigningKey> k = unlock_();
    if (!k.ok()) return failed(k.status().ToString());
    unlocked = std::move(*k);
  }
  const keys::SigningKey& key = key_ != nullptr ? *key_ : *unlocked;
  Result<std::string> signature = key.Sign(attrs);
  if (!signature.ok()) return failed(signature.status().ToString());
  // Never hand out a token that does not verify (a provider returning another key, a
  // faulty signing operation).
  if (!keys::VerifySignature(tsa, attrs, *signature)) {
    return failed("the signature does not verify with " + tsa.SubjectString());
  }
  ASSIGN_OR_RETURN(std::string signature_algorithm, SignatureAlgorithmFor(tsa));
  const std::string signer_info = EncodeSignerInfo({
      .signer = &tsa,
      .signed_attributes = attrs,
      .signature_algorithm = signature_algorithm,
      .signature = *signature,
  });
  const std::string token = EncodeSignedData({
      .content_type_oid = oid::kTstInfo,
      .content = tst_info,
      .certificates = req.cert_req ? certificates_ : std::vector<keys::Certificate>{},
      .signer_infos = {signer_info},
  });
  return der::Sequence({der::Sequence({der::SmallInteger(0)}), token});
}

}  // namespace rubrica::signing
