// Reading JSON request bodies: parse once, then typed, validated fields.
//
// Every failure is a Status of kind kInvalidArgument (HTTP 400) whose English message
// starts with the JSON path of the problem ("votes[2].choice: expected one of yes, no,
// abstain") and whose Spanish message says the same for people:
//   api.bad_json     the body is not JSON, not an object, nests too deep, or is too large
//   api.bad_field    a field is missing, has the wrong type, is out of range, or is unknown
// Unknown keys are errors (a typo never passes silently): call Finish() after reading.
//
// Text is checked and normalised once, at Parse, for every string of the body (keys and
// values, at any depth) except the secrets (values of "password", "pin", "current_pin",
// "new_pin", which reach no person's eyes and are kept as sent): base/text.h's rules with
// line breaks allowed (no other control characters, no bidirectional formatting), and
// Unicode NFC. So whatever reaches a certificate, a PDF or an e-mail, including acta
// content kept as raw JSON (RawObject), is in one canonical form. Line() and
// OptionalLine() add the single-line rule and a limit in characters: use them for names,
// titles, posts, places, institutions and every other one-line text. A refusal is
//   api.bad_text     "<path>: U+202E (bidirectional formatting) at character 4 is not
//                    allowed" (also control characters, line breaks in a Line, too long)
//
// Secrets are read only with Secret() / OptionalSecret(), which hand back a SecretString
// and wipe the parsed document's copy as they take it; String() and OptionalString() refuse
// those keys (api.internal), so no handler keeps a plain copy by mistake. Secrets nobody
// read (a refused request) are wiped when the last handle on the document goes. Parse
// wipes its working copy of the body, and the HTTP layer wipes the request's bytes (read
// buffer and body) once the exchange is over. Not wiped: Poco's parser's internal scratch
// buffer (freed as it finishes), which this layer cannot reach.
//
// Poco::JSON stays inside json_reader.cc. A JsonReader is a cheap handle on one object of
// a parsed document (shared ownership); not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/secret_string.h"
#include "rubrica/base/status.h"

namespace rubrica::server::api {

/// Limits applied before a body is parsed.
struct JsonLimits {
  size_t max_bytes = 2u << 20;  // 2 MiB
  int max_depth = 32;
};

class JsonReader {
 public:
  /// Parses `body`, which must be one JSON object.
  static Result<JsonReader> Parse(std::string_view body, const JsonLimits& limits = {});

  JsonReader(const JsonReader&);
  JsonReader& operator=(const JsonReader&);
  ~JsonReader();

  /// Present and not null. Counts as read (Finish accepts a null key checked here).
  bool Has(std::string_view key);

  /// A string of 1..max_len bytes (trimmed of nothing; NFC as Parse left it; may span lines).
  Result<std::string> String(std::string_view key, size_t max_len = 4096);
  /// A one-line text of 1..max_chars characters (code points): no line break, no leading
  /// or trailing space. api.bad_text otherwise.
  Result<std::string> Line(std::string_view key, size_t max_chars = 300);
  /// Absent or null: `fallback`. Otherwise as Line(), and may be empty.
  Result<std::string> OptionalLine(std::string_view key, std::string fallback = {},
                                   size_t max_chars = 300);
  /// A secret ("password", "pin", "current_pin", "new_pin") of 1..max_len bytes, exactly
  /// as sent (not normalised); the document's copy is wiped as it is taken.
  Result<SecretString> Secret(std::string_view key, size_t max_len);
  /// Absent or null: an empty secret. Otherwise as Secret(), and may be empty.
  Result<SecretString> OptionalSecret(std::string_view key, size_t max_len);
  /// Absent or null: `fallback`. May be empty.
  Result<std::string> OptionalString(std::string_view key, std::string fallback = {},
                                     size_t max_len = 4096);
  Result<int64_t> Int(std::string_view key, int64_t min = 1, int64_t max = INT64_MAX);
  Result<std::optional<int64_t>> OptionalInt(std::string_view key, int64_t min = 1,
                                             int64_t max = INT64_MAX);
  Result<bool> Bool(std::string_view key, bool fallback);
  /// "YYYY-MM-DD".
  Result<std::chrono::year_month_day> Date(std::string_view key);
  Result<std::optional<std::chrono::year_month_day>> OptionalDate(std::string_view key);
  /// An array of "YYYY-MM-DD" dates (required).
  Result<std::vector<std::chrono::year_month_day>> DateArray(std::string_view key,
                                                             size_t max_items = 400);
  /// RFC 3339 with an offset ("2026-06-16T10:00:00-06:00").
  Result<Instant> Time(std::string_view key);
  /// One of `allowed` (a string).
  Result<std::string> Enum(std::string_view key, const std::vector<std::string_view>& allowed);
  Result<std::vector<std::string>> StringArray(std::string_view key, size_t max_items = 200,
                                               size_t max_len = 4096);
  /// An array of one-line texts (each as Line()).
  Result<std::vector<std::string>> LineArray(std::string_view key, size_t max_items = 200,
                                             size_t max_chars = 300);
  Result<std::vector<int64_t>> IntArray(std::string_view key, size_t max_items = 200);
  /// A nested object (required).
  Result<JsonReader> Object(std::string_view key);
  /// An array of objects (required, may be empty).
  Result<std::vector<JsonReader>> ObjectArray(std::string_view key, size_t max_items = 200);
  /// The raw JSON text of a nested object (re-serialised), for content stored as JSON.
  Result<std::string> RawObject(std::string_view key);

  /// api.bad_field for the first key that no getter asked for.
  Status Finish() const;

  /// "votes[2]" or "$" for the top level.
  const std::string& path() const;

 private:
  struct Impl;
  explicit JsonReader(std::shared_ptr<Impl> impl);
  static Status CheckLine(const std::string& s, const std::string& path, size_t max_chars);
  std::shared_ptr<Impl> impl_;
};

/// api.bad_field (kInvalidArgument) for `path`: "<path>: <what>".
Status BadField(std::string_view path, std::string_view what_en, std::string_view what_es);

}  // namespace rubrica::server::api
