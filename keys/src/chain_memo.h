// ChainMemo: the outcome of OpenSSL's chain building and checking (X509_verify_cert) for
// inputs already seen, within one TrustStore. A signed PDF validates the same few chains
// dozens of times (every signature's signer and time-stamp authority, each at its own
// time): a 27-signature acta asks for 54 chains made of ~15 distinct leaves.
//
// Why a remembered outcome is exactly the one X509_verify_cert would give again: with the
// store's flags (partial chains, an explicit check time, no CRL checking) its result is a
// function of the anchors (fixed: the memo is cleared when one is added), the leaf, the
// untrusted certificates in their order, and of the time only through one comparison per
// certificate and bound, X509_cmp_time(notBefore | notAfter, time). The key holds the exact
// DER of the leaf and of each untrusted certificate, in order, and those two comparisons for
// every certificate it may consider (leaf, untrusted and anchors); the same key is the same
// computation. Purpose, revocation and everything after the chain is built are not
// remembered: TrustStore::Validate runs them on every call.
//
// Thread-safe. Bounded in entries and in key bytes (oldest forgotten first).
#pragma once

#include <cstdint>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/keys/certificate.h"

namespace rubrica::keys {

/// What X509_verify_cert answered.
struct ChainOutcome {
  int verified = 0;  // its return value
  int error = 0;     // X509_STORE_CTX_get_error
  int depth = -1;    // X509_STORE_CTX_get_error_depth
  std::vector<Certificate> chain;  // X509_STORE_CTX_get1_chain, leaf first
  bool out_of_memory = false;      // the context could not be made (never remembered)
};

class ChainMemo {
 public:
  /// The key of one X509_verify_cert call (see above); "" when the inputs are too large to
  /// remember.
  static std::string Key(const Certificate& leaf, const std::vector<Certificate>& untrusted,
                         const std::vector<Certificate>& anchors, std::time_t at);

  /// X509_cmp_time(notBefore or notAfter of `c`, at) as one character: '<' for its -1 (the
  /// bound at or before `at`), '>' for its 1, '!' for its 0 (a bound it cannot read).
  static char CompareBound(const Certificate& c, bool not_after, std::time_t at);

  std::optional<ChainOutcome> Find(const std::string& key) const;
  void Add(const std::string& key, const ChainOutcome& outcome);
  /// Forgets everything (the anchors changed).
  void Clear();
  size_t size() const;

 private:
  static constexpr size_t kMaxEntries = 512;
  static constexpr size_t kMaxKeyBytes = 64 * 1024;
  static constexpr size_t kMaxTotalKeyBytes = 8 * 1024 * 1024;
  mutable std::mutex mu_;
  std::map<std::string, ChainOutcome> by_key_;
  std::deque<std::string> order_;
  size_t key_bytes_ = 0;  // of the keys held
};

}  // namespace rubrica::keys
