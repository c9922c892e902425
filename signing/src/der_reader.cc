#include "der_reader.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include <chrono>

#include "der_writer.h"

namespace rubrica::signing::der {

Status BadDer(std::string_view what, size_t offset, std::string_view why) {
  return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_der",
                       std::string(what) + " at byte " + std::to_string(offset) + ": " +
                           std::string(why),
                       "La estructura criptográfica está dañada o no es válida.");
}

Reader Element::Children() const {
  const size_t header = encoding.size() - content.size();
  return Reader(content, offset + header);
}

std::optional<uint8_t> Reader::PeekTag() const {
  if (AtEnd()) return std::nullopt;
  return static_cast<uint8_t>(data_[pos_]);
}

Result<Element> Reader::Next(std::string_view what) {
  const size_t start = pos_;
  const size_t avail = data_.size() - pos_;
  if (avail < 2) return BadDer(what, offset(), "truncated (no tag and length)");
  const auto tag = static_cast<uint8_t>(data_[pos_]);
  if ((tag & 0x1f) == 0x1f) return BadDer(what, offset(), "high tag numbers are not used here");
  const auto first = static_cast<uint8_t>(data_[pos_ + 1]);
  size_t header = 2;
  size_t length = first;
  if (first == 0x80) return BadDer(what, offset(), "indefinite length (BER) is not DER");
  if (first > 0x80) {
    const size_t count = first & 0x7f;
    if (count > 4) return BadDer(what, offset(), "length field longer than 4 bytes");
    if (avail < 2 + count) return BadDer(what, offset(), "truncated length");
    length = 0;
    for (size_t i = 0; i < count; ++i) {
      length = (length << 8) | static_cast<uint8_t>(data_[pos_ + 2 + i]);
    }
    // Minimal form: no leading zero octet, and long form only for lengths >= 128.
    if (static_cast<uint8_t>(data_[pos_ + 2]) == 0 || length < 0x80) {
      return BadDer(what, offset(), "length not in minimal form");
    }
    header += count;
  }
  if (length > avail - header) {
    return BadDer(what, offset(),
                  "length " + std::to_string(length) + " runs past the end (" +
                      std::to_string(avail - header) + " bytes left)");
  }
  Element e;
  e.tag = tag;
  e.offset = base_ + start;
  e.encoding = data_.substr(start, header + length);
  e.content = data_.substr(start + header, length);
  pos_ = start + header + length;
  return e;
}

Result<Element> Reader::Expect(uint8_t tag, std::string_view what) {
  std::optional<uint8_t> t = PeekTag();
  if (!t) return BadDer(what, offset(), "missing (structure ends early)");
  if (*t != tag) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "tag 0x%02x where 0x%02x was expected", *t, tag);
    return BadDer(what, offset(), buf);
  }
  return Next(what);
}

Result<std::optional<Element>> Reader::Optional(uint8_t tag, std::string_view what) {
  if (PeekTag() != tag) return std::optional<Element>();
  ASSIGN_OR_RETURN(Element e, Next(what));
  return std::optional<Element>(e);
}

Status Reader::ExpectEnd(std::string_view what) const {
  if (!AtEnd()) {
    return BadDer(what, offset(), std::to_string(data_.size() - pos_) + " unexpected trailing bytes");
  }
  return Status::Ok();
}

Result<std::string> OidText(const Element& e, std::string_view what) {
  // Real OIDs are short; the cap keeps OpenSSL's bignum arithmetic on hostile arcs cheap.
  if (e.content.empty() || e.content.size() > 64) {
    return BadDer(what, e.offset, "object identifier of " + std::to_string(e.content.size()) + " bytes");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(e.encoding.data());
  ASN1_OBJECT* obj = d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(e.encoding.size()));
  if (obj == nullptr) {
    ERR_clear_error();
    return BadDer(what, e.offset, "malformed object identifier");
  }
  char buf[256];
  const int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  ASN1_OBJECT_free(obj);
  if (n <= 0 || n >= static_cast<int>(sizeof buf)) {
    ERR_clear_error();
    return BadDer(what, e.offset, "object identifier cannot be printed");
  }
  return std::string(buf, static_cast<size_t>(n));
}

Result<std::string> ReadOid(Reader& r, std::string_view what) {
  ASSIGN_OR_RETURN(Element e, r.Expect(kOid, what));
  return OidText(e, what);
}

Result<int64_t> ReadSmallInteger(Reader& r, std::string_view what) {
  ASSIGN_OR_RETURN(Element e, r.Expect(kInteger, what));
  if (e.content.empty() || e.content.size() > 4 || (static_cast<uint8_t>(e.content[0]) & 0x80) != 0) {
    return BadDer(what, e.offset, "expected a small non-negative integer");
  }
  int64_t v = 0;
  for (char c : e.content) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

Result<std::string_view> ReadIntegerBytes(Reader& r, std::string_view what, size_t max_bytes) {
  ASSIGN_OR_RETURN(Element e, r.Expect(kInteger, what));
  if (e.content.empty() || e.content.size() > max_bytes) {
    return BadDer(what, e.offset, "integer of " + std::to_string(e.content.size()) +
                                      " bytes, expected 1 to " + std::to_string(max_bytes));
  }
  return e.content;
}

Result<std::string> ReadAlgorithm(Reader& r, std::string_view what, std::string_view* params) {
  ASSIGN_OR_RETURN(Element seq, r.Expect(kSequence, what));
  Reader in = seq.Children();
  ASSIGN_OR_RETURN(std::string oid, ReadOid(in, what));
  std::string_view p;
  if (!in.AtEnd()) {
    ASSIGN_OR_RETURN(Element param, in.Next(what));
    p = param.encoding;
  }
  RETURN_IF_ERROR(in.ExpectEnd(what));
  if (params != nullptr) *params = p;
  return oid;
}

Result<Instant> ParseGeneralizedTime(const Element& e, std::string_view what) {
  const std::string_view s = e.content;
  auto bad = [&](std::string_view why) { return BadDer(what, e.offset, why); };
  if (s.size() < 15 || s.size() > 32 || s.back() != 'Z') {
    return bad("GeneralizedTime must be YYYYMMDDHHMMSS[.f]Z");
  }
  auto digits = [&](size_t at, size_t n) -> int {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const int y = digits(0, 4), mo = digits(4, 2), d = digits(6, 2);
  const int h = digits(8, 2), mi = digits(10, 2), se = digits(12, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 ||
      se > 59) {
    return bad("GeneralizedTime out of range");
  }
  using namespace std::chrono;
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return bad("GeneralizedTime names a day that does not exist");
  Instant t = Instant(sys_days(ymd)) + hours(h) + minutes(mi) + seconds(se);
  const std::string_view rest = s.substr(14, s.size() - 15);
  if (!rest.empty()) {
    // DER: a fraction has at least one digit and no trailing zero.
    if (rest[0] != '.' || rest.size() < 2 || rest.back() == '0') return bad("malformed fraction of a second");
    int64_t micros = 0;
    for (size_t i = 1; i < rest.size(); ++i) {
      if (rest[i] < '0' || rest[i] > '9') return bad("malformed fraction of a second");
      if (i <= 6) micros = micros * 10 + (rest[i] - '0');
    }
    for (size_t i = rest.size(); i <= 6; ++i) micros *= 10;
    t += microseconds(micros);
  }
  return t;
}

}  // namespace rubrica::signing::der
