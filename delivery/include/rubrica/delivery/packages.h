// The signed monthly package of a secretariat (issue 15): a ZIP with every acta of the
// month that is archived (its sealed PDF and, when the archive provides one, its certified
// copy) and manifest.xml (docs/manifiesto-paquete.xsd) signed with XMLDSig by the
// installation's seal. What is due comes from workflows::MonthlyDelivery; this module
// decides nothing about *when* an acta is due.
//
// A package is immutable once built: its bytes are a blob (id = SHA-256 = the package's
// identity) and a row of `delivery_packages`. Building again for the same month makes a
// new package that names the newest earlier one in <sustituye>.
//
// Every change is written to the audit log in its transaction (as workflows' changes are):
// "package.build" (by whom), "package.receipt" / "package.refusal" (the agency's verified
// answer), "package.delivery_dead" (the outbox gave up delivering it).
//
// Thread-safe (all state in the database and the blob store).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/delivery/manifest.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::delivery {

/// The component under which the delivery tables are migrated.
inline constexpr std::string_view kComponent = "delivery";
/// The delivery tables (needs "workflows").
const std::vector<store::Migration>& Migrations();

/// Where an acta's certified copy comes from (the archive's `rubrica certify`: a ZIP with
/// the sealed PDF, a signed XML verification report and a signed constancia). nullopt:
/// none available; the manifest then says so for that acta.
class CertifiedCopySource {
 public:
  virtual ~CertifiedCopySource() = default;
  virtual Result<std::optional<std::string>> CertifiedCopy(const workflows::ActaRecord& acta) = 0;
};

/// A package's life at the sender. kAwaitingCosignature: built by a secretariat that
/// requires a co-signature, its manifest not sealed yet (a draft: never sent; its id is the
/// draft ZIP's SHA-256 until FinalizeCoSignature seals it into the package, under the
/// package's own SHA-256). kSent: handed to an e-mail relay (no receipt comes back on the
/// wire). kWithdrawn: a draft replaced, before anyone co-signed it, because the
/// secretariat's co-signer setting changed (its `replaced_by` is the package built in its
/// place); never sent, never co-signed.
enum class PackageState { kBuilt, kDelivered, kRefused, kAwaitingCosignature, kSent, kWithdrawn };
/// "built", "delivered", "refused", "awaiting_cosignature", "sent", "withdrawn"
std::string_view PackageStateName(PackageState s);

struct PackageRecord {
  std::string sha256;  // of the ZIP; also its blob id
  int64_t secretariat_id = 0;
  std::string month;  // YYYY-MM
  uint64_t bytes = 0;
  Instant built_at;
  std::string supersedes;  // empty when none
  PackageState state = PackageState::kBuilt;
  std::vector<int64_t> acta_ids;  // the actas it carries
  std::string receipt_blob_id;    // the agency's signed answer (receipt or refusal)
  std::optional<Instant> answered_at;
  std::string refusal_json;  // [{"code":..,"message_es":..,"file":..}] when refused
  std::string cosigner;      // "garante" or "facilitator" when the manifest needs one; else ""
  std::string cosigner_name; // the co-signer's certificate CN once co-signed; else ""
  std::string replaced_by;   // kWithdrawn: the package built in its place
};

/// What the co-signer's device signs (PrepareCoSignature), and what the server keeps.
struct CoSignaturePreparation {
  std::string draft_sha256;
  std::string cosigner;           // the role
  std::string cosigner_name;      // the CN of the co-signer's certificate
  std::string prepared_manifest;  // kept on the server, never sent to the device
  std::string signature_id;
  std::string signed_info;  // exclusive C14N of the co-signature's SignedInfo
  std::string digest;       // its SHA-256 (32 bytes)
  std::string algorithm;    // "ecdsa-sha256" or "rsa-sha256"
};

/// delivery.draft_withdrawn (kConflict): `draft` was withdrawn when the co-signer setting
/// changed; the Spanish text names the package built in its place.
Status DraftWithdrawn(const PackageRecord& draft);

/// The file name people see: "paquete-<secretariat id>-<YYYY-MM>.zip".
std::string PackageFileName(int64_t secretariat_id, const std::string& month);
/// "2023-03" -> year_month; delivery.bad_month otherwise.
Result<std::chrono::year_month> ParseMonth(const std::string& text);

class Packages {
 public:
  /// `tsa` timestamps the manifest's signature (the installation's TSA). `copies` may be
  /// null (no certified copies yet). All references must outlive this.
  Packages(store::Database& db, const store::BlobStore& blobs, workflows::Workflows& wf,
           const keys::LocalCa& ca, signing::TimestampClient& tsa, const Clock& clock,
           CertifiedCopySource* copies = nullptr)
      : db_(db), blobs_(blobs), wf_(wf), ca_(ca), tsa_(tsa), clock_(clock), copies_(copies) {}

  /// Builds, signs, stores and records the package of `month`; when the secretariat
  /// requires a co-signer (SecretariatConfig::package_cosigner) the manifest names it and
  /// the result is a draft in kAwaitingCosignature, sealed by FinalizeCoSignature. Refusals:
  /// delivery.nothing_to_send (kRejected) when no acta of the month is archived;
  /// delivery.bad_manifest (the manifest fails its own schema: a bug). `actor` is written
  /// to the audit entry ("person:12", "system", "cli:package").
  ///
  /// `withdraws`: a draft of that month awaiting a co-signature that the new package
  /// replaces (the co-signer setting changed): in the same transaction the draft becomes
  /// kWithdrawn (replaced_by the new package), audited "package.withdraw";
  /// delivery.not_awaiting_cosignature (kConflict, nothing written) when it was co-signed or
  /// withdrawn meanwhile.
  Result<PackageRecord> Build(int64_t secretariat_id, std::chrono::year_month month,
                              std::string_view actor = "system", const std::string& withdraws = "");

  /// The co-signature of draft `draft_sha256` by the holder of `cert` (the caller checked
  /// who they are): delivery.not_awaiting_cosignature (kConflict) when it is not a draft.
  Result<CoSignaturePreparation> PrepareCoSignature(const std::string& draft_sha256,
                                                    const keys::Certificate& cert,
                                                    const std::vector<keys::Certificate>& chain) const;
  /// Places the device's `signature` over `prep.signed_info`, checks it, seals the manifest
  /// and stores the package: the draft's row becomes the package (its SHA-256, state
  /// built), audited "package.cosign" by `actor`. signing.bad_external_signature (kRejected)
  /// when the signature does not verify; delivery.not_awaiting_cosignature (kConflict) when
  /// the draft was finalized meanwhile.
  Result<PackageRecord> FinalizeCoSignature(const CoSignaturePreparation& prep, const std::string& signature,
                                            std::string_view actor);

  Result<PackageRecord> Get(const std::string& sha256) const;
  /// Every package of the secretariat for `month`, oldest first.
  Result<std::vector<PackageRecord>> ForMonth(int64_t secretariat_id, const std::string& month) const;
  /// Every draft of the secretariat awaiting a co-signature (any month), oldest first.
  Result<std::vector<PackageRecord>> Drafts(int64_t secretariat_id) const;
  /// The ZIP's bytes.
  Result<std::string> Bytes(const std::string& sha256) const;

  /// Records the agency's verified answer: stores it as a blob and moves the package to
  /// delivered (and each acta it carries to `delivered`, with the receipt) or refused.
  Status RecordAnswer(const std::string& sha256, const std::string& answer_xml, bool accepted,
                      const std::string& refusal_json);
  /// Records (audit log only) that the delivery of `sha256` was given up after `attempts`
  /// attempts, the last failing with `last_error`: the package stays `built` and can be
  /// queued again.
  Status RecordDeliveryDead(const std::string& sha256, int attempts, const std::string& last_error);
  /// Records (audit log, within `tx`) that `actor` queued `sha256` for the agency at
  /// `destination` (`again`: after an earlier delivery was given up).
  Status RecordQueued(store::Transaction& tx, const std::string& sha256, std::string_view actor,
                      const std::string& destination, bool again) const;
  /// Records that the package was handed to the e-mail relay: built -> sent (no receipt is
  /// expected on the wire; a receipt recorded by hand per acta stays possible).
  Status RecordMailed(const std::string& sha256);

 private:
  store::Database& db_;
  const store::BlobStore& blobs_;
  workflows::Workflows& wf_;
  const keys::LocalCa& ca_;
  signing::TimestampClient& tsa_;
  const Clock& clock_;
  CertifiedCopySource* copies_;
};

}  // namespace rubrica::delivery
