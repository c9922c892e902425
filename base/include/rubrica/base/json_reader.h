// Reading untrusted JSON: parse once, then typed, validated fields named by their JSON path.
// One reader for the API's request bodies, the acta format, firmantes.json and what peers
// send back; Poco::JSON stays inside json_reader.cc.
//
// Parse checks the size and the syntax before anything is built: one JSON value, valid
// UTF-8, nesting bounded without recursion, and the line and column of the first error.
// Every failure is a Status whose English message starts with the JSON path of the problem
// ("votes[2].choice: expected one of yes, no, abstain"; "$" is the top level) and whose
// Spanish message says the same for people. The codes come from JsonReaderOptions:
//   <module>.bad_json    not JSON, not an object, nests too deep, too large (kTooLarge)
//   <module>.bad_field   a field is missing, has the wrong type, is out of range, or is unknown
//   <module>.bad_text    a text breaks the text rules below
// with module "api" by default; a format with one stable code of its own (the acta
// format's pdf.bad_acta_json) sets `code` and gets it for every refusal.
// Unknown keys are errors (a typo never passes silently): call Finish() after reading, or
// state the keys first with Keys().
//
// Text (normalize_text, the default): every string of the document (keys and values, at
// any depth) except the secrets (values of "password", "pin", "current_pin", "new_pin",
// which reach no person's eyes and are kept as sent) is checked and put in Unicode NFC once,
// at Parse: base/text.h's rules with line breaks allowed (no other control characters, no
// bidirectional formatting). So whatever reaches a certificate, a PDF or an e-mail,
// including content kept as raw JSON (RawObject), is in one canonical form. Line() and
// OptionalLine() add the single-line rule and a limit in characters: use them for names,
// titles, posts, places, institutions and every other one-line text. A refusal is
//   <module>.bad_text    "<path>: U+202E (bidirectional formatting) at character 4 is not
//                        allowed" (also control characters, line breaks in a Line, too long)
// With normalize_text off (documents already written by us: stored acta content,
// firmantes.json), strings are only required to be valid UTF-8 and are kept as written.
//
// Secrets are read only with Secret() / OptionalSecret(), which hand back a SecretString
// and wipe the parsed document's copy as they take it; String() and OptionalString() refuse
// those keys (<module>.internal), so no handler keeps a plain copy by mistake. Secrets
// nobody read (a refused request) are wiped when the last handle on the document goes.
// Parse wipes its working copy of the text. Not wiped: Poco's parser's internal scratch
// buffer (freed as it finishes), which this layer cannot reach.
//
// A JsonReader is a cheap handle on one object of a parsed document, a JsonArrayReader on
// one array (shared ownership); not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/secret_string.h"
#include "rubrica/base/status.h"

namespace rubrica {

/// Limits and error style of one kind of document.
struct JsonReaderOptions {
  size_t max_bytes = 2u << 20;  // 2 MiB; past it kTooLarge
  int max_depth = 32;
  /// Codes "<module>.bad_json", ".bad_field", ".bad_text", ".internal".
  std::string module = "api";
  /// When not empty, the code of every refusal (a format's one stable code).
  std::string code;
  /// Kind of every refusal but a too-large text (kTooLarge).
  ErrorKind kind = ErrorKind::kInvalidArgument;
  /// Empty: Spanish messages of a request ("Dato inválido en «<path>»: …"). Otherwise the
  /// document's name ("El contenido del acta"): "<subject_es> no es válido (<path>): …".
  std::string subject_es;
  /// Text rules and NFC at Parse (see above); off: valid UTF-8 only, kept as written.
  bool normalize_text = true;
};

/// The request bodies' limits (the defaults).
using JsonLimits = JsonReaderOptions;

class JsonArrayReader;

class JsonReader {
 public:
  /// Parses `text`, which must be one JSON object.
  static Result<JsonReader> Parse(std::string_view text, const JsonReaderOptions& options = {});

  JsonReader(const JsonReader&);
  JsonReader& operator=(const JsonReader&);
  ~JsonReader();

  /// Present and not null. Counts as read (Finish accepts a null key checked here).
  bool Has(std::string_view key);

  /// Present, even as null (for formats where null is the wrong type, not absence).
  /// Does not count as read.
  bool Contains(std::string_view key) const;

  /// Refuses a key outside `allowed` ("unknown key"), then a key of `required` that is
  /// absent ("missing"). Marks every allowed key as read.
  Status Keys(std::initializer_list<std::string_view> allowed,
              std::initializer_list<std::string_view> required);

  /// A string of 1..max_len bytes (trimmed of nothing; NFC as Parse left it; may span lines).
  Result<std::string> String(std::string_view key, size_t max_len = 4096);
  /// A string of 0..max_len bytes that must be present (null is the wrong type).
  Result<std::string> Text(std::string_view key, size_t max_len = 4096);
  /// A one-line text of 1..max_chars characters (code points): no line break, no leading
  /// or trailing space. <module>.bad_text otherwise.
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
  /// A finite number (integer or not).
  Result<double> Number(std::string_view key);
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
  /// An array of anything (required, may be empty), read element by element.
  Result<JsonArrayReader> Array(std::string_view key, size_t max_items = 200);
  /// The raw JSON text of a nested object (re-serialised, keys in their order), for
  /// content stored as JSON.
  Result<std::string> RawObject(std::string_view key);

  /// <module>.bad_field for the first key that no getter asked for.
  Status Finish() const;

  /// A refusal in this document's style at "<path>.<key>" (or `path()` when key is empty).
  Status Fail(std::string_view key, std::string_view what_en, std::string_view what_es) const;

  /// "votes[2]" or "$" for the top level.
  const std::string& path() const;

 private:
  friend class JsonArrayReader;
  struct Impl;
  explicit JsonReader(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

/// One array of a parsed document (from JsonReader::Array).
class JsonArrayReader {
 public:
  JsonArrayReader(const JsonArrayReader&);
  JsonArrayReader& operator=(const JsonArrayReader&);
  ~JsonArrayReader();

  size_t size() const;
  /// A string of 0..max_len bytes.
  Result<std::string> Text(size_t i, size_t max_len = 4096) const;
  Result<double> Number(size_t i) const;
  Result<JsonReader> Object(size_t i) const;
  Result<JsonArrayReader> Array(size_t i, size_t max_items = 200) const;

  /// A refusal in the document's style at "<path>[i]".
  Status Fail(size_t i, std::string_view what_en, std::string_view what_es) const;
  /// A refusal at this array's path.
  Status Fail(std::string_view what_en, std::string_view what_es) const;

  /// "blocks[3].rows".
  const std::string& path() const;

 private:
  friend class JsonReader;
  struct Impl;
  explicit JsonArrayReader(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

/// "YYYY-MM-DD" as a valid civil date; nullopt otherwise.
std::optional<std::chrono::year_month_day> ParseIsoDate(const std::string& s);

/// api.bad_field (kInvalidArgument) for `path`: "<path>: <what>".
Status BadField(std::string_view path, std::string_view what_en, std::string_view what_es);

}  // namespace rubrica
