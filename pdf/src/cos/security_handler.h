// The standard security handler (ISO 32000-1 §7.6.3, ISO 32000-2 §7.6.4) for reading only:
// a file encrypted with an empty user password (anyone may open it) is decrypted object by
// object as it is read. RC4 (40 to 128 bits, R2-R4), AES-128 (AESV2) and AES-256 (AESV3,
// R5 and R6). A file that needs a password gives pdf.encrypted; nothing is ever written
// encrypted, and nothing is repaired.
//
// Thread-compatible (immutable after Create).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "rubrica/base/status.h"
#include "rubrica/pdf/cos/object.h"

namespace rubrica::pdf::cos {

class SecurityHandler {
 public:
  /// From the /Encrypt dictionary and the first element of the trailer's /ID.
  static Result<std::unique_ptr<SecurityHandler>> Create(const Object& encrypt, std::string_view id0);

  /// Decrypts every string and stream of `obj` (object `ref`) in place. Strings of a
  /// signature dictionary's /Contents (any dictionary with /ByteRange) are left alone: they
  /// are never encrypted. Streams of /Type /XRef are never encrypted either.
  Status Decrypt(Ref ref, Object& obj) const;

  /// "RC4 40-bit", "RC4 128-bit", "AES-128", "AES-256".
  const std::string& description() const { return description_; }

 private:
  enum class Method { kIdentity, kRc4, kAes128, kAes256 };
  Result<std::string> Apply(Method m, Ref ref, std::string_view data) const;
  Status DecryptStrings(Ref ref, Object& o, int depth) const;

  std::string key_;
  int revision_ = 0;
  Method strings_ = Method::kRc4;
  Method streams_ = Method::kRc4;
  bool encrypt_metadata_ = true;
  std::string description_;
};

/// RC4 (ARCFOUR): encrypting and decrypting are the same operation.
std::string Rc4(std::string_view key, std::string_view data);

}  // namespace rubrica::pdf::cos
