#include "fake_engine.h"

namespace rubrica::workflows::testing {

Status FakeEngine::MaybeFail() {
  if (!fail_next_) return Status::Ok();
  fail_next_ = false;
  return Status::Error(ErrorKind::kUnavailable, "engine.unavailable", "fake engine told to fail",
                       "El servicio de documentos no está disponible.");
}

Result<std::string> FakeEngine::RenderAndCertify(const CertifyRequest& r) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(MaybeFail());
  certified.push_back(r);
  std::string doc =
      "FAKE-PDF acta=" + std::to_string(r.acta_id) + " round=" + std::to_string(r.approval_round) +
      " version=" + std::to_string(r.version) + "\n" + r.content_json + "\ncertified\n";
  for (const auto& s : r.signers)
    doc += "slot " + std::to_string(s.person_id) + " " + s.capacity + "\n";
  return blobs_.Put(doc);
}

Result<std::string> FakeEngine::ApplySignature(const SignatureRequest& r) {
  if (during_next_apply) {
    auto hook = std::move(during_next_apply);
    during_next_apply = nullptr;
    hook();
  }
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(MaybeFail());
  if (r.credential.empty()) {
    return Status::Error(ErrorKind::kUnauthenticated, "keys.wrong_pin", "empty PIN",
                         "PIN incorrecto.");
  }
  ASSIGN_OR_RETURN(std::string doc, blobs_.Get(r.input_blob_id));
  signed_requests.push_back(r);
  doc += std::string(r.kind == SignatureKind::kRubric ? "rubric " : "foot ") +
         std::to_string(r.signer.person_id) + "\n";
  return blobs_.Put(doc);
}

Result<std::string> FakeEngine::Seal(const SealRequest& r) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(MaybeFail());
  ASSIGN_OR_RETURN(std::string doc, blobs_.Get(r.input_blob_id));
  sealed.push_back(r);
  return blobs_.Put(doc + "sealed\n");
}

}  // namespace rubrica::workflows::testing
