// A stand-in for the PDF engine (our own ActaDocumentEngine interface): it writes small
// text "revisions" into a real BlobStore, each one the previous plus one line, and records
// every call so tests can check what the workflow asked for, and when.
#pragma once

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

  Result<std::string> RenderAndCertify(const CertifyRequest& r) override;
  Result<std::string> ApplySignature(const SignatureRequest& r) override;
  Result<std::string> Seal(const SealRequest& r) override;

  /// The next call fails with engine.unavailable (once).
  void FailNext() { fail_next_ = true; }
  /// Called (once, then cleared) inside the next ApplySignature, before it returns: lets a
  /// test land another signature while this one is being applied.
  std::function<void()> during_next_apply;

  std::vector<CertifyRequest> certified;
  std::vector<SignatureRequest> signed_requests;
  std::vector<SealRequest> sealed;

 private:
  Status MaybeFail();
  const store::BlobStore& blobs_;
  bool fail_next_ = false;
  std::mutex mu_;
};

}  // namespace rubrica::workflows::testing
