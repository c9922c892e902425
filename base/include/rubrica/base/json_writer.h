// Writing JSON: a small streaming builder that places commas and escapes strings
// (AppendJsonString). Keys appear in the order written, so the API's responses, the
// reports (verify report, firmantes.json, the audit and package checks) and the bodies
// sent to peers are stable byte for byte. Compact by default; Break() places line breaks
// where a file format wants them. Not thread-safe; misuse (a value without a key inside an
// object) is a programming error and is not detected.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"

namespace rubrica {

class JsonWriter {
 public:
  /// Compact output; with `indent` > 0, one element per line indented by `indent` spaces
  /// per level, "key": value, and empty containers as [] and {} (the acta format's files).
  explicit JsonWriter(int indent = 0) : indent_(indent) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  /// A finite number, shortest form that reads back the same ("0.5", "12"); NaN and
  /// infinities, which JSON cannot hold, are written as null.
  JsonWriter& Number(double value);
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

  /// Whitespace (e.g. "\n  ") written before the next element, after its comma: for
  /// formats read by people as well as programs (firmantes.json).
  JsonWriter& Break(std::string_view whitespace);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  void NewLine(size_t depth);
  int indent_;
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
  std::string pending_break_;
};

/// Appends `s` to `out` as a JSON string literal: quotes; escapes for '"', '\\' and the
/// control characters (\n, \r, \t, else \u00XX); every other byte as is (UTF-8 stays
/// UTF-8). The writer's one escaping rule; the logger uses it directly (no allocation).
void AppendJsonString(std::string& out, std::string_view s);

/// "YYYY-MM-DD".
std::string FormatIsoDate(std::chrono::year_month_day d);

}  // namespace rubrica
