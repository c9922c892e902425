#include "fake_engine.h"

#include <chrono>

namespace rubrica::workflows::testing {

namespace {

struct FakeSigner final : UnlockedSigner {
  explicit FakeSigner(int64_t p) : person_id(p) {}
  int64_t person_id;
};

}  // namespace

Status FakeEngine::MaybeFail() {
  if (!fail_next_) return Status::Ok();
  fail_next_ = false;
  return Status::Error(ErrorKind::kUnavailable, "engine.unavailable", "fake engine told to fail",
                       "El servicio de documentos no está disponible.");
}

Status FakeEngine::CheckContent(std::string_view) const { return Status::Ok(); }

Result<DraftDocument> FakeEngine::RenderDraft(const DraftRequest& r) const {
  return DraftDocument{"FAKE-DRAFT version=" + std::to_string(r.version) + "\n" + r.content_json, 1};
}

Result<Certification> FakeEngine::RenderAndCertify(const CertifyRequest& r) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(MaybeFail());
  certified.push_back(r);
  std::string doc =
      "FAKE-PDF acta=" + std::to_string(r.acta_id) + " round=" + std::to_string(r.approval_round) +
      " version=" + std::to_string(r.version) + "\n" + r.content_json + "\ncertified\n";
  for (const auto& s : r.signers)
    doc += "slot " + std::to_string(s.person_id) + " " + s.capacity + "\n";
  ASSIGN_OR_RETURN(std::string blob, blobs_.Put(doc));
  return Certification{blob, {}};
}

Result<std::unique_ptr<UnlockedSigner>> FakeEngine::Unlock(const SignerSlot& signer,
                                                           SigningCredential credential) {
  const int64_t person_id = signer.person_id;
  if (during_next_unlock) {
    auto hook = std::move(during_next_unlock);
    during_next_unlock = nullptr;
    hook();
  }
  std::unique_lock<std::mutex> lock(mu_);
  unlocked_with.push_back(credential.is_pin() ? "pin:" + std::string(credential.pin().view())
                                              : "device:" + credential.device().prepared_state);
  if (unlock_rendezvous > 1) {
    ++unlocking_;
    arrived_.notify_all();
    const bool met = arrived_.wait_for(lock, std::chrono::seconds(10),
                                       [&] { return unlocking_ >= unlock_rendezvous; });
    if (!met) {
      --unlocking_;
      return Status::Error(ErrorKind::kInternal, "fake.unlocks_serialised",
                           "only " + std::to_string(unlocking_ + 1) + " of " +
                               std::to_string(unlock_rendezvous) + " unlocks ever ran at once");
    }
  }
  if (credential.is_pin() && credential.pin().empty()) {
    return Status::Error(ErrorKind::kUnauthenticated, "keys.wrong_pin", "empty PIN",
                         "PIN incorrecto.");
  }
  return std::unique_ptr<UnlockedSigner>(new FakeSigner(person_id));
}

Result<std::string> FakeEngine::ApplySignature(const SignatureRequest& r, UnlockedSigner& signer) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(MaybeFail());
  if (static_cast<FakeSigner&>(signer).person_id != r.signer.person_id) {
    return Status::Error(ErrorKind::kInternal, "fake.wrong_signer", "unlocked for someone else");
  }
  ASSIGN_OR_RETURN(std::string doc, blobs_.Get(r.input_blob_id));
  signed_requests.push_back(r);
  doc += std::string(r.kind == SignatureKind::kRubric ? "rubric " : "foot ") +
         std::to_string(r.signer.person_id) + "\n";
  return blobs_.Put(doc);
}

Result<ExternalPreparation> FakeEngine::PrepareExternal(const SignatureRequest& r) {
  ExternalPreparation p;
  p.state = r.input_blob_id;
  p.signed_attributes = "attributes over " + r.input_blob_id;
  p.algorithm = "ECDSA-SHA256";
  return p;
}

Result<std::string> FakeEngine::Seal(const SealRequest& r) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(MaybeFail());
  ASSIGN_OR_RETURN(std::string doc, blobs_.Get(r.input_blob_id));
  sealed.push_back(r);
  return blobs_.Put(doc + "sealed\n");
}

Result<std::string> FakeEngine::MakeCertifiedCopy(const CertifiedCopyRequest& r) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(MaybeFail());
  RETURN_IF_ERROR(blobs_.Get(r.sealed_blob_id).status());
  copies.push_back(r);
  std::string doc = "FAKE-COPY of " + r.sealed_blob_id + "\n";
  for (const auto& s : r.signers) doc += s.full_name + " (" + s.capacity + ")\n";
  return blobs_.Put(doc);
}

}  // namespace rubrica::workflows::testing
