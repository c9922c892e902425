// Strict, path-aware reading of untrusted JSON (Poco::JSON underneath): every failure is a
// Status whose message starts with the JSON path of the problem ("blocks[3].rows[1]:
// expected an array, found a string"). Size and nesting are bounded before Poco parses.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "rubrica/base/status.h"

namespace rubrica::pdf::render {

using JsonValue = Poco::Dynamic::Var;
using JsonObject = Poco::JSON::Object::Ptr;
using JsonArray = Poco::JSON::Array::Ptr;

class JsonReader {
 public:
  /// Errors get `code` and `kind`; Spanish messages start with `subject_es`
  /// ("El contenido del acta").
  JsonReader(std::string code, ErrorKind kind, std::string subject_es);

  Status Fail(const std::string& path, const std::string& en, const std::string& es) const;

  /// Parses `text` after checking its size and nesting depth.
  Result<JsonValue> Parse(std::string_view text, size_t max_bytes, size_t max_depth) const;

  Result<JsonObject> Object(const JsonValue& v, const std::string& path) const;
  Result<JsonArray> Array(const JsonValue& v, const std::string& path, size_t max_items) const;
  /// A string of valid UTF-8, at most `max_bytes`.
  Result<std::string> String(const JsonValue& v, const std::string& path, size_t max_bytes) const;
  Result<long long> Integer(const JsonValue& v, const std::string& path, long long min,
                            long long max) const;
  Result<double> Number(const JsonValue& v, const std::string& path) const;
  Result<bool> Bool(const JsonValue& v, const std::string& path) const;

  /// Fails on a key outside `allowed` or a missing key of `required`.
  Status Keys(const JsonObject& o, const std::string& path,
              std::initializer_list<std::string_view> allowed,
              std::initializer_list<std::string_view> required) const;

  /// "key" at the root ("$"), else "path.key"; and "path[i]".
  static std::string Member(const std::string& path, std::string_view key);
  static std::string Index(const std::string& path, size_t i);

 private:
  Status WrongType(const JsonValue& v, const std::string& path, const char* expected_en,
                   const char* expected_es) const;
  std::string code_;
  ErrorKind kind_;
  std::string subject_es_;
};

/// Appends `utf8` as a JSON string literal (quotes, escapes for '"', '\\' and controls;
/// other characters as UTF-8).
void AppendJsonString(std::string& out, std::string_view utf8);

}  // namespace rubrica::pdf::render
