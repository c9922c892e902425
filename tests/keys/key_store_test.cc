#include "rubrica/keys/key_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "keys_test_support.h"
#include "rubrica/keys/efirma.h"
#include "rubrica/keys/schema.h"

namespace rubrica::keys {
namespace {

using namespace testing;
using std::chrono::seconds;

constexpr const char* kPin = "482913";

EnrolRequest Request(const std::string& holder, Instant from, Instant to) {
  return EnrolRequest{holder, Member("Ana Ejemplo Pérez", from, to), KeyAlgorithm::kEcdsaP256};
}

std::vector<std::string> AuditActions(KeysEnv& env) {
  auto entries = env.audit->List(*env.db, 0, 1000);
  EXPECT_TRUE(entries.ok());
  std::vector<std::string> out;
  for (const auto& e : *entries) out.push_back(e.entry.action);
  return out;
}

TEST(KeyStoreTest, EnrolsAMemberAndUnlocksTheKeyForOneSigning) {
  KeysEnv env;
  auto c = env.keys->Enrol(Request("person:12", env.clock.Now(), Day(2027, 3, 1)), kPin, "cli:admin");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->holder_id, "person:12");
  EXPECT_EQ(c->origin, CredentialOrigin::kLocalCa);
  EXPECT_FALSE(c->external);
  EXPECT_TRUE(c->active());
  EXPECT_EQ(c->curp, "XEXX010101MMNXXX09");
  EXPECT_EQ(c->certificate.SubjectCommonName(), "Ana Ejemplo Pérez");
  ASSERT_EQ(c->chain.size(), 2u);
  EXPECT_EQ(c->chain[1], env.ca->root());

  auto unlocked = env.keys->Unlock(c->id, kPin);
  ASSERT_TRUE(unlocked.ok()) << unlocked.status().ToString();
  auto sig = unlocked->key.Sign("acta 2026-03");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(VerifySignature(c->certificate, "acta 2026-03", *sig));
  EXPECT_EQ(unlocked->credential.id, c->id);

  auto listed = env.keys->ListByHolder("person:12");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].certificate, c->certificate);
  EXPECT_TRUE(env.keys->ListByHolder("person:13")->empty());
  EXPECT_EQ(env.keys->Get(999).status().code(), "keys.credential_not_found");
  // The issued certificate validates for document signing.
  ValidationOptions v;
  v.time = env.clock.Now();
  EXPECT_TRUE(env.trust->Validate(c->certificate, c->chain, v).ok());
}

TEST(KeyStoreTest, EnrolmentIssuesASeparateRubricCertificateOnTheSameKey) {
  KeysEnv env;
  auto c = env.keys->Enrol(Request("person:7", env.clock.Now(), Day(2027, 3, 1)), kPin, "cli:admin");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_TRUE(c->rubric_certificate.has_value());
  const Certificate& rubric = *c->rubric_certificate;
  EXPECT_NE(rubric, c->certificate);
  EXPECT_NE(rubric.SerialHex(), c->certificate.SerialHex());
  EXPECT_EQ(rubric.PublicKeyInfoDer(), c->certificate.PublicKeyInfoDer());
  EXPECT_EQ(rubric.SubjectString(), c->certificate.SubjectString());
  EXPECT_EQ(&c->CertificateFor(true), &*c->rubric_certificate);
  EXPECT_EQ(&c->CertificateFor(false), &c->certificate);
  ValidationOptions v;
  v.time = env.clock.Now();
  EXPECT_TRUE(env.trust->Validate(rubric, c->chain, v).ok());
  // Revoking the credential revokes both certificates.
  ASSERT_TRUE(env.keys->Revoke(c->id, RevocationReason::kCessationOfOperation, "cli:admin").ok());
  EXPECT_TRUE(env.ca->RevocationOf(rubric)->has_value());
  EXPECT_TRUE(env.ca->RevocationOf(c->certificate)->has_value());
}

TEST(KeyStoreTest, RefusesWeakPinsAndBadRequests) {
  KeysEnv env;
  EXPECT_EQ(env.keys->Enrol(Request("person:1", env.clock.Now(), Day(2027, 1, 1)), "1234", "a").status().code(),
            "keys.weak_pin");
  EXPECT_EQ(env.keys->Enrol(Request("", env.clock.Now(), Day(2027, 1, 1)), kPin, "a").status().code(),
            "keys.bad_holder");
  auto bad = Request("person:1", env.clock.Now(), Day(2027, 1, 1));
  bad.subject.email = "sin-arroba";
  EXPECT_EQ(env.keys->Enrol(bad, kPin, "a").status().code(), "keys.bad_subject");
  EXPECT_TRUE(env.keys->List()->empty());
}

struct LockStep {
  const char* name;
  seconds advance;    // before the attempt
  const char* pin;
  const char* code;   // "" for success
  const char* in_message;
};

TEST(KeyStoreTest, WrongPinsLockTheKeyForAGrowingDelayThatSurvivesARestart) {
  KeysEnv env;
  auto c = env.keys->Enrol(Request("person:7", env.clock.Now(), Day(2027, 3, 1)), kPin, "cli:admin");
  ASSERT_TRUE(c.ok());
  const LockStep steps[] = {
      {"1st wrong", seconds(0), "000000", "keys.wrong_pin", "2 attempts left"},
      {"2nd wrong", seconds(1), "000000", "keys.wrong_pin", "1 attempts left"},
      {"3rd wrong locks 30 s", seconds(1), "000000", "keys.wrong_pin", "locked for 30 s"},
      {"right PIN while locked", seconds(10), kPin, "keys.locked", "another 20 s"},
      {"wrong PIN while locked is not counted", seconds(1), "000000", "keys.locked", "another 19 s"},
      {"4th wrong locks 60 s", seconds(20), "000000", "keys.wrong_pin", "locked for 60 s"},
      {"restart", seconds(0), nullptr, "", ""},
      {"still locked after restart", seconds(30), kPin, "keys.locked", "another 30 s"},
      {"5th wrong locks 120 s", seconds(31), "000000", "keys.wrong_pin", "locked for 120 s"},
      {"right PIN after the delay", seconds(121), kPin, "", ""},
      {"counting starts again", seconds(0), "000000", "keys.wrong_pin", "2 attempts left"},
  };
  for (const auto& s : steps) {
    SCOPED_TRACE(s.name);
    env.clock.Advance(s.advance);
    if (s.pin == nullptr) {
      env.Reopen();
      continue;
    }
    auto r = env.keys->Unlock(c->id, s.pin);
    EXPECT_EQ(r.ok() ? "" : r.status().code(), s.code) << r.status().ToString();
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find(s.in_message), std::string::npos) << r.status().message();
      EXPECT_FALSE(r.status().message_es().empty());
    }
    if (std::string(s.code) == "keys.locked") {
      EXPECT_EQ(r.status().kind(), ErrorKind::kRateLimited);
    }
  }
  const auto actions = AuditActions(env);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "keys.pin_rejected"), 6);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "keys.pin_failures_cleared"), 1);
}

TEST(KeyStoreTest, ConcurrentWrongPinsAreAllCountedOrRefused) {
  KeysEnv env;
  auto c = env.keys->Enrol(Request("person:8", env.clock.Now(), Day(2027, 3, 1)), kPin, "cli:admin");
  ASSERT_TRUE(c.ok());
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0}, locked{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      const Status s = env.keys->Unlock(c->id, "000000").status();
      wrong += s.code() == "keys.wrong_pin";
      locked += s.code() == "keys.locked";
      EXPECT_TRUE(s.code() == "keys.wrong_pin" || s.code() == "keys.locked") << s.ToString();
    });
  }
  for (auto& t : threads) t.join();
  // Attempts that started before the lock are all counted (no lost update); later ones are
  // refused without trying the PIN.
  EXPECT_EQ(wrong.load() + locked.load(), 6);
  EXPECT_GE(wrong.load(), 3);
  auto r = env.keys->Unlock(c->id, kPin);
  EXPECT_EQ(r.status().code(), "keys.locked");
  EXPECT_NE(r.status().message().find("after " + std::to_string(wrong.load()) + " wrong PINs"), std::string::npos)
      << r.status().message();
  const auto actions = AuditActions(env);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "keys.pin_rejected"), wrong.load());
}

TEST(KeyStoreTest, ConcurrentUnlocksAndValidationsWork) {
  KeysEnv env;
  std::vector<int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    auto c = env.keys->Enrol(Request("person:" + std::to_string(i), env.clock.Now(), Day(2027, 3, 1)), kPin, "a");
    ASSERT_TRUE(c.ok());
    ids.push_back(c->id);
  }
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int64_t id : ids) {
    threads.emplace_back([&, id] {
      for (int round = 0; round < 3; ++round) {
        auto u = env.keys->Unlock(id, kPin);
        if (!u.ok()) return;
        auto sig = u->key.Sign("acta");
        ValidationOptions v;
        v.time = env.clock.Now();
        good += sig.ok() && VerifySignature(u->credential.certificate, "acta", *sig) &&
                env.trust->Validate(u->credential.certificate, u->credential.chain, v).ok();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 12);
}

TEST(KeyStoreTest, TheLockOutIsCapped) {
  KeyStoreOptions o;
  o.max_lockout = seconds(100);
  KeysEnv env(TestNow(), o);
  auto c = env.keys->Enrol(Request("person:7", env.clock.Now(), Day(2027, 3, 1)), kPin, "cli:admin");
  ASSERT_TRUE(c.ok());
  std::string last;
  for (int i = 0; i < 8; ++i) {
    env.clock.Advance(seconds(1000));
    last = env.keys->Unlock(c->id, "000000").status().message();
  }
  EXPECT_NE(last.find("locked for 100 s"), std::string::npos) << last;
}

TEST(KeyStoreTest, ChangesThePin) {
  KeysEnv env;
  auto c = env.keys->Enrol(Request("person:3", env.clock.Now(), Day(2027, 3, 1)), kPin, "cli:admin");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(env.keys->ChangePin(c->id, "999999", "135792", "person:3").code(), "keys.wrong_pin");
  EXPECT_EQ(env.keys->ChangePin(c->id, kPin, "12", "person:3").code(), "keys.weak_pin");
  ASSERT_TRUE(env.keys->ChangePin(c->id, kPin, "135792", "person:3").ok());
  EXPECT_EQ(env.keys->Unlock(c->id, kPin).status().code(), "keys.wrong_pin");
  EXPECT_TRUE(env.keys->Unlock(c->id, "135792").ok());
}

TEST(KeyStoreTest, RevocationStopsUnlockingErasesTheKeyAndReachesTheCrl) {
  KeysEnv env;
  auto c = env.keys->Enrol(Request("person:4", env.clock.Now(), Day(2027, 3, 1)), kPin, "cli:admin");
  ASSERT_TRUE(c.ok());
  env.clock.Advance(std::chrono::hours(24));
  auto revoked = env.keys->Revoke(c->id, RevocationReason::kAffiliationChanged, "cli:admin");
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  ASSERT_TRUE(revoked->revocation.has_value());
  EXPECT_EQ(revoked->revocation->reason, RevocationReason::kAffiliationChanged);
  EXPECT_EQ(revoked->revocation->source, "local-ca");
  auto unlock = env.keys->Unlock(c->id, kPin);
  EXPECT_EQ(unlock.status().code(), "keys.certificate_revoked");
  EXPECT_NE(unlock.status().message_es().find("baja o cambio de cargo"), std::string::npos);
  EXPECT_EQ(env.keys->Revoke(c->id, RevocationReason::kKeyCompromise, "cli:admin").status().code(),
            "keys.already_revoked");
  // The CRL says so, so validation after the revocation fails.
  ValidationOptions v;
  v.time = env.clock.Now() + seconds(1);
  EXPECT_EQ(env.trust->Validate(c->certificate, c->chain, v).status.code(), "keys.certificate_revoked");
  // The encrypted key is gone from the database.
  auto tx = env.db->BeginRead();
  ASSERT_TRUE(tx.ok());
  auto st = tx->Prepare("SELECT encrypted_key IS NULL FROM keys_credentials WHERE id = ?");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Bind(1, c->id).Step());
  EXPECT_EQ(st->ColumnInt(0), 1);
}

TEST(KeyStoreTest, ExpiredCredentialsDoNotUnlock) {
  KeysEnv env;
  auto c = env.keys->Enrol(Request("person:5", env.clock.Now(), Day(2026, 12, 31)), kPin, "cli:admin");
  ASSERT_TRUE(c.ok());
  env.clock.Set(Day(2027, 1, 2));
  auto r = env.keys->Unlock(c->id, kPin);
  EXPECT_EQ(r.status().code(), "keys.certificate_expired");
  EXPECT_NE(r.status().message().find("certificate expired on 2026-12-31"), std::string::npos);
}

// --- imports ---------------------------------------------------------------------------

constexpr const char* kSigningExtensions =
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
    "extendedKeyUsage=emailProtection\n";

TEST(KeyStoreTest, ImportsAPkcs12FromATrustedIssuerUnderThePin) {
  // Certificates made with the openssl command line are dated by the real clock.
  KeysEnv env(SystemClock().Now());
  OpensslCa ca(env.dir / "state-ca", "Autoridad Certificadora del Estado (pruebas)");
  ca.Issue("maria", kSigningExtensions, "31");
  const std::string p12 = Slurp(ca.Pkcs12("maria", "p12-secreto"));
  env.clock.Set(SystemClock().Now() + std::chrono::minutes(1));

  auto untrusted = env.keys->ImportPkcs12("person:8", p12, "p12-secreto", kPin, "cli:admin");
  EXPECT_EQ(untrusted.status().code(), "keys.untrusted_issuer") << untrusted.status().ToString();

  env.trust->AddAnchor(ca.cert());
  EXPECT_EQ(env.keys->ImportPkcs12("person:8", p12, "otra", kPin, "a").status().code(), "keys.wrong_password");
  auto c = env.keys->ImportPkcs12("person:8", p12, "p12-secreto", kPin, "cli:admin");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->origin, CredentialOrigin::kPkcs12);
  ASSERT_EQ(c->chain.size(), 1u);
  EXPECT_EQ(c->chain[0], ca.cert());
  EXPECT_EQ(env.keys->ImportPkcs12("person:8", p12, "p12-secreto", kPin, "a").status().code(),
            "keys.already_registered");
  // The password of the file no longer matters: the PIN unlocks it.
  EXPECT_EQ(env.keys->Unlock(c->id, "p12-secreto").status().code(), "keys.wrong_pin");
  auto unlocked = env.keys->Unlock(c->id, kPin);
  ASSERT_TRUE(unlocked.ok()) << unlocked.status().ToString();
  auto sig = unlocked->key.Sign("x");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(VerifySignature(c->certificate, "x", *sig));
}

TEST(KeyStoreTest, RefusesImportsNotMeantForSigning) {
  KeysEnv env(SystemClock().Now());
  OpensslCa ca(env.dir / "ca", "Autoridad de Pruebas");
  env.trust->AddAnchor(ca.cert());
  ca.Issue("servidor", "basicConstraints=CA:FALSE\nkeyUsage=critical,keyEncipherment\n"
                       "extendedKeyUsage=serverAuth\n", "41");
  env.clock.Set(SystemClock().Now() + std::chrono::minutes(1));
  auto r = env.keys->ImportPkcs12("person:9", Slurp(ca.Pkcs12("servidor", "x")), "x", kPin, "a");
  EXPECT_EQ(r.status().code(), "keys.usage_not_allowed") << r.status().ToString();
}

TEST(KeyStoreTest, RefusesToImportTheExpiredSatCredentialForSigning) {
  KeysEnv env;
  auto r = env.keys->ImportEfirma("person:10", SatFixture("certificate.cer"), SatFixture("private_key.key"),
                                  SatFixture("password.txt"), kPin, "cli:admin");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "keys.certificate_expired");
  EXPECT_NE(r.status().message().find("certificate expired on 2021-05-15"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(r.status().message_es(), "El certificado venció el 2021-05-15.");
  auto ext = env.keys->RegisterExternal("person:10", SatFixture("certificate.cer"), {}, "cli:admin");
  EXPECT_EQ(ext.status().code(), "keys.certificate_expired");
  EXPECT_TRUE(env.keys->List()->empty());
}

struct ImportCase {
  const char* name;
  std::string cer;
  std::string key;
  std::string password;
  const char* code;
};

TEST(KeyStoreTest, EachEfirmaImportFailureHasItsOwnCode) {
  // While the SAT credential was valid, with its issuer not trusted here.
  KeyStoreOptions o;
  KeysEnv env(Day(2019, 6, 1), o);
  const std::string cer = SatFixture("certificate.cer");
  const std::string key = SatFixture("private_key.key");
  const std::string pw = SatFixture("password.txt");
  auto other = SigningKey::Generate(KeyAlgorithm::kRsa2048);
  ASSERT_TRUE(other.ok());
  const ImportCase cases[] = {
      {"wrong password", cer, key, "12345678", "keys.wrong_password"},
      {"corrupt .key", cer, key.substr(0, 200), pw, "keys.bad_key_file"},
      {"corrupt .cer", cer.substr(0, 300), key, pw, "keys.bad_certificate"},
      {".cer and .key do not match", cer, *other->ToEncryptedPkcs8Pem(pw, FastPins()), pw,
       "keys.key_certificate_mismatch"},
      {"untrusted issuer", cer, key, pw, "keys.untrusted_issuer"},
  };
  std::set<std::string> messages;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = env.keys->ImportEfirma("person:11", c.cer, c.key, c.password, kPin, "cli:admin");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), c.code) << r.status().ToString();
    messages.insert(r.status().message_es());
  }
  EXPECT_EQ(messages.size(), std::size(cases)) << "each failure tells people something different";
}

TEST(KeyStoreTest, ImportsAnEfirmaServerHeldOrExternal) {
  KeyStoreOptions o;
  o.require_trusted_issuer = false;  // SAT's test CA is not available
  KeysEnv env(Day(2019, 6, 1), o);
  auto held = env.keys->ImportEfirma("person:11", SatFixture("certificate.cer"), SatFixture("private_key.key"),
                                     SatFixture("password.txt"), kPin, "cli:admin");
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_EQ(held->origin, CredentialOrigin::kEfirma);
  EXPECT_EQ(held->rfc, "AAA010101AAA");
  EXPECT_EQ(held->curp, "HEGT761003MDFRNN09");
  auto unlocked = env.keys->Unlock(held->id, kPin);
  ASSERT_TRUE(unlocked.ok()) << unlocked.status().ToString();
  EXPECT_TRUE(unlocked->key.Matches(held->certificate));

  auto external = env.keys->RegisterExternal("person:12", SatFixture("certificate.cer"), {}, "cli:admin");
  ASSERT_TRUE(external.ok()) << external.status().ToString();
  EXPECT_TRUE(external->external);
  EXPECT_EQ(external->origin, CredentialOrigin::kExternal);
  EXPECT_EQ(external->rfc, "AAA010101AAA");
  auto r = env.keys->Unlock(external->id, kPin);
  EXPECT_EQ(r.status().code(), "keys.external_credential");
  // Revoking an imported credential disables it here.
  auto revoked = env.keys->Revoke(held->id, RevocationReason::kKeyCompromise, "cli:admin");
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->revocation->source, "key-store");
  EXPECT_EQ(env.keys->Unlock(held->id, kPin).status().code(), "keys.certificate_revoked");
}

// The archive finds a signer by RFC or CURP: the SAT e.firma's (import and external
// registration record them), or those the local CA wrote into a member certificate. Any
// case; revoked credentials still count (they signed what they signed); each holder once.
TEST(KeyStoreTest, FindsHoldersByRfcOrCurpThroughAnIndex) {
  KeyStoreOptions o;
  o.require_trusted_issuer = false;  // SAT's test CA is not available
  KeysEnv env(Day(2019, 6, 1), o);
  auto efirma = env.keys->ImportEfirma("person:11", SatFixture("certificate.cer"), SatFixture("private_key.key"),
                                       SatFixture("password.txt"), kPin, "cli:admin");
  ASSERT_TRUE(efirma.ok()) << efirma.status().ToString();
  ASSERT_TRUE(env.keys->RegisterExternal("person:14", SatFixture("certificate.cer"), {}, "cli:admin").ok());
  EnrolRequest with_rfc = Request("person:12", env.clock.Now(), Day(2021, 3, 1));
  with_rfc.subject.rfc = "VACE750315AB1";
  with_rfc.subject.curp = "VACE750315HMNRNM09";
  auto local = env.keys->Enrol(with_rfc, kPin, "cli:admin");
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  EXPECT_EQ(local->rfc, "VACE750315AB1");
  EXPECT_EQ(local->curp, "VACE750315HMNRNM09");
  auto read_back = ReadEfirmaCertificate(local->certificate);
  ASSERT_TRUE(read_back.ok()) << "the RFC sits where the SAT puts it: " << read_back.status().ToString();
  EXPECT_EQ(read_back->rfc, "VACE750315AB1");
  EXPECT_EQ(read_back->curp, "VACE750315HMNRNM09");
  ASSERT_TRUE(env.keys->Enrol(Request("person:13", env.clock.Now(), Day(2021, 3, 1)), kPin, "cli:admin").ok());
  ASSERT_TRUE(env.keys->Revoke(local->id, RevocationReason::kSuperseded, "cli:admin").ok());
  ASSERT_TRUE(env.keys->Enrol(with_rfc, kPin, "cli:admin").ok());  // its successor

  struct Case {
    std::string tax_id;
    std::vector<std::string> holders;
  };
  const std::vector<Case> cases = {
      {"AAA010101AAA", {"person:11", "person:14"}},        // the e.firma's RFC, held and external
      {"hegt761003mdfrnn09", {"person:11", "person:14"}},  // its CURP, lower case
      {"VACE750315AB1", {"person:12"}},  // local-CA certificates' RFC, a revoked one and its successor: once
      {"VACE750315HMNRNM09", {"person:12"}},
      {"XEXX010101MMNXXX09", {"person:13"}},  // Member()'s CURP, no RFC
      {"XAXX010101000", {}},
      {"", {}},
  };
  for (const Case& c : cases) {
    auto holders = env.keys->HoldersWithTaxId(c.tax_id);
    ASSERT_TRUE(holders.ok()) << holders.status().ToString();
    std::sort(holders->begin(), holders->end());
    EXPECT_EQ(*holders, c.holders) << c.tax_id;
  }

  // The lookup reads the indexes of keys migration 4, not every credential.
  auto tx = env.db->BeginRead();
  ASSERT_TRUE(tx.ok());
  auto plan = tx->Prepare(std::string("EXPLAIN QUERY PLAN ") + kHoldersByTaxIdQuery);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  plan->Bind(1, std::string("AAA010101AAA"));
  std::string steps;
  for (;;) {
    auto row = plan->Step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    steps += plan->ColumnText(3) + "\n";
  }
  EXPECT_NE(steps.find("USING INDEX keys_credentials_by_rfc"), std::string::npos) << steps;
  EXPECT_NE(steps.find("USING INDEX keys_credentials_by_curp"), std::string::npos) << steps;
  EXPECT_EQ(steps.find("SCAN keys_credentials"), std::string::npos) << steps;
}

TEST(KeyStoreTest, EveryStateChangeIsAuditedAndTheChainHolds) {
  KeyStoreOptions o;
  o.require_trusted_issuer = false;
  KeysEnv env(Day(2019, 6, 1), o);
  auto c = env.keys->Enrol(Request("person:1", env.clock.Now(), Day(2020, 6, 1)), kPin, "cli:admin");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_FALSE(env.keys->Unlock(c->id, "000000").ok());
  ASSERT_TRUE(env.keys->Unlock(c->id, kPin).ok());
  ASSERT_TRUE(env.keys->ChangePin(c->id, kPin, "777777", "person:1").ok());
  ASSERT_TRUE(env.keys->ImportEfirma("person:2", SatFixture("certificate.cer"), SatFixture("private_key.key"),
                                     SatFixture("password.txt"), kPin, "cli:admin").ok());
  ASSERT_TRUE(env.keys->RegisterExternal("person:3", SatFixture("certificate.cer"), {}, "cli:admin").ok());
  ASSERT_TRUE(env.keys->Revoke(c->id, RevocationReason::kCessationOfOperation, "cli:admin").ok());
  const std::vector<std::string> expected = {
      "keys.ca_created",      "keys.enrol",         "keys.pin_rejected",
      "keys.pin_failures_cleared", "keys.change_pin", "keys.import_efirma",
      "keys.register_external", "keys.revoke"};
  EXPECT_EQ(AuditActions(env), expected);
  auto verified = env.audit->Verify(*env.db);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok);
  // Key material never reaches the audit payloads.
  auto entries = env.audit->List(*env.db, 0, 100);
  for (const auto& e : *entries) {
    EXPECT_EQ(e.entry.payload.find("PRIVATE KEY"), std::string::npos);
    EXPECT_EQ(e.entry.payload.find(kPin), std::string::npos);
  }
}

}  // namespace
}  // namespace rubrica::keys

namespace rubrica::keys {
namespace {

using namespace testing;

std::pair<std::string, int64_t> StoredKey(KeysEnv& env, int64_t id) {
  auto tx = env.db->BeginRead();
  EXPECT_TRUE(tx.ok());
  auto st = tx->Prepare("SELECT encrypted_key, key_wrap FROM keys_credentials WHERE id = ?");
  EXPECT_TRUE(st.ok());
  st->Bind(1, id);
  auto row = st->Step();
  EXPECT_TRUE(row.ok() && *row);
  return {st->ColumnText(0), st->ColumnInt(1)};
}

TEST(KeyWrapTest, ACopiedDatabaseAndTheRightPinCannotOpenAKeyWithoutTheOutsideSecret) {
  KeysEnv env;
  auto c = env.keys->Enrol(EnrolRequest{"person:3", Member("Ana Ejemplo", env.clock.Now(), Day(2027, 3, 1)),
                                        KeyAlgorithm::kEcdsaP256},
                           "482913", "test");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto [encrypted, wrap] = StoredKey(env, c->id);
  EXPECT_EQ(wrap, 2);
  // The PIN alone is not the passphrase of what the database holds.
  EXPECT_EQ(SigningKey::FromEncryptedPkcs8(encrypted, "482913").status().code(), "keys.wrong_password");
  // The same database under another installation's secret: the right PIN fails, and counts.
  KeyStore thief(*env.db, *env.audit, env.clock, *env.ca, *env.trust, SecretString::Copy(std::string(32, 'x')),
                 env.options);
  EXPECT_EQ(thief.Unlock(c->id, "482913").status().code(), "keys.wrong_pin");
  // Without a secret at all, nothing is tried.
  KeyStore none(*env.db, *env.audit, env.clock, *env.ca, *env.trust, SecretString(), env.options);
  EXPECT_EQ(none.Unlock(c->id, "482913").status().code(), "keys.no_wrap_secret");
  // The installation's own store opens it.
  EXPECT_TRUE(env.keys->Unlock(c->id, "482913").ok());
}

TEST(KeyWrapTest, AKeyWrappedWithThePinOnlyIsWrappedAgainOnItsNextUnlock) {
  KeysEnv env;
  auto c = env.keys->Enrol(EnrolRequest{"person:4", Member("Ana Ejemplo", env.clock.Now(), Day(2027, 3, 1)),
                                        KeyAlgorithm::kEcdsaP256},
                           "482913", "test");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  // As an older version stored it: PKCS#8 under the PIN alone (key_wrap = 1).
  auto unlocked = env.keys->Unlock(c->id, "482913");
  ASSERT_TRUE(unlocked.ok());
  auto legacy = unlocked->key.ToEncryptedPkcs8Pem("482913", FastPins());
  ASSERT_TRUE(legacy.ok());
  {
    auto tx = env.db->Begin();
    ASSERT_TRUE(tx.ok());
    auto st = tx->Prepare("UPDATE keys_credentials SET encrypted_key = ?, key_wrap = 1 WHERE id = ?");
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(st->Bind(1, *legacy).Bind(2, c->id).Run().ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(env.keys->Unlock(c->id, "000000").status().code(), "keys.wrong_pin");
  EXPECT_EQ(StoredKey(env, c->id).second, 1);  // a wrong PIN changes nothing
  auto again = env.keys->Unlock(c->id, "482913");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  auto [encrypted, wrap] = StoredKey(env, c->id);
  EXPECT_EQ(wrap, 2);
  EXPECT_NE(encrypted, *legacy);
  EXPECT_EQ(SigningKey::FromEncryptedPkcs8(encrypted, "482913").status().code(), "keys.wrong_password");
  EXPECT_TRUE(env.keys->Unlock(c->id, "482913").ok());
  auto entries = env.audit->List(*env.db, 0, 1000);
  ASSERT_TRUE(entries.ok());
  int rewrapped = 0;
  for (const auto& e : *entries) rewrapped += e.entry.action == "keys.rewrapped";
  EXPECT_EQ(rewrapped, 1);
}

TEST(KeyWrapTest, TwentyParallelWrongPinsCheckNoMoreThanTheFreeAttempts) {
  KeysEnv env;
  auto c = env.keys->Enrol(EnrolRequest{"person:5", Member("Ana Ejemplo", env.clock.Now(), Day(2027, 3, 1)),
                                        KeyAlgorithm::kEcdsaP256},
                           "482913", "test");
  ASSERT_TRUE(c.ok());
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0}, refused{0};
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&] {
      const Status s = env.keys->Unlock(c->id, "000000").status();
      wrong += s.code() == "keys.wrong_pin";
      refused += s.code() == "keys.locked" || s.code() == "keys.attempts_in_progress";
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load() + refused.load(), 20);
  EXPECT_EQ(wrong.load(), env.options.free_attempts);  // each one checked (scrypt) and counted
  EXPECT_EQ(env.keys->Unlock(c->id, "482913").status().code(), "keys.locked");
}

}  // namespace
}  // namespace rubrica::keys
