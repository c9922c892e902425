#include "raw_signatures.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <numeric>
#include <set>

#include "rubrica/signing/cms_verifier.h"

namespace rubrica::signing {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }

// A hex digit's value, -1 for any other byte (one lookup per digit: an acta's holes hold
// hundreds of kilobytes of hex).
constexpr std::array<int8_t, 256> kHexValue = [] {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<int8_t>(c - 'A' + 10);
  return t;
}();

// `digits` decoded into `out` (an odd count ends with a 0 nibble, ISO 32000 §7.3.4.3);
// false when a byte is not a hex digit.
bool DecodeHex(std::string_view digits, std::string& out) {
  const auto* in = reinterpret_cast<const unsigned char*>(digits.data());
  const size_t pairs = digits.size() / 2;
  out.resize(pairs + digits.size() % 2);
  int8_t any_bad = 0;  // negative once any digit was not hex
  for (size_t i = 0; i < pairs; ++i) {
    const int8_t hi = kHexValue[in[2 * i]], lo = kHexValue[in[2 * i + 1]];
    any_bad = static_cast<int8_t>(any_bad | hi | lo);
    out[i] = static_cast<char>(((hi & 0x0f) << 4) | (lo & 0x0f));
    if ((i & 255) == 255 && any_bad < 0) return false;  // not hex: stop early, as before
  }
  if (digits.size() % 2 != 0) {
    const int8_t hi = kHexValue[in[digits.size() - 1]];
    any_bad = static_cast<int8_t>(any_bad | hi);
    out[pairs] = static_cast<char>((hi & 0x0f) << 4);
  }
  return any_bad >= 0;
}

// Reads `[a b c d]` at `pos` (after the key): four unsigned integers of at most 15 digits.
std::optional<std::array<int64_t, 4>> ReadRange(std::string_view d, size_t pos) {
  while (pos < d.size() && IsSpace(d[pos])) ++pos;
  if (pos >= d.size() || d[pos] != '[') return std::nullopt;
  ++pos;
  std::array<int64_t, 4> r{};
  for (int i = 0; i < 4; ++i) {
    while (pos < d.size() && IsSpace(d[pos])) ++pos;
    size_t start = pos;
    int64_t v = 0;
    while (pos < d.size() && d[pos] >= '0' && d[pos] <= '9' && pos - start < 15) v = v * 10 + (d[pos++] - '0');
    if (pos == start || (pos < d.size() && d[pos] >= '0' && d[pos] <= '9')) return std::nullopt;
    r[i] = v;
  }
  while (pos < d.size() && IsSpace(d[pos])) ++pos;
  if (pos >= d.size() || d[pos] != ']') return std::nullopt;
  return r;
}

const EVP_MD* DigestFor(std::string_view oid) {
  if (oid == "1.3.14.3.2.26") return EVP_sha1();
  if (oid == "2.16.840.1.101.3.4.2.1") return EVP_sha256();
  if (oid == "2.16.840.1.101.3.4.2.2") return EVP_sha384();
  if (oid == "2.16.840.1.101.3.4.2.3") return EVP_sha512();
  return nullptr;
}

struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_MD_CTX, CtxFree>;

std::string Finish(EVP_MD_CTX* c) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(c, md, &len);
  return std::string(reinterpret_cast<const char*>(md), len);
}

// NSS (poppler's pdfsig) writes CMS in BER with indefinite lengths; the CMS checks read DER.
// OpenSSL re-encodes it as DER; the signed attributes, signed as DER, come out unchanged.
std::string BerToDer(const std::string& ber) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(ber.data());
  CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(ber.size()));
  if (cms == nullptr) {
    ERR_clear_error();
    return ber;
  }
  unsigned char* out = nullptr;
  const int n = i2d_CMS_ContentInfo(cms, &out);
  CMS_ContentInfo_free(cms);
  std::string der = n > 0 ? std::string(reinterpret_cast<char*>(out), static_cast<size_t>(n)) : ber;
  OPENSSL_free(out);
  ERR_clear_error();
  return der;
}

}  // namespace

size_t FirstNonHex(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (kHexValue[static_cast<unsigned char>(text[i])] < 0) return i;
  }
  return std::string_view::npos;
}

std::string DerPrefix(const std::string& bytes) {
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x30) return bytes;
  size_t len = static_cast<unsigned char>(bytes[1]), header = 2;
  if (len & 0x80) {
    size_t n = len & 0x7f;
    if (n == 0 || n > 4 || bytes.size() < 2 + n) return bytes;
    len = 0;
    for (size_t k = 0; k < n; ++k) len = (len << 8) | static_cast<unsigned char>(bytes[2 + k]);
    header += n;
  }
  return header + len <= bytes.size() ? bytes.substr(0, header + len) : bytes;
}

std::string DigestName(std::string_view oid) {
  if (oid == "1.3.14.3.2.26") return "SHA-1";
  if (oid == "2.16.840.1.101.3.4.2.1") return "SHA-256";
  if (oid == "2.16.840.1.101.3.4.2.2") return "SHA-384";
  if (oid == "2.16.840.1.101.3.4.2.3") return "SHA-512";
  return "";
}

std::vector<RawSignature> FindRawSignatures(std::string_view d, size_t max_candidates) {
  std::vector<RawSignature> out;
  std::set<std::array<int64_t, 4>> seen;
  const int64_t size = static_cast<int64_t>(d.size());
  constexpr std::string_view kKey = "/ByteRange";
  // memmem, not string_view::find: find looks for the first character with memchr, and '/'
  // starts every name of a PDF (a call every few bytes of a 1 MB acta: ~4 % of verifying it).
  auto next = [&](size_t from) -> size_t {
    if (from >= d.size()) return std::string_view::npos;
    const void* p = memmem(d.data() + from, d.size() - from, kKey.data(), kKey.size());
    return p == nullptr ? std::string_view::npos : static_cast<size_t>(static_cast<const char*>(p) - d.data());
  };
  for (size_t at = next(0); at != std::string_view::npos && out.size() < max_candidates; at = next(at + 1)) {
    auto r = ReadRange(d, at + kKey.size());
    if (!r) continue;
    const auto& v = *r;
    if (v[0] != 0 || v[1] <= 0 || v[2] <= v[1] + 1 || v[2] > size || v[3] > size - v[2]) continue;
    if (d[v[1]] != '<' || d[v[2] - 1] != '>') continue;
    if (!seen.insert(v).second) continue;
    RawSignature s;
    s.byte_range = v;
    s.byte_range_at = at;
    const std::string_view digits = d.substr(static_cast<size_t>(v[1]) + 1, static_cast<size_t>(v[2] - v[1] - 2));
    if (!DecodeHex(digits, s.contents)) continue;  // not one hex string: not a signature's hole
    const bool indefinite = s.contents.size() > 2 && s.contents[0] == 0x30 && static_cast<unsigned char>(s.contents[1]) == 0x80;
    s.contents = indefinite ? BerToDer(s.contents) : DerPrefix(s.contents);
    auto alg = CoveredDigestAlgorithm(s.contents);
    if (alg.ok()) s.digest_oid = *alg;
    out.push_back(std::move(s));
  }
  return out;
}

void HashCoveredBytes(std::string_view bytes, std::vector<RawSignature>& candidates, std::string* file_sha256) {
  static constexpr std::string_view kSha256 = "2.16.840.1.101.3.4.2.1";
  std::vector<size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return candidates[a].byte_range[1] < candidates[b].byte_range[1];
  });
  // One running hash per algorithm in use.
  std::map<std::string, std::pair<Ctx, size_t>> running;  // oid -> (hash of [0, n), n)
  uint64_t tails = 0;
  for (size_t i : order) {
    RawSignature& s = candidates[i];
    const auto& r = s.byte_range;
    // Signatures of distinct revisions cover disjoint tails, which add up to less than the
    // file; only signatures sharing one revision's tail (all invalid) can exceed it.
    tails += static_cast<uint64_t>(r[3]);
    if (tails > static_cast<uint64_t>(bytes.size())) {
      s.over_budget = true;
      continue;
    }
    const EVP_MD* md = DigestFor(s.digest_oid);
    if (md == nullptr) continue;
    auto it = running.find(s.digest_oid);
    if (it == running.end()) {
      Ctx c(EVP_MD_CTX_new());
      EVP_DigestInit_ex(c.get(), md, nullptr);
      it = running.emplace(s.digest_oid, std::make_pair(std::move(c), size_t{0})).first;
    }
    auto& [ctx, hashed] = it->second;
    const size_t hole = static_cast<size_t>(r[1]);
    EVP_DigestUpdate(ctx.get(), bytes.data() + hashed, hole - hashed);
    hashed = hole;
    Ctx copy(EVP_MD_CTX_new());
    EVP_MD_CTX_copy_ex(copy.get(), ctx.get());
    EVP_DigestUpdate(copy.get(), bytes.data() + r[2], static_cast<size_t>(r[3]));
    s.digest = Finish(copy.get());
    s.hashed = true;
  }
  if (file_sha256 == nullptr) return;
  // The whole file's SHA-256: the running SHA-256 (when a signature uses it) carried on.
  auto it = running.find(std::string(kSha256));
  if (it == running.end()) {
    Ctx c(EVP_MD_CTX_new());
    EVP_DigestInit_ex(c.get(), EVP_sha256(), nullptr);
    it = running.emplace(std::string(kSha256), std::make_pair(std::move(c), size_t{0})).first;
  }
  auto& [ctx, hashed] = it->second;
  EVP_DigestUpdate(ctx.get(), bytes.data() + hashed, bytes.size() - hashed);
  *file_sha256 = Finish(ctx.get());
}

std::optional<std::string> DigestOfRanges(std::string_view bytes, const std::array<int64_t, 4>& r,
                                          std::string_view digest_oid) {
  const EVP_MD* md = DigestFor(digest_oid);
  const int64_t size = static_cast<int64_t>(bytes.size());
  if (md == nullptr || r[0] != 0 || r[1] < 0 || r[1] > size || r[2] < r[1] || r[2] > size || r[3] < 0 ||
      r[3] > size - r[2]) {
    return std::nullopt;
  }
  Ctx c(EVP_MD_CTX_new());
  EVP_DigestInit_ex(c.get(), md, nullptr);
  EVP_DigestUpdate(c.get(), bytes.data(), static_cast<size_t>(r[1]));
  EVP_DigestUpdate(c.get(), bytes.data() + r[2], static_cast<size_t>(r[3]));
  return Finish(c.get());
}

}  // namespace rubrica::signing
