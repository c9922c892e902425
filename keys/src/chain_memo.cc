#include "chain_memo.h"

#include <openssl/x509.h>

namespace rubrica::keys {

namespace {

// X509_cmp_time's answer, as OpenSSL's own time check reads it (-1 before or equal, 1 after,
// 0 a malformed field).
char Compare(const ASN1_TIME* bound, std::time_t* at) {
  const int c = X509_cmp_time(bound, at);
  return c < 0 ? '<' : c > 0 ? '>' : '!';
}

void AppendTimes(const Certificate& c, std::time_t* at, std::string& key) {
  const X509* x = static_cast<const X509*>(c.native_handle());
  key.push_back(Compare(X509_get0_notBefore(x), at));
  key.push_back(Compare(X509_get0_notAfter(x), at));
}

void AppendLength(uint64_t n, std::string& key) {
  for (int i = 0; i < 8; ++i) key.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
}

void AppendDer(const Certificate& c, std::string& key) {
  AppendLength(c.der().size(), key);
  key += c.der();
}

}  // namespace

std::string ChainMemo::Key(const Certificate& leaf, const std::vector<Certificate>& untrusted,
                           const std::vector<Certificate>& anchors, std::time_t at) {
  size_t bytes = 8 + leaf.der().size() + 8;
  for (const Certificate& c : untrusted) bytes += c.der().size() + 8;
  bytes += 2 * (1 + untrusted.size() + anchors.size()) + 1;
  if (bytes > kMaxKeyBytes) return "";
  std::string key;
  key.reserve(bytes);
  // Unambiguous: how many untrusted certificates, then each DER after its length.
  AppendLength(untrusted.size(), key);
  AppendDer(leaf, key);
  for (const Certificate& c : untrusted) AppendDer(c, key);
  key.push_back('|');
  AppendTimes(leaf, &at, key);
  for (const Certificate& c : untrusted) AppendTimes(c, &at, key);
  for (const Certificate& c : anchors) AppendTimes(c, &at, key);
  return key;
}

std::optional<ChainOutcome> ChainMemo::Find(const std::string& key) const {
  if (key.empty()) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

void ChainMemo::Add(const std::string& key, const ChainOutcome& outcome) {
  if (key.empty()) return;
  std::lock_guard lock(mu_);
  if (!by_key_.emplace(key, outcome).second) return;
  order_.push_back(key);
  key_bytes_ += key.size();
  while (order_.size() > kMaxEntries || key_bytes_ > kMaxTotalKeyBytes) {
    key_bytes_ -= order_.front().size();
    by_key_.erase(order_.front());
    order_.pop_front();
  }
}

void ChainMemo::Clear() {
  std::lock_guard lock(mu_);
  by_key_.clear();
  order_.clear();
  key_bytes_ = 0;
}

size_t ChainMemo::size() const {
  std::lock_guard lock(mu_);
  return by_key_.size();
}

}  // namespace rubrica::keys
