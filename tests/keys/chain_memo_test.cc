// ChainMemo::CompareBound answers exactly what OpenSSL's own time check (X509_cmp_time)
// answers for the same bound and time: the memo's keys tell validation times apart only
// through it (src/chain_memo.h), so one wrong character would hand an expired chain the
// answer remembered for a valid one.
#include "chain_memo.h"

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>
#include <vector>

namespace rubrica::keys {
namespace {

// A self-signed certificate whose notBefore and notAfter are the given ASN1 strings, as
// written (type and bytes), so that forms OpenSSL's setters refuse can be tested too.
Certificate WithBounds(int type_before, const std::string& before, int type_after, const std::string& after) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("t"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  ASN1_TIME* nb = ASN1_STRING_type_new(type_before);
  ASN1_STRING_set(nb, before.data(), static_cast<int>(before.size()));
  ASN1_TIME* na = ASN1_STRING_type_new(type_after);
  ASN1_STRING_set(na, after.data(), static_cast<int>(after.size()));
  X509_set1_notBefore(x, nb);
  X509_set1_notAfter(x, na);
  X509_set_pubkey(x, key);
  EXPECT_GT(X509_sign(x, key, EVP_sha256()), 0);
  unsigned char* der = nullptr;
  const int n = i2d_X509(x, &der);
  std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(n > 0 ? n : 0));
  OPENSSL_free(der);
  ASN1_TIME_free(nb);
  ASN1_TIME_free(na);
  X509_free(x);
  EVP_PKEY_free(key);
  auto cert = Certificate::FromDer(bytes);
  EXPECT_TRUE(cert.ok()) << cert.status().message();
  return *cert;
}

char OpenSslAnswer(const Certificate& c, bool not_after, std::time_t at) {
  const X509* x = static_cast<const X509*>(c.native_handle());
  const int r = X509_cmp_time(not_after ? X509_get0_notAfter(x) : X509_get0_notBefore(x), &at);
  return r < 0 ? '<' : r > 0 ? '>' : '!';
}

TEST(ChainMemoCompareBound, AnswersAsX509CmpTimeOnAndAroundEveryBound) {
  struct Bounds {
    int tb;
    std::string before;
    int ta;
    std::string after;
  };
  const std::vector<Bounds> cases = {
      {V_ASN1_UTCTIME, "260401000000Z", V_ASN1_UTCTIME, "270401000000Z"},
      {V_ASN1_UTCTIME, "500101000000Z", V_ASN1_UTCTIME, "491231235959Z"},  // 1950 and 2049
      {V_ASN1_GENERALIZEDTIME, "20500101000000Z", V_ASN1_GENERALIZEDTIME, "99991231235959Z"},
      {V_ASN1_GENERALIZEDTIME, "19491231235959Z", V_ASN1_GENERALIZEDTIME, "00010101000000Z"},
      {V_ASN1_UTCTIME, "240229120000Z", V_ASN1_GENERALIZEDTIME, "21000228235959Z"},  // leap days
      // Forms X509_cmp_time does not read (its 0): no seconds, an offset, fractions, a bad month.
      {V_ASN1_UTCTIME, "2604010000Z", V_ASN1_UTCTIME, "270401000000+0100"},
      {V_ASN1_GENERALIZEDTIME, "20260401000000.5Z", V_ASN1_GENERALIZEDTIME, "20261301000000Z"},
      {V_ASN1_UTCTIME, "26040100000aZ", V_ASN1_GENERALIZEDTIME, "2026040100000Z"},
  };
  int compared = 0, unreadable = 0;
  for (const Bounds& b : cases) {
    const Certificate c = WithBounds(b.tb, b.before, b.ta, b.after);
    for (bool not_after : {false, true}) {
      const X509* x = static_cast<const X509*>(c.native_handle());
      const ASN1_TIME* bound = not_after ? X509_get0_notAfter(x) : X509_get0_notBefore(x);
      std::time_t t = 0;
      struct tm tm = {};
      std::vector<std::time_t> ats = {0, -1, 1, 1767225600, -62135596800, 253402300799, -62135596801,
                                      253402300800, INT64_MAX / 2, INT64_MIN / 2};
      if (ASN1_TIME_to_tm(bound, &tm) == 1) {
        t = timegm(&tm);
        for (std::time_t d : {-86401, -86400, -3601, -61, -1, 0, 1, 59, 3600, 86400}) ats.push_back(t + d);
      }
      for (std::time_t at : ats) {
        SCOPED_TRACE((not_after ? "notAfter " : "notBefore ") + (not_after ? b.after : b.before) + " at " +
                     std::to_string(at));
        const char expected = OpenSslAnswer(c, not_after, at);
        EXPECT_EQ(ChainMemo::CompareBound(c, not_after, at), expected);
        ++compared;
        unreadable += expected == '!';
      }
    }
  }
  EXPECT_GT(compared, 250);
  EXPECT_GT(unreadable, 40);  // the unreadable forms were reached, not refused on the way
}

}  // namespace
}  // namespace rubrica::keys
