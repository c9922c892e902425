// The seam between the acta workflow and the modules that own the PDF bytes.
//
// The workflow decides *when* and *by whom* (state, roles, required signers, dates); the
// engine produces *the bytes*: it renders and certifies the approved version, applies one
// rubric or foot signature as a new incremental revision, and seals the complete acta for
// the archive. Every result is the id of a blob in the installation's BlobStore; the
// engine never touches the workflow's tables.
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
#include <string>
#include <vector>

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

enum class SignatureKind { kRubric, kFoot };

struct SignatureRequest {
  int64_t acta_id = 0;
  int approval_round = 1;
  std::string input_blob_id;  // the acta's current revision
  SignatureKind kind = SignatureKind::kRubric;
  SignerSlot signer;
  /// Opaque to the workflow: what the engine needs to unlock the signer's key (a PIN) or
  /// to find a deferred external signature. The workflow never stores or logs it.
  std::string credential;
};

struct SealRequest {
  int64_t acta_id = 0;
  std::string input_blob_id;  // the complete acta
};

class ActaDocumentEngine {
 public:
  virtual ~ActaDocumentEngine() = default;
  /// Renders the approved content and certifies it (DocMDP: only signatures may follow).
  /// Returns the blob id of the certified PDF.
  virtual Result<std::string> RenderAndCertify(const CertifyRequest& request) = 0;
  /// Applies one signature (a rubric on every page, or the foot signature) as a new
  /// revision of `input_blob_id`. Returns the new revision's blob id.
  virtual Result<std::string> ApplySignature(const SignatureRequest& request) = 0;
  /// Seals the complete acta for long-term archiving (document timestamp, validation
  /// material). Returns the sealed PDF's blob id.
  virtual Result<std::string> Seal(const SealRequest& request) = 0;
};

}  // namespace rubrica::workflows
