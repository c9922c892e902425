#include "openssl_util.h"

#include <openssl/asn1.h>

#include <chrono>
#include <cstring>

namespace rubrica::keys {

std::string OpenSslErrors() {
  std::string out;
  unsigned long e;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

BioPtr MemBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string BioContents(BIO* bio) {
  char* p = nullptr;
  long n = BIO_get_mem_data(bio, &p);
  return n > 0 ? std::string(p, static_cast<size_t>(n)) : std::string();
}

Instant AsnTimeToInstant(const ASN1_TIME* t) {
  struct tm tm;
  std::memset(&tm, 0, sizeof tm);
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return Instant{};
  using namespace std::chrono;
  auto day = sys_days(year(tm.tm_year + 1900) / month(unsigned(tm.tm_mon + 1)) /
                      std::chrono::day(unsigned(tm.tm_mday)));
  return Instant(day + hours(tm.tm_hour) + minutes(tm.tm_min) + seconds(tm.tm_sec));
}

std::time_t ToTimeT(Instant t) {
  return static_cast<std::time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

}  // namespace rubrica::keys
