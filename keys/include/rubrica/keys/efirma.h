// SAT e.firma (firma electrónica avanzada) credentials: a `.cer` (X.509, DER) and a `.key`
// (PKCS#8 encrypted DER, PBES2 with PBKDF2-HMAC-SHA1 and DES-EDE3-CBC) opened by the
// holder's password.
//
// The SAT subject carries the RFC in x500UniqueIdentifier (2.5.4.45) and the CURP in
// serialNumber. For a company (persona moral) both hold "<company> / <representative>",
// e.g. x500UniqueIdentifier "AAA010101AAA / HEGT7610034S2" and serialNumber
// " / HEGT761003MDFRNN09": the RFC is the company's, the CURP the representative's.
//
// Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"

namespace rubrica::keys {

/// What Rúbrica reads from an e.firma certificate.
struct EfirmaInfo {
  std::string holder_name;  // CN
  std::string rfc;          // the holder's RFC (12 or 13 characters)
  std::string representative_rfc;  // a company's legal representative, "" for a person
  std::string curp;         // "" when the certificate carries none
  /// SAT's "número de certificado": the serial number's bytes read as ASCII digits
  /// (e.g. "30001000000300023685"), or the serial in hex when it is not ASCII.
  std::string certificate_number;
  std::string issuer;       // RFC 2253
  Instant not_before;
  Instant not_after;
};

/// Reads the SAT fields of a certificate (DER or PEM). keys.bad_certificate when it does
/// not parse; keys.not_efirma (kInvalidArgument) when it carries no RFC.
Result<EfirmaInfo> ReadEfirmaCertificate(std::string_view cer_bytes);
Result<EfirmaInfo> ReadEfirmaCertificate(const Certificate& cert);

/// An opened e.firma: the certificate and its private key, checked to match.
struct EfirmaCredential {
  Certificate certificate;
  EfirmaInfo info;
  SigningKey key;
};

/// Opens `.cer` + `.key` with the password. Errors, each its own code:
/// keys.bad_certificate (the .cer), keys.bad_key_file (the .key is corrupt),
/// keys.wrong_password, keys.key_certificate_mismatch (the .key belongs to another .cer).
/// Does not check validity dates (see KeyStore::ImportEfirma).
Result<EfirmaCredential> OpenEfirma(std::string_view cer_bytes, std::string_view key_bytes,
                                    std::string_view password);

}  // namespace rubrica::keys
