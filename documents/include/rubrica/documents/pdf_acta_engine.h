// The real ActaDocumentEngine: checks acta content against the acta format, renders approved
// actas (pdf::RenderActa), certifies them with the secretariat's seal (DocMDP P=2), applies
// each rubric and foot signature as an incremental PAdES revision signed with the member's
// own key, prepares external signatures for the member's device, and seals complete actas
// for the archive (DSS validation material and a document timestamp). Every result is a
// blob in the installation's BlobStore; inputs are read back from it and verified by hash.
//
// Credentials (workflows::SigningCredential), never stored or logged:
//   a PIN           Unlock() decrypts the member's server-held key (keys::KeyStore) with it
//                   for this one signature; the key is dropped with the UnlockedSigner;
//   a device        the signature value made on the member's device over what
//   signature       PrepareExternal returned, with the state it returned.
//
// Which key: at certification, the newest active credential of holder "person:<id>" in
// the KeyStore (server-held first, else external) is bound into the signer list, and
// returned in Certification::bound_keys; each signature then uses the credential with that
// key (SignerSlot::key_sha256), even when the member has registered a newer one since, until
// it is revoked (engine.bound_key_revoked). Members enrolled at the local CA hold a second
// certificate on the same key for rubrics (docs/pdf-signatures.md explains why).
//
// Thread-safe, and lock-free: calls run in parallel, on one acta or many. Putting the
// signatures of one acta in order is the caller's job (workflows::Actas holds a per-acta
// lock around ApplySignature and the write that records it).
#pragma once

#include <memory>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/documents/holder_id.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/keys/trust_store.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/workflows/acta_document_engine.h"

namespace rubrica::documents {

struct PdfActaEngineOptions {
  /// Where LiberationSans-*.ttf live. Default Debian's fonts-liberation directory.
  std::string font_dir = "/usr/share/fonts/truetype/liberation";
  /// The secretariat's time zone for dates printed in appearances and /M.
  std::string time_zone = "America/Mexico_City";
  /// Place printed as the signature /Location (e.g. "Zamora, Michoacán"). Optional.
  std::string location;
  /// The service's public base URL (configuration key `public_url`, e.g.
  /// "https://actas.zamora.gob.mx"; a trailing '/' is ignored). Every page of a certified
  /// acta then carries a QR code of <public_url>/v/<folio>/<CONTENT HASH> (hex in capitals)
  /// beside its folio. Empty: the folio and the cadena are printed without a QR code.
  /// A URL the QR code cannot carry (pdf::RenderOptions::public_url) fails the
  /// certification with pdf.bad_render_options.
  std::string public_url;
};

class PdfActaEngine final : public workflows::ActaDocumentEngine {
 public:
  /// Collaborators are not owned and must outlive the engine.
  PdfActaEngine(store::BlobStore& blobs, keys::KeyStore& keys, const keys::LocalCa& ca,
                const keys::TrustStore& trust, signing::TimestampClient& tsa, const Clock& clock,
                Logger& logger, PdfActaEngineOptions options = {});
  ~PdfActaEngine() override;

  /// pdf::ParseActaJson's verdict (its codes: pdf.bad_acta_json and the like).
  Status CheckContent(std::string_view content_json) const override;
  /// Every page prints the request's folio (and the QR code, see public_url) and the last
  /// page the cadena, the request's content_sha256. Errors: engine.content_hash_mismatch
  /// (kInvalidArgument) when content_sha256 is not the SHA-256 of content_json; the
  /// renderer's (pdf.*), the seal's and the TSA's.
  Result<workflows::Certification> RenderAndCertify(
      const workflows::CertifyRequest& request) override;
  /// Errors: engine.no_credential (kNotFound) when the person has no server-held key (or
  /// the acta binds a device-held one), engine.bound_key_revoked (kRejected) when the key
  /// the acta binds was revoked, the KeyStore's (keys.wrong_pin, keys.locked,
  /// keys.certificate_revoked...); for a device signature engine.bad_credential
  /// (malformed), engine.wrong_credential (not the person's active certificate).
  Result<std::unique_ptr<workflows::UnlockedSigner>> Unlock(
      const workflows::SignerSlot& signer, workflows::SigningCredential credential) override;
  /// Errors: engine.not_in_signer_list (the key is not the one the certified signer list
  /// binds), engine.revision_moved (a device signature prepared for another revision, field
  /// or person), signing.bad_external_signature, the TSA's (signing.tsa_*).
  Result<std::string> ApplySignature(const workflows::SignatureRequest& request,
                                     workflows::UnlockedSigner& signer) override;
  /// Errors: engine.no_external_credential (kNotFound) when the person has no external
  /// certificate.
  Result<workflows::ExternalPreparation> PrepareExternal(
      const workflows::SignatureRequest& request) override;
  Result<std::string> Seal(const workflows::SealRequest& request) override;
  /// documents/src/renewal.h. Errors: engine.not_sealed (kConflict), engine.bad_archive_seal
  /// (kDataLoss: the last timestamp does not check out for a reason other than a
  /// deprecated digest), engine.tsa_certificate_expiring (kConflict: the TSA's current
  /// certificate is itself due; rotate it first), the TSA's (signing.tsa_*).
  Result<workflows::RenewalOutcome> Renew(const workflows::RenewRequest& request) override;
  /// The ZIP of documents/src/certified_copy.h, stored as a blob. Errors:
  /// engine.copy_of_invalid_acta when the sealed PDF does not verify valid and complete
  /// against the installation's trust, the renderer's, the seal's and the TSA's.
  Result<std::string> MakeCertifiedCopy(const workflows::CertifiedCopyRequest& request) override;
  /// pdf::RenderActa with RenderOptions::draft (pdf.* codes).
  Result<workflows::DraftDocument> RenderDraft(
      const workflows::DraftRequest& request) const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rubrica::documents
