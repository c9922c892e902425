#include "rubrica/keys/local_ca.h"

#include <gtest/gtest.h>

#include "keys_test_support.h"
#include "rubrica/keys/schema.h"

namespace rubrica::keys {
namespace {

using namespace testing;
using rubrica::testing::RunCommand;

// openssl judges at our clock's time, not the machine's.
std::string AtTime(Instant t) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

struct IssuedSet {
  std::string root, issuing, member, tsa, seal;
};

IssuedSet WriteIssued(KeysEnv& env) {
  IssuedSet s{env.dir / "root.pem", env.dir / "issuing.pem", env.dir / "member.pem",
              env.dir / "tsa.pem", env.dir / "seal.pem"};
  auto member = env.ca->IssueMemberCertificate(
      Member("Ana Ejemplo Pérez", Day(2026, 4, 1), Day(2027, 3, 31)),
      SigningKey::Generate(KeyAlgorithm::kEcdsaP256)->PublicKeyInfoDer());
  EXPECT_TRUE(member.ok()) << member.status().ToString();
  Spit(s.root, env.ca->root().ToPem());
  Spit(s.issuing, env.ca->issuing().ToPem());
  if (member.ok()) Spit(s.member, member->ToPem());
  Spit(s.tsa, env.ca->tsa_certificate().ToPem());
  Spit(s.seal, env.ca->seal_certificate().ToPem());
  return s;
}

TEST(LocalCaTest, OpensslShowsTheMemberCertificateFields) {
  KeysEnv env;
  IssuedSet s = WriteIssued(env);
  std::string text = Openssl({"x509", "-in", s.member, "-noout", "-text", "-nameopt", "RFC2253,-esc_msb"});
  for (const char* expected : {
           "CN=Ana Ejemplo Pérez", "O=Secretariado Técnico Municipal de Ejemplo",
           "title=Titular de sociedad civil", "serialNumber=XEXX010101MMNXXX09",
           "emailAddress=ana.ejemplo@correo.example", "C=MX",
           "X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation",
           "X509v3 Extended Key Usage: \n                1.3.6.1.5.5.7.3.36, E-mail Protection",
           "URI:http://rubrica.example/keys/crl", "email:ana.ejemplo@correo.example",
           "Not Before: Apr  1 00:00:00 2026 GMT", "Not After : Mar 31 00:00:00 2027 GMT",
           "ASN1 OID: prime256v1", "CA:FALSE"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
}

TEST(LocalCaTest, OpensslShowsTheTsaAndSealCertificateFields) {
  KeysEnv env;
  IssuedSet s = WriteIssued(env);
  std::string tsa = Openssl({"x509", "-in", s.tsa, "-noout", "-text", "-nameopt", "RFC2253,-esc_msb"});
  EXPECT_NE(tsa.find("X509v3 Extended Key Usage: critical\n                Time Stamping"), std::string::npos) << tsa;
  EXPECT_NE(tsa.find("X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation"),
            std::string::npos);
  std::string seal = Openssl({"x509", "-in", s.seal, "-noout", "-text", "-nameopt", "RFC2253,-esc_msb"});
  EXPECT_NE(seal.find("CN=Sello del Secretariado Técnico Municipal de Ejemplo"), std::string::npos) << seal;
  // NSS (pdfsig) validates PDF signers as e-mail signers: the seal needs emailProtection.
  EXPECT_NE(seal.find("E-mail Protection"), std::string::npos) << seal;
  EXPECT_NE(seal.find("O=Secretariado Técnico Municipal de Ejemplo"), std::string::npos);
  EXPECT_NE(seal.find("1.3.6.1.5.5.7.3.36"), std::string::npos);
  std::string root = Openssl({"x509", "-in", s.root, "-noout", "-text"});
  EXPECT_NE(root.find("CA:TRUE, pathlen:1"), std::string::npos) << root;
  EXPECT_NE(root.find("Certificate Sign, CRL Sign"), std::string::npos);
}

struct VerifyCase {
  const char* name;
  std::string IssuedSet::*file;
  const char* purpose;  // "" for none
  bool accepted;
};

TEST(LocalCaTest, OpensslVerifyAcceptsEveryIssuedCertificateWithTheChain) {
  KeysEnv env;
  IssuedSet s = WriteIssued(env);
  const VerifyCase cases[] = {
      {"member", &IssuedSet::member, "", true},
      {"tsa", &IssuedSet::tsa, "", true},
      {"seal", &IssuedSet::seal, "", true},
      {"tsa as timestamp signer", &IssuedSet::tsa, "timestampsign", true},
      {"member as timestamp signer", &IssuedSet::member, "timestampsign", false},
      {"seal as timestamp signer", &IssuedSet::seal, "timestampsign", false},
      {"member as S/MIME signer", &IssuedSet::member, "smimesign", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> argv = {"openssl", "verify", "-attime", AtTime(Day(2026, 6, 1)), "-CAfile",
                                     s.root, "-untrusted", s.issuing};
    if (*c.purpose) argv.insert(argv.end(), {"-purpose", c.purpose});
    argv.push_back(s.*c.file);
    auto r = RunCommand(argv);
    EXPECT_EQ(r.exit_code == 0, c.accepted) << r.out << r.err;
    if (c.accepted) {
      EXPECT_NE(r.out.find(": OK"), std::string::npos) << r.out;
    }
  }
  // Without the issuing CA the chain is incomplete: the check can fail.
  auto r = RunCommand({"openssl", "verify", "-attime", AtTime(Day(2026, 6, 1)), "-CAfile", s.root, s.member});
  EXPECT_NE(r.exit_code, 0);
  // And trust/ca.pem's content (root + issuing) alone is enough.
  Spit(env.dir / "ca.pem", env.ca->TrustAnchorPem());
  r = RunCommand({"openssl", "verify", "-attime", AtTime(Day(2026, 6, 1)), "-CAfile", env.dir / "ca.pem", s.member});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(LocalCaTest, EnsureIsIdempotentAndAuditsCreationOnce) {
  KeysEnv env;
  const std::string root = env.ca->root().FingerprintSha256();
  const std::string tsa = env.ca->tsa_certificate().FingerprintSha256();
  bool created = true;
  auto again = LocalCa::Ensure(*env.db, *env.audit, env.clock, TestMasterSecret(), {}, &created);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(created);
  EXPECT_EQ((*again)->root().FingerprintSha256(), root);
  EXPECT_EQ((*again)->tsa_certificate().FingerprintSha256(), tsa);
  // The stored name wins over the options of later opens.
  EXPECT_EQ((*again)->secretariat(), "Secretariado Técnico Municipal de Ejemplo");
  auto entries = env.audit->List(*env.db, 0, 100);
  ASSERT_TRUE(entries.ok());
  int created_entries = 0;
  for (const auto& e : *entries) created_entries += e.entry.action == "keys.ca_created";
  EXPECT_EQ(created_entries, 1);
}

TEST(LocalCaTest, TheNameChangesUntilTheFirstMemberCertificateAndNeverAfter) {
  KeysEnv env;
  const std::string old_root = env.ca->root().FingerprintSha256();
  LocalCaOptions o;
  o.secretariat = "Secretariado Técnico Municipal de Gobierno Abierto de Villa Ficticia";
  o.rename_unused = true;
  // 68 characters: more than X.520 allows in O=.
  auto too_long = LocalCa::Ensure(*env.db, *env.audit, env.clock, TestMasterSecret(), o);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), "keys.bad_ca_options");
  o.secretariat = "Secretariado Técnico Municipal de Gobierno Abierto de Zamora";  // 60
  auto wrong_secret = LocalCa::Ensure(*env.db, *env.audit, env.clock, std::string(32, 'x'), o);
  ASSERT_FALSE(wrong_secret.ok());
  EXPECT_EQ(wrong_secret.status().code(), "keys.master_secret_mismatch");
  auto renamed = LocalCa::Ensure(*env.db, *env.audit, env.clock, TestMasterSecret(), o);
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ((*renamed)->secretariat(), o.secretariat);
  EXPECT_NE((*renamed)->root().FingerprintSha256(), old_root) << "a new hierarchy";
  // Every certificate names the secretariat; the seal's CN is shortened to fit 64.
  for (const Certificate& c : {(*renamed)->root(), (*renamed)->issuing(),
                               (*renamed)->seal_certificate(), (*renamed)->tsa_certificate()}) {
    EXPECT_NE(c.SubjectString().find("O=" + o.secretariat), std::string::npos)
        << c.SubjectString();
  }
  EXPECT_NE((*renamed)->seal_certificate().SubjectString().find(
                "CN=Sello del STM de Gobierno Abierto de Zamora"),
            std::string::npos)
      << (*renamed)->seal_certificate().SubjectString();
  auto member = (*renamed)->IssueMemberCertificate(
      Member("Ana Ejemplo Pérez", Day(2026, 4, 1), Day(2027, 3, 31)),
      SigningKey::Generate(KeyAlgorithm::kEcdsaP256)->PublicKeyInfoDer());
  ASSERT_TRUE(member.ok()) << member.status().ToString();
  EXPECT_NE(member->SubjectString().find("O=" + o.secretariat), std::string::npos);
  {
    auto tx = env.db->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*renamed)->RecordIssued(*tx, *member, "member", "person:1").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  // Once a member holds a certificate the name is fixed: refused, nothing changes.
  o.secretariat = "Otro Secretariado";
  auto refused = LocalCa::Ensure(*env.db, *env.audit, env.clock, TestMasterSecret(), o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), "keys.ca_in_use");
  EXPECT_EQ(refused.status().kind(), ErrorKind::kConflict);
  auto reopened = LocalCa::Ensure(*env.db, *env.audit, env.clock, TestMasterSecret(), {});
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->root().FingerprintSha256(), (*renamed)->root().FingerprintSha256());
  auto entries = env.audit->List(*env.db, 0, 100);
  ASSERT_TRUE(entries.ok());
  int renames = 0;
  for (const auto& e : *entries) renames += e.entry.action == "keys.ca_renamed";
  EXPECT_EQ(renames, 1);
}

TEST(LocalCaTest, SealCommonNameFitsSixtyFourCharacters) {
  struct Case {
    const char* secretariat;
    const char* cn;
  };
  const Case cases[] = {
      {"STM de Zamora", "Sello del STM de Zamora"},
      {"Secretariado Técnico Municipal de Gobierno Abierto de Zamora",
       "Sello del STM de Gobierno Abierto de Zamora"},
      {"Secretariado Técnico Local de Gobierno Abierto del Estado de Michoacán de Ocampo",
       "Sello del STL de Gobierno Abierto del Estado de Michoacán de Oca"},  // 64
      {"Secretariado Técnico Local de Gobierno Abierto", "Sello del Secretariado Técnico Local de Gobierno Abierto"},
  };
  for (const Case& c : cases) EXPECT_EQ(SealCommonName(c.secretariat), c.cn) << c.secretariat;
}

TEST(LocalCaTest, WrongMasterSecretIsReportedNotIgnored) {
  KeysEnv env;
  auto other = LocalCa::Ensure(*env.db, *env.audit, env.clock, std::string(32, 'x'), {});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), "keys.master_secret_mismatch");
  EXPECT_EQ(other.status().kind(), ErrorKind::kDataLoss);
}

TEST(LocalCaTest, OpenFailsWhenNoCaWasCreated) {
  TempDir dir;
  ManualClock clock(TestNow());
  auto db = store::Database::Open(dir / "rubrica.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate("audit", store::AuditLog::Migrations()).ok());
  ASSERT_TRUE((*db)->Migrate(kSchemaComponent, Migrations()).ok());
  store::AuditLog audit(clock);
  auto ca = LocalCa::Open(**db, audit, clock, TestMasterSecret(), {});
  EXPECT_EQ(ca.status().code(), "keys.no_local_ca");
}

TEST(LocalCaTest, RenewsTsaAndSealCertificatesNearTheirEnd) {
  KeysEnv env;
  const Certificate tsa = env.ca->tsa_certificate();
  const Certificate seal = env.ca->seal_certificate();
  // A year later nothing changes; 100 days before the end both are renewed.
  env.clock.Set(env.clock.Now() + std::chrono::days(365));
  env.Reopen();
  EXPECT_EQ(env.ca->tsa_certificate(), tsa);
  env.clock.Set(tsa.NotAfter() - std::chrono::days(100));
  env.Reopen();
  EXPECT_FALSE(env.ca->tsa_certificate() == tsa);
  EXPECT_FALSE(env.ca->seal_certificate() == seal);
  EXPECT_GT(env.ca->tsa_certificate().NotAfter(), tsa.NotAfter());
  ValidationOptions v;
  v.time = env.clock.Now();
  v.purpose = Purpose::kTimestamping;
  EXPECT_TRUE(env.trust->Validate(env.ca->tsa_certificate(), env.ca->Chain(), v).ok());
  auto key = env.ca->UnlockTsaKey();
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->Matches(env.ca->tsa_certificate()));
}

struct SubjectCase {
  const char* name;
  void (*mutate)(MemberSubject&);
  const char* code;
};

TEST(LocalCaTest, RefusesBadMemberSubjects) {
  KeysEnv env;
  const SubjectCase cases[] = {
      {"empty name", [](MemberSubject& s) { s.name.clear(); }, "keys.bad_subject"},
      {"no role", [](MemberSubject& s) { s.role.clear(); }, "keys.bad_subject"},
      {"not an e-mail", [](MemberSubject& s) { s.email = "ana"; }, "keys.bad_subject"},
      {"e-mail injecting a SAN", [](MemberSubject& s) { s.email = "a@b.mx,DNS:evil.example"; },
       "keys.bad_subject"},
      {"short CURP", [](MemberSubject& s) { s.curp = "XEXX010101"; }, "keys.bad_subject"},
      {"CURP with lower case", [](MemberSubject& s) { s.curp = "xexx010101mmnxxx09"; }, "keys.bad_subject"},
      {"short RFC", [](MemberSubject& s) { s.rfc = "VACE7503"; }, "keys.bad_subject"},
      {"RFC without its date", [](MemberSubject& s) { s.rfc = "VACEXX0315AB1"; }, "keys.bad_subject"},
      {"RFC injecting a name part", [](MemberSubject& s) { s.rfc = "VAC/750315AB"; }, "keys.bad_subject"},
      {"term reversed", [](MemberSubject& s) { std::swap(s.not_before, s.not_after); }, "keys.bad_subject"},
      {"term past the CA", [](MemberSubject& s) { s.not_after = Day(2060, 1, 1); }, "keys.validity_outside_ca"},
  };
  auto key = SigningKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(key.ok());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    MemberSubject s = Member("Ana Ejemplo", Day(2026, 4, 1), Day(2027, 4, 1));
    c.mutate(s);
    auto cert = env.ca->IssueMemberCertificate(s, key->PublicKeyInfoDer());
    ASSERT_FALSE(cert.ok());
    EXPECT_EQ(cert.status().code(), c.code) << cert.status().ToString();
  }
}

TEST(LocalCaTest, ATermThatBeganBeforeTheCaStartsWithTheCa) {
  KeysEnv env;
  auto key = SigningKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(key.ok());
  auto cert = env.ca->IssueMemberCertificate(Member("Ana Ejemplo", Day(2025, 9, 1), Day(2026, 8, 31)),
                                             key->PublicKeyInfoDer());
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  EXPECT_EQ(cert->NotBefore(), env.ca->issuing().NotBefore());
  EXPECT_EQ(cert->NotAfter(), Day(2026, 8, 31));
  // A term that ended before the CA existed is refused.
  auto old = env.ca->IssueMemberCertificate(Member("Ana Ejemplo", Day(2024, 9, 1), Day(2025, 8, 31)),
                                            key->PublicKeyInfoDer());
  EXPECT_EQ(old.status().code(), "keys.validity_outside_ca");
}

TEST(LocalCaTest, IssuesRsaMemberCertificatesToo) {
  KeysEnv env;
  for (KeyAlgorithm a : {KeyAlgorithm::kRsa2048, KeyAlgorithm::kRsa3072}) {
    auto key = SigningKey::Generate(a);
    ASSERT_TRUE(key.ok());
    auto cert = env.ca->IssueMemberCertificate(Member("Luis Ejemplo", Day(2026, 4, 1), Day(2027, 4, 1)),
                                               key->PublicKeyInfoDer());
    ASSERT_TRUE(cert.ok()) << cert.status().ToString();
    EXPECT_EQ(cert->KeyType(), "RSA");
    EXPECT_TRUE(key->Matches(*cert));
  }
}

TEST(LocalCaTest, CrlListsRevocationsAndOpensslHonoursIt) {
  KeysEnv env;
  auto k1 = SigningKey::Generate(KeyAlgorithm::kEcdsaP256);
  auto k2 = SigningKey::Generate(KeyAlgorithm::kEcdsaP256);
  auto revoked = env.ca->IssueMemberCertificate(Member("Uno Ejemplo", env.clock.Now(), Day(2027, 4, 1)),
                                                k1->PublicKeyInfoDer());
  auto kept = env.ca->IssueMemberCertificate(Member("Dos Ejemplo", env.clock.Now(), Day(2027, 4, 1)),
                                             k2->PublicKeyInfoDer());
  ASSERT_TRUE(revoked.ok() && kept.ok());
  {
    auto tx = env.db->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(env.ca->RecordIssued(*tx, *revoked, "member", "person:1").ok());
    ASSERT_TRUE(env.ca->RecordIssued(*tx, *kept, "member", "person:2").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto before = env.ca->CurrentCrl();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  env.clock.Advance(std::chrono::minutes(10));
  {
    auto tx = env.db->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(env.ca->Revoke(*tx, *revoked, RevocationReason::kKeyCompromise, env.clock.Now()).ok());
    EXPECT_EQ(env.ca->Revoke(*tx, *revoked, RevocationReason::kKeyCompromise, env.clock.Now()).code(),
              "keys.already_revoked");
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto crl = env.ca->CurrentCrl();
  ASSERT_TRUE(crl.ok());
  EXPECT_NE(*crl, *before);
  Spit(env.dir / "crl.der", *crl);
  std::string text = Openssl({"crl", "-inform", "DER", "-in", env.dir / "crl.der", "-noout", "-text"});
  EXPECT_NE(text.find("Serial Number: " + [&] {
              std::string h = revoked->SerialHex();
              for (char& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
              return h;
            }()),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Key Compromise"), std::string::npos) << text;
  EXPECT_NE(text.find("X509v3 CRL Number: \n                2"), std::string::npos) << text;
  EXPECT_EQ(text.find("Serial Number: " + kept->SerialHex()), std::string::npos);

  Openssl({"crl", "-inform", "DER", "-in", env.dir / "crl.der", "-out", env.dir / "crl.pem"});
  Spit(env.dir / "revoked.pem", revoked->ToPem());
  Spit(env.dir / "kept.pem", kept->ToPem());
  Spit(env.dir / "chain.pem", env.ca->TrustAnchorPem());
  const std::string at = AtTime(env.clock.Now());
  auto r = RunCommand({"openssl", "verify", "-attime", at, "-crl_check", "-CRLfile", env.dir / "crl.pem",
                       "-CAfile", env.dir / "chain.pem", env.dir / "revoked.pem"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE((r.out + r.err).find("certificate revoked"), std::string::npos) << r.out << r.err;
  r = RunCommand({"openssl", "verify", "-attime", at, "-crl_check", "-CRLfile", env.dir / "crl.pem",
                  "-CAfile", env.dir / "chain.pem", env.dir / "kept.pem"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  // Unchanged revocations and a fresh CRL: served from the cache, same bytes.
  auto cached = env.ca->CurrentCrl();
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(*cached, *crl);
  auto info = env.ca->RevocationOf(*revoked);
  ASSERT_TRUE(info.ok());
  ASSERT_TRUE(info->has_value());
  EXPECT_EQ((*info)->reason, RevocationReason::kKeyCompromise);
}

TEST(LocalCaTest, ArchiveCrlsAreIssuedAfterTheGivenInstantForBothCas) {
  KeysEnv env;
  auto current = env.ca->CurrentCrl();
  ASSERT_TRUE(current.ok());
  // Minutes later (the cached CRL is still current for days), a seal asks for CRLs that
  // postdate its last signature: both are new, signed by their CA, and dated now.
  env.clock.Advance(std::chrono::minutes(30) + std::chrono::milliseconds(700));
  const Instant since = env.clock.Now();
  auto crls = env.ca->CrlsIssuedSince(since);
  ASSERT_TRUE(crls.ok()) << crls.status().ToString();
  ASSERT_EQ(crls->size(), 2u);
  EXPECT_NE((*crls)[1], *current);
  const std::string expected_date = FormatRfc3339Utc(since).substr(0, 19);
  const Certificate* issuers[] = {&env.ca->root(), &env.ca->issuing()};
  for (size_t i = 0; i < 2; ++i) {
    Spit(env.dir / "archive.crl", (*crls)[i]);
    Spit(env.dir / "issuer.pem", issuers[i]->ToPem());
    auto r = RunCommand({"openssl", "crl", "-inform", "DER", "-in", env.dir / "archive.crl", "-noout",
                         "-CAfile", env.dir / "issuer.pem", "-lastupdate", "-dateopt", "iso_8601"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("verify OK"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find(expected_date.substr(0, 10) + " " + expected_date.substr(11)), std::string::npos)
        << r.out << " vs " << expected_date;
  }
  // Asked again for the same instant: the cache serves it.
  auto again = env.ca->CrlsIssuedSince(since);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *crls);
}

TEST(LocalCaTest, RefusesToRevokeCertificatesItDidNotRecord) {
  KeysEnv env;
  auto tx = env.db->Begin();
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(env.ca->Revoke(*tx, env.ca->root(), RevocationReason::kSuperseded, env.clock.Now()).code(),
            "keys.not_issued_here");
  auto sat = Certificate::FromDer(SatFixture("certificate.cer"));
  ASSERT_TRUE(sat.ok());
  EXPECT_EQ(env.ca->RecordIssued(*tx, *sat, "member", "person:1").code(), "keys.not_issued_here");
}

}  // namespace
}  // namespace rubrica::keys
