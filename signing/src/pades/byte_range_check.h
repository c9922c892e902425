// Checks of a signature's /ByteRange on the raw bytes of the file, before trusting any
// parsed structure (universal signature forgery and signature wrapping live here).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/pdf/cos/pdf_file.h"

namespace rubrica::signing {

struct ByteRangeCheck {
  bool ok = false;
  std::string error;                 // English, with offsets, when !ok
  std::array<int64_t, 4> byte_range{};
  bool covers_whole_revision = false;
};

/// `dict` is the signature dictionary `ref`, defined in revision `revision` of `file`
/// (whose bytes are `bytes`). Checks: four non-negative integers, starting at 0, in order,
/// inside the file; the hole is exactly the hex string that is this dictionary's /Contents
/// value (from '<' to '>'); the covered bytes end exactly where that revision ends.
ByteRangeCheck CheckByteRange(std::string_view bytes, const pdf::cos::PdfFile& file,
                              pdf::cos::Ref ref, const pdf::cos::Object& dict, size_t revision);

}  // namespace rubrica::signing
