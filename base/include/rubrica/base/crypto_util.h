// Small byte helpers used everywhere: hashing, hex, base64, randomness, wiping.
// Binary data travels as std::string (owning) and std::string_view (borrowed).
// All functions are thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "rubrica/base/status.h"

namespace rubrica {

/// SHA-256 of `data`, 32 raw bytes.
std::string Sha256(std::string_view data);
/// SHA-256 of `data`, 64 lower-case hex characters.
std::string Sha256Hex(std::string_view data);

/// HMAC-SHA256 of `data` under `key`, 32 raw bytes (RFC 2104).
std::string HmacSha256(std::string_view key, std::string_view data);

/// Incremental SHA-256 (for data that arrives in pieces, e.g. PDF byte ranges).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(std::string_view data);
  /// 32 raw bytes. The hasher must not be used afterwards.
  std::string Final();

 private:
  struct Impl;
  Impl* impl_;
};

std::string HexEncode(std::string_view bytes);
/// Accepts upper or lower case; fails on odd length or a non-hex character.
Result<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::string_view bytes);
/// Accepts standard base64 with padding; whitespace is ignored.
Result<std::string> Base64Decode(std::string_view text);
/// URL-safe base64 without padding (tokens, tickets).
std::string Base64UrlEncode(std::string_view bytes);

/// `n` bytes from the OS CSPRNG (OpenSSL RAND_bytes).
std::string RandomBytes(size_t n);
/// A random token of `n` bytes, URL-safe base64.
std::string RandomToken(size_t n = 32);

/// Overwrites the string's storage with zeros (not optimised away), then clears it.
void SecureWipe(std::string& secret);
/// Overwrites `size` bytes at `data` with zeros (not optimised away).
void SecureWipe(char* data, size_t size);

/// Constant-time comparison of two byte strings of possibly different length.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace rubrica
