// Password hashing for accounts: scrypt (memory-hard), OpenSSL's EVP_PBE_scrypt.
//
// Stored form: "scrypt$<log2 N>$<r>$<p>$<salt, base64>$<32-byte hash, base64>", so the
// cost can be raised later without invalidating stored hashes. The default N = 2^15, r = 8,
// p = 1 takes 32 MiB and about 100 ms per attempt on one core; tests lower log2 N.
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rubrica/base/status.h"

namespace rubrica::server::api {

struct PasswordHashParams {
  int log2_n = 15;  // 10..20
  int r = 8;
  int p = 1;
};

/// A new salted hash of `password`. api.internal when OpenSSL fails.
Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params);

/// How many scrypt computations (hashes and checks) this process has run: what a limit on
/// password guesses bounds (tests read it around a burst).
uint64_t PasswordScryptRunsSoFar();

/// Whether `password` matches `stored` (constant-time comparison of the hashes).
/// api.bad_password_hash (kDataLoss) when `stored` is not in the form above.
Result<bool> VerifyPassword(std::string_view password, std::string_view stored);

}  // namespace rubrica::server::api
