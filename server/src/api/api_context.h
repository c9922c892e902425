// What every handler of the API reaches: the collaborators, the options, and the API's own
// state (accounts, signing tickets, limiters). Built once by Api; shared
// by all worker threads (every member is thread-safe).
#pragma once

#include "accounts.h"
#include "complaints.h"
#include "limits.h"
#include "microsite.h"
#include "reenrolments.h"
#include "rubrica/server/api.h"
#include "signing_queue.h"
#include "signing_tickets.h"

namespace rubrica::server::api {

struct ApiContext {
  ApiContext(const ApiCollaborators& c, ApiOptions o);

  store::Database& db;
  const store::BlobStore& blobs;
  const store::AuditLog& audit;
  const Clock& clock;
  Logger& logger;
  workflows::Workflows& wf;
  keys::KeyStore& keys;
  workflows::ActaDocumentEngine& engine;
  Mailer& mailer;
  const delivery::Packages* packages;  // null when the service has none
  PackageDelivery* package_delivery;  // null when the service does not deliver
  const ApiOptions options;

  Accounts accounts;
  Reenrolments reenrolments;
  Microsite microsite;
  Submissions submissions;
  SigningTickets tickets;
  InProgress accepting;  // invitation and re-enrolment tokens being accepted
  FailureLimiter login_by_name;
  FailureLimiter login_by_address;
  FailureLimiter public_verifications;  // per anonymous client address
  FailureLimiter public_submissions;    // microsite submissions per client address
  FailureLimiter folio_lookups;         // folio lookups that missed, per client address
  FailureLimiter public_copies;         // certified copies made for anonymous client addresses
  SigningQueue signatures;
  Admission verifications;
  Admission copies;        // certified copies being made
  InProgress copying;      // the actas whose certified copy is being made
};

}  // namespace rubrica::server::api
