// A person's signing credentials through the API.
//
// The PIN is a second factor: nothing that only needs a session (a password's cookie or a
// bearer token) creates, replaces or unlocks a signing key. A credential is created
//   - when an invitation is accepted (the token in the e-mail is the credential), with the
//     member's choice: a PIN (a new key at the local CA, wrapped under it) or a device (the
//     certificate of an e.firma whose key never leaves the member);
//   - with the member's current PIN (a new PIN key, a device certificate, a new PIN);
//   - with a single-use re-enrolment link an administrator or the facilitator issued
//     (reenrolments.h), for a member who cannot show a PIN.
// Every change is audited (keys.*, account.*) and e-mailed to the member. A new credential
// leaves the older ones active: actas certified with an older key keep it (the engine
// signs with the key the acta binds) until it is revoked.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api_context.h"
#include "rubrica/base/json_reader.h"
#include "rubrica/base/secret_string.h"
#include "rubrica/keys/key_store.h"

namespace rubrica::server::api {

/// How a member will sign, as a request body states it: "pin" (a new server-held key) or
/// "certificate" with an optional "chain" (base64 DER or PEM: a device-held key).
struct CredentialChoice {
  SecretString pin;
  std::string certificate;  // DER or PEM bytes
  std::vector<keys::Certificate> chain;
  bool has_pin() const { return !pin.empty(); }
  bool has_device() const { return !certificate.empty(); }
  bool none() const { return !has_pin() && !has_device(); }
};

/// Reads "pin", "certificate" and "chain" from `j` (each optional); api.bad_field when both
/// a PIN and a certificate are given.
Result<CredentialChoice> ReadCredentialChoice(JsonReader& j);

/// api.signing_method_required (kInvalidArgument, path "pin"): a person must choose how
/// they will sign.
Status SigningMethodRequired();

/// Prepares (does not store) `choice` for `person_id`: a key enrolled at the local CA
/// (name and title from the person's record, e-mail from it or `fallback_email`, valid to
/// the end of their latest term in force or options.default_certificate_validity), or the
/// device certificate checked for signing. The PIN is wiped. Errors of KeyStore
/// (keys.weak_pin, keys.bad_subject, keys.certificate_expired, keys.untrusted_issuer...).
Result<keys::PendingCredential> PrepareCredential(ApiContext& ctx, int64_t person_id,
                                                  const std::string& fallback_email,
                                                  CredentialChoice& choice);

/// The second factor: `current_pin` must unlock the person's newest active server-held key
/// (counted and locked out like a signature's PIN: keys.wrong_pin, keys.locked).
/// api.second_factor_required (kPermissionDenied) when it is empty or the person has no
/// such key (they need a re-enrolment link).
Status CheckSecondFactor(ApiContext& ctx, int64_t person_id, std::string_view current_pin);

/// E-mails `account` (Spanish) that its signing credentials changed: `what_es` ("Se
/// registró un nuevo PIN de firma"), when, and what to do if it was not them. A mail
/// failure is logged, never fails the change that already happened.
void NotifyCredentialChange(ApiContext& ctx, const Account& account, const std::string& what_es,
                            const keys::Credential& credential);

}  // namespace rubrica::server::api
