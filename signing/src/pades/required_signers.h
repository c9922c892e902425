// Matching signatures to the required signers listed in the certified revision, and the
// completeness verdict built from that.
#pragma once

#include "rubrica/keys/certificate.h"
#include "rubrica/pdf/signature_plan.h"
#include "rubrica/signing/verify_report.h"

namespace rubrica::signing {

class RequiredSignerIndex {
 public:
  /// `list` may be null (not a Rúbrica acta): then Match does nothing.
  explicit RequiredSignerIndex(const pdf::SignerList* list) : list_(list) {}
  /// Sets entry.required_signer and entry.signer_matches for a rubric or foot signature:
  /// the field must belong to a required signer, and the certificate must be that person's
  /// (by certificate fingerprint when the list has one, else public key, CURP, RFC, e-mail,
  /// then name).
  void Match(SignatureEntry& entry, const keys::Certificate& signer) const;

 private:
  const pdf::SignerList* list_;
};

/// Fills `out` from the list and the checked signatures.
void BuildCompleteness(const pdf::SignerList& list, const std::vector<SignatureEntry>& signatures,
                       Completeness& out);

}  // namespace rubrica::signing
