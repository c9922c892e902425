// Done-when 2 of the keys issue: after enrolment, signing and imports, nothing in the data
// directory (files, and every text/blob value of the SQLite database) is an unencrypted
// private key, in PEM or DER, PKCS#8, SEC1 or PKCS#1.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sqlite3.h>

#include "keys_test_support.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/installation.h"
#include "rubrica/keys/schema.h"

namespace rubrica::keys {
namespace {

using namespace testing;

struct Scan {
  std::vector<std::string> findings;
  size_t bytes = 0;
  size_t encrypted_pem_blocks = 0;
};

bool ParsesAsClearKey(const unsigned char* data, long len, std::string& what) {
  const unsigned char* p = data;
  if (PKCS8_PRIV_KEY_INFO* p8 = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, len)) {
    EVP_PKEY* k = EVP_PKCS82PKEY(p8);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (k != nullptr) {
      EVP_PKEY_free(k);
      what = "PKCS#8 PrivateKeyInfo";
      return true;
    }
  }
  for (auto [type, name] : {std::pair{EVP_PKEY_EC, "SEC1 ECPrivateKey"}, std::pair{EVP_PKEY_RSA, "PKCS#1 RSAPrivateKey"}}) {
    p = data;
    if (EVP_PKEY* k = d2i_PrivateKey(type, nullptr, &p, len)) {
      EVP_PKEY_free(k);
      what = name;
      return true;
    }
  }
  ERR_clear_error();
  return false;
}

void ScanBytes(std::string_view bytes, const std::string& where, Scan& scan, int depth = 0) {
  scan.bytes += bytes.size();
  // DER anywhere: every offset that could start a SEQUENCE.
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (static_cast<unsigned char>(bytes[i]) != 0x30) continue;
    std::string what;
    if (ParsesAsClearKey(reinterpret_cast<const unsigned char*>(bytes.data()) + i,
                         static_cast<long>(bytes.size() - i), what)) {
      scan.findings.push_back(where + " @" + std::to_string(i) + ": " + what);
    }
  }
  // PEM blocks: their label, and what their body decodes to.
  for (size_t pos = 0; (pos = bytes.find("-----BEGIN ", pos)) != std::string_view::npos;) {
    size_t label_end = bytes.find("-----", pos + 11);
    if (label_end == std::string_view::npos) break;
    const std::string label(bytes.substr(pos + 11, label_end - pos - 11));
    if (label == "ENCRYPTED PRIVATE KEY") ++scan.encrypted_pem_blocks;
    else if (label.find("PRIVATE KEY") != std::string::npos) scan.findings.push_back(where + ": PEM " + label);
    size_t end = bytes.find("-----END ", label_end);
    if (end == std::string_view::npos) break;
    if (depth == 0) {
      auto der = Base64Decode(bytes.substr(label_end + 5, end - label_end - 5));
      if (der.ok()) ScanBytes(*der, where + " (PEM " + label + ")", scan, depth + 1);
    }
    pos = end;
  }
  // A bare base64 value (e.g. a key stored as text without PEM armour).
  if (depth == 0 && bytes.size() >= 64 && bytes.find("-----") == std::string_view::npos) {
    auto der = Base64Decode(bytes);
    if (der.ok()) ScanBytes(*der, where + " (base64)", scan, depth + 1);
  }
}

void ScanDatabase(const std::string& path, Scan& scan) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  ASSERT_FALSE(tables.empty());
  for (const auto& table : tables) {
    ASSERT_EQ(sqlite3_prepare_v2(db, ("SELECT * FROM \"" + table + "\"").c_str(), -1, &st, nullptr), SQLITE_OK);
    for (int row = 0; sqlite3_step(st) == SQLITE_ROW; ++row) {
      for (int col = 0; col < sqlite3_column_count(st); ++col) {
        const int type = sqlite3_column_type(st, col);
        if (type != SQLITE_TEXT && type != SQLITE_BLOB) continue;
        const void* data = sqlite3_column_blob(st, col);
        const int n = sqlite3_column_bytes(st, col);
        ScanBytes(std::string_view(static_cast<const char*>(data), static_cast<size_t>(n)),
                  table + "[" + std::to_string(row) + "]." + sqlite3_column_name(st, col), scan);
      }
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
}

Scan ScanDataDirectory(const std::string& dir) {
  Scan scan;
  for (const std::string& file : ListFilesRecursive(dir)) ScanBytes(Slurp(file), file, scan);
  ScanDatabase(dir + "/rubrica.db", scan);
  return scan;
}

// An unencrypted key, "pem-pkcs8" or "der-type-specific", for the scanner's own check.
std::string ClearKey(int type, const char* form) {
  EVP_PKEY* k = type == EVP_PKEY_EC ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                    : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  std::string out;
  if (std::string(form) == "pem-pkcs8") {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, k, nullptr, nullptr, 0, nullptr, nullptr);
    char* p = nullptr;
    long n = BIO_get_mem_data(bio, &p);
    out.assign(p, static_cast<size_t>(n));
    BIO_free(bio);
  } else {
    unsigned char* der = nullptr;
    int n = i2d_PrivateKey(k, &der);  // SEC1 for EC, PKCS#1 for RSA
    if (der != nullptr) out.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
  }
  EVP_PKEY_free(k);
  return out;
}

TEST(NoClearKeysTest, TheScannerFindsPlantedKeysInFilesAndDatabaseValues) {
  TempDir dir;
  {
    auto db = store::Database::Open(dir / "rubrica.db");
    ASSERT_TRUE(db.ok());
    auto tx = (*db)->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->Exec("CREATE TABLE planted (t TEXT, b BLOB)").ok());
    auto st = tx->Prepare("INSERT INTO planted VALUES (?, ?)");
    ASSERT_TRUE(st.ok());
    const std::string pem = ClearKey(EVP_PKEY_EC, "pem-pkcs8");
    ASSERT_NE(pem.find("BEGIN PRIVATE KEY"), std::string::npos);
    std::string body = pem.substr(pem.find('\n') + 1);
    body = body.substr(0, body.find("-----END"));
    ASSERT_TRUE(st->Bind(1, body).BindBlob(2, ClearKey(EVP_PKEY_RSA, "der-type-specific")).Run().ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  const std::string sec1 = ClearKey(EVP_PKEY_EC, "der-type-specific");
  Spit(dir / "blobs/key.bin", "prefix" + sec1 + "suffix");
  Spit(dir / "notes.txt", ClearKey(EVP_PKEY_RSA, "pem-pkcs8"));
  Scan scan = ScanDataDirectory(dir.path());
  std::string all;
  for (const auto& f : scan.findings) all += f + "\n";
  for (const char* expected : {"planted[0].t (base64) @0: PKCS#8", "planted[0].b @0: PKCS#1 RSAPrivateKey",
                               "key.bin @6: SEC1 ECPrivateKey", "notes.txt: PEM PRIVATE KEY",
                               "notes.txt (PEM PRIVATE KEY) @0: PKCS#8"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << "not found: " << expected << "\n" << all;
  }
}

TEST(NoClearKeysTest, NothingInTheDataDirectoryIsAnUnencryptedKey) {
  TempDir data;
  TempDir scratch;  // outside the data directory: the foreign CA's clear keys
  ManualClock clock(Day(2019, 6, 1));
  {
    auto db = store::Database::Open(data / "rubrica.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Migrate("audit", store::AuditLog::Migrations()).ok());
    ASSERT_TRUE((*db)->Migrate(kSchemaComponent, Migrations()).ok());
    store::AuditLog audit(clock);
    InstallationOptions io;
    io.data_dir = data.path();
    io.public_url = "http://127.0.0.1:8080/";
    auto inst = EnsureInstallationKeys(**db, audit, clock, io);
    ASSERT_TRUE(inst.ok()) << inst.status().ToString();
    EXPECT_TRUE(inst->created);
    EXPECT_EQ(inst->ca->tsa_certificate().CrlUrls(), std::vector<std::string>{"http://127.0.0.1:8080/keys/crl"});
    KeyStoreOptions ko;
    ko.pin_encryption = FastPins();

    // 2019: the SAT credential is valid; its certificate is dropped in as an anchor.
    Spit(data / "trust/anchors/sat.cer", SatFixture("certificate.cer"));
    auto trust = LoadInstallationTrust(clock, *inst->ca, data.path());
    ASSERT_TRUE(trust.ok()) << trust.status().ToString();
    {
      KeyStore keys(**db, audit, clock, *inst->ca, **trust, SecretString::Copy(inst->key_wrap_secret.view()), ko);
      auto efirma = keys.ImportEfirma("person:1", SatFixture("certificate.cer"), SatFixture("private_key.key"),
                                      SatFixture("password.txt"), "246810", "test");
      ASSERT_TRUE(efirma.ok()) << efirma.status().ToString();
      ASSERT_TRUE(keys.Unlock(efirma->id, "246810")->key.Sign("acta").ok());
    }

    // Today: a PKCS#12 from a state CA, and a member enrolled by the local CA.
    OpensslCa state(scratch / "state", "Autoridad Certificadora Estatal de Pruebas");
    state.Issue("maria", "keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n", "51");
    const std::string p12 = Slurp(state.Pkcs12("maria", "p12"));
    Spit(data / "trust/anchors/state.pem", Slurp(state.cert_path()));
    clock.Set(SystemClock().Now() + std::chrono::minutes(1));
    trust = LoadInstallationTrust(clock, *inst->ca, data.path());
    ASSERT_TRUE(trust.ok()) << trust.status().ToString();
    KeyStore keys(**db, audit, clock, *inst->ca, **trust, SecretString::Copy(inst->key_wrap_secret.view()), ko);
    auto imported = keys.ImportPkcs12("person:2", p12, "p12", "135790", "test");
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    auto enrolled = keys.Enrol({"person:3", Member("Ana Ejemplo", clock.Now(), clock.Now() + std::chrono::days(365)),
                                KeyAlgorithm::kRsa2048},
                               "975310", "test");
    ASSERT_TRUE(enrolled.ok()) << enrolled.status().ToString();
    for (auto [id, pin] : {std::pair{imported->id, "135790"}, std::pair{enrolled->id, "975310"}}) {
      auto unlocked = keys.Unlock(id, pin);
      ASSERT_TRUE(unlocked.ok()) << unlocked.status().ToString();
      ASSERT_TRUE(unlocked->key.Sign("acta").ok());
    }
    ASSERT_TRUE(keys.ChangePin(enrolled->id, "975310", "864200", "test").ok());
    ASSERT_TRUE(inst->ca->UnlockTsaKey()->Sign("sello").ok());
    ASSERT_TRUE(inst->ca->UnlockSealKey()->Sign("sello").ok());
    ASSERT_TRUE(keys.Revoke(imported->id, RevocationReason::kSuperseded, "test").ok());
    ASSERT_TRUE(inst->ca->CurrentCrl().ok());
  }
  Scan scan = ScanDataDirectory(data.path());
  for (const auto& f : scan.findings) ADD_FAILURE() << "unencrypted private key: " << f;
  EXPECT_TRUE(scan.findings.empty());
  // The scan did look at the encrypted keys: 4 installation keys + 2 member keys (the
  // revoked one was erased), in the database file and as values.
  EXPECT_GE(scan.encrypted_pem_blocks, 6u * 2);
  EXPECT_GT(scan.bytes, 100000u);
}

}  // namespace
}  // namespace rubrica::keys
