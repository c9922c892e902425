#include "errors.h"

namespace rubrica::keys {

std::string DateUtc(Instant t) { return FormatRfc3339Utc(t).substr(0, 10); }

std::string Describe(const Certificate& cert) {
  std::string cn = cert.SubjectCommonName();
  return (cn.empty() ? cert.SubjectString() : "CN=" + cn) + ", serial " + cert.SerialHex();
}

Status CertificateExpired(const Certificate& cert, Instant at) {
  const std::string date = DateUtc(cert.NotAfter());
  return Status::Error(ErrorKind::kRejected, "keys.certificate_expired",
                       "certificate expired on " + date + " (" + Describe(cert) + "; checked at " +
                           FormatRfc3339Utc(at) + ")",
                       "El certificado venció el " + date + ".");
}

Status NotYetValid(const Certificate& cert, Instant at) {
  const std::string date = DateUtc(cert.NotBefore());
  return Status::Error(ErrorKind::kRejected, "keys.not_yet_valid",
                       "certificate not valid before " + FormatRfc3339Utc(cert.NotBefore()) + " (" +
                           Describe(cert) + "; checked at " + FormatRfc3339Utc(at) + ")",
                       "El certificado aún no es válido: su vigencia empieza el " + date + ".");
}

Status CertificateRevoked(const Certificate& cert, const RevocationInfo& info) {
  return Status::Error(
      ErrorKind::kRejected, "keys.certificate_revoked",
      "certificate revoked at " + FormatRfc3339Utc(info.revoked_at) + ", reason " +
          std::string(RevocationReasonName(info.reason)) + " (" + Describe(cert) + "; per " +
          info.source + ")",
      "El certificado fue revocado el " + DateUtc(info.revoked_at) + " (motivo: " +
          std::string(RevocationReasonSpanish(info.reason)) + ").");
}

Status UntrustedIssuer(const Certificate& cert, std::string_view detail) {
  return Status::Error(ErrorKind::kRejected, "keys.untrusted_issuer",
                       "no chain to a trust anchor for " + Describe(cert) + " (issuer " +
                           cert.IssuerString() + "): " + std::string(detail),
                       "El certificado no fue emitido por una autoridad de confianza.");
}

Status UsageNotAllowed(const Certificate& cert, std::string_view why) {
  return Status::Error(ErrorKind::kRejected, "keys.usage_not_allowed",
                       "certificate " + Describe(cert) + " may not be used for this: " +
                           std::string(why),
                       "El certificado no está autorizado para este uso.");
}

Status BadSignatureInChain(const Certificate& cert, std::string_view detail) {
  return Status::Error(ErrorKind::kRejected, "keys.bad_signature_in_chain",
                       "the signature on certificate " + Describe(cert) +
                           " does not verify with its issuer's key: " + std::string(detail),
                       "La cadena de certificados está alterada: una firma no es válida.");
}

Status KeyCertificateMismatch(std::string_view detail) {
  return Status::Error(ErrorKind::kInvalidArgument, "keys.key_certificate_mismatch",
                       "the private key does not belong to the certificate: " +
                           std::string(detail),
                       "La llave privada no corresponde al certificado.");
}

Status BadSubject(std::string_view field, std::string_view why) {
  return Status::Error(ErrorKind::kInvalidArgument, "keys.bad_subject",
                       "certificate subject field '" + std::string(field) + "': " +
                           std::string(why),
                       "Los datos del titular del certificado no son válidos (" +
                           std::string(field) + ").");
}

Status Internal(std::string_view code, std::string_view what) {
  return Status::Error(ErrorKind::kInternal, std::string(code), std::string(what));
}

}  // namespace rubrica::keys
