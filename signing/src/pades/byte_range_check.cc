#include "byte_range_check.h"

#include <algorithm>
#include <memory>
#include <numeric>

#include "raw_signatures.h"
#include "rubrica/pdf/cos/parser.h"

namespace rubrica::signing {

using pdf::cos::Object;
using pdf::cos::Parser;

namespace {

// The offset where the value of /Contents starts in the raw dictionary at `begin` (the
// "num gen obj" line), or npos.
size_t RawContentsOffset(std::string_view bytes, size_t begin, size_t end) {
  Parser p(bytes.substr(0, end));
  size_t pos = begin;
  if (!p.ReadUnsigned(pos)) return std::string_view::npos;
  p.SkipSpace(pos);
  if (!p.ReadUnsigned(pos)) return std::string_view::npos;
  p.SkipSpace(pos);
  if (!p.AtKeyword(pos, "obj")) return std::string_view::npos;
  pos += 3;
  p.SkipSpace(pos);
  if (bytes.substr(pos, 2) != "<<") return std::string_view::npos;
  pos += 2;
  for (;;) {
    p.SkipSpace(pos);
    if (pos >= end || bytes.substr(pos, 2) == ">>") return std::string_view::npos;
    auto key = p.ParseObject(pos);
    if (!key.ok() || !key->is_name()) return std::string_view::npos;
    p.SkipSpace(pos);
    size_t value_at = pos;
    auto value = p.ParseObject(pos);
    if (!value.ok()) return std::string_view::npos;
    if (key->text() == "Contents") return value_at;
  }
}

}  // namespace

ByteRangeCheck CheckByteRange(std::string_view bytes, const pdf::cos::PdfFile& file,
                              pdf::cos::Ref ref, const Object& dict, size_t revision) {
  ByteRangeCheck c;
  auto fail = [&](const std::string& why) {
    c.ok = false;
    c.error = why;
    return c;
  };
  const Object* br = dict.Get("ByteRange");
  if (br == nullptr || !br->is_array()) return fail("/ByteRange is missing");
  if (br->array().size() != 4) return fail("/ByteRange has " + std::to_string(br->array().size()) + " numbers, not 4");
  for (int i = 0; i < 4; ++i) {
    const Object& n = br->array()[i];
    if (!n.is_int() || n.as_int() < 0) return fail("/ByteRange element " + std::to_string(i) + " is not a non-negative integer");
    c.byte_range[i] = n.as_int();
  }
  const int64_t size = static_cast<int64_t>(bytes.size());
  const auto& r = c.byte_range;
  if (r[0] != 0) return fail("/ByteRange does not start at offset 0");
  if (r[1] <= 0 || r[2] <= r[1] || r[2] > size || r[3] > size - r[2]) {
    return fail("/ByteRange [0 " + std::to_string(r[1]) + " " + std::to_string(r[2]) + " " +
                std::to_string(r[3]) + "] is out of order or outside the file (" + std::to_string(size) + " bytes)");
  }
  // The hole must be exactly this dictionary's /Contents hex string.
  auto span = file.Span(ref, revision);
  if (!span.ok()) return fail("the signature dictionary cannot be located: " + span.status().message());
  auto [obj_begin, obj_end] = *span;
  if (r[1] < static_cast<int64_t>(obj_begin) || r[2] > static_cast<int64_t>(obj_end)) {
    return fail("the unsigned hole [" + std::to_string(r[1]) + ", " + std::to_string(r[2]) +
                ") lies outside the signature dictionary (object at " + std::to_string(obj_begin) + ")");
  }
  size_t contents_at = RawContentsOffset(bytes, obj_begin, obj_end);
  if (contents_at != static_cast<size_t>(r[1])) {
    return fail("the unsigned hole starts at " + std::to_string(r[1]) + " but /Contents starts at " +
                (contents_at == std::string_view::npos ? std::string("(not found)") : std::to_string(contents_at)));
  }
  if (bytes[r[1]] != '<' || bytes[r[2] - 1] != '>') return fail("the unsigned hole is not one hex string");
  const size_t non_hex = FirstNonHex(bytes.substr(static_cast<size_t>(r[1]) + 1, static_cast<size_t>(r[2] - r[1] - 2)));
  if (non_hex != std::string_view::npos) {
    return fail("the unsigned hole holds a non-hex byte at offset " + std::to_string(r[1] + 1 + static_cast<int64_t>(non_hex)) +
                " (content injected into the hole?)");
  }
  const int64_t covered_end = r[2] + r[3];
  const auto& rev = file.revisions()[revision];
  c.covers_whole_revision = covered_end == static_cast<int64_t>(rev.end);
  if (!c.covers_whole_revision) {
    return fail("the signature covers bytes up to " + std::to_string(covered_end) + ", but its revision " +
                std::to_string(revision) + " ends at " + std::to_string(rev.end));
  }
  c.ok = true;
  return c;
}

}  // namespace rubrica::signing
