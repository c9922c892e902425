// The real ActaDocumentEngine: renders approved actas (pdf::RenderActa), certifies them with
// the secretariat's seal (DocMDP P=2), applies each rubric and foot signature as an
// incremental PAdES revision signed with the member's own key, and seals complete actas for
// the archive (DSS validation material and a document timestamp). Every result is a blob in
// the installation's BlobStore; inputs are read back from it and verified by hash.
//
// Credentials (SignatureRequest::credential), never stored or logged:
//   "pin:<PIN>"          the member's server-held key (keys::KeyStore) is unlocked with the
//                        PIN for this one signature, then dropped;
//   "external:<token>"   the signature value made on the member's device over what
//                        PrepareExternal returned; <token> is ExternalCredential(state, sig).
//
// Which key: the newest active credential of holder "person:<id>" in the KeyStore (for
// external signing, the newest external one). Members enrolled at the local CA hold a
// second certificate on the same key for rubrics (docs/pdf-signatures.md explains why).
//
// Thread-safe. Work on one acta is serialised per acta id (signatures of one acta never run
// at once); different actas proceed in parallel.
#pragma once

#include <memory>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/workflows/acta_document_engine.h"

namespace rubrica::documents {

/// Holder id of a person in the KeyStore: "person:<id>".
std::string HolderIdFor(int64_t person_id);

struct PdfActaEngineOptions {
  /// Where LiberationSans-*.ttf live. Default Debian's fonts-liberation directory.
  std::string font_dir = "/usr/share/fonts/truetype/liberation";
  /// The secretariat's time zone for dates printed in appearances and /M.
  std::string time_zone = "America/Mexico_City";
  /// Place printed as the signature /Location (e.g. "Zamora, Michoacán"). Optional.
  std::string location;
};

/// What a device must sign for an external signature, and the state to hand back.
struct ExternalPreparation {
  std::string state;              // opaque (base64url), give it back with the signature
  std::string signed_attributes;  // DER: what a device that hashes by itself signs
  std::string digest_to_sign;     // SHA-256 of signed_attributes (for devices signing digests)
  std::string algorithm;          // "ECDSA-SHA256" or "RSASSA-PKCS1-v1_5-SHA256"
  std::string certificate_sha256; // the certificate the signature must verify with
};

class PdfActaEngine final : public workflows::ActaDocumentEngine {
 public:
  /// Collaborators are not owned and must outlive the engine.
  PdfActaEngine(store::BlobStore& blobs, keys::KeyStore& keys, const keys::LocalCa& ca,
                const keys::TrustStore& trust, signing::TimestampClient& tsa, const Clock& clock,
                Logger& logger, PdfActaEngineOptions options = {});
  ~PdfActaEngine() override;

  Result<std::string> RenderAndCertify(const workflows::CertifyRequest& request) override;
  Result<std::string> ApplySignature(const workflows::SignatureRequest& request) override;
  Result<std::string> Seal(const workflows::SealRequest& request) override;

  /// Prepares an external signature of `request` (its credential is ignored): fixes the
  /// signing time and the revision to be appended to request.input_blob_id. Errors:
  /// engine.no_external_credential (kNotFound) when the person has no external certificate.
  Result<ExternalPreparation> PrepareExternal(const workflows::SignatureRequest& request);
  /// The credential string that finishes a prepared external signature.
  static std::string ExternalCredential(std::string_view state, std::string_view signature_value);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rubrica::documents
