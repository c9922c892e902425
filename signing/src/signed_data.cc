#include "signed_data.h"

#include <algorithm>

#include "der_writer.h"
#include "oids.h"
#include "rubrica/base/crypto_util.h"

namespace rubrica::signing {

std::string EncodeAttribute(std::string_view type_oid, std::vector<std::string> values) {
  return der::Sequence({der::KnownOid(type_oid), der::SetOf(std::move(values))});
}

std::string SerialBytes(const keys::Certificate& cert) {
  std::string hex = cert.SerialHex();
  if (hex.size() % 2 != 0) hex.insert(hex.begin(), '0');
  Result<std::string> bytes = HexDecode(hex);
  return bytes.ok() ? *bytes : std::string();
}

std::string EncodeIssuerAndSerial(const keys::Certificate& cert) {
  return der::Sequence({cert.IssuerNameDer(), der::UnsignedInteger(SerialBytes(cert))});
}

std::string EncodeSigningCertificateV2(const keys::Certificate& cert) {
  // IssuerSerial { issuer GeneralNames { directoryName [4] EXPLICIT Name }, serial }.
  const std::string general_names =
      der::Sequence({der::Tlv(der::ContextConstructed(4), cert.IssuerNameDer())});
  const std::string issuer_serial =
      der::Sequence({general_names, der::UnsignedInteger(SerialBytes(cert))});
  const std::string cert_id = der::Sequence({der::OctetString(Sha256(cert.der())), issuer_serial});
  return der::Sequence({der::Sequence({cert_id})});
}

std::string EncodeSignedAttributes(std::string_view content_type_oid,
                                   std::string_view message_digest,
                                   const keys::Certificate& signer) {
  return der::SetOf({
      EncodeAttribute(oid::kContentType, {der::KnownOid(content_type_oid)}),
      EncodeAttribute(oid::kMessageDigest, {der::OctetString(message_digest)}),
      EncodeAttribute(oid::kSigningCertificateV2, {EncodeSigningCertificateV2(signer)}),
  });
}

Result<std::string> SignatureAlgorithmFor(const keys::Certificate& signer) {
  const std::string type = signer.KeyType();
  if (type == "EC") return der::AlgorithmId(oid::kEcdsaWithSha256);
  // RFC 4055 2.1: the NULL parameter is required for sha256WithRSAEncryption.
  if (type == "RSA") return der::AlgorithmIdWithNull(oid::kSha256WithRsa);
  return Status::Error(ErrorKind::kInvalidArgument, "signing.unsupported_key",
                       "the certificate of '" + signer.SubjectString() +
                           "' carries a key that is neither EC nor RSA",
                       "El certificado usa un tipo de llave que no se admite para firmar.");
}

std::string EncodeSignerInfo(const SignerInfoParts& parts) {
  // The SET OF tag 0x31 becomes [0] IMPLICIT 0xa0; the content is unchanged.
  std::string signed_attrs = parts.signed_attributes;
  if (!signed_attrs.empty()) signed_attrs[0] = static_cast<char>(der::ContextConstructed(0));
  std::vector<std::string> fields = {
      der::SmallInteger(1),
      EncodeIssuerAndSerial(*parts.signer),
      der::AlgorithmId(oid::kSha256),
      signed_attrs,
      parts.signature_algorithm,
      der::OctetString(parts.signature),
  };
  if (!parts.unsigned_attributes.empty()) {
    std::string set = der::SetOf(parts.unsigned_attributes);
    set[0] = static_cast<char>(der::ContextConstructed(1));
    fields.push_back(set);
  }
  return der::Sequence(fields);
}

std::string EncodeSignedData(const SignedDataParts& parts) {
  const bool is_data = parts.content_type_oid == oid::kData;
  std::vector<std::string> encap = {der::KnownOid(parts.content_type_oid)};
  if (parts.content) {
    encap.push_back(der::Tlv(der::ContextConstructed(0), der::OctetString(*parts.content)));
  }
  std::vector<std::string> fields = {
      der::SmallInteger(is_data ? 1 : 3),
      der::SetOf({der::AlgorithmId(oid::kSha256)}),
      der::Sequence(encap),
  };
  if (!parts.certificates.empty()) {
    std::vector<std::string> certs;
    for (const keys::Certificate& c : parts.certificates) {
      if (std::find(certs.begin(), certs.end(), c.der()) == certs.end()) certs.push_back(c.der());
    }
    std::string set = der::SetOf(std::move(certs));
    set[0] = static_cast<char>(der::ContextConstructed(0));
    fields.push_back(set);
  }
  fields.push_back(der::SetOf(parts.signer_infos));
  return der::Sequence({der::KnownOid(oid::kSignedData),
                        der::Tlv(der::ContextConstructed(0), der::Sequence(fields))});
}

}  // namespace rubrica::signing
