#include "ocsp_client.h"

#include <openssl/ocsp.h>

#include "openssl_util.h"

namespace rubrica::keys {

namespace {

// An OCSP answer for one certificate, with the responder's certificate, is a few KiB.
constexpr size_t kMaxResponseBytes = 64 * 1024;
constexpr auto kSkew = std::chrono::minutes(5);


Status Failed(const std::string& url, const std::string& why) {
  return Status::Error(ErrorKind::kUnavailable, "keys.ocsp_failed",
                       "OCSP responder " + url + ": " + why,
                       "No se pudo consultar el estado de revocación del certificado.");
}

Status Invalid(const std::string& url, const std::string& why) {
  return Status::Error(ErrorKind::kRejected, "keys.ocsp_invalid",
                       "OCSP response from " + url + " is not acceptable: " + why,
                       "La respuesta sobre el estado de revocación del certificado no es válida.");
}

}  // namespace

Result<OcspAnswer> QueryOcsp(const OcspTransport& transport, const std::string& url, const Certificate& cert,
                             const Certificate& issuer, const std::vector<Certificate>& chain,
                             const std::vector<Certificate>& anchors, const Clock& clock,
                             std::chrono::milliseconds timeout) {
  X509* subject_x = static_cast<X509*>(cert.native_handle());
  X509* issuer_x = static_cast<X509*>(issuer.native_handle());
  OsslPtr<OCSP_CERTID, OCSP_CERTID_free> id(OCSP_cert_to_id(EVP_sha1(), subject_x, issuer_x));
  OsslPtr<OCSP_REQUEST, OCSP_REQUEST_free> request(OCSP_REQUEST_new());
  OCSP_CERTID* id_for_request = id ? OCSP_CERTID_dup(id.get()) : nullptr;
  if (!request || id_for_request == nullptr ||
      OCSP_request_add0_id(request.get(), id_for_request) == nullptr) {
    OCSP_CERTID_free(id_for_request);
    return Status::Error(ErrorKind::kInternal, "keys.ocsp_failed", "cannot build OCSP request: " + OpenSslErrors());
  }
  OCSP_request_add1_nonce(request.get(), nullptr, -1);
  const std::string request_der = ToDer(request.get(), i2d_OCSP_REQUEST);
  Result<std::string> reply = transport.Post(url, request_der, timeout, kMaxResponseBytes);
  if (!reply.ok()) return Failed(url, reply.status().message());
  return ReadOcspResponse(url, request_der, *reply, cert, issuer, chain, anchors, clock);
}

Result<OcspAnswer> ReadOcspResponse(const std::string& url, std::string_view request_der,
                                    std::string_view reply, const Certificate& cert,
                                    const Certificate& issuer, const std::vector<Certificate>& chain,
                                    const std::vector<Certificate>& anchors, const Clock& clock) {
  if (reply.size() > kMaxResponseBytes) return Invalid(url, "response larger than 64 KiB");
  const unsigned char* rp = reinterpret_cast<const unsigned char*>(request_der.data());
  OsslPtr<OCSP_REQUEST, OCSP_REQUEST_free> request(
      d2i_OCSP_REQUEST(nullptr, &rp, static_cast<long>(request_der.size())));
  X509* subject_x = static_cast<X509*>(cert.native_handle());
  X509* issuer_x = static_cast<X509*>(issuer.native_handle());
  OsslPtr<OCSP_CERTID, OCSP_CERTID_free> id(OCSP_cert_to_id(EVP_sha1(), subject_x, issuer_x));
  if (!request || !id) {
    return Status::Error(ErrorKind::kInternal, "keys.ocsp_failed", "cannot rebuild the OCSP request: " + OpenSslErrors());
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(reply.data());
  OsslPtr<OCSP_RESPONSE, OCSP_RESPONSE_free> response(
      d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(reply.size())));
  if (!response) {
    ERR_clear_error();
    return Invalid(url, "not a DER OCSPResponse");
  }
  const int status = OCSP_response_status(response.get());
  if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    return Invalid(url, std::string("responder said ") + OCSP_response_status_str(status));
  }
  OsslPtr<OCSP_BASICRESP, OCSP_BASICRESP_free> basic(OCSP_response_get1_basic(response.get()));
  if (!basic) return Invalid(url, "no basic response");
  // 0 means both carry a nonce and they differ: a replayed or foreign answer.
  if (OCSP_check_nonce(request.get(), basic.get()) == 0) return Invalid(url, "nonce mismatch");

  StorePtr store(X509_STORE_new());
  BorrowedX509Stack untrusted(sk_X509_new_null());
  for (const Certificate& a : anchors) X509_STORE_add_cert(store.get(), static_cast<X509*>(a.native_handle()));
  for (const Certificate& c : chain) sk_X509_push(untrusted.get(), static_cast<X509*>(c.native_handle()));
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store.get()), ToTimeT(clock.Now()));
  if (OCSP_basic_verify(basic.get(), untrusted.get(), store.get(), 0) <= 0) {
    return Invalid(url, "signature or responder authorisation does not verify (" + OpenSslErrors() + ")");
  }
  int cert_status = -1, reason = -1;
  ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
  if (OCSP_resp_find_status(basic.get(), id.get(), &cert_status, &reason, &revoked_at, &this_update,
                            &next_update) != 1) {
    return Invalid(url, "the response does not cover the certificate asked about");
  }
  const Instant now = clock.Now();
  OcspAnswer answer;
  answer.this_update = AsnTimeToInstant(this_update);
  if (answer.this_update > now + kSkew) return Invalid(url, "thisUpdate is in the future");
  if (next_update != nullptr && AsnTimeToInstant(next_update) < now - kSkew) {
    return Invalid(url, "the response is stale (nextUpdate has passed)");
  }
  if (cert_status == V_OCSP_CERTSTATUS_UNKNOWN) {
    return Status::Error(ErrorKind::kRejected, "keys.ocsp_unknown",
                         "OCSP responder " + url + " does not know certificate serial " + cert.SerialHex(),
                         "El servicio de revocación no reconoce el certificado.");
  }
  if (cert_status == V_OCSP_CERTSTATUS_REVOKED) {
    answer.revoked = true;
    answer.revocation = RevocationInfo{AsnTimeToInstant(revoked_at),
                                       RevocationReasonFromCode(reason < 0 ? 0 : reason), "ocsp " + url};
  }
  return answer;
}

}  // namespace rubrica::keys
