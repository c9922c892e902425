// A strict, bounded DER reader for bytes from anyone (CMS in PDFs, timestamp requests and
// replies). It reads one level at a time over a borrowed buffer: no allocation per element,
// no recursion, so hostile nesting cannot exhaust the stack and every read is bounds-checked.
//
// Strictness: definite lengths only, in minimal form (X.690 10.1), single-byte tags (no
// high tag numbers). Anything else fails with signing.bad_der (kInvalidArgument) naming what
// was being read and the byte offset from the start of the outermost buffer.
//
// Views returned point into the caller's buffer, which must outlive them. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"

namespace rubrica::signing::der {

class Reader;

/// One element: its tag, its content octets and its whole encoding.
struct Element {
  uint8_t tag = 0;
  std::string_view content;
  std::string_view encoding;
  size_t offset = 0;  // of the tag, from the start of the outermost buffer

  /// A reader over the content (for constructed elements).
  Reader Children() const;
};

class Reader {
 public:
  /// Reads `data`, whose first byte is at offset `base_offset` of the outermost buffer.
  explicit Reader(std::string_view data, size_t base_offset = 0)
      : data_(data), base_(base_offset) {}

  bool AtEnd() const { return pos_ >= data_.size(); }
  /// The tag of the next element, or nullopt at the end.
  std::optional<uint8_t> PeekTag() const;
  /// Offset of the next element from the start of the outermost buffer.
  size_t offset() const { return base_ + pos_; }
  /// What is left, unread.
  std::string_view rest() const { return data_.substr(pos_); }

  /// Reads the next element, whatever its tag. `what` names it in errors.
  Result<Element> Next(std::string_view what);
  /// Reads the next element and checks its tag.
  Result<Element> Expect(uint8_t tag, std::string_view what);
  /// Reads the next element if it has `tag`; nullopt (and nothing read) otherwise.
  Result<std::optional<Element>> Optional(uint8_t tag, std::string_view what);
  /// Fails unless everything was read (`what` names the enclosing structure).
  Status ExpectEnd(std::string_view what) const;

 private:
  std::string_view data_;
  size_t base_;
  size_t pos_ = 0;
};

/// An error for a structure that is well-formed DER but not what the schema wants.
Status BadDer(std::string_view what, size_t offset, std::string_view why);

/// The dotted text of an OBJECT IDENTIFIER element (tag checked by the caller).
Result<std::string> OidText(const Element& e, std::string_view what);
/// Reads an OBJECT IDENTIFIER and returns its dotted text.
Result<std::string> ReadOid(Reader& r, std::string_view what);
/// Reads an INTEGER that must be small and non-negative (versions, counts).
Result<int64_t> ReadSmallInteger(Reader& r, std::string_view what);
/// Reads an INTEGER of 1..`max_bytes` content octets (serial numbers, nonces); returns the
/// content octets.
Result<std::string_view> ReadIntegerBytes(Reader& r, std::string_view what, size_t max_bytes);
/// Reads an AlgorithmIdentifier; returns the algorithm OID (parameters are returned in
/// `params` as their whole encoding, empty when absent).
Result<std::string> ReadAlgorithm(Reader& r, std::string_view what, std::string_view* params = nullptr);
/// Parses GeneralizedTime content "YYYYMMDDHHMMSS[.f+]Z" (the DER form RFC 3161 requires).
Result<Instant> ParseGeneralizedTime(const Element& e, std::string_view what);

}  // namespace rubrica::signing::der
