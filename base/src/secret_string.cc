#include "rubrica/base/secret_string.h"

#include <openssl/crypto.h>

#include <cstring>

namespace rubrica {

SecretString::SecretString(std::string&& value) : SecretString(Copy(value)) {
  // The whole buffer, tail included: a short string keeps its bytes inside the std::string
  // object itself, and an earlier, longer content may linger past size().
  value.resize(value.capacity());
  if (!value.empty()) OPENSSL_cleanse(value.data(), value.size());
  value.clear();
}

SecretString SecretString::Copy(std::string_view value) {
  SecretString s;
  if (!value.empty()) {
    s.data_ = std::make_unique<char[]>(value.size());
    std::memcpy(s.data_.get(), value.data(), value.size());
    s.size_ = value.size();
  }
  return s;
}

SecretString::SecretString(SecretString&& other) noexcept
    : data_(std::move(other.data_)), size_(other.size_) {
  other.size_ = 0;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    Wipe();
    data_ = std::move(other.data_);
    size_ = other.size_;
    other.size_ = 0;
  }
  return *this;
}

SecretString::~SecretString() { Wipe(); }

void SecretString::Wipe() {
  if (data_ && size_ > 0) OPENSSL_cleanse(data_.get(), size_);
  data_.reset();
  size_ = 0;
}

}  // namespace rubrica
