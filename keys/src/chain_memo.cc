#include "chain_memo.h"

#include <openssl/x509.h>

namespace rubrica::keys {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void AppendTimes(const Certificate& c, std::time_t at, std::string& key) {
  key.push_back(ChainMemo::CompareBound(c, /*not_after=*/false, at));
  key.push_back(ChainMemo::CompareBound(c, /*not_after=*/true, at));
}

void AppendLength(uint64_t n, std::string& key) {
  for (int i = 0; i < 8; ++i) key.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
}

void AppendDer(const Certificate& c, std::string& key) {
  AppendLength(c.der().size(), key);
  key += c.der();
}

}  // namespace

char ChainMemo::CompareBound(const Certificate& c, bool not_after, std::time_t at) {
  const X509* x = static_cast<const X509*>(c.native_handle());
  const ASN1_TIME* bound = not_after ? X509_get0_notAfter(x) : X509_get0_notBefore(x);
  // X509_cmp_time reads only RFC 5280's two fixed forms, YYMMDDHHMMSSZ and YYYYMMDDHHMMSSZ
  // (anything else is its 0), and compares the bound with `at` formatted as an ASN1_TIME:
  // two allocations and a snprintf per call, a third of a key's cost. The same answer from
  // the bound's own fields; X509_cmp_time itself for any form it would not read this way.
  const int type = ASN1_STRING_type(bound);
  const int length = ASN1_STRING_length(bound);
  const unsigned char* d = ASN1_STRING_get0_data(bound);
  bool fixed = (type == V_ASN1_UTCTIME && length == 13) || (type == V_ASN1_GENERALIZEDTIME && length == 15);
  for (int i = 0; fixed && i < length - 1; ++i) fixed = d[i] >= '0' && d[i] <= '9';
  struct tm tm = {};
  // at within years 1 to 9999, the range X509_cmp_time can format.
  constexpr std::time_t kFirst = -62135596800, kLast = 253402300799;
  if (!fixed || d[length - 1] != 'Z' || at < kFirst || at > kLast || ASN1_TIME_to_tm(bound, &tm) != 1) {
    const int r = X509_cmp_time(bound, &at);
    return r < 0 ? '<' : r > 0 ? '>' : '!';
  }
  const int64_t t = DaysFromCivil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 86400 + tm.tm_hour * 3600 +
                    tm.tm_min * 60 + tm.tm_sec;
  return t <= static_cast<int64_t>(at) ? '<' : '>';  // X509_cmp_time: -1 when the bound is at or before
}

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
  AppendTimes(leaf, at, key);
  for (const Certificate& c : untrusted) AppendTimes(c, at, key);
  for (const Certificate& c : anchors) AppendTimes(c, at, key);
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
