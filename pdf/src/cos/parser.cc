#include "rubrica/pdf/cos/parser.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <unordered_set>

namespace rubrica::pdf::cos {

bool IsPdfWhitespace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

bool IsPdfDelimiter(char c) {
  switch (c) {
    case '(': case ')': case '<': case '>': case '[': case ']':
    case '{': case '}': case '/': case '%':
      return true;
    default:
      return false;
  }
}

Status Parser::Error(size_t pos, const std::string& what) const {
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.syntax",
                       what + " at byte offset " + std::to_string(pos),
                       "El PDF está dañado o no sigue la norma ISO 32000.");
}

void Parser::SkipSpace(size_t& pos) const {
  while (pos < data_.size()) {
    char c = data_[pos];
    if (IsPdfWhitespace(c)) {
      ++pos;
    } else if (c == '%') {
      while (pos < data_.size() && data_[pos] != '\n' && data_[pos] != '\r') ++pos;
    } else {
      break;
    }
  }
}

bool Parser::AtKeyword(size_t pos, std::string_view kw) const {
  if (data_.substr(pos, kw.size()) != kw) return false;
  size_t after = pos + kw.size();
  return after >= data_.size() || IsPdfWhitespace(data_[after]) || IsPdfDelimiter(data_[after]);
}

std::optional<int64_t> Parser::ReadUnsigned(size_t& pos) const {
  size_t start = pos;
  int64_t v = 0;
  while (pos < data_.size() && data_[pos] >= '0' && data_[pos] <= '9') {
    if (v > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
    v = v * 10 + (data_[pos] - '0');
    ++pos;
  }
  if (pos == start) return std::nullopt;
  return v;
}

Result<Object> Parser::ParseObject(size_t& pos) const { return Parse(pos, 0); }

Result<Object> Parser::Parse(size_t& pos, int depth) const {
  if (depth > limits_.max_depth) return Error(pos, "nesting deeper than " + std::to_string(limits_.max_depth));
  SkipSpace(pos);
  if (pos >= data_.size()) return Error(pos, "unexpected end of file");
  char c = data_[pos];
  if (c == '/') return ParseName(pos);
  if (c == '(') return ParseLiteralString(pos);
  if (c == '<') {
    if (pos + 1 < data_.size() && data_[pos + 1] == '<') {
      pos += 2;
      Object dict = Object::MakeDict();
      // Most dictionaries have a few entries and most arrays four or more items (/Rect,
      // /ByteRange, /Widths): room made once instead of growing 1, 2, 4, 8.
      dict.dict().reserve(8);
      // Duplicate keys are found by scanning while the dictionary is small, then by a hash
      // set: a scan per key would make a 100000-key dictionary cost 5e9 comparisons.
      constexpr size_t kScanKeys = 16;
      std::unordered_set<std::string> keys;
      for (;;) {
        SkipSpace(pos);
        if (pos + 1 < data_.size() && data_[pos] == '>' && data_[pos + 1] == '>') {
          pos += 2;
          return dict;
        }
        if (pos >= data_.size()) return Error(pos, "unterminated dictionary");
        if (data_[pos] != '/') return Error(pos, "dictionary key is not a name");
        ASSIGN_OR_RETURN(Object key, ParseName(pos));
        ASSIGN_OR_RETURN(Object value, Parse(pos, depth + 1));
        if (dict.dict().size() >= limits_.max_collection) return Error(pos, "dictionary too large");
        bool duplicate = false;
        if (dict.dict().size() < kScanKeys) {
          duplicate = dict.Get(key.text()) != nullptr;
        } else {
          if (keys.empty()) {
            for (const auto& entry : dict.dict()) keys.insert(entry.first);
          }
          duplicate = !keys.insert(key.text()).second;
        }
        if (duplicate && duplicates_ == nullptr) return Error(pos, "duplicate dictionary key /" + key.text());
        if (duplicate) {
          if (duplicates_->size() < 64) duplicates_->push_back(key.text());
          continue;
        }
        dict.dict().emplace_back(key.text(), std::move(value));
      }
    }
    return ParseHexString(pos);
  }
  if (c == '[') {
    ++pos;
    Object arr = Object::MakeArray();
    arr.array().reserve(4);
    for (;;) {
      SkipSpace(pos);
      if (pos < data_.size() && data_[pos] == ']') {
        ++pos;
        return arr;
      }
      if (pos >= data_.size()) return Error(pos, "unterminated array");
      if (arr.array().size() >= limits_.max_collection) return Error(pos, "array too large");
      ASSIGN_OR_RETURN(Object item, Parse(pos, depth + 1));
      arr.array().push_back(std::move(item));
    }
  }
  if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') return ParseNumberOrRef(pos);
  if (AtKeyword(pos, "true")) {
    pos += 4;
    return Object::Bool(true);
  }
  if (AtKeyword(pos, "false")) {
    pos += 5;
    return Object::Bool(false);
  }
  if (AtKeyword(pos, "null")) {
    pos += 4;
    return Object();
  }
  return Error(pos, std::string("unexpected character '") + (c >= 0x20 && c < 0x7f ? std::string(1, c) : "?") + "'");
}

Result<Object> Parser::ParseNumberOrRef(size_t& pos) const {
  size_t start = pos;
  bool neg = false;
  if (data_[pos] == '+' || data_[pos] == '-') {
    neg = data_[pos] == '-';
    ++pos;
  }
  size_t digits_start = pos;
  while (pos < data_.size() && data_[pos] >= '0' && data_[pos] <= '9') ++pos;
  bool real = false;
  if (pos < data_.size() && data_[pos] == '.') {
    real = true;
    ++pos;
    while (pos < data_.size() && data_[pos] >= '0' && data_[pos] <= '9') ++pos;
  }
  if (pos == digits_start || (real && pos == digits_start + 1)) return Error(start, "malformed number");
  if (pos < data_.size() && !IsPdfWhitespace(data_[pos]) && !IsPdfDelimiter(data_[pos])) {
    return Error(pos, "malformed number");
  }
  std::string text(data_.substr(start, pos - start));
  if (real) return Object::Real(std::strtod(text.c_str(), nullptr));
  if (pos - digits_start > 18) return Error(start, "integer out of range");
  int64_t v = std::strtoll(text.c_str(), nullptr, 10);
  // "num gen R" lookahead: only for non-negative integers.
  if (!neg && data_[start] != '+') {
    size_t p = pos;
    SkipSpace(p);
    size_t gen_start = p;
    auto gen = ReadUnsigned(p);
    if (gen && p - gen_start <= 5) {
      size_t q = p;
      SkipSpace(q);
      if (q > p && AtKeyword(q, "R")) {
        if (v < 1 || v > limits_.max_object_number || *gen > 65535) {
          return Error(start, "invalid object reference");
        }
        pos = q + 1;
        return Object::MakeRef({static_cast<int>(v), static_cast<int>(*gen)});
      }
    }
  }
  return Object::Int(v);
}

Result<Object> Parser::ParseLiteralString(size_t& pos) const {
  size_t start = pos++;
  std::string out;
  int nesting = 1;
  while (pos < data_.size()) {
    char c = data_[pos++];
    if (out.size() > limits_.max_string) return Error(start, "string too long");
    if (c == '\\') {
      if (pos >= data_.size()) break;
      char e = data_[pos++];
      switch (e) {
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case '(': case ')': case '\\': out.push_back(e); break;
        case '\r':
          if (pos < data_.size() && data_[pos] == '\n') ++pos;
          break;
        case '\n': break;
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && pos < data_.size() && data_[pos] >= '0' && data_[pos] <= '7'; ++k) {
              v = v * 8 + (data_[pos++] - '0');
            }
            out.push_back(static_cast<char>(v & 0xff));
          } else {
            out.push_back(e);  // the backslash is ignored (§7.3.4.2)
          }
      }
      continue;
    }
    if (c == '(') ++nesting;
    if (c == ')' && --nesting == 0) return Object::String(std::move(out));
    if (c == '\r') {
      // An unescaped end-of-line is read as \n (§7.3.4.2).
      if (pos < data_.size() && data_[pos] == '\n') ++pos;
      out.push_back('\n');
      continue;
    }
    out.push_back(c);
  }
  return Error(start, "unterminated string");
}

namespace {

// What each byte means inside a hex string: its value (0-15), or one of these.
constexpr int8_t kHexSpace = -1;  // PDF whitespace: skipped
constexpr int8_t kHexEnd = -2;    // '>'
constexpr int8_t kHexBad = -3;

constexpr std::array<int8_t, 256> HexTable() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = kHexBad;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<int8_t>(c - 'A' + 10);
  for (unsigned char c : {'\0', '\t', '\n', '\f', '\r', ' '}) t[c] = kHexSpace;
  t['>'] = kHexEnd;
  return t;
}
constexpr std::array<int8_t, 256> kHex = HexTable();

}  // namespace

Result<Object> Parser::ParseHexString(size_t& pos) const {
  size_t start = pos++;
  std::string out;
  // Signature /Contents are tens of kilobytes of hex, parsed several times per file. The
  // usual case, digits in pairs up to '>' with no whitespace, is decoded in one tight loop
  // into a buffer of its final size; anything else continues below from where it stopped.
  if (const void* gt = std::memchr(data_.data() + pos, '>', data_.size() - pos)) {
    const size_t digits = static_cast<size_t>(static_cast<const char*>(gt) - data_.data()) - pos;
    if (digits % 2 == 0 && digits / 2 <= limits_.max_string) {
      out.resize(digits / 2);
      const auto* in = reinterpret_cast<const unsigned char*>(data_.data() + pos);
      size_t i = 0;
      for (; i < digits / 2; ++i) {
        const int8_t h = kHex[in[2 * i]];
        const int8_t l = kHex[in[2 * i + 1]];
        if ((h | l) < 0) break;
        out[i] = static_cast<char>((h << 4) | l);
      }
      if (i == digits / 2) {
        pos += digits + 1;
        return Object::String(std::move(out), /*hex=*/true);
      }
      out.resize(i);
      pos += 2 * i;
    }
  }
  int high = -1;
  while (pos < data_.size()) {
    const int8_t v = kHex[static_cast<unsigned char>(data_[pos++])];
    if (v >= 0) {
      if (high < 0) {
        high = v;
        continue;
      }
      out.push_back(static_cast<char>((high << 4) | v));
      high = -1;
      if (out.size() > limits_.max_string) return Error(start, "string too long");
      continue;
    }
    if (v == kHexSpace) continue;
    if (v == kHexEnd) {
      if (high >= 0) out.push_back(static_cast<char>(high << 4));
      return Object::String(std::move(out), /*hex=*/true);
    }
    return Error(pos - 1, "non-hex character in hex string");
  }
  return Error(start, "unterminated hex string");
}

Result<Object> Parser::ParseName(size_t& pos) const {
  size_t start = pos++;
  std::string out;
  while (pos < data_.size() && !IsPdfWhitespace(data_[pos]) && !IsPdfDelimiter(data_[pos])) {
    char c = data_[pos++];
    if (c == '#') {
      if (pos + 1 >= data_.size()) return Error(pos, "bad # escape in name");
      std::string hex(data_.substr(pos, 2));
      char* end = nullptr;
      long v = std::strtol(hex.c_str(), &end, 16);
      if (end != hex.c_str() + 2 || v == 0) return Error(pos, "bad # escape in name");
      out.push_back(static_cast<char>(v));
      pos += 2;
    } else {
      out.push_back(c);
    }
    if (out.size() > 127 * 4) return Error(start, "name too long");
  }
  return Object::Name(std::move(out));
}

Result<IndirectObject> Parser::ParseIndirect(size_t offset, const LengthResolver& length) const {
  if (offset >= data_.size()) return Error(offset, "object offset past the end of the file");
  size_t pos = offset;
  // An offset a few whitespace bytes early (Microsoft "Print to PDF" points at the end of
  // line before "1 0 obj") names the same object: the header below still has to match.
  for (int n = 0; n < 4 && pos < data_.size() && IsPdfWhitespace(data_[pos]); ++n) ++pos;
  const size_t header = pos;
  auto num = ReadUnsigned(pos);
  if (!num) return Error(offset, "expected an object number");
  size_t p = pos;
  SkipSpace(p);
  if (p == pos) return Error(p, "expected whitespace after the object number");
  auto gen = ReadUnsigned(p);
  if (!gen) return Error(p, "expected a generation number");
  size_t q = p;
  SkipSpace(q);
  if (q == p || !AtKeyword(q, "obj")) return Error(q, "expected 'obj'");
  if (*num < 1 || *num > limits_.max_object_number || *gen > 65535) {
    return Error(offset, "object number out of range");
  }
  pos = q + 3;
  IndirectObject io;
  io.ref = {static_cast<int>(*num), static_cast<int>(*gen)};
  io.begin = header;
  ASSIGN_OR_RETURN(io.value, Parse(pos, 0));
  SkipSpace(pos);
  if (AtKeyword(pos, "stream")) {
    if (io.value.type() != Object::Type::kDict) return Error(pos, "stream without a dictionary");
    pos += 6;
    // The keyword is followed by CRLF or LF (§7.3.8.1).
    if (pos < data_.size() && data_[pos] == '\r') ++pos;
    if (pos >= data_.size() || data_[pos] != '\n') return Error(pos, "'stream' not followed by an end-of-line");
    ++pos;
    const Object* len = io.value.Get("Length");
    std::optional<int64_t> n;
    if (len != nullptr && len->is_int()) n = len->as_int();
    else if (len != nullptr && len->is_ref() && length) n = length(len->ref());
    const bool fits = n && *n >= 0 && static_cast<uint64_t>(*n) <= data_.size() - pos;
    size_t data_end = fits ? pos + static_cast<size_t>(*n) : pos;
    size_t keyword = data_end;
    SkipSpace(keyword);
    if (!fits || !AtKeyword(keyword, "endstream")) {
      if (length_mismatch_ == nullptr || !n || *n < 0) {
        return fits ? Error(keyword, "expected 'endstream' where /Length ends")
                    : Error(pos, "stream /Length missing, unresolvable or past the end of the file");
      }
      // Read to the first `endstream`, without the end of line before it (§7.3.8.1).
      keyword = data_.find("endstream", pos);
      while (keyword != std::string_view::npos && !AtKeyword(keyword, "endstream")) {
        keyword = data_.find("endstream", keyword + 1);
      }
      if (keyword == std::string_view::npos) return Error(pos, "stream /Length does not end at 'endstream', and none follows");
      data_end = keyword;
      if (data_end > pos && data_[data_end - 1] == '\n') --data_end;
      if (data_end > pos && data_[data_end - 1] == '\r') --data_end;
      *length_mismatch_ = LengthMismatch{*n, data_end - pos};
    }
    std::string raw(data_.substr(pos, data_end - pos));
    pos = keyword + 9;
    Dict dict = std::move(io.value.dict());
    io.value = Object::Stream(std::move(dict), std::move(raw));
    SkipSpace(pos);
  }
  if (!AtKeyword(pos, "endobj")) return Error(pos, "expected 'endobj'");
  io.end = pos + 6;
  return io;
}

}  // namespace rubrica::pdf::cos
