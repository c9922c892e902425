// Micro-benchmark of the CMS core: SignCms and VerifyCms side by side with OpenSSL's own
// CMS_sign / CMS_verify on the same key, certificate and content, and with the floor (one
// SHA-256 of the content plus one private-key operation). Prints medians in microseconds.
//
// Usage: signing_cms_bench [iterations=200] [content_kib=64]
// The key and certificate come from the `openssl` CLI into a temporary directory.
#include <openssl/cms.h>
#include <openssl/pem.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/signing/cms_signer.h"
#include "rubrica/signing/cms_verifier.h"

namespace {

using namespace rubrica;

double MedianMicros(int iterations, const std::function<void()>& op) {
  std::vector<double> t;
  for (int i = 0; i < iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    op();
    t.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

int Run(const char* algorithm_name, const std::vector<std::string>& newkey, int iterations,
        const std::string& content) {
  char dir_template[] = "/tmp/rubrica-bench-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  std::string cmd = "openssl req -x509 -nodes -subj /CN=Banco\\ de\\ Pruebas -days 2 -keyout " + dir +
                    "/k.pem -out " + dir + "/c.pem";
  for (const std::string& a : newkey) cmd += " " + a;
  cmd += " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) return 1;
  auto key = keys::SigningKey::FromUnencryptedPem(*ReadFile(dir + "/k.pem"));
  auto cert = keys::Certificate::FromPem(*ReadFile(dir + "/c.pem"));
  std::filesystem::remove_all(dir);
  if (!key.ok() || !cert.ok()) return 1;

  const std::string digest = Sha256(content);
  const double floor = MedianMicros(iterations, [&] { (void)key->Sign(Sha256(content)); });
  std::string ours;
  const double ours_sign = MedianMicros(iterations, [&] {
    ours = *signing::SignCms(Sha256(content), *key, {*cert}, nullptr);
  });
  const double ours_verify = MedianMicros(iterations, [&] {
    if (!signing::VerifyCms(ours, Sha256(content))->ok()) std::abort();
  });

  auto* x509 = static_cast<X509*>(cert->native_handle());
  auto* pkey = static_cast<EVP_PKEY*>(key->native_handle());
  const int flags = CMS_DETACHED | CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP;
  std::string theirs;
  const double ossl_sign = MedianMicros(iterations, [&] {
    BIO* in = BIO_new_mem_buf(content.data(), static_cast<int>(content.size()));
    CMS_ContentInfo* cms = CMS_sign(x509, pkey, nullptr, in, flags);
    unsigned char* der = nullptr;
    const int n = i2d_CMS_ContentInfo(cms, &der);
    theirs.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
  });
  const double ossl_verify = MedianMicros(iterations, [&] {
    const auto* p = reinterpret_cast<const unsigned char*>(theirs.data());
    CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(theirs.size()));
    BIO* in = BIO_new_mem_buf(content.data(), static_cast<int>(content.size()));
    if (CMS_verify(cms, nullptr, nullptr, in, nullptr, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) std::abort();
    BIO_free(in);
    CMS_ContentInfo_free(cms);
  });
  std::printf("%-8s sign:   rubrica %8.1f us   openssl CMS_sign   %8.1f us   ratio %.2f   floor %8.1f us\n",
              algorithm_name, ours_sign, ossl_sign, ours_sign / ossl_sign, floor);
  std::printf("%-8s verify: rubrica %8.1f us   openssl CMS_verify %8.1f us   ratio %.2f\n", algorithm_name,
              ours_verify, ossl_verify, ours_verify / ossl_verify);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
  const int kib = argc > 2 ? std::max(1, std::atoi(argv[2])) : 64;
  const std::string content = rubrica::RandomBytes(static_cast<size_t>(kib) * 1024);
  std::printf("CMS for PAdES, %d KiB of covered content, median of %d runs (no timestamp, no chain check)\n",
              kib, iterations);
  int rc = Run("EC P-256", {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"}, iterations, content);
  rc |= Run("RSA-2048", {"-newkey", "rsa:2048"}, iterations, content);
  return rc;
}
