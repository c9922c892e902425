#include "rubrica/keys/efirma.h"

#include <vector>

#include "errors.h"
#include "rubrica/base/crypto_util.h"

namespace rubrica::keys {

namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// SAT writes "<holder> / <representative>" for companies; either side may be empty.
std::vector<std::string> SplitSlash(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t slash = s.find('/', start);
    out.push_back(Trim(s.substr(start, slash == std::string_view::npos ? slash : slash - start)));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

std::string CertificateNumber(const Certificate& cert) {
  const std::string hex = cert.SerialHex();
  auto bytes = HexDecode(hex.size() % 2 ? "0" + hex : hex);
  if (!bytes.ok() || bytes->empty()) return hex;
  for (char c : *bytes) {
    if (c < '0' || c > '9') return hex;
  }
  return *bytes;
}

}  // namespace

Result<EfirmaInfo> ReadEfirmaCertificate(const Certificate& cert) {
  EfirmaInfo info;
  const auto rfcs = SplitSlash(cert.SubjectAttribute("x500UniqueIdentifier"));
  info.rfc = rfcs.empty() ? "" : rfcs[0];
  if (rfcs.size() > 1) info.representative_rfc = rfcs[1];
  if (info.rfc.size() != 12 && info.rfc.size() != 13) {
    return Status::Error(ErrorKind::kInvalidArgument, "keys.not_efirma",
                         "certificate " + Describe(cert) +
                             " carries no RFC in x500UniqueIdentifier (2.5.4.45): not a SAT e.firma",
                         "El certificado no es una e.firma del SAT (no contiene RFC).");
  }
  for (const std::string& part : SplitSlash(cert.SubjectAttribute("serialNumber"))) {
    if (!part.empty()) {
      info.curp = part;
      break;
    }
  }
  info.holder_name = cert.SubjectCommonName();
  info.certificate_number = CertificateNumber(cert);
  info.issuer = cert.IssuerString();
  info.not_before = cert.NotBefore();
  info.not_after = cert.NotAfter();
  return info;
}

Result<EfirmaInfo> ReadEfirmaCertificate(std::string_view cer_bytes) {
  ASSIGN_OR_RETURN(Certificate cert, Certificate::FromDerOrPem(cer_bytes));
  return ReadEfirmaCertificate(cert);
}

Result<EfirmaCredential> OpenEfirma(std::string_view cer_bytes, std::string_view key_bytes,
                                    std::string_view password) {
  auto cert = Certificate::FromDerOrPem(cer_bytes);
  if (!cert.ok()) return cert.status().WithContext(".cer");
  ASSIGN_OR_RETURN(EfirmaInfo info, ReadEfirmaCertificate(*cert));
  auto key = SigningKey::FromEncryptedPkcs8(key_bytes, password);
  if (!key.ok()) return key.status().WithContext(".key");
  if (!key->Matches(*cert)) {
    return KeyCertificateMismatch("the .key does not belong to the .cer (certificate " +
                                  info.certificate_number + ", RFC " + info.rfc + ")");
  }
  return EfirmaCredential{std::move(cert).value(), std::move(info), std::move(key).value()};
}

}  // namespace rubrica::keys
