// Writing JSON responses: a small streaming builder that places commas and escapes
// strings (base's AppendJsonString). Keys appear in the order written, so responses are
// stable byte for byte. Not thread-safe; misuse (a value without a key inside an object)
// is a programming error and is not detected.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"

namespace rubrica::server::api {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  /// Inserts already serialised JSON verbatim.
  JsonWriter& Raw(std::string_view json);
  /// "YYYY-MM-DD".
  JsonWriter& Date(std::chrono::year_month_day d);
  /// RFC 3339 UTC with microseconds.
  JsonWriter& Time(Instant t);

  // Key + value in one call.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const std::string& value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }
  /// null when absent.
  JsonWriter& Field(std::string_view key, const std::optional<int64_t>& value);
  JsonWriter& IntArray(std::string_view key, const std::vector<int64_t>& values);
  JsonWriter& StringArray(std::string_view key, const std::vector<std::string>& values);

  const std::string& str() const { return out_; }

 private:
  void BeforeValue();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

/// "YYYY-MM-DD".
std::string FormatIsoDate(std::chrono::year_month_day d);

}  // namespace rubrica::server::api
