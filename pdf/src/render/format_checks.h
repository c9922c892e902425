// Small format checks shared by the signature plan and the signer-list reader.
#pragma once

#include <string_view>

namespace rubrica::pdf::render {

/// "YYYY-MM-DD" naming a real calendar date.
bool IsIsoDate(std::string_view s);
/// 64 lower-case hex digits.
bool IsSha256Hex(std::string_view s);

}  // namespace rubrica::pdf::render
