// The seam between the acta workflow and the module that owns the PDF bytes
// (rubrica::documents implements it).
//
// The workflow decides *when* and *by whom* (state, roles, required signers, dates); the
// engine produces *the bytes*: it checks acta content against the acta format, renders and
// certifies the approved version, applies one rubric or foot signature as a new
// incremental revision, prepares what a member's device signs, and seals the complete
// acta for the archive. Every result is the id of a blob in the installation's BlobStore;
// the engine never touches the workflow's tables.
//
// A signature is two calls. Unlock() makes the member's credential ready to sign (for a
// PIN: the key decrypted with scrypt, the slow part) and runs before the workflow takes
// the acta's lock, so signers of one acta never queue behind each other's key derivation.
// ApplySignature() then runs under that lock, on the revision the workflow read under it.
// The engine holds no lock of its own: the workflow's per-acta lock is the one place where
// signatures of one acta are put in order (docs/architecture.md, Threads).
//
// The workflow never calls the engine inside a database transaction (slow work), and
// records the returned blob id afterwards. If the workflow's write then fails, the blob
// stays unreferenced (content-addressed, harmless).
//
// Implementations must be thread-safe. Errors are Status with the engine's own codes;
// the workflow passes them through unchanged.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "rubrica/base/secret_string.h"
#include "rubrica/base/status.h"
#include "rubrica/lang/gender.h"

namespace rubrica::workflows {

/// One person expected to sign, as the rendered signature blocks name them.
struct SignerSlot {
  int64_t person_id = 0;
  std::string full_name;
  std::string title;       // the person's position
  std::string capacity;    // "titular", "substitute", "facilitator", "subscriber"
  std::string represents;  // seat's institution or sector, empty when none
  /// The person's grammatical gender: the post printed for them agrees with it.
  lang::Gender gender = lang::Gender::kNeutral;
  /// The key the acta's certified signer list binds this signer to (hex SHA-256 of its
  /// SubjectPublicKeyInfo, as Certification::bound_keys returned it); empty when the list
  /// binds none (the signer had no credential at certification: bound by name). A
  /// signature uses this key even when the signer has registered a newer one since.
  std::string key_sha256;
};

struct CertifyRequest {
  int64_t acta_id = 0;
  int approval_round = 1;  // 1 at the first approval, +1 at each re-approval
  int version = 0;         // the approved content version
  std::string kind;        // "installation" or "session_minute"
  std::string title;
  std::string secretariat_name;
  std::string place;
  std::chrono::year_month_day approved_on;  // in the secretariat's zone
  std::string content_json;                 // the approved version's content
  std::vector<SignerSlot> signers;          // required signers, in signing-block order
  /// The acta's folio ("STM-ZAMORA-2022-001") and the SHA-256 (hex) of `content_json`:
  /// printed with the verification QR on every page and as the "cadena" on the last.
  std::string folio;
  std::string content_sha256;
};

/// What RenderAndCertify produced: the certified PDF, and the key its signer list binds
/// each signer to (person id, hex SHA-256 of the SubjectPublicKeyInfo), for those who held
/// a credential at certification. The workflow records the binding with the approval round
/// and hands it back in SignerSlot::key_sha256 at each signature.
struct Certification {
  std::string blob_id;
  std::vector<std::pair<int64_t, std::string>> bound_keys;
};

enum class SignatureKind { kRubric, kFoot };

/// A signature value made on the member's own device (e.firma, token) over what
/// ActaDocumentEngine::PrepareExternal returned.
struct DeviceSignature {
  std::string prepared_state;   // ExternalPreparation::state, exactly as returned
  std::string signature_value;  // the raw signature bytes
};

/// What makes a signature the member's own act: the PIN that unlocks their server-held key,
/// or a signature value from their device. The PIN lives in a SecretString (wiped when
/// dropped, never logged); a credential is moved, never copied, down to the engine, which
/// consumes it. Move-only.
class SigningCredential {
 public:
  static SigningCredential Pin(SecretString pin) { return SigningCredential(std::move(pin)); }
  static SigningCredential Device(DeviceSignature signature) {
    return SigningCredential(std::move(signature));
  }

  bool is_pin() const { return std::holds_alternative<SecretString>(value_); }
  /// The PIN. Only when is_pin().
  const SecretString& pin() const { return std::get<SecretString>(value_); }
  /// The device's signature. Only when !is_pin().
  const DeviceSignature& device() const { return std::get<DeviceSignature>(value_); }

 private:
  explicit SigningCredential(SecretString pin) : value_(std::move(pin)) {}
  explicit SigningCredential(DeviceSignature s) : value_(std::move(s)) {}
  std::variant<SecretString, DeviceSignature> value_;
};

struct SignatureRequest {
  int64_t acta_id = 0;
  int approval_round = 1;
  std::string input_blob_id;  // the acta's current revision
  SignatureKind kind = SignatureKind::kRubric;
  SignerSlot signer;
};

/// A credential made ready by ActaDocumentEngine::Unlock, for one ApplySignature: for a PIN
/// the member's decrypted key (wiped when this is destroyed), for a device signature its
/// decoded state. Opaque to the workflow; each engine defines its own.
class UnlockedSigner {
 public:
  virtual ~UnlockedSigner() = default;
};

/// What a device must sign for an external signature, and the state to hand back.
struct ExternalPreparation {
  std::string state;               // opaque (base64url), give it back in DeviceSignature
  std::string signed_attributes;   // DER: what a device that hashes by itself signs
  std::string digest_to_sign;      // SHA-256 of signed_attributes (for devices signing digests)
  std::string algorithm;           // "ECDSA-SHA256" or "RSASSA-PKCS1-v1_5-SHA256"
  std::string certificate_sha256;  // the certificate the signature must verify with
};

/// A version in draft or review, rendered for reading (never signed, never stored).
struct DraftRequest {
  int64_t acta_id = 0;
  int version = 1;
  std::string kind;  // "installation" or "session_minute"
  std::string secretariat_name;
  std::string content_json;  // the version's content
};

/// A rendered draft: every page carries the mark "BORRADOR — sin validez — versión N"; the
/// file has no signature fields.
struct DraftDocument {
  std::string pdf;
  int pages = 0;
};

struct SealRequest {
  int64_t acta_id = 0;
  std::string input_blob_id;  // the complete acta
};

/// When an archived acta's seal must be renewed (PAdES-LTA): its last document timestamp's
/// TSA certificate ends within `margin`, or that timestamp hashes with an algorithm named in
/// `deprecated_digests` ("SHA-1", ...; as the verify report names them).
struct RenewalPolicy {
  std::chrono::days margin{365};
  std::vector<std::string> deprecated_digests{"SHA-1"};
};

struct RenewRequest {
  int64_t acta_id = 0;
  std::string input_blob_id;  // the sealed acta as archived (its last renewal)
  RenewalPolicy policy;
  bool dry_run = false;       // judge only: nothing is timestamped or stored
};

struct RenewalOutcome {
  bool due = false;
  /// "tsa_certificate_expiring" | "deprecated_digest" | "" (not due).
  std::string reason;
  /// The renewed acta's blob id ("" when not due or a dry run).
  std::string blob_id;
  size_t timestamps = 0;                     // document timestamps before this renewal
  std::chrono::sys_seconds last_timestamp{};  // the last one's time
  std::chrono::sys_seconds tsa_not_after{};   // its TSA certificate's end
};

/// One required signer as a certified copy names them.
struct CertifiedCopySigner {
  int64_t person_id = 0;
  std::string full_name;
  std::string capacity;    // "titular", "substitute", "facilitator", "subscriber"
  std::string represents;  // the seat's institution or sector, empty when none
};

/// What a certified copy states besides what the sealed PDF itself proves.
struct CertifiedCopyRequest {
  int64_t acta_id = 0;
  std::string sealed_blob_id;  // the sealed (archived) revision
  std::string folio;
  std::string title;
  std::string kind;  // "installation" or "session_minute"
  std::string secretariat_name;
  std::chrono::year_month_day acta_date;
  std::string state;     // "archived" or "delivered"
  std::string state_es;  // "archivada", "entregada"
  std::vector<CertifiedCopySigner> signers;  // required signers of the current round
};

class ActaDocumentEngine {
 public:
  virtual ~ActaDocumentEngine() = default;

  /// Whether `content_json` is acta content the engine can render (docs/acta-format.md):
  /// checked before content is stored, so a draft that cannot render never waits for its
  /// approval to fail. Errors carry the format's own code and the JSON path.
  virtual Status CheckContent(std::string_view content_json) const = 0;

  /// Renders the approved content and certifies it (DocMDP: only signatures may follow).
  /// Returns the certified PDF's blob id and the keys its signer list binds.
  virtual Result<Certification> RenderAndCertify(const CertifyRequest& request) = 0;

  /// The first half of a signature by `signer`, before the acta's lock: makes `credential`
  /// ready to sign. A PIN unlocks the signer's server-held key (slow: scrypt; a wrong PIN
  /// counts towards the key's lock-out) and is wiped before this returns; a device
  /// signature is decoded and its certificate checked to be the signer's, active. The key
  /// is the one signer.key_sha256 names when it names one (the acta's binding), else the
  /// signer's newest.
  virtual Result<std::unique_ptr<UnlockedSigner>> Unlock(const SignerSlot& signer,
                                                         SigningCredential credential) = 0;
  /// The second half: applies one signature (a rubric on every page, or the foot signature)
  /// with `signer` (from Unlock, for request.signer.person_id) as a new revision of
  /// request.input_blob_id, read and parsed once. Returns the new revision's blob id.
  virtual Result<std::string> ApplySignature(const SignatureRequest& request,
                                             UnlockedSigner& signer) = 0;

  /// Prepares an external signature of `request`: fixes the signing time and the revision
  /// to be appended to request.input_blob_id, and returns what the device signs. Finish it
  /// with Unlock(SigningCredential::Device{state, value}) then ApplySignature on the same
  /// revision (another revision is refused: engine.revision_moved).
  virtual Result<ExternalPreparation> PrepareExternal(const SignatureRequest& request) = 0;

  /// Renders a draft or a version under review for people to read: the watermark on every
  /// page, no form fields, no signature, nothing stored. Errors: the format's codes.
  virtual Result<DraftDocument> RenderDraft(const DraftRequest& request) const = 0;

  /// Seals the complete acta for long-term archiving (document timestamp, validation
  /// material). Returns the sealed PDF's blob id.
  virtual Result<std::string> Seal(const SealRequest& request) = 0;

  /// Judges an archived acta against request.policy and, when due (and not a dry run),
  /// appends a renewal revision (validation material of the last timestamp and a new
  /// document timestamp) as a new blob. Idempotent in effect: a renewed acta is not due
  /// again until its new timestamp's certificate nears its end. The default refuses
  /// (engine.renewal_unsupported) for engines without an archive.
  virtual Result<RenewalOutcome> Renew(const RenewRequest& request) {
    (void)request;
    return Status::Error(ErrorKind::kInternal, "engine.renewal_unsupported",
                         "this document engine cannot renew archive seals");
  }

  /// The certified copy ("copia certificada electrónica") of a sealed acta: a ZIP with the
  /// sealed PDF, the verification report in XML signed by the seal, and the human-readable
  /// constancia de verificación as a PDF signed by the seal. Returns the ZIP's blob id.
  virtual Result<std::string> MakeCertifiedCopy(const CertifiedCopyRequest& request) = 0;
};

}  // namespace rubrica::workflows
