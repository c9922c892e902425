// A stand-in for the PDF engine (our own ActaDocumentEngine interface): it writes small
// text "revisions" into a real BlobStore, each one the previous plus one line, and records
// every call so tests can check what the workflow asked for, and when.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "rubrica/store/blob_store.h"
#include "rubrica/workflows/acta_document_engine.h"

namespace rubrica::workflows::testing {

class FakeEngine final : public ActaDocumentEngine {
 public:
  explicit FakeEngine(const store::BlobStore& blobs) : blobs_(blobs) {}

  /// Any content passes (the acta format is the real engine's business).
  Status CheckContent(std::string_view content_json) const override;
  Result<Certification> RenderAndCertify(const CertifyRequest& r) override;
  /// An empty PIN is wrong (keys.wrong_pin); any other PIN, or a device signature, unlocks.
  Result<std::unique_ptr<UnlockedSigner>> Unlock(const SignerSlot& signer,
                                                 SigningCredential credential) override;
  Result<std::string> ApplySignature(const SignatureRequest& r, UnlockedSigner& signer) override;
  Result<ExternalPreparation> PrepareExternal(const SignatureRequest& r) override;
  Result<std::string> Seal(const SealRequest& r) override;
  /// "FAKE-COPY of <sealed blob>" and the request's signers.
  Result<std::string> MakeCertifiedCopy(const CertifiedCopyRequest& r) override;
  /// "FAKE-DRAFT" and the content (one page).
  Result<DraftDocument> RenderDraft(const DraftRequest& r) const override;

  /// The next call fails with engine.unavailable (once).
  void FailNext() { fail_next_ = true; }
  /// Called (once, then cleared) inside the next Unlock, before it returns: lets a test
  /// land another signature while this one is unlocking its key.
  std::function<void()> during_next_unlock;
  /// When > 1, Unlock waits (up to 10 s) until this many Unlock calls are in progress at
  /// once, and fails with fake.unlocks_serialised if they never are.
  int unlock_rendezvous = 0;

  std::vector<CertifyRequest> certified;
  std::vector<SignatureRequest> signed_requests;
  std::vector<SealRequest> sealed;
  std::vector<CertifiedCopyRequest> copies;
  /// What each Unlock was given: "pin:<PIN>" or "device:<prepared state>".
  std::vector<std::string> unlocked_with;

 private:
  Status MaybeFail();
  const store::BlobStore& blobs_;
  bool fail_next_ = false;
  std::mutex mu_;
  std::condition_variable arrived_;
  int unlocking_ = 0;
};

}  // namespace rubrica::workflows::testing
