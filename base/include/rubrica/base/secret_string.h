// A secret held in memory only as long as it is needed: a signing PIN, a password.
//
// The bytes live in one heap buffer that this object owns. They are wiped with
// OPENSSL_cleanse when the SecretString is destroyed or Wipe()d; a move hands the buffer
// over without copying it, so the moved-from object holds nothing. Taking a std::string
// wipes that string's whole buffer (its capacity, not only its size), so no copy of the
// secret is left behind in it.
//
// Not copyable (each copy would be one more to wipe) and never printed: there is no
// stream operator and no conversion; view() gives the bytes to the one call that needs
// them (e.g. a key decryption). Thread-compatible.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace rubrica {

class SecretString {
 public:
  SecretString() = default;
  /// Takes the secret out of `value`, whose buffer is wiped and left empty.
  explicit SecretString(std::string&& value);
  /// A copy of `value` (the caller wipes its own copy when it owns one).
  static SecretString Copy(std::string_view value);

  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(SecretString&& other) noexcept;
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  ~SecretString();

  std::string_view view() const { return {data_.get(), size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// Wipes the bytes now and leaves the secret empty.
  void Wipe();

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
};

}  // namespace rubrica
