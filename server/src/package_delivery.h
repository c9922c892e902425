// The service's side of the monthly delivery (issue 15, phase 2): the secretariat's
// packages go to the agency by themselves.
//
// - Automatic: a producer of the notification sender looks, for each secretariat and each of
//   the last three months (its zone), at what is due; when every due acta of a month is
//   archived (or delivered) and one archived acta is carried by no package yet, it builds
//   the month's package and queues it for the agency. A refused package is not rebuilt by
//   itself: people fix what the refusal names and build again on demand.
// - On demand: Build() and Send() (POST /api/secretariats/{id}/packages[/{package}/send]).
// - Delivery: one outbox message per package ("agency:<sha256>", channel "agency", queued
//   once), sent by the outbox's sender (leases, attempts logged, exponential backoff with
//   jitter while the agency is down). Each attempt POSTs the ZIP with Idempotency-Key = its
//   SHA-256 through the bounded HTTP client, checks the answer's XMLDSig against the
//   agency's seal anchors and that it names the package, and records it
//   (delivery::Packages::RecordAnswer: the actas become `delivered`, or the refusal is
//   stored). A refusal is mailed to the facilitator and the organismo garante with its
//   reasons in Spanish. When the sender gives up (retries exhausted) the package stays
//   `built`; Send() queues it again.
// - Audit: building, queuing, the agency's answer and a delivery given up are entries of
//   the audit log (delivery::Packages).
//
// Where the package goes is the model's: the address of the agency in force on the month's
// last day (workflows::AgencyPeriod::address). An https:// URL: POSTed as above. An e-mail
// address (mailto: or plain): the outbox message "agency:<sha256>" goes on the "mail"
// channel instead, a Spanish message with the ZIP attached, through the notifications' mail
// transport (SMTP when smtp.host is set, else the .eml folder), retried the same way, sent
// once; the agency's receipt then comes back out of band and is recorded by hand
// (POST /api/actas/{id}/delivery). How an https agency is trusted is the installation's
// configuration (agency.tls_ca_file, agency.seal_trust_file): without the seal's anchors no
// answer can be verified, so nothing is sent to an https agency, automatically or not.
//
// Thread-safe: all state in the database; Build/Send run on API workers while the sender
// thread delivers.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "notify/notifier.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/base/status.h"
#include "rubrica/delivery/packages.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::server {

/// Each acta's certified copy from the archive (made once per sealed revision, recorded,
/// and served the same bytes every time after): what the package carries beside the PDF.
class ArchiveCopies final : public delivery::CertifiedCopySource {
 public:
  ArchiveCopies(workflows::Workflows& wf, const store::BlobStore& blobs, std::string actor)
      : wf_(wf), blobs_(blobs), actor_(std::move(actor)) {}
  Result<std::optional<std::string>> CertifiedCopy(const workflows::ActaRecord& acta) override;

 private:
  workflows::Workflows& wf_;
  const store::BlobStore& blobs_;
  std::string actor_;
};

/// How the sender trusts the agency.
struct AgencyTrust {
  std::string tls_ca_file;     // PEM CAs of the inbox's TLS certificate
  std::string seal_trust_pem;  // anchors of the agency's seal (its answers' signatures)
};

/// What one attempt did.
struct DeliveryAttempt {
  notify::DeliveryOutcome outcome;  // ok: an answer was verified and recorded
  bool accepted = false;
  bool repeat = false;  // the agency had answered these bytes before (Rubrica-Repeat)
  std::string answer_xml;
};

/// One attempt to deliver the package `sha256` to `url`: POST, verify the answer, record
/// it. A network failure or an unverifiable answer is a failed (retried) attempt; a
/// verified refusal is an answer.
DeliveryAttempt DeliverPackage(delivery::Packages& packages, const AgencyTrust& trust, const Clock& clock,
                               const std::string& url, const std::string& sha256);

/// The outbox channel and message id of a package's delivery.
inline constexpr const char* kAgencyChannel = "agency";
std::string AgencyMessageId(const std::string& sha256);

/// Where a package goes.
struct AgencyDestination {
  bool email = false;   // false: POSTed to an https:// inbox
  std::string address;  // the URL, or the plain e-mail address
  /// As audited and shown: the URL, or "mailto:<address>".
  std::string Uri() const { return email ? "mailto:" + address : address; }
};

/// A draft re-addressed after the co-signer setting changed: withdrawn, and what was built
/// in its place (a draft for the new co-signer, or the sealed package when none is
/// required, then queued as Send does; `send_error` when it could not be).
struct Readdressed {
  std::string withdrawn;  // the draft's SHA-256
  delivery::PackageRecord package;
  std::string send_error;
};

/// Where a package stands at the sender.
struct SendState {
  delivery::PackageRecord package;
  bool queued_now = false;  // false: it was queued or answered before
  std::string outbox_state; // "pending", "sent", "dead" (by e-mail: "sent" = handed to the relay)
  std::string last_error;
  std::string answer_xml;   // the stored receipt or refusal, when answered
};

class PackageDelivery {
 public:
  /// `automatic`: whether months are built and sent by themselves to https agencies (the
  /// seal's anchors are configured); months of agencies by e-mail always are. References
  /// must outlive this.
  PackageDelivery(store::Database& db, const store::BlobStore& blobs, workflows::Workflows& wf,
                  delivery::Packages& packages, notify::Notifier& notifier, const Clock& clock, Logger& logger,
                  AgencyTrust trust, bool automatic);

  /// Adds the "agency" channel and the producer to the notifier's sender.
  void Attach();

  /// Where the secretariat's package of `month` goes: the address of the agency in force on
  /// its last day, its inbox (https://) or its mailbox ("mailto:x@y" or a plain address).
  /// delivery.no_agency_address (kRejected) when it has neither.
  Result<AgencyDestination> Destination(int64_t secretariat_id, std::chrono::year_month month) const;

  /// Builds the month's package (delivery::Packages::Build), audited as `actor`'s.
  Result<delivery::PackageRecord> Build(int64_t secretariat_id, std::chrono::year_month month,
                                        std::string_view actor);
  /// Queues the package for the agency (once) and wakes the sender; a package whose
  /// delivery was given up (its outbox message dead) is queued again; a package already
  /// answered is not sent again: its stored answer is returned. Queuing is audited as
  /// `actor`'s ("package.send"). delivery.no_package (a package of another secretariat, or
  /// none), delivery.no_agency_trust (not configured).
  Result<SendState> Send(int64_t secretariat_id, const std::string& sha256, std::string_view actor);
  /// Places the co-signer's device signature into a draft awaiting it, seals it into the
  /// package (delivery::Packages::FinalizeCoSignature, audited "package.cosign" as
  /// `actor`'s), then queues it as Send does. A package that cannot be queued (no agency
  /// address or trust) stays built: `last_error` says why.
  Result<SendState> CoSign(const delivery::CoSignaturePreparation& prep, const std::string& signature,
                           std::string_view actor);

  /// Brings the secretariat's drafts awaiting a co-signature in line with its current
  /// package_cosigner setting: each draft that names another role (or none is required any
  /// more) is withdrawn and replaced, in one transaction, by a package of the same month
  /// built now (Packages::Build with `withdraws`): a draft for the new co-signer (whom the
  /// event relay then asks), or the sealed package, queued for the agency at once (as
  /// CoSign does). Prepared tickets of a withdrawn draft can no longer be finalized. Also
  /// run by the producer, so that a change made while the service was down, or a failure
  /// half-way, is caught up. Audited as `actor`'s ("package.build", "package.withdraw").
  Result<std::vector<Readdressed>> Readdress(int64_t secretariat_id, std::string_view actor);

  /// When the obligation's acta travels in a draft awaiting its co-signature: the Spanish
  /// sentence the late notice adds ("" otherwise).
  Result<std::string> CosignatureHold(const workflows::SecretariatRecord& sec, const workflows::Obligation& o) const;

  /// The producer: builds and queues every month that became complete. Returns how many.
  Result<int> Pump();

 private:
  Result<bool> Queue(const delivery::PackageRecord& pkg, std::string_view actor);
  /// Packages of the month handed to the e-mail relay (their outbox message sent) become
  /// `sent` (delivery::Packages::RecordMailed).
  Status RecordMailed(int64_t secretariat_id, std::chrono::year_month month);
  Result<SendState> StateOf(const delivery::PackageRecord& pkg, bool queued_now) const;
  notify::DeliveryOutcome Deliver(const store::OutboxEntry& entry);
  Status MailRefusal(const delivery::PackageRecord& pkg);
  /// The agency's e-mail carrying the package (RFC 5322, the ZIP attached).
  Result<std::string> PackageMail(const delivery::PackageRecord& pkg, const std::string& to) const;

  store::Database& db_;
  const store::BlobStore& blobs_;
  workflows::Workflows& wf_;
  delivery::Packages& packages_;
  notify::Notifier& notifier_;
  const Clock& clock_;
  Logger& logger_;
  AgencyTrust trust_;
  bool automatic_;
  // One re-addressing at a time (the API's and the producer's).
  std::mutex readdress_mu_;
  // The producer's last run (sender thread only).
  bool pumped_ = false;
  Instant last_pump_clock_;
  std::chrono::steady_clock::time_point last_pump_real_;
};

}  // namespace rubrica::server
