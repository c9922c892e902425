#include "password_hash.h"

#include <openssl/evp.h>

#include <atomic>
#include <vector>

#include "rubrica/base/crypto_util.h"

namespace rubrica::server::api {

namespace {

std::atomic<uint64_t> g_scrypt_runs{0};

constexpr size_t kHashBytes = 32;
constexpr size_t kSaltBytes = 16;

Result<std::string> Scrypt(std::string_view password, std::string_view salt, int log2_n, int r,
                           int p) {
  g_scrypt_runs.fetch_add(1, std::memory_order_relaxed);
  const uint64_t n = uint64_t{1} << log2_n;
  // scrypt needs 128 * r * N bytes (plus a little); OpenSSL refuses anything over maxmem.
  const uint64_t maxmem = 128ull * static_cast<uint64_t>(r) * n * 2 + (1u << 20);
  std::string out(kHashBytes, '\0');
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n,
                     static_cast<uint64_t>(r), static_cast<uint64_t>(p), maxmem,
                     reinterpret_cast<unsigned char*>(out.data()), out.size()) != 1) {
    return Status::Error(ErrorKind::kInternal, "api.internal",
                         "scrypt failed (log2 N " + std::to_string(log2_n) + ")");
  }
  return out;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t pos; (pos = s.find(sep, start)) != std::string_view::npos; start = pos + 1) {
    parts.emplace_back(s.substr(start, pos - start));
  }
  parts.emplace_back(s.substr(start));
  return parts;
}

}  // namespace

uint64_t PasswordScryptRunsSoFar() { return g_scrypt_runs.load(std::memory_order_relaxed); }

Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params) {
  const std::string salt = RandomBytes(kSaltBytes);
  ASSIGN_OR_RETURN(std::string hash, Scrypt(password, salt, params.log2_n, params.r, params.p));
  return "scrypt$" + std::to_string(params.log2_n) + "$" + std::to_string(params.r) + "$" +
         std::to_string(params.p) + "$" + Base64Encode(salt) + "$" + Base64Encode(hash);
}

Result<bool> VerifyPassword(std::string_view password, std::string_view stored) {
  auto bad = [] {
    return Status::Error(ErrorKind::kDataLoss, "api.bad_password_hash",
                         "stored password hash is not in the scrypt$... form");
  };
  const auto parts = Split(stored, '$');
  if (parts.size() != 6 || parts[0] != "scrypt") return bad();
  int log2_n = 0, r = 0, p = 0;
  try {
    log2_n = std::stoi(parts[1]);
    r = std::stoi(parts[2]);
    p = std::stoi(parts[3]);
  } catch (const std::exception&) {
    return bad();
  }
  if (log2_n < 1 || log2_n > 24 || r < 1 || r > 32 || p < 1 || p > 16) return bad();
  auto salt = Base64Decode(parts[4]);
  auto expected = Base64Decode(parts[5]);
  if (!salt.ok() || !expected.ok() || expected->size() != kHashBytes) return bad();
  ASSIGN_OR_RETURN(std::string actual, Scrypt(password, *salt, log2_n, r, p));
  return ConstantTimeEquals(actual, *expected);
}

}  // namespace rubrica::server::api
