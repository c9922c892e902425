// A strict, bounded parser of PDF objects over an in-memory file. It never repairs:
// anything that does not follow ISO 32000-1 §7.3 exactly is an error with the byte offset
// (code pdf.syntax, kInvalidArgument). Limits bound nesting depth, collection sizes and
// string lengths, so hostile input cannot exhaust the stack or memory.
//
// Thread-compatible: a Parser holds no mutable state beyond its arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/pdf/cos/object.h"

namespace rubrica::pdf::cos {

struct ParseLimits {
  /// Deepest nesting of arrays/dictionaries. Default 64.
  int max_depth = 64;
  /// Most entries in one array or dictionary. Default 100000.
  size_t max_collection = 100000;
  /// Longest string or name, in bytes. Default 16 MiB.
  size_t max_string = 16u << 20;
  /// Largest object number accepted. Default 8388607 (ISO 32000 implementation limit).
  int max_object_number = 8388607;
};

/// An indirect object as found in the file: "num gen obj ... endobj".
struct IndirectObject {
  Ref ref;
  Object value;          // for streams: a kStream object holding the raw data
  size_t begin = 0;      // offset of the object number
  size_t end = 0;        // offset just past "endobj"
};

/// Resolves an indirect /Length of a stream (called with the reference); nullopt when it
/// cannot be resolved.
using LengthResolver = std::function<std::optional<int64_t>(Ref)>;

/// A stream whose declared /Length does not end where its `endstream` keyword is.
struct LengthMismatch {
  int64_t declared = 0;  // the /Length
  size_t found = 0;      // the bytes between the end of line after `stream` and `endstream`
};

class Parser {
 public:
  Parser(std::string_view data, ParseLimits limits = {}) : data_(data), limits_(limits) {}

  /// Parses one direct object (or "num gen R") starting at `pos` (leading whitespace and
  /// comments skipped); `pos` is left just after it.
  Result<Object> ParseObject(size_t& pos) const;
  /// Parses "num gen obj <object> [stream ... endstream] endobj" at `offset`.
  Result<IndirectObject> ParseIndirect(size_t offset, const LengthResolver& length = {}) const;

  /// Skips whitespace and comments from `pos`.
  void SkipSpace(size_t& pos) const;
  /// True when the keyword `kw` (followed by a delimiter or whitespace or end) is at `pos`.
  bool AtKeyword(size_t pos, std::string_view kw) const;
  /// Reads an unsigned integer at `pos` (no sign, no fraction).
  std::optional<int64_t> ReadUnsigned(size_t& pos) const;

  std::string_view data() const { return data_; }

  /// When set, a dictionary key met twice is not an error: the first value is kept and the
  /// key is appended to `*sink` (the caller names the ambiguity).
  void set_duplicate_key_sink(std::vector<std::string>* sink) { duplicates_ = sink; }
  /// When set, a stream whose /Length (present and not negative) does not end at
  /// `endstream` is not an error: its data is read up to the first `endstream` keyword
  /// (for reading only; the file is never repaired) and the mismatch is stored in `*sink`
  /// (the caller names it).
  void set_length_mismatch_sink(std::optional<LengthMismatch>* sink) { length_mismatch_ = sink; }

 private:
  Result<Object> Parse(size_t& pos, int depth) const;
  Result<Object> ParseNumberOrRef(size_t& pos) const;
  Result<Object> ParseLiteralString(size_t& pos) const;
  Result<Object> ParseHexString(size_t& pos) const;
  Result<Object> ParseName(size_t& pos) const;
  Status Error(size_t pos, const std::string& what) const;

  std::string_view data_;
  ParseLimits limits_;
  std::vector<std::string>* duplicates_ = nullptr;
  std::optional<LengthMismatch>* length_mismatch_ = nullptr;
};

bool IsPdfWhitespace(char c);
bool IsPdfDelimiter(char c);

}  // namespace rubrica::pdf::cos
