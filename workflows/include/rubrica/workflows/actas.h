// The life of an acta: draft -> review -> approved -> rubric -> foot_signature ->
// archived -> delivered.
//
//   draft, review   the facilitator keeps versions (content JSON, each version kept);
//                   members comment in review; the facilitator adjusts the required
//                   signers (audited) until approval.
//   approved        the members approve the latest version (consensus, else majority;
//                   at least a quorum of seats voting). The engine then renders and
//                   certifies it and the acta moves to rubric. If the engine fails the
//                   acta stays approved and Certify() retries.
//   rubric          each required signer rubricates once (engine applies it); when all
//                   have, the acta moves to foot_signature.
//   foot_signature  each required signer signs at the foot once; when all have, the acta
//                   is complete.
//   archived        the garante or the facilitator seals the complete acta (engine).
//   delivered       the garante or the facilitator records its delivery to the agency in
//                   force on the acta's date, with the agency's receipt.
//
// Folio (printed with a verification QR on every page of the certified acta): assigned in
// the transaction of the first approval, numbered per secretariat kind, place and year.
//
// Same date (seed III.6): rubric and foot signatures are accepted only on the approval
// date in the secretariat's zone; on another date they are refused
// (workflows.signature_date_passed) or, when the secretariat is configured to warn,
// accepted with the warning recorded. When the date has passed with signatures missing,
// Reapprove() approves again today: a new round, a newly certified version; the
// superseded round and its signatures stay on record and every signer signs again.
//
// Required signers, derived when the draft is created: an installation acta needs every
// titular and every substitute in force on its date (plus whoever the facilitator adds,
// e.g. authorities who subscribe it); a session minute needs the person who sat in each
// seat (titular, or the substitute who stood in), plus the facilitator when configured.
//
// Every transition is allowed only to the right role in the right state
// (workflows.role_not_allowed, workflows.out_of_turn) and is written with its audit entry
// in one transaction; a refusal writes nothing. The engine is never called inside a
// transaction.
//
// One lock per acta, here and nowhere else: every operation that moves an acta's revision
// or its signing turn (approval and certification, re-approval, each signature, archiving)
// holds it from the moment it reads the acta's revision until its write commits, so each
// signature extends the revision it was made on. A signature unlocks the member's key
// (scrypt, the slow part) before taking it, so signers of one acta derive their keys in
// parallel and queue only for the PDF work. Thread-safe; the Database, Clock, engine and
// Logger must outlive this.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/keyed_mutex.h"
#include "rubrica/base/logger.h"
#include "rubrica/base/status.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/acta_document_engine.h"
#include "rubrica/workflows/actor.h"
#include "rubrica/workflows/sessions.h"
#include "rubrica/workflows/tally.h"

namespace rubrica::workflows {

enum class ActaKind { kInstallation, kSessionMinute };
enum class ActaState { kDraft, kReview, kApproved, kRubric, kFootSignature, kArchived, kDelivered };
std::string_view ActaKindName(ActaKind k);            // "installation", "session_minute"
std::string_view ActaStateName(ActaState s);          // "draft", ..., "foot_signature", ...
std::string_view SignatureKindName(SignatureKind k);  // "rubric", "foot"
/// Spanish name of a state, for people ("firma al calce", "archivada").
std::string ActaStateEs(ActaState s);

struct NewActa {
  ActaKind kind = ActaKind::kSessionMinute;
  int64_t secretariat_id = 0;
  /// Required for a session minute (a closed session, one minute per session); optional
  /// for an installation acta (the installation session, closed).
  std::optional<int64_t> session_id;
  std::string title;
  std::string content_json;  // a JSON object, at most 1 MiB
  /// The acta's date when there is no session (installation acta without one).
  std::optional<std::chrono::year_month_day> acta_date;
};

struct RequiredSigner {
  int64_t person_id = 0;
  std::string capacity;  // "titular", "substitute", "facilitator", "subscriber"
  std::optional<int64_t> seat_id;
  bool added_by_facilitator = false;
};

struct ActaApproval {
  int64_t id = 0;
  int round = 0;
  int version = 0;
  std::chrono::year_month_day approved_on;
  Tally tally;
  std::string certified_blob_id;  // empty until certified
  bool superseded = false;
  /// SHA-256 (64 lower-case hex) of the approved version's content JSON, exactly as stored
  /// (Actas::Version): what the printed QR code and "cadena" carry.
  std::string content_sha256;
};

struct ActaSignature {
  int64_t id = 0;
  int approval_round = 0;
  int64_t person_id = 0;
  SignatureKind kind = SignatureKind::kRubric;
  Instant at;
  std::chrono::year_month_day local_date;
  std::string blob_id;  // the revision this signature produced
  std::string warning;  // set when accepted under the "warn" same-date rule
};

/// Where in the rendered version a review comment points (both optional, 1-based): a page
/// of the PDF and a paragraph of that page (or of the acta when no page is given).
struct CommentAnchor {
  static constexpr int kMaxPage = 1000;        // pdf::RenderOptions::max_pages
  static constexpr int kMaxParagraph = 10000;
  std::optional<int> page;
  std::optional<int> paragraph;
};

struct ActaComment {
  int64_t id = 0;
  int version = 0;
  int64_t person_id = 0;
  Instant at;
  std::string text;
  CommentAnchor anchor;
};

struct ActaRecord {
  int64_t id = 0;
  int64_t secretariat_id = 0;
  ActaKind kind = ActaKind::kSessionMinute;
  std::optional<int64_t> session_id;
  /// The acta's folio, assigned at its first approval and kept for good:
  /// "<STL|STM>-<PLACE>-<year>-<number>", e.g. "STM-ZAMORA-2022-001" (letters, digits and
  /// hyphens only: it is part of the verification address printed on every page). Empty
  /// before approval.
  std::string folio;
  std::string title;
  std::chrono::year_month_day acta_date;
  ActaState state = ActaState::kDraft;
  int current_version = 0;
  std::string current_blob_id;   // latest revision (certified, then each signature)
  std::string archived_blob_id;  // after archive
  bool complete = false;         // every required signer rubricated and signed at the foot
                                 // in the current round
  std::optional<Instant> delivered_at;
  std::string delivered_to;  // agency name
  std::string receipt_blob_id;
  std::vector<RequiredSigner> signers;
  std::vector<ActaApproval> approvals;    // oldest first; the last is current
  std::vector<ActaSignature> signatures;  // every round, oldest first
};

struct SignatureOutcome {
  int64_t signature_id = 0;
  std::string blob_id;
  ActaState state = ActaState::kRubric;  // state after the signature
  bool complete = false;
  std::string warning;  // non-empty when accepted with a same-date warning
  ActaRecord acta;      // the acta after the signature (as Get would return it)
};

/// How many times an acta record was read from the database in this process (Get, List and
/// every operation's own read): a counter for tests that prove a road reads an acta once.
uint64_t ActaReadsSoFar();

class Actas {
 public:
  Actas(store::Database& db, const Clock& clock, ActaDocumentEngine& engine, Logger& logger)
      : db_(db), clock_(clock), engine_(engine), logger_(logger) {}

  /// Facilitator. Refusals: workflows.bad_input, workflows.bad_content,
  /// workflows.out_of_turn (session not closed), workflows.acta_exists.
  Result<int64_t> CreateDraft(const Actor& actor, const NewActa& acta);
  /// Facilitator, in draft or review. Returns the new version number.
  Result<int> AddVersion(const Actor& actor, int64_t acta_id, const std::string& content_json);
  /// Facilitator: draft -> review.
  Status SubmitForReview(const Actor& actor, int64_t acta_id);
  /// A member in force, the facilitator or a required signer, in review only. `anchor`
  /// outside 1..kMaxPage / 1..kMaxParagraph: workflows.bad_input (a page past the rendered
  /// version's last is the caller's to check: the workflow does not render).
  Result<int64_t> Comment(const Actor& actor, int64_t acta_id, const std::string& text,
                          const CommentAnchor& anchor = {});
  /// Facilitator, in draft or review. `capacity` e.g. "subscriber". Refusals:
  /// workflows.already_required, workflows.not_found (person).
  Status AddRequiredSigner(const Actor& actor, int64_t acta_id, int64_t person_id,
                           const std::string& capacity);
  /// Facilitator, in draft or review. workflows.not_a_required_signer when absent; the
  /// last signer cannot be removed (workflows.bad_input).
  Status RemoveRequiredSigner(const Actor& actor, int64_t acta_id, int64_t person_id);

  /// Facilitator, in review: the members' votes on the latest version (one per seat;
  /// the facilitator's refused). Refusals: workflows.quorum_not_met,
  /// workflows.approval_not_reached, and the vote refusals of Sessions::RecordDecision.
  /// Then certifies (see Certify); an engine error is returned with the acta approved.
  Result<ActaApproval> Approve(const Actor& actor, int64_t acta_id,
                               const std::vector<VoteInput>& votes);
  /// Facilitator, in approved: (re)runs render + certify and moves to rubric (the usual way
  /// is Approve, which certifies; this retries after an engine failure).
  Status Certify(const Actor& actor, int64_t acta_id);
  /// Facilitator, in rubric or foot_signature, incomplete, after the approval date: a new
  /// approval round today. workflows.reapproval_not_needed on the approval date.
  Result<ActaApproval> Reapprove(const Actor& actor, int64_t acta_id,
                                 const std::vector<VoteInput>& votes);

  /// A required signer, in rubric, with their PIN or their device's signature (consumed:
  /// a PIN is wiped once used). Refusals: workflows.not_a_required_signer,
  /// workflows.out_of_turn, workflows.already_signed, workflows.signature_date_passed,
  /// then the engine's (wrong PIN, key not the one the signer list binds...). A signature
  /// that lands meanwhile is not an error: this one extends it.
  Result<SignatureOutcome> Rubricate(const Actor& actor, int64_t acta_id,
                                     SigningCredential credential);
  /// A required signer who rubricated, in foot_signature. Same refusals.
  Result<SignatureOutcome> SignFoot(const Actor& actor, int64_t acta_id,
                                    SigningCredential credential);
  /// Rubricate (kind kRubric) or SignFoot (kFoot) on `seen`, the acta as the caller has
  /// just read it with Get (so that it is not read again): the checks run on `seen`, and
  /// only if the acta moved on before the acta's lock is taken is it read again and
  /// checked anew. `seen` must come from Get or List, unchanged.
  Result<SignatureOutcome> Sign(const Actor& actor, const ActaRecord& seen, SignatureKind kind,
                                SigningCredential credential);

  /// Runs every check of Rubricate (kind kRubric) or SignFoot (kFoot) for `actor` now,
  /// without signing, and returns the request the engine would be given (credential
  /// empty): the current revision, the approval round, the signer's slot. For external
  /// signing, what the member's device signs is prepared from exactly this request (the
  /// engine's PrepareExternal). Same refusals as Rubricate/SignFoot. Read-only.
  Result<SignatureRequest> PrepareSignature(const Actor& actor, int64_t acta_id,
                                            SignatureKind kind) const;

  /// Garante or facilitator, complete acta in foot_signature -> archived.
  /// workflows.incomplete when a signature is missing.
  Status Archive(const Actor& actor, int64_t acta_id);
  /// Garante or facilitator (or the administrator: the installation recording the agency's
  /// verified receipt of a package, delivery/), archived -> delivered to the agency in force
  /// on the acta's date (workflows.no_agency), with the receipt's blob id.
  Status MarkDelivered(const Actor& actor, int64_t acta_id, const std::string& receipt_blob_id);

  /// The blob id of the certified copy of the acta's sealed revision (archived or
  /// delivered), made by the engine the first time it is asked for and recorded
  /// (wf_certified_copy) with an audit entry naming `requested_by` ("account:7",
  /// "cli:maria"); later calls return the recorded one. workflows.not_archived (kConflict)
  /// before the acta is archived; the engine's errors.
  Result<std::string> CertifiedCopy(int64_t acta_id, std::string_view requested_by);
  /// The blob id of the certified copy recorded for the acta's sealed revision, or nullopt
  /// when none was made yet (a read, no engine work): for callers that admit the making
  /// of a copy apart from serving a made one. workflows.not_archived as CertifiedCopy.
  Result<std::optional<std::string>> RecordedCertifiedCopy(int64_t acta_id) const;

  Result<ActaRecord> Get(int64_t acta_id) const;
  /// The acta with folio `folio`; workflows.not_found when none has it.
  Result<ActaRecord> GetByFolio(const std::string& folio) const;
  /// The actas of a secretariat, by date then id. workflows.not_found for an unknown
  /// secretariat.
  Result<std::vector<ActaRecord>> List(int64_t secretariat_id) const;
  /// The content of version `version` (1-based).
  Result<std::string> Version(int64_t acta_id, int version) const;
  Result<std::vector<ActaComment>> Comments(int64_t acta_id) const;

  /// The archive's renewal (PAdES-LTA, workflows/src/renewals.cc), for the scheduler and
  /// `rubrica renew`, as the system (no actor): under the acta's lock, asks the engine to
  /// judge the archived acta against `policy` and renew it when due (ActaDocumentEngine::
  /// Renew), then records the renewed blob as archived_blob_id with the audit entry
  /// "acta.renewed" (actor "system": from and to blob, reason). Idempotent: an acta just
  /// renewed is not due. Refusals: workflows.out_of_turn (not archived), the engine's.
  Result<RenewalOutcome> RenewArchive(int64_t acta_id, const RenewalPolicy& policy, bool dry_run);
  /// The ids of the archived actas, ascending (delivered ones included).
  Result<std::vector<int64_t>> ArchivedActaIds();

 private:
  struct PreparedSignature;  // the request, the approval it extends, a same-date warning
  Result<PreparedSignature> Prepare(store::Transaction& tx, const Actor& actor,
                                    const ActaRecord& acta, SignatureKind kind) const;
  Result<SignatureOutcome> SignById(const Actor& actor, int64_t acta_id, SignatureKind kind,
                                    SigningCredential credential);
  Result<ActaApproval> ApproveRound(const Actor& actor, int64_t acta_id,
                                    const std::vector<VoteInput>& votes, bool reapproval);
  Status CertifyLocked(const Actor& actor, int64_t acta_id);  // holding acta_id's lock

  store::Database& db_;
  const Clock& clock_;
  ActaDocumentEngine& engine_;
  Logger& logger_;
  KeyedMutex acta_locks_;  // one per acta id (see the header comment)
};

}  // namespace rubrica::workflows
