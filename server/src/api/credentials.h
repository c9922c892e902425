// A person's signing credentials through the API: enrolment at the local CA under a PIN
// (at invitation or later), registration of a certificate whose key stays on the device
// (e.firma for external signing), and the caller's own list.
#pragma once

#include <string>
#include <string_view>

#include "api_context.h"
#include "rubrica/keys/key_store.h"

namespace rubrica::server::api {

/// Enrols `person_id` at the local CA: a new key under `pin` and a member certificate
/// (name and title from the person's record, e-mail from it or `fallback_email`) valid
/// from now to the end of the person's latest term in force, or for
/// options.default_certificate_validity when they hold none. Errors of KeyStore::Enrol
/// (keys.weak_pin, keys.bad_subject, ...).
Result<keys::Credential> EnrolPerson(ApiContext& ctx, int64_t person_id,
                                     const std::string& fallback_email, std::string_view pin,
                                     const std::string& actor);

}  // namespace rubrica::server::api
