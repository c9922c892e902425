// A strict, non-recursive JSON (RFC 8259) syntax check that runs before Poco parses
// untrusted text: it bounds the nesting depth without recursion and names the line and
// column of the first error, which Poco's messages do not.
#pragma once

#include <string>
#include <string_view>

namespace rubrica::json_internal {

struct JsonSyntaxError {
  size_t line = 0;    // 1-based; 0 when the text is valid
  size_t column = 0;  // 1-based, in characters
  std::string what;   // "expected ':' after an object key"
  bool ok() const { return line == 0; }
};

/// Checks `text`: one JSON value, arrays/objects nested at most `max_depth` levels, valid
/// UTF-8, no raw control characters in strings.
JsonSyntaxError CheckJsonSyntax(std::string_view text, size_t max_depth);

}  // namespace rubrica::json_internal
