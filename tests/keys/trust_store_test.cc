#include "rubrica/keys/trust_store.h"

#include <gtest/gtest.h>

#include "keys_test_support.h"

namespace rubrica::keys {
namespace {

using namespace testing;
using rubrica::testing::ChildProcess;

// A member certificate of the env's local CA for the term [from, to), recorded as issued.
Certificate IssueMember(KeysEnv& env, Instant from, Instant to, const std::string& name = "Ana Ejemplo") {
  auto key = SigningKey::Generate(KeyAlgorithm::kEcdsaP256);
  EXPECT_TRUE(key.ok());
  auto cert = env.ca->IssueMemberCertificate(Member(name, from, to), key->PublicKeyInfoDer());
  EXPECT_TRUE(cert.ok()) << cert.status().ToString();
  auto tx = env.db->Begin();
  EXPECT_TRUE(tx.ok());
  EXPECT_TRUE(env.ca->RecordIssued(*tx, *cert, "member", "person:1").ok());
  EXPECT_TRUE(tx->Commit().ok());
  return *cert;
}

ValidationOptions At(Instant t, Purpose p = Purpose::kDocumentSigning) {
  ValidationOptions o;
  o.time = t;
  o.purpose = p;
  return o;
}

struct TimeCase {
  const char* name;
  Instant at;
  const char* code;  // "" for valid
};

TEST(TrustStoreTest, ValidatesAtTheGivenTimeIncludingPastTimesOfExpiredCertificates) {
  KeysEnv env;
  // A term of one year that is over by 2027-05.
  Certificate cert = IssueMember(env, Day(2026, 4, 1), Day(2027, 4, 1));
  const TimeCase cases[] = {
      {"inside the term", Day(2026, 6, 15), ""},
      {"first second", Day(2026, 4, 1), ""},
      {"last second", Day(2027, 4, 1) - std::chrono::seconds(1), ""},
      {"after the term", Day(2027, 5, 1), "keys.certificate_expired"},
      {"before the term", Day(2026, 3, 20), "keys.not_yet_valid"},
      {"before the CA existed", Day(2025, 1, 1), "keys.not_yet_valid"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ValidationReport r = env.trust->Validate(cert, env.ca->Chain(), At(c.at));
    EXPECT_EQ(r.status.code(), c.code) << r.status.ToString();
    if (*c.code == 0) {
      ASSERT_EQ(r.chain.size(), 3u);
      EXPECT_EQ(r.chain[0], cert);
      EXPECT_EQ(r.chain[1], env.ca->issuing());
      EXPECT_EQ(r.chain[2], env.ca->root());
      EXPECT_EQ(r.failing_index, -1);
    } else {
      EXPECT_GE(r.failing_index, 0);
    }
  }
  // The expiry message names the date people can check.
  ValidationReport late = env.trust->Validate(cert, env.ca->Chain(), At(Day(2027, 5, 1)));
  EXPECT_NE(late.status.message().find("certificate expired on 2027-04-01"), std::string::npos)
      << late.status.message();
  EXPECT_NE(late.status.message_es().find("2027-04-01"), std::string::npos);
}

TEST(TrustStoreTest, ReportsUntrustedIssuersAndMissingIntermediates) {
  KeysEnv env;
  KeysEnv other;  // another installation's CA, not trusted by env
  Certificate foreign = IssueMember(other, Day(2026, 4, 1), Day(2027, 4, 1));
  Certificate ours = IssueMember(env, Day(2026, 4, 1), Day(2027, 4, 1));
  struct Case {
    const char* name;
    Certificate leaf;
    std::vector<Certificate> intermediates;
  } cases[] = {
      {"another CA", foreign, other.ca->Chain()},
      {"intermediate not supplied", ours, {}},
      {"self-signed root of another CA", other.ca->root(), {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ValidationReport r = env.trust->Validate(c.leaf, c.intermediates, At(Day(2026, 6, 1), Purpose::kAny));
    EXPECT_EQ(r.status.code(), "keys.untrusted_issuer") << r.status.ToString();
    EXPECT_FALSE(r.chain.empty());
  }
  // Trusting the other root as well makes the foreign chain valid.
  env.trust->AddAnchor(other.ca->root());
  EXPECT_TRUE(env.trust->Validate(foreign, other.ca->Chain(), At(Day(2026, 6, 1))).ok());
}

TEST(TrustStoreTest, DetectsATamperedSignatureInTheChain) {
  KeysEnv env;
  Certificate cert = IssueMember(env, Day(2026, 4, 1), Day(2027, 4, 1));
  std::string der = cert.der();
  der[der.size() - 2] ^= 0x01;  // inside the signature value
  auto tampered = Certificate::FromDer(der);
  ASSERT_TRUE(tampered.ok()) << tampered.status().ToString();
  ValidationReport r = env.trust->Validate(*tampered, env.ca->Chain(), At(Day(2026, 6, 1)));
  EXPECT_EQ(r.status.code(), "keys.bad_signature_in_chain") << r.status.ToString();
  EXPECT_EQ(r.failing_index, 0);
}

TEST(TrustStoreTest, ChecksTheUsageThePurposeNeeds) {
  KeysEnv env;
  Certificate member = IssueMember(env, Day(2026, 4, 1), Day(2027, 4, 1));
  struct Case {
    const char* name;
    Certificate cert;
    Purpose purpose;
    const char* code;
  } cases[] = {
      {"member signs documents", member, Purpose::kDocumentSigning, ""},
      {"member is no TSA", member, Purpose::kTimestamping, "keys.usage_not_allowed"},
      {"member is no CA", member, Purpose::kCertificateAuthority, "keys.usage_not_allowed"},
      {"TSA timestamps", env.ca->tsa_certificate(), Purpose::kTimestamping, ""},
      {"TSA does not sign documents", env.ca->tsa_certificate(), Purpose::kDocumentSigning,
       "keys.usage_not_allowed"},
      {"seal signs documents", env.ca->seal_certificate(), Purpose::kDocumentSigning, ""},
      {"issuing CA is a CA", env.ca->issuing(), Purpose::kCertificateAuthority, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ValidationReport r = env.trust->Validate(c.cert, env.ca->Chain(), At(Day(2026, 6, 1), c.purpose));
    EXPECT_EQ(r.status.code(), c.code) << r.status.ToString();
  }
}

TEST(TrustStoreTest, SeesRevocationsOfTheLocalCaAsOfTheValidationTime) {
  KeysEnv env;
  Certificate cert = IssueMember(env, env.clock.Now(), Day(2027, 4, 1));
  env.clock.Set(Day(2026, 9, 1));
  {
    auto tx = env.db->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(env.ca->Revoke(*tx, cert, RevocationReason::kCessationOfOperation, env.clock.Now()).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  ValidationReport after = env.trust->Validate(cert, env.ca->Chain(), At(Day(2026, 10, 1)));
  EXPECT_EQ(after.status.code(), "keys.certificate_revoked") << after.status.ToString();
  EXPECT_NE(after.status.message().find("2026-09-01T00:00:00Z"), std::string::npos) << after.status.message();
  EXPECT_NE(after.status.message().find("cessationOfOperation"), std::string::npos);
  EXPECT_NE(after.status.message_es().find("fin del periodo"), std::string::npos);
  ASSERT_TRUE(after.revoked.has_value());
  EXPECT_EQ(after.revoked->reason, RevocationReason::kCessationOfOperation);
  EXPECT_EQ(after.revocation[0].state, RevocationCheck::State::kRevoked);
  EXPECT_EQ(after.revocation[0].source, "crl");

  // A signature made before the revocation is still valid at its time, with the
  // revocation reported.
  ValidationReport before = env.trust->Validate(cert, env.ca->Chain(), At(Day(2026, 8, 1)));
  EXPECT_TRUE(before.ok()) << before.status.ToString();
  ASSERT_TRUE(before.revoked.has_value());
  EXPECT_EQ(before.revoked->revoked_at, Day(2026, 9, 1));
}

TEST(TrustStoreTest, UsesCrlFilesOnlyWhenSignedByTheIssuer) {
  KeysEnv env;
  KeysEnv other;
  Certificate cert = IssueMember(env, env.clock.Now(), Day(2027, 4, 1));
  {
    auto tx = env.db->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(env.ca->Revoke(*tx, cert, RevocationReason::kKeyCompromise, env.clock.Now()).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto crl = env.ca->CurrentCrl();
  ASSERT_TRUE(crl.ok());
  auto foreign_crl = other.ca->CurrentCrl();
  ASSERT_TRUE(foreign_crl.ok());

  // A store without the live source: only the files it was given.
  TrustStore files(env.clock);
  files.AddAnchor(env.ca->root());
  ASSERT_TRUE(files.AddCrl(*foreign_crl, "other.crl").ok());
  ValidationReport r = files.Validate(cert, env.ca->Chain(), At(env.clock.Now() + std::chrono::hours(1)));
  EXPECT_TRUE(r.ok()) << r.status.ToString();
  EXPECT_EQ(r.revocation[0].state, RevocationCheck::State::kNotChecked);

  ASSERT_TRUE(files.AddCrl(*crl, "ours.crl").ok());
  r = files.Validate(cert, env.ca->Chain(), At(env.clock.Now() + std::chrono::hours(1)));
  EXPECT_EQ(r.status.code(), "keys.certificate_revoked") << r.status.ToString();

  EXPECT_EQ(files.AddCrl("not a crl", "junk.crl").code(), "keys.bad_crl");
}

TEST(TrustStoreTest, CrlsThatComeWithTheDocumentAnswerWhenTheyVerifyAndTheFreshestWins) {
  KeysEnv env;
  KeysEnv other;
  Certificate cert = IssueMember(env, env.clock.Now(), Day(2027, 4, 1));
  auto clean = env.ca->CurrentCrl();  // before the revocation
  ASSERT_TRUE(clean.ok());
  env.clock.Advance(std::chrono::hours(2));
  {
    auto tx = env.db->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(env.ca->Revoke(*tx, cert, RevocationReason::kKeyCompromise, env.clock.Now()).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto revoked = env.ca->CurrentCrl();
  ASSERT_TRUE(revoked.ok());
  auto foreign = other.ca->CurrentCrl();
  ASSERT_TRUE(foreign.ok());

  TrustStore bare(env.clock);
  bare.AddAnchor(env.ca->root());
  const ValidationOptions at = At(env.clock.Now() + std::chrono::hours(1));

  // A foreign CRL answers nothing (junk is refused when added); the issuer's CRL does,
  // labelled as the document's.
  CrlSet junk;
  ASSERT_TRUE(junk.Add(*foreign).ok());
  EXPECT_EQ(junk.Add("not a crl", "junk").code(), "keys.bad_crl");
  EXPECT_EQ(junk.size(), 1u);
  ValidationOptions o = at;
  o.document_crls = &junk;
  ValidationReport r = bare.Validate(cert, env.ca->Chain(), o);
  EXPECT_TRUE(r.ok()) << r.status.ToString();
  EXPECT_EQ(r.revocation[0].state, RevocationCheck::State::kNotChecked);

  CrlSet stale_only;
  ASSERT_TRUE(stale_only.Add(*clean).ok());
  o.document_crls = &stale_only;
  r = bare.Validate(cert, env.ca->Chain(), o);
  EXPECT_TRUE(r.ok()) << r.status.ToString();
  EXPECT_EQ(r.revocation[0].state, RevocationCheck::State::kGood);
  EXPECT_EQ(r.revocation[0].source, "crl (document)");

  // Both: the fresher one (with the revocation) wins, whatever the order; asked again, the
  // set answers the same from what it remembers of each CRL's signature.
  for (const bool revoked_first : {true, false}) {
    CrlSet both;
    ASSERT_TRUE(both.Add(revoked_first ? *revoked : *clean).ok());
    ASSERT_TRUE(both.Add(revoked_first ? *clean : *revoked).ok());
    o.document_crls = &both;
    for (int again = 0; again < 2; ++again) {
      r = bare.Validate(cert, env.ca->Chain(), o);
      EXPECT_EQ(r.status.code(), "keys.certificate_revoked") << r.status.ToString();
    }
  }
  EXPECT_EQ(r.status.code(), "keys.certificate_revoked") << r.status.ToString();
  EXPECT_EQ(r.revocation[0].source, "crl (document)");
  ASSERT_TRUE(r.revoked.has_value());
  EXPECT_EQ(r.revoked->source, "crl (document)");

  // A store CRL fresher than the document's wins over it.
  TrustStore files(env.clock);
  files.AddAnchor(env.ca->root());
  ASSERT_TRUE(files.AddCrl(*revoked, "ours.crl").ok());
  o.document_crls = &stale_only;
  r = files.Validate(cert, env.ca->Chain(), o);
  EXPECT_EQ(r.status.code(), "keys.certificate_revoked") << r.status.ToString();
  EXPECT_EQ(r.revocation[0].source, "crl");
}

TEST(TrustStoreTest, CanRequireRevocationInformation) {
  KeysEnv env;
  Certificate cert = IssueMember(env, env.clock.Now(), Day(2027, 4, 1));
  TrustStore bare(env.clock);
  bare.AddAnchor(env.ca->root());
  ValidationOptions o = At(env.clock.Now() + std::chrono::hours(1));
  ValidationReport lax = bare.Validate(cert, env.ca->Chain(), o);
  EXPECT_TRUE(lax.ok());
  EXPECT_NE(lax.revocation[0].note.find("no CRL"), std::string::npos) << lax.revocation[0].note;
  o.require_revocation_info = true;
  EXPECT_EQ(bare.Validate(cert, env.ca->Chain(), o).status.code(), "keys.revocation_unknown");
  // With the local CA as CRL source every level is covered (the root's CRL too).
  ValidationReport strict = env.trust->Validate(cert, env.ca->Chain(), o);
  EXPECT_TRUE(strict.ok()) << strict.status.ToString();
  EXPECT_EQ(strict.revocation[0].state, RevocationCheck::State::kGood);
  EXPECT_EQ(strict.revocation[1].state, RevocationCheck::State::kGood);
}

TEST(TrustStoreTest, LoadsSeveralAnchorsFromPemAndDer) {
  KeysEnv env;
  KeysEnv other;
  TrustStore t(env.clock);
  ASSERT_TRUE(t.AddAnchors(env.ca->TrustAnchorPem() + other.ca->root().ToPem(), "bundle.pem").ok());
  ASSERT_TRUE(t.AddAnchors(SatFixture("certificate.cer"), "sat.cer").ok());
  ASSERT_TRUE(t.AddAnchors(other.ca->root().der(), "again.cer").ok());  // duplicate, ignored
  EXPECT_EQ(t.anchors().size(), 4u);
  EXPECT_EQ(t.AddAnchors("garbage", "bad.pem").code(), "keys.bad_certificate");
  EXPECT_EQ(t.AddAnchorsFromFile(env.dir / "missing.pem").code(), "base.not_found");
}

TEST(TrustStoreTest, SatCertificateIsValidAtATimeInsideItsValidityWhenItsIssuerIsTrusted) {
  ManualClock clock(Day(2019, 6, 1));
  auto sat = Certificate::FromDer(SatFixture("certificate.cer"));
  ASSERT_TRUE(sat.ok());
  TrustStore none(clock);
  EXPECT_EQ(none.Validate(*sat, {}, At(Day(2019, 6, 1))).status.code(), "keys.untrusted_issuer");
  // Trusting the certificate itself as an anchor (partial chain) still checks time and usage.
  TrustStore self(clock);
  self.AddAnchor(*sat);
  EXPECT_TRUE(self.Validate(*sat, {}, At(Day(2019, 6, 1))).ok());
  EXPECT_EQ(self.Validate(*sat, {}, At(Day(2022, 1, 1))).status.code(), "keys.certificate_expired");
  EXPECT_EQ(self.Validate(*sat, {}, At(Day(2022, 1, 1))).status.message().find("certificate expired on 2021-05-15"),
            0u);
}

// The OCSP responder is a real `openssl ocsp` process on loopback, port chosen by the OS.
class OcspTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ca_ = std::make_unique<OpensslCa>(dir_ / "ca", "CA de Pruebas OCSP");
    Spit(dir_ / "index.txt",
         "V\t361231000000Z\t\t0A\tunknown\t/CN=vigente\n"
         "R\t361231000000Z\t260101120000Z,keyCompromise\t0B\tunknown\t/CN=revocado\n");
    ASSERT_TRUE(responder_.Start({"openssl", "ocsp", "-index", dir_ / "index.txt", "-port", "0", "-rsigner",
                                  ca_->cert_path(), "-rkey", ca_->key_path(), "-CA", ca_->cert_path(),
                                  "-ignore_err"}));
    std::string line = responder_.WaitForLine("ACCEPT", 20);
    ASSERT_FALSE(line.empty()) << responder_.output();
    // "ACCEPT [::]:34725 PID=15309"
    size_t colon = line.rfind(':');
    size_t space = line.find(' ', colon);
    port_ = line.substr(colon + 1, space - colon - 1);
    const std::string ext = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
                            "extendedKeyUsage=emailProtection\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:" +
                            port_ + "/\n";
    good_ = Load(ca_->Issue("vigente", ext, "0A"));
    revoked_ = Load(ca_->Issue("revocado", ext, "0B"));
  }

  static Certificate Load(const std::string& path) {
    auto c = Certificate::FromPem(Slurp(path));
    EXPECT_TRUE(c.ok());
    return *c;
  }

  ValidationOptions Now(bool network) {
    ValidationOptions o;
    o.time = clock_.Now();
    o.ocsp = network ? &HttpOcspTransport() : nullptr;
    o.network_timeout = std::chrono::milliseconds(5000);
    return o;
  }

  TempDir dir_;
  SystemClock clock_;
  std::unique_ptr<OpensslCa> ca_;
  ChildProcess responder_;
  std::string port_;
  std::optional<Certificate> good_, revoked_;
};

TEST_F(OcspTest, AsksTheResponderNamedInTheCertificate) {
  TrustStore t(clock_);
  t.AddAnchor(ca_->cert());
  ValidationReport good = t.Validate(*good_, {}, Now(true));
  EXPECT_TRUE(good.ok()) << good.status.ToString() << " " << good.revocation[0].note;
  EXPECT_EQ(good.revocation[0].state, RevocationCheck::State::kGood) << good.revocation[0].note;
  EXPECT_EQ(good.revocation[0].source, "ocsp http://127.0.0.1:" + port_ + "/");

  ValidationReport bad = t.Validate(*revoked_, {}, Now(true));
  EXPECT_EQ(bad.status.code(), "keys.certificate_revoked") << bad.status.ToString();
  ASSERT_TRUE(bad.revoked.has_value());
  EXPECT_EQ(bad.revoked->reason, RevocationReason::kKeyCompromise);
  EXPECT_EQ(bad.revoked->revoked_at, Instant(std::chrono::sys_days(std::chrono::January / 1 / 2026) +
                                             std::chrono::hours(12)));
}

TEST_F(OcspTest, StaysOffTheNetworkUnlessAllowed) {
  TrustStore t(clock_);
  t.AddAnchor(ca_->cert());
  ValidationReport r = t.Validate(*revoked_, {}, Now(false));
  EXPECT_TRUE(r.ok()) << r.status.ToString();
  EXPECT_EQ(r.revocation[0].state, RevocationCheck::State::kNotChecked);
  EXPECT_NE(r.revocation[0].note.find("network not allowed"), std::string::npos);
}

TEST_F(OcspTest, ReportsAResponderThatIsDown) {
  responder_.Signal(SIGKILL);
  responder_.Wait(10);
  TrustStore t(clock_);
  t.AddAnchor(ca_->cert());
  ValidationOptions o = Now(true);
  ValidationReport r = t.Validate(*good_, {}, o);
  EXPECT_EQ(r.revocation[0].state, RevocationCheck::State::kNotChecked);
  EXPECT_NE(r.revocation[0].note.find("OCSP responder"), std::string::npos) << r.revocation[0].note;
  o.require_revocation_info = true;
  EXPECT_EQ(t.Validate(*good_, {}, o).status.code(), "keys.revocation_unknown");
}

// TrustStore remembers X509_verify_cert's outcome for inputs it has seen (src/chain_memo.h).
// What users rely on: a remembered chain gives exactly the answer a store that never saw it
// gives, at every validation time, and never hides an expiry, a revocation, a wrong anchor
// or a usage the purpose forbids.

// Everything a report says, as one string, to compare two reports whole.
std::string Whole(const ValidationReport& r) {
  std::string out = r.status.code() + "|" + r.status.message() + "|" + r.status.message_es() + "|" +
                    std::to_string(r.failing_index) + "|";
  for (const Certificate& c : r.chain) out += c.FingerprintSha256() + ",";
  out += "|";
  for (const RevocationCheck& c : r.revocation) {
    out += std::to_string(static_cast<int>(c.state)) + c.source + c.note + ";";
    if (c.revocation) out += std::to_string(c.revocation->revoked_at.time_since_epoch().count()) + ";";
  }
  if (r.revoked) out += "|revoked " + std::to_string(r.revoked->revoked_at.time_since_epoch().count());
  return out;
}

// A store with the same anchors and CRL source as env's, that has validated nothing yet.
std::unique_ptr<TrustStore> FreshStore(KeysEnv& env) {
  auto store = std::make_unique<TrustStore>(env.clock);
  store->AddAnchor(env.ca->root());
  store->AddCrlSource(*env.ca);
  return store;
}

TEST(ChainMemoTest, ARememberedChainAnswersAsAFreshStoreAtEveryTime) {
  KeysEnv env;
  const Certificate cert = IssueMember(env, Day(2026, 4, 1), Day(2027, 4, 1));
  // In the order a verifier might ask: valid first (remembered), then the same inputs at
  // times on and around every bound of the leaf and of its CAs.
  const Instant times[] = {
      Day(2026, 6, 15),
      Day(2026, 4, 1),
      Day(2026, 4, 1) - std::chrono::seconds(1),
      Day(2027, 4, 1) - std::chrono::seconds(1),
      Day(2027, 4, 1),
      Day(2027, 4, 1) + std::chrono::seconds(1),
      Day(2027, 5, 1),
      Day(2025, 1, 1),
      env.ca->issuing().NotAfter(),
      env.ca->issuing().NotAfter() + std::chrono::seconds(1),
      env.ca->root().NotBefore() - std::chrono::seconds(1),
      Day(2026, 6, 16),
  };
  for (const Instant t : times) {
    SCOPED_TRACE(FormatRfc3339Utc(t));
    for (Purpose p : {Purpose::kDocumentSigning, Purpose::kTimestamping}) {
      const std::string fresh = Whole(FreshStore(env)->Validate(cert, env.ca->Chain(), At(t, p)));
      EXPECT_EQ(Whole(env.trust->Validate(cert, env.ca->Chain(), At(t, p))), fresh);
      EXPECT_EQ(Whole(env.trust->Validate(cert, env.ca->Chain(), At(t, p))), fresh);  // remembered
    }
  }
  // The cases users rely on, asked after the valid answer was remembered.
  EXPECT_TRUE(env.trust->Validate(cert, env.ca->Chain(), At(Day(2026, 6, 15))).ok());
  EXPECT_EQ(env.trust->Validate(cert, env.ca->Chain(), At(Day(2027, 5, 1))).status.code(),
            "keys.certificate_expired");
  EXPECT_EQ(env.trust->Validate(cert, env.ca->Chain(), At(Day(2026, 3, 1))).status.code(), "keys.not_yet_valid");
  EXPECT_EQ(env.trust->Validate(cert, env.ca->Chain(), At(Day(2026, 6, 15), Purpose::kTimestamping)).status.code(),
            "keys.usage_not_allowed");
  EXPECT_EQ(env.trust->Validate(cert, {}, At(Day(2026, 6, 15))).status.code(), "keys.untrusted_issuer");
}

TEST(ChainMemoTest, ARememberedChainStillSeesARevocationMadeAfterIt) {
  KeysEnv env;
  const Certificate cert = IssueMember(env, env.clock.Now(), Day(2027, 4, 1));
  ASSERT_TRUE(env.trust->Validate(cert, env.ca->Chain(), At(Day(2026, 10, 1))).ok());
  env.clock.Set(Day(2026, 9, 1));
  {
    auto tx = env.db->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(env.ca->Revoke(*tx, cert, RevocationReason::kKeyCompromise, env.clock.Now()).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  const ValidationReport after = env.trust->Validate(cert, env.ca->Chain(), At(Day(2026, 10, 1)));
  EXPECT_EQ(after.status.code(), "keys.certificate_revoked") << after.status.ToString();
  EXPECT_EQ(Whole(after), Whole(FreshStore(env)->Validate(cert, env.ca->Chain(), At(Day(2026, 10, 1)))));
  // Before the revocation: valid, the revocation reported.
  const ValidationReport before = env.trust->Validate(cert, env.ca->Chain(), At(Day(2026, 8, 1)));
  EXPECT_TRUE(before.ok()) << before.status.ToString();
  ASSERT_TRUE(before.revoked.has_value());
}

TEST(ChainMemoTest, AnAnchorAddedLaterIsSeenAndAForeignChainIsNeverTakenForOurs) {
  KeysEnv env;
  KeysEnv other;  // another installation's CA, not trusted by env
  const Certificate foreign = IssueMember(other, Day(2026, 4, 1), Day(2027, 4, 1));
  const Certificate ours = IssueMember(env, Day(2026, 4, 1), Day(2027, 4, 1));
  ASSERT_TRUE(env.trust->Validate(ours, env.ca->Chain(), At(Day(2026, 6, 1))).ok());
  // The foreign leaf with our intermediates, and with its own: both untrusted.
  EXPECT_EQ(env.trust->Validate(foreign, env.ca->Chain(), At(Day(2026, 6, 1))).status.code(),
            "keys.untrusted_issuer");
  EXPECT_FALSE(env.trust->Validate(foreign, other.ca->Chain(), At(Day(2026, 6, 1))).ok());
  // Trusting the other root makes the same inputs valid from then on.
  env.trust->AddAnchor(other.ca->root());
  EXPECT_TRUE(env.trust->Validate(foreign, other.ca->Chain(), At(Day(2026, 6, 1))).ok());
  EXPECT_TRUE(env.trust->Validate(ours, env.ca->Chain(), At(Day(2026, 6, 1))).ok());
}

TEST(ChainMemoTest, ATamperedLeafIsCheckedOnItsOwn) {
  KeysEnv env;
  const Certificate cert = IssueMember(env, Day(2026, 4, 1), Day(2027, 4, 1));
  ASSERT_TRUE(env.trust->Validate(cert, env.ca->Chain(), At(Day(2026, 6, 1))).ok());
  std::string der = cert.der();
  der[der.size() - 2] ^= 0x01;  // inside the signature value
  auto tampered = Certificate::FromDer(der);
  ASSERT_TRUE(tampered.ok());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(env.trust->Validate(*tampered, env.ca->Chain(), At(Day(2026, 6, 1))).status.code(),
              "keys.bad_signature_in_chain");
  }
  EXPECT_TRUE(env.trust->Validate(cert, env.ca->Chain(), At(Day(2026, 6, 1))).ok());
}

}  // namespace
}  // namespace rubrica::keys
