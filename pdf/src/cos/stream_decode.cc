// Stream filters (ISO 32000-1 §7.4): FlateDecode with PNG predictors, bounded in decoded
// size so that a decompression bomb is refused rather than inflated.
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/pdf/cos/pdf_file.h"

namespace rubrica::pdf::cos {

namespace {

// Streams up to this decoded size go first through libdeflate (2-3 times zlib's speed on
// content streams and fonts, ~5 % of verifying an acta); larger ones only through zlib,
// which counts them without holding them.
constexpr size_t kFastInflateMax = 32u << 20;

// libdeflate's inflate of the first zlib stream in `in` (trailing bytes ignored, as zlib's
// Z_STREAM_END below ignores them) into `buffer`, grown from a guess up to
// min(max_output, kFastInflateMax). The decoded size on success, when the bytes are exactly
// what zlib gives (both check the header and the Adler-32); nothing otherwise (corrupt,
// truncated, too large: the caller then inflates with zlib, whose answer stands).
std::optional<size_t> InflateFast(std::string_view in, size_t max_output, std::string& buffer) {
  struct Free {
    void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
  };
  thread_local std::unique_ptr<libdeflate_decompressor, Free> d(libdeflate_alloc_decompressor());
  if (!d) return std::nullopt;
  const size_t cap = std::min(max_output, kFastInflateMax);
  size_t size = std::min(cap, std::max<size_t>(in.size() * 8, 64u << 10));
  for (;;) {
    if (buffer.size() < size) buffer.resize(size);
    size_t used = 0, produced = 0;
    const libdeflate_result r = libdeflate_zlib_decompress_ex(d.get(), in.data(), in.size(), buffer.data(), size,
                                                              &used, &produced);
    if (r == LIBDEFLATE_SUCCESS) return produced;
    if (r != LIBDEFLATE_INSUFFICIENT_SPACE || size == cap) return std::nullopt;
    size = std::min(cap, size * 4);
  }
}

// Inflates into `out`, or only counts when `out` is null (checking that a stream decodes
// need not hold it in memory).
Result<size_t> InflateInto(std::string_view in, size_t max_output, std::string* out) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) {
    return Status::Error(ErrorKind::kInternal, "pdf.zlib", "inflateInit failed");
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  size_t total = 0;
  char buf[1 << 15];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_stream",
                           "compressed stream is corrupt (zlib " + std::to_string(rc) + ")",
                           "El PDF contiene datos comprimidos dañados.");
    }
    total += sizeof buf - zs.avail_out;
    if (out != nullptr) out->append(buf, sizeof buf - zs.avail_out);
    if (total > max_output) {
      inflateEnd(&zs);
      return Status::Error(ErrorKind::kTooLarge, "pdf.stream_too_large",
                           "a compressed stream expands past the limit of " +
                               std::to_string(max_output) + " bytes (decompression bomb?)",
                           "El PDF contiene un flujo comprimido desproporcionado.");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_stream",
                           "compressed stream is truncated",
                           "El PDF contiene datos comprimidos incompletos.");
    }
  }
  inflateEnd(&zs);
  return total;
}

}  // namespace

Result<std::string> Inflate(std::string_view in, size_t max_output) {
  std::string out;
  if (std::optional<size_t> n = InflateFast(in, max_output, out)) {
    out.resize(*n);
    return out;
  }
  out.clear();
  ASSIGN_OR_RETURN(size_t n, InflateInto(in, max_output, &out));
  (void)n;
  return out;
}

Result<size_t> DecodedSize(const Object& stream, size_t max_output) {
  const Object* filter = stream.Get("Filter");
  const bool flate = filter != nullptr &&
                     (filter->is_name("FlateDecode") ||
                      (filter->is_array() && filter->array().size() == 1 && filter->array()[0].is_name("FlateDecode")));
  if (!flate || stream.Get("DecodeParms") != nullptr || stream.stream_data().empty()) {
    ASSIGN_OR_RETURN(std::string data, DecodeStream(stream, max_output));
    return data.size();
  }
  // Only the size is kept: the bytes go to a scratch buffer reused by the thread's next
  // stream (not kept past 4 MiB, so that one large font does not stay with the thread).
  thread_local std::string scratch;
  std::optional<size_t> n = InflateFast(stream.stream_data(), max_output, scratch);
  if (scratch.size() > (4u << 20)) std::string().swap(scratch);
  if (n) return *n;
  return InflateInto(stream.stream_data(), max_output, nullptr);
}

namespace {

// PNG predictors (ISO 32000-1 §7.4.4.4, RFC 2083 §6): each row starts with its filter type.
Result<std::string> UnPredict(const std::string& in, const Object& parms) {
  auto param = [&](std::string_view key, int64_t fallback) {
    const Object* o = parms.Get(key);
    return o && o->is_int() ? o->as_int() : fallback;
  };
  const int64_t predictor = param("Predictor", 1);
  if (predictor == 1) return in;
  const int64_t colors = param("Colors", 1), bpc = param("BitsPerComponent", 8), columns = param("Columns", 1);
  auto unsupported = [] {
    return Status::Error(ErrorKind::kInvalidArgument, "pdf.unsupported_filter", "unsupported stream predictor",
                         "El PDF usa una compresión no admitida.");
  };
  if (predictor < 10 || predictor > 15 || colors < 1 || colors > 32 || columns < 1 || columns > (1 << 20) ||
      (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16)) {
    return unsupported();
  }
  const size_t bpp = static_cast<size_t>(std::max<int64_t>(1, colors * bpc / 8));
  const size_t row = static_cast<size_t>((colors * bpc * columns + 7) / 8);
  std::string out;
  out.reserve(in.size());
  std::string prev(row, '\0'), cur(row, '\0');
  for (size_t pos = 0; pos < in.size(); pos += row + 1) {
    if (pos + 1 + row > in.size()) {
      return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_stream", "predicted data ends inside a row",
                           "El PDF contiene datos comprimidos dañados.");
    }
    const int type = static_cast<unsigned char>(in[pos]);
    for (size_t i = 0; i < row; ++i) {
      const int x = static_cast<unsigned char>(in[pos + 1 + i]);
      const int a = i >= bpp ? static_cast<unsigned char>(cur[i - bpp]) : 0;
      const int b = static_cast<unsigned char>(prev[i]);
      const int c = i >= bpp ? static_cast<unsigned char>(prev[i - bpp]) : 0;
      int v;
      switch (type) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + (a + b) / 2; break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_stream", "unknown PNG row filter",
                               "El PDF contiene datos comprimidos dañados.");
      }
      cur[i] = static_cast<char>(v & 0xff);
    }
    out += cur;
    std::swap(prev, cur);
  }
  return out;
}

}  // namespace

Result<std::string> DecodeStream(const Object& stream, size_t max_output) {
  const Object* filter = stream.Get("Filter");
  if (filter == nullptr) return stream.stream_data();
  std::vector<std::string> filters;
  if (filter->is_name()) filters.push_back(filter->text());
  else if (filter->is_array()) {
    for (const Object& f : filter->array()) filters.push_back(f.is_name() ? f.text() : "?");
  }
  const Object* parms = stream.Get("DecodeParms");
  if (parms != nullptr && parms->is_array()) parms = parms->array().size() == 1 ? &parms->array()[0] : nullptr;
  if (filters.size() == 1 && filters[0] == "FlateDecode" && (parms == nullptr || parms->is_dict() || parms->is_null())) {
    // An empty stream is empty whatever its filter says (qpdf writes such streams).
    if (stream.stream_data().empty()) return std::string();
    ASSIGN_OR_RETURN(std::string inflated, Inflate(stream.stream_data(), max_output));
    if (parms == nullptr || !parms->is_dict()) return inflated;
    return UnPredict(inflated, *parms);
  }
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.unsupported_filter",
                       "unsupported stream filter or parameters",
                       "El PDF usa una compresión no admitida.");
}

}  // namespace rubrica::pdf::cos
