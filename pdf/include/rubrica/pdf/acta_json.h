// The JSON format of an acta (docs/acta-format.md) to and from ActaDocument.
//
// The parser is meant for untrusted input: it bounds size and nesting before parsing
// (ActaLimits), rejects unknown keys and wrong types, validates UTF-8, and reports the
// first problem with its JSON path. Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>

#include "rubrica/base/status.h"
#include "rubrica/pdf/acta_document.h"

namespace rubrica::pdf {

/// Parses an acta. Every failure is pdf.bad_acta_json (kInvalidArgument; kTooLarge past
/// `limits.max_json_bytes`) whose message starts with the JSON path of the problem, e.g.
/// "blocks[3].rows[1]: expected an array, found a string", or "$" for the whole text.
/// Inline markup in texts: "**bold**", "*italic*", "\*" and "\\" for literal characters.
Result<ActaDocument> ParseActaJson(std::string_view json, const ActaLimits& limits = {});

/// Parses inline markup ("**bold**", "*italic*", escapes) into styled runs. Fails with
/// pdf.bad_acta_json naming `path` and the character offset of an unclosed marker.
Result<RichText> ParseInlineMarkup(std::string_view text, std::string_view path);

/// Writes inline markup for `text` so that ParseInlineMarkup gives the same runs back.
std::string ToInlineMarkup(const RichText& text);

/// Serialises an acta in the documented format; ParseActaJson(ActaToJson(a)) == a for
/// every valid `a` (RichText runs normalised: adjacent runs of equal style merged).
std::string ActaToJson(const ActaDocument& acta);

}  // namespace rubrica::pdf
