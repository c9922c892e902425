#include "der_writer.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace rubrica::signing::der {

std::string Tlv(uint8_t tag, std::string_view content) {
  std::string out;
  out.reserve(content.size() + 6);
  out.push_back(static_cast<char>(tag));
  const size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<char>(n));
  } else {
    std::string len;
    for (size_t v = n; v != 0; v >>= 8) len.insert(len.begin(), static_cast<char>(v & 0xff));
    out.push_back(static_cast<char>(0x80 | len.size()));
    out += len;
  }
  out.append(content);
  return out;
}

std::string Sequence(const std::vector<std::string>& elements) {
  std::string content;
  for (const std::string& e : elements) content += e;
  return Tlv(kSequence, content);
}

std::string SetOf(std::vector<std::string> elements) {
  // X.690 11.6: compare as octet strings, the shorter one padded with trailing zeros.
  std::sort(elements.begin(), elements.end(), [](const std::string& a, const std::string& b) {
    const size_t n = std::max(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
      const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
      if (x != y) return x < y;
    }
    return false;
  });
  std::string content;
  for (const std::string& e : elements) content += e;
  return Tlv(kSet, content);
}

std::string UnsignedInteger(std::string_view magnitude) {
  size_t first = 0;
  while (first < magnitude.size() && magnitude[first] == 0) ++first;
  std::string content(magnitude.substr(first));
  if (content.empty() || (static_cast<unsigned char>(content[0]) & 0x80) != 0) {
    content.insert(content.begin(), '\0');
  }
  return Tlv(kInteger, content);
}

std::string SmallInteger(uint64_t value) {
  std::string magnitude;
  for (uint64_t v = value; v != 0; v >>= 8) {
    magnitude.insert(magnitude.begin(), static_cast<char>(v & 0xff));
  }
  return UnsignedInteger(magnitude);
}

std::string Boolean(bool value) { return Tlv(kBoolean, std::string(1, value ? '\xff' : '\0')); }
std::string OctetString(std::string_view bytes) { return Tlv(kOctetString, bytes); }
std::string Null() { return Tlv(kNull, {}); }
std::string Utf8String(std::string_view text) { return Tlv(kUtf8String, text); }

std::string NamedBit(int bit) {
  const int bytes = bit / 8 + 1;
  std::string content(static_cast<size_t>(bytes) + 1, '\0');
  content[0] = static_cast<char>(7 - bit % 8);  // unused bits in the last octet
  content[static_cast<size_t>(bytes)] = static_cast<char>(0x80 >> (bit % 8));
  return Tlv(kBitString, content);
}

std::string GeneralizedTime(Instant t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss<microseconds> hms(t - day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u%02ld%02ld%02ld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  std::string text = buf;
  const long micros = static_cast<long>(hms.subseconds().count());
  if (micros != 0) {
    std::snprintf(buf, sizeof buf, ".%06ld", micros);
    std::string fraction = buf;
    while (fraction.back() == '0') fraction.pop_back();
    text += fraction;
  }
  text += 'Z';
  return Tlv(kGeneralizedTime, text);
}

Result<std::string> Oid(std::string_view dotted) {
  auto bad = [&] {
    std::string message = "not a dotted object identifier: ";
    message.append(dotted);
    return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_oid", std::move(message),
                         "El identificador de objeto (OID) no es válido.");
  };
  if (dotted.empty() || dotted.size() > 200 ||
      dotted.find_first_not_of("0123456789.") != std::string_view::npos) {
    return bad();
  }
  // OpenSSL's parser handles arcs of any size (2.25.<uuid> policies).
  ASN1_OBJECT* obj = OBJ_txt2obj(std::string(dotted).c_str(), 1);
  if (obj == nullptr) {
    ERR_clear_error();
    return bad();
  }
  unsigned char* buf = nullptr;
  const int n = i2d_ASN1_OBJECT(obj, &buf);
  ASN1_OBJECT_free(obj);
  if (n <= 0) {
    ERR_clear_error();
    return bad();
  }
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return out;
}

std::string KnownOid(std::string_view dotted) {
  Result<std::string> r = Oid(dotted);
  return r.ok() ? *r : std::string();
}

std::string AlgorithmId(std::string_view dotted) { return Sequence({KnownOid(dotted)}); }

std::string AlgorithmIdWithNull(std::string_view dotted) {
  return Sequence({KnownOid(dotted), Null()});
}

}  // namespace rubrica::signing::der
