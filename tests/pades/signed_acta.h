// A rendered acta carried through certification, every rubric and every foot signature by
// fictional members, with the embedded TSA over real HTTP: the raw material of the
// verifier's tests (each stage kept, for rollbacks and attacks).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/pdf/cos/signature_update.h"
#include "rubrica/signing/timestamp_client.h"
#include "signing/test_pki.h"
#include "signing/tsa_server.h"
#include "support/test_support.h"

namespace rubrica::pades_testing {

struct Member {
  std::string name;
  signing::testing::Identity foot;        // key + foot certificate
  keys::Certificate rubric_certificate;   // same key, the rubric certificate
};

class SignedActa {
 public:
  /// Renders tests/fixtures/actas/<fixture> approved on 2026-03-14 (the test TSA's day in
  /// Mexico City) with `signers` fictional members (at most 24), and signs it completely.
  explicit SignedActa(const std::string& fixture = "stl-plantilla-instalacion.json", int signers = 3);

  /// The PDF after `n` signatures (0: the approved, unsigned version).
  const std::string& Stage(size_t n) const { return stages_.at(n); }
  const std::string& Complete() const { return stages_.back(); }
  size_t stage_count() const { return stages_.size(); }
  const std::string& anchor_path() const { return anchor_path_; }
  const std::string& dir() const { return dir_.path(); }

  /// Certifies `approved` and has every member rubricate then sign at the foot; returns the
  /// stages (the last is complete). Works on any PDF with the contract's fields.
  std::vector<std::string> SignEverything(const std::string& approved);
  /// Signs `field` of `pdf` as member `k` (1-based) with the right certificate for its kind.
  std::string SignAs(const std::string& pdf, pdf::cos::SignatureRequest req, int k);
  /// Signs with an identity from `pki` (e.g. an untrusted one).
  std::string SignWith(const std::string& pdf, pdf::cos::SignatureRequest req,
                       const signing::testing::Identity& id, const keys::Certificate& ca);
  static pdf::cos::SignatureRequest Request(pdf::cos::SignatureKind kind, int k);

  /// Member `k` (1-based).
  const Member& member(int k) const { return members_.at(k - 1); }
  signing::testing::TestPki& pki() { return pki_; }
  signing::TimestampClient* tsa() { return client_.get(); }

 private:
  rubrica::testing::TempDir dir_;
  signing::testing::TestPki pki_;
  std::unique_ptr<signing::testing::TsaServer> tsa_;
  std::unique_ptr<signing::HttpTimestampClient> client_;
  std::optional<signing::testing::Identity> seal_;
  std::vector<Member> members_;
  std::vector<std::string> stages_;
  std::string anchor_path_;
};

}  // namespace rubrica::pades_testing
