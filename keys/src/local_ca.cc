#include "rubrica/keys/local_ca.h"

#include <openssl/x509.h>

#include <map>

#include "certificate_builder.h"
#include "errors.h"
#include "local_ca_impl.h"
#include "openssl_util.h"
#include "rubrica/base/json_writer.h"

namespace rubrica::keys {

namespace {

constexpr const char* kRoles[] = {"root", "issuing", "tsa", "seal"};
// X.520 upper bound of CN and O.
constexpr size_t kMaxNameChars = 64;

size_t Utf8Chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The installation keys are encrypted under a password derived from the master secret,
// so the secret itself is never used as a key for anything else.
std::string DerivePassword(std::string_view master_secret) {
  return HexEncode(Sha256("rubrica.keys.installation-keys.v1:" + std::string(master_secret)));
}

Status ValidateOptions(const LocalCaOptions& o) {
  auto bad = [](const std::string& why) {
    return Status::Error(ErrorKind::kInvalidArgument, "keys.bad_ca_options", why,
                         "La configuración de la autoridad certificadora local no es válida.");
  };
  if (o.secretariat.empty() || Utf8Chars(o.secretariat) > kMaxNameChars) {
    return bad("secretariat name must have 1 to 64 characters, got '" + o.secretariat + "'");
  }
  if (o.country.size() != 2) return bad("country must be a 2-letter code, got '" + o.country + "'");
  // The URL goes through OpenSSL's extension syntax, where ',' separates values.
  for (char c : o.crl_url) {
    if (c == ',' || c == ' ' || static_cast<unsigned char>(c) < 0x21) {
      return bad("CRL URL contains a comma, a space or a control character: '" + o.crl_url + "'");
    }
  }
  if (o.crl_validity.count() <= 0) return bad("CRL validity must be positive");
  if (o.scrypt_log2_n < 1 || o.scrypt_log2_n > 20) return bad("scrypt_log2_n out of range 1..20");
  return Status::Ok();
}

// The first `n` characters of UTF-8 `s`.
std::string Utf8Prefix(const std::string& s, size_t n) {
  size_t i = 0, chars = 0;
  while (i < s.size() && chars < n) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  return s.substr(0, i);
}

}  // namespace

std::string SealCommonName(const std::string& secretariat) {
  std::string name = secretariat;
  for (const auto& [long_form, short_form] :
       {std::pair<std::string, std::string>{"Secretariado Técnico Municipal", "STM"},
        {"Secretariado Técnico Local", "STL"}}) {
    if (Utf8Chars("Sello del " + name) <= kMaxNameChars) break;
    if (const size_t at = name.find(long_form); at != std::string::npos) {
      name.replace(at, long_form.size(), short_form);
    }
  }
  return Utf8Prefix("Sello del " + name, kMaxNameChars);
}

namespace {

Instant TruncatedToSeconds(Instant t) {
  return Instant(std::chrono::floor<std::chrono::seconds>(t));
}

CertificateSpec CaSpec(const LocalCaOptions& o, const std::string& cn, Instant from, Instant to,
                       int path_length) {
  CertificateSpec s;
  s.subject = {{"C", o.country}, {"O", o.secretariat}, {"CN", cn}};
  s.not_before = from;
  s.not_after = to;
  s.ca = true;
  s.path_length = path_length;
  s.key_usage = "critical,keyCertSign,cRLSign";
  return s;
}

CertificateSpec ServiceSpec(const LocalCaOptions& o, const std::string& role, Instant from,
                            Instant to) {
  CertificateSpec s;
  s.not_before = from;
  s.not_after = to;
  s.key_usage = "critical,digitalSignature,nonRepudiation";
  s.crl_url = o.crl_url;
  if (role == "tsa") {
    s.subject = {{"C", o.country}, {"O", o.secretariat},
                 {"CN", "Rúbrica - Autoridad de sellado de tiempo"}};
    s.extended_key_usage = "critical,timeStamping";
  } else {
    s.subject = {{"C", o.country}, {"O", o.secretariat}, {"CN", SealCommonName(o.secretariat)}};
    // emailProtection too: NSS (poppler's pdfsig, Okular, Firefox) validates PDF signers
    // for certificateUsageEmailSigner and refuses a certificate whose EKU lacks it.
    s.extended_key_usage = std::string(kOidEkuDocumentSigning) + ",emailProtection";
  }
  return s;
}

// A new key and certificate for `role`, with the key encrypted under `password`.
Result<CaRole> MakeRole(const CertificateSpec& spec, const std::optional<CaRole>& issuer,
                        const SigningKey* issuer_key, const LocalCaOptions& o,
                        const std::string& password) {
  ASSIGN_OR_RETURN(SigningKey key, SigningKey::Generate(o.algorithm));
  const SigningKey& signer = issuer_key != nullptr ? *issuer_key : key;
  std::optional<Certificate> issuer_cert;
  if (issuer) issuer_cert = issuer->cert;
  ASSIGN_OR_RETURN(Certificate cert, SignCertificate(spec, key.PublicKeyInfoDer(), issuer_cert, signer));
  Pkcs8Encryption enc;
  enc.scrypt_log2_n = o.scrypt_log2_n;
  ASSIGN_OR_RETURN(std::string encrypted, key.ToEncryptedPkcs8Pem(password, enc));
  return CaRole{std::move(cert), std::move(encrypted)};
}

struct StoredCa {
  std::map<std::string, CaRole> roles;
  std::string secretariat;
};

Result<StoredCa> LoadStored(store::Database& db) {
  StoredCa out;
  ASSIGN_OR_RETURN(auto tx, db.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT role, certificate, encrypted_key FROM keys_ca"));
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    auto cert = Certificate::FromDer(st.ColumnBlob(1));
    if (!cert.ok()) {
      return Status::Error(ErrorKind::kDataLoss, "keys.ca_corrupt",
                           "stored certificate of the local CA role '" + st.ColumnText(0) +
                               "' does not parse: " + cert.status().message());
    }
    out.roles.emplace(st.ColumnText(0), CaRole{*cert, st.ColumnText(2)});
  }
  ASSIGN_OR_RETURN(auto name, tx.Prepare("SELECT value FROM keys_ca_state WHERE name = 'secretariat'"));
  ASSIGN_OR_RETURN(bool has_name, name.Step());
  if (has_name) out.secretariat = name.ColumnText(0);
  return out;
}

Status InsertRole(store::Transaction& tx, const std::string& role, const CaRole& r, Instant now) {
  ASSIGN_OR_RETURN(auto st, tx.Prepare(
      "INSERT OR REPLACE INTO keys_ca (role, certificate, encrypted_key, created_us) "
      "VALUES (?, ?, ?, ?)"));
  return st.Bind(1, role).BindBlob(2, r.cert.der()).Bind(3, r.encrypted_key).Bind(4, UnixMicros(now)).Run();
}

Status InsertIssued(store::Transaction& tx, const std::string& issuer_role, const Certificate& cert,
                    std::string_view role, std::string_view holder_id, Instant now) {
  ASSIGN_OR_RETURN(auto st, tx.Prepare(
      "INSERT INTO keys_issued (issuer, serial, role, holder_id, subject, not_after_us, "
      "certificate, issued_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  return st.Bind(1, issuer_role)
      .Bind(2, cert.SerialHex())
      .Bind(3, role)
      .Bind(4, holder_id)
      .Bind(5, cert.SubjectString())
      .Bind(6, UnixMicros(cert.NotAfter()))
      .BindBlob(7, cert.der())
      .Bind(8, UnixMicros(now))
      .Run();
}

// {"secretariat":…,"<role>":{"serial","sha256","not_after"},…} after the fields `w` holds.
std::string AuditPayload(const std::string& secretariat, const std::map<std::string, CaRole>& made,
                         JsonWriter w = JsonWriter().BeginObject()) {
  w.Field("secretariat", secretariat);
  for (const auto& [role, r] : made) {
    w.Key(role).BeginObject();
    w.Field("serial", r.cert.SerialHex())
        .Field("sha256", r.cert.FingerprintSha256())
        .Field("not_after", FormatRfc3339Utc(r.cert.NotAfter()));
    w.EndObject();
  }
  return w.EndObject().Take();
}

Status MasterSecretMismatch() {
  return Status::Error(ErrorKind::kDataLoss, "keys.master_secret_mismatch",
                       "the master secret does not decrypt the local CA keys (is "
                       "RUBRICA_MASTER_KEY_FILE pointing at another installation's secret?)",
                       "La clave maestra no corresponde a esta instalación.");
}

// Creates the whole hierarchy. Returns the roles made; nothing is stored yet.
Result<std::map<std::string, CaRole>> CreateHierarchy(const LocalCaOptions& o, Instant now,
                                                      const std::string& password) {
  // Backdated a little so relying parties with a slow clock accept certificates at once.
  const Instant from = TruncatedToSeconds(now) - std::chrono::minutes(5);
  std::map<std::string, CaRole> made;
  ASSIGN_OR_RETURN(SigningKey root_key, SigningKey::Generate(o.algorithm));
  ASSIGN_OR_RETURN(Certificate root_cert,
                   SignCertificate(CaSpec(o, "Rúbrica - Autoridad raíz", from, from + o.root_validity, 1),
                                   root_key.PublicKeyInfoDer(), std::nullopt, root_key));
  Pkcs8Encryption enc;
  enc.scrypt_log2_n = o.scrypt_log2_n;
  ASSIGN_OR_RETURN(std::string root_enc, root_key.ToEncryptedPkcs8Pem(password, enc));
  CaRole root{root_cert, root_enc};
  ASSIGN_OR_RETURN(CaRole issuing,
                   MakeRole(CaSpec(o, "Rúbrica - Autoridad emisora", from,
                                   std::min(from + o.issuing_validity, root_cert.NotAfter()), 0),
                            root, &root_key, o, password));
  ASSIGN_OR_RETURN(SigningKey issuing_key, SigningKey::FromEncryptedPkcs8(issuing.encrypted_key, password));
  for (const char* role : {"tsa", "seal"}) {
    const Instant to = std::min(from + o.service_validity, issuing.cert.NotAfter());
    ASSIGN_OR_RETURN(CaRole r, MakeRole(ServiceSpec(o, role, from, to), issuing, &issuing_key, o, password));
    made.emplace(role, std::move(r));
  }
  made.emplace("root", std::move(root));
  made.emplace("issuing", std::move(issuing));
  return made;
}

Status CaInUse(const std::string& name) {
  return Status::Error(ErrorKind::kConflict, "keys.ca_in_use",
                       "the local CA of '" + name +
                           "' has issued member certificates; its secretariat name can no "
                           "longer change",
                       "La autoridad certificadora ya emitió certificados de integrantes: el "
                       "nombre del secretariado ya no puede cambiar.");
}

Result<bool> MemberCertificatesIssued(store::Transaction& tx) {
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT 1 FROM keys_issued WHERE role NOT IN "
                                       "('issuing', 'tsa', 'seal') LIMIT 1"));
  return st.Step();
}

// A new hierarchy under `o.secretariat` in place of one that never issued a member
// certificate (see LocalCaOptions::rename_unused).
Status RenameUnused(store::Database& db, const store::AuditLog& audit, const Clock& clock,
                    const LocalCaOptions& o, const std::string& password, const StoredCa& stored) {
  // Only the holder of the master secret may replace the keys.
  if (!SigningKey::FromEncryptedPkcs8(stored.roles.at("issuing").encrypted_key, password).ok()) {
    return MasterSecretMismatch();
  }
  {
    ASSIGN_OR_RETURN(auto tx, db.BeginRead());
    ASSIGN_OR_RETURN(bool used, MemberCertificatesIssued(tx));
    if (used) return CaInUse(stored.secretariat);
  }
  const Instant now = clock.Now();
  ASSIGN_OR_RETURN(auto made, CreateHierarchy(o, now, password));
  ASSIGN_OR_RETURN(auto tx, db.Begin());
  {
    ASSIGN_OR_RETURN(bool used, MemberCertificatesIssued(tx));
    if (used) return CaInUse(stored.secretariat);
  }
  RETURN_IF_ERROR(tx.Exec("DELETE FROM keys_ca"));
  RETURN_IF_ERROR(tx.Exec("DELETE FROM keys_issued"));
  for (const auto& [role, r] : made) RETURN_IF_ERROR(InsertRole(tx, role, r, now));
  {
    ASSIGN_OR_RETURN(auto st, tx.Prepare(
        "INSERT OR REPLACE INTO keys_ca_state (name, value) VALUES ('secretariat', ?), "
        "('crl_number', '0')"));
    RETURN_IF_ERROR(st.Bind(1, o.secretariat).Run());
  }
  RETURN_IF_ERROR(InsertIssued(tx, "root", made.at("issuing").cert, "issuing", "", now));
  RETURN_IF_ERROR(InsertIssued(tx, "issuing", made.at("tsa").cert, "tsa", "", now));
  RETURN_IF_ERROR(InsertIssued(tx, "issuing", made.at("seal").cert, "seal", "", now));
  JsonWriter previous;
  previous.BeginObject()
      .Field("previous_secretariat", stored.secretariat)
      .Field("previous_root_sha256", stored.roles.at("root").cert.FingerprintSha256());
  std::string payload = AuditPayload(o.secretariat, made, std::move(previous));
  RETURN_IF_ERROR(audit.Append(tx, {"system", "keys.ca_renamed", "local_ca",
                                    made.at("root").cert.FingerprintSha256(), payload})
                      .status());
  return tx.Commit();
}

}  // namespace

Status ValidateMemberSubject(const MemberSubject& s) {
  if (s.name.empty() || Utf8Chars(s.name) > kMaxNameChars) return BadSubject("name", "1 to 64 characters");
  if (s.role.empty() || Utf8Chars(s.role) > kMaxNameChars) return BadSubject("role", "1 to 64 characters");
  const size_t at = s.email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= s.email.size() || s.email.size() > 128 ||
      s.email.find('@', at + 1) != std::string::npos) {
    return BadSubject("email", "not an e-mail address: '" + s.email + "'");
  }
  for (char c : s.email) {
    // Also keeps the address from injecting values into OpenSSL's extension syntax.
    if (c == ',' || c == ' ' || c == ':' || static_cast<unsigned char>(c) < 0x21 ||
        static_cast<unsigned char>(c) > 0x7e) {
      return BadSubject("email", "unexpected character in '" + s.email + "'");
    }
  }
  if (!s.curp.empty()) {
    bool ok = s.curp.size() == 18;
    for (size_t i = 0; ok && i < s.curp.size(); ++i) {
      const char c = s.curp[i];
      const bool letter = c >= 'A' && c <= 'Z';
      const bool digit = c >= '0' && c <= '9';
      // CURP: 4 letters, 6 digits (birth date), H/M, 5 letters, 1 letter/digit, 1 digit.
      if (i < 4 || (i >= 10 && i < 16)) ok = letter;
      else if (i < 10 || i == 17) ok = digit;
      else ok = letter || digit;
    }
    if (!ok) return BadSubject("curp", "not a CURP (18 characters, e.g. GOAA800101HMNNRN09): '" + s.curp + "'");
  }
  if (!s.rfc.empty()) {
    // RFC: 3 (company) or 4 (person) letters, 6 digits (a date), 3 letters or digits.
    const size_t letters = s.rfc.size() == 13 ? 4 : 3;
    bool ok = s.rfc.size() == 12 || s.rfc.size() == 13;
    for (size_t i = 0; ok && i < s.rfc.size(); ++i) {
      const char c = s.rfc[i];
      const bool letter = (c >= 'A' && c <= 'Z') || c == '&';
      const bool digit = c >= '0' && c <= '9';
      ok = i < letters ? letter : i < letters + 6 ? digit : (letter || digit);
    }
    if (!ok) return BadSubject("rfc", "not an RFC (12 or 13 characters, e.g. VACE750315AB1): '" + s.rfc + "'");
  }
  if (s.not_after <= s.not_before) return BadSubject("term", "the term ends before it starts");
  return Status::Ok();
}

LocalCa::LocalCa(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LocalCa::~LocalCa() = default;

// Issues (and stores, audited "keys.ca_renewed") a successor for each of the TSA and seal
// certificates with less than options.renew_before left at `now`, with a new key; the old
// certificates stay in keys_issued (and in every token and /DSS that embeds them) for
// verification. Returns the roles made (none when nothing was due).
Result<std::map<std::string, CaRole>> RenewServiceRoles(store::Database& db, const store::AuditLog& audit,
                                                        Instant now, const LocalCaOptions& options,
                                                        const std::string& password,
                                                        const std::map<std::string, CaRole>& roles,
                                                        const SigningKey& issuing_key) {
  std::map<std::string, CaRole> renewed;
  for (const char* role : {"tsa", "seal"}) {
    auto it = roles.find(role);
    if (it != roles.end() && it->second.cert.NotAfter() - now > options.renew_before) continue;
    const Instant from = TruncatedToSeconds(now) - std::chrono::minutes(5);
    const CaRole& issuing = roles.at("issuing");
    const Instant to = std::min(from + options.service_validity, issuing.cert.NotAfter());
    if (to <= now) {
      return Status::Error(ErrorKind::kConflict, "keys.ca_expired",
                           "the local issuing CA expires on " + DateUtc(issuing.cert.NotAfter()) +
                               "; cannot issue the " + role + " certificate",
                           "La autoridad certificadora local venció; hay que renovarla.");
    }
    ASSIGN_OR_RETURN(CaRole r, MakeRole(ServiceSpec(options, role, from, to), issuing, &issuing_key,
                                        options, password));
    renewed.emplace(role, std::move(r));
  }
  if (!renewed.empty()) {
    ASSIGN_OR_RETURN(auto tx, db.Begin());
    for (const auto& [role, r] : renewed) {
      RETURN_IF_ERROR(InsertRole(tx, role, r, now));
      RETURN_IF_ERROR(InsertIssued(tx, "issuing", r.cert, role, "", now));
    }
    RETURN_IF_ERROR(audit.Append(tx, {"system", "keys.ca_renewed", "local_ca",
                                      roles.at("root").cert.FingerprintSha256(),
                                      AuditPayload(options.secretariat, renewed)}).status());
    RETURN_IF_ERROR(tx.Commit());
  }
  return renewed;
}

Result<std::unique_ptr<LocalCa>> LocalCa::Ensure(store::Database& db, const store::AuditLog& audit,
                                                 const Clock& clock, std::string_view master_secret,
                                                 const LocalCaOptions& options, bool* created) {
  RETURN_IF_ERROR(ValidateOptions(options));
  if (created != nullptr) *created = false;
  std::string password = DerivePassword(master_secret);
  ASSIGN_OR_RETURN(StoredCa stored, LoadStored(db));
  if (options.rename_unused && stored.roles.count("root") && stored.roles.count("issuing") &&
      !stored.secretariat.empty() && stored.secretariat != options.secretariat) {
    RETURN_IF_ERROR(RenameUnused(db, audit, clock, options, password, stored));
    ASSIGN_OR_RETURN(stored, LoadStored(db));
  }
  if (!stored.roles.count("root")) {
    const Instant now = clock.Now();
    ASSIGN_OR_RETURN(auto made, CreateHierarchy(options, now, password));
    ASSIGN_OR_RETURN(auto tx, db.Begin());
    // Another process may have created the CA while we generated keys: keep its one.
    // (Statements end before Commit, which hands the connection to other threads.)
    bool exists = false;
    {
      ASSIGN_OR_RETURN(auto check, tx.Prepare("SELECT 1 FROM keys_ca WHERE role = 'root'"));
      ASSIGN_OR_RETURN(exists, check.Step());
    }
    if (!exists) {
      for (const auto& [role, r] : made) RETURN_IF_ERROR(InsertRole(tx, role, r, now));
      {
        ASSIGN_OR_RETURN(auto st, tx.Prepare(
            "INSERT OR REPLACE INTO keys_ca_state (name, value) VALUES ('secretariat', ?), "
            "('crl_number', '0')"));
        RETURN_IF_ERROR(st.Bind(1, options.secretariat).Run());
      }
      RETURN_IF_ERROR(InsertIssued(tx, "root", made.at("issuing").cert, "issuing", "", now));
      RETURN_IF_ERROR(InsertIssued(tx, "issuing", made.at("tsa").cert, "tsa", "", now));
      RETURN_IF_ERROR(InsertIssued(tx, "issuing", made.at("seal").cert, "seal", "", now));
      RETURN_IF_ERROR(audit.Append(tx, {"system", "keys.ca_created", "local_ca",
                                        made.at("root").cert.FingerprintSha256(),
                                        AuditPayload(options.secretariat, made)}).status());
      RETURN_IF_ERROR(tx.Commit());
      if (created != nullptr) *created = true;
    }
    ASSIGN_OR_RETURN(stored, LoadStored(db));
  }
  for (const char* role : kRoles) {
    if (!stored.roles.count(role) && std::string_view(role) != "tsa" && std::string_view(role) != "seal") {
      return Status::Error(ErrorKind::kDataLoss, "keys.ca_corrupt",
                           std::string("the local CA has no '") + role + "' certificate");
    }
  }
  // Unlocking the issuing key proves the master secret; it is needed to renew anyway.
  auto issuing_key = SigningKey::FromEncryptedPkcs8(stored.roles.at("issuing").encrypted_key, password);
  if (!issuing_key.ok()) {
    return issuing_key.status().code() == "keys.wrong_password" ? MasterSecretMismatch()
                                                                : issuing_key.status();
  }
  const Instant now = clock.Now();
  LocalCaOptions effective = options;
  if (!stored.secretariat.empty()) effective.secretariat = stored.secretariat;
  ASSIGN_OR_RETURN(auto renewed, RenewServiceRoles(db, audit, now, effective, password, stored.roles, *issuing_key));
  for (auto& [role, r] : renewed) stored.roles.insert_or_assign(role, std::move(r));
  auto impl = std::unique_ptr<Impl>(new Impl{db, audit, clock, effective, std::move(password),
                                             effective.secretariat, stored.roles.at("root"),
                                             stored.roles.at("issuing"), stored.roles.at("tsa"),
                                             stored.roles.at("seal"), {}, {}, {}, {}});
  return std::unique_ptr<LocalCa>(new LocalCa(std::move(impl)));
}

Result<std::unique_ptr<LocalCa>> LocalCa::Open(store::Database& db, const store::AuditLog& audit,
                                               const Clock& clock, std::string_view master_secret,
                                               const LocalCaOptions& options) {
  ASSIGN_OR_RETURN(StoredCa stored, LoadStored(db));
  if (!stored.roles.count("root")) {
    return Status::Error(ErrorKind::kNotFound, "keys.no_local_ca",
                         "this installation has no local CA yet (run 'rubrica init')",
                         "La instalación aún no tiene autoridad certificadora local.");
  }
  // Ensure() finds everything in place and only checks the master secret.
  return Ensure(db, audit, clock, master_secret, options, nullptr);
}

const Certificate& LocalCa::root() const { return impl_->root.cert; }
const Certificate& LocalCa::issuing() const { return impl_->issuing.cert; }
Certificate LocalCa::tsa_certificate() const {
  std::lock_guard lock(impl_->roles_mu);
  return impl_->tsa.cert;
}
Certificate LocalCa::seal_certificate() const {
  std::lock_guard lock(impl_->roles_mu);
  return impl_->seal.cert;
}
std::vector<Certificate> LocalCa::Chain() const { return {impl_->issuing.cert, impl_->root.cert}; }
std::string LocalCa::TrustAnchorPem() const {
  return impl_->root.cert.ToPem() + impl_->issuing.cert.ToPem();
}
const std::string& LocalCa::secretariat() const { return impl_->secretariat; }

Result<SigningKey> LocalCa::Impl::Unlock(const CaRole& role) const {
  auto key = SigningKey::FromEncryptedPkcs8(role.encrypted_key, password);
  if (!key.ok() && key.status().code() == "keys.wrong_password") return MasterSecretMismatch();
  return key;
}

Result<SigningKey> LocalCa::UnlockTsaKey() const {
  const CaRole role = [&] {
    std::lock_guard lock(impl_->roles_mu);
    return impl_->tsa;
  }();
  return impl_->Unlock(role);
}
Result<SigningKey> LocalCa::UnlockSealKey() const {
  const CaRole role = [&] {
    std::lock_guard lock(impl_->roles_mu);
    return impl_->seal;
  }();
  return impl_->Unlock(role);
}

Result<bool> LocalCa::RotateServiceCertificates() {
  std::lock_guard rotating(impl_->rotate_mu);
  std::map<std::string, CaRole> roles = {{"root", impl_->root}, {"issuing", impl_->issuing}};
  {
    std::lock_guard lock(impl_->roles_mu);
    roles.emplace("tsa", impl_->tsa);
    roles.emplace("seal", impl_->seal);
  }
  ASSIGN_OR_RETURN(SigningKey issuing_key, impl_->Unlock(impl_->issuing));
  // A log of our own: the one Ensure() was given may be gone (installation set-up makes a
  // temporary one); AuditLog holds only the clock.
  const store::AuditLog audit(impl_->clock);
  ASSIGN_OR_RETURN(auto renewed, RenewServiceRoles(impl_->db, audit, impl_->clock.Now(), impl_->options,
                                                   impl_->password, roles, issuing_key));
  std::lock_guard lock(impl_->roles_mu);
  if (auto it = renewed.find("tsa"); it != renewed.end()) impl_->tsa = it->second;
  if (auto it = renewed.find("seal"); it != renewed.end()) impl_->seal = it->second;
  return !renewed.empty();
}

Result<Certificate> LocalCa::IssueMemberCertificate(const MemberSubject& subject,
                                                    std::string_view public_key_info_der) const {
  RETURN_IF_ERROR(ValidateMemberSubject(subject));
  const Certificate& ca = impl_->issuing.cert;
  // A term that began before this installation existed starts with the issuing CA: nothing
  // could have been signed earlier anyway, and validators expect the CA to cover it.
  const Instant not_before = std::max(subject.not_before, ca.NotBefore());
  if (subject.not_after > ca.NotAfter() || subject.not_after <= not_before) {
    return Status::Error(ErrorKind::kInvalidArgument, "keys.validity_outside_ca",
                         "the term " + DateUtc(subject.not_before) + " to " + DateUtc(subject.not_after) +
                             " is not inside the issuing CA's validity (" + DateUtc(ca.NotBefore()) +
                             " to " + DateUtc(ca.NotAfter()) + ")",
                         "El periodo del certificado excede la vigencia de la autoridad certificadora.");
  }
  CertificateSpec spec;
  spec.subject = {{"C", impl_->options.country}, {"O", impl_->secretariat}, {"title", subject.role},
                  {"CN", subject.name}};
  if (!subject.curp.empty()) spec.subject.emplace_back("serialNumber", subject.curp);
  if (!subject.rfc.empty()) spec.subject.emplace_back("x500UniqueIdentifier", subject.rfc);
  spec.subject.emplace_back("emailAddress", subject.email);
  spec.not_before = TruncatedToSeconds(not_before);
  spec.not_after = TruncatedToSeconds(subject.not_after);
  spec.key_usage = "critical,digitalSignature,nonRepudiation";
  spec.extended_key_usage = std::string(kOidEkuDocumentSigning) + ",emailProtection";
  spec.email = subject.email;
  spec.crl_url = impl_->options.crl_url;
  ASSIGN_OR_RETURN(SigningKey ca_key, impl_->Unlock(impl_->issuing));
  return SignCertificate(spec, public_key_info_der, ca, ca_key);
}

std::string LocalCa::Impl::IssuerRoleOf(const Certificate& cert) const {
  for (const CaRole* r : {&issuing, &root}) {
    if (cert.IssuerNameDer() != r->cert.SubjectNameDer()) continue;
    EVP_PKEY* pub = X509_get0_pubkey(static_cast<X509*>(r->cert.native_handle()));
    const bool signed_by = X509_verify(static_cast<X509*>(cert.native_handle()), pub) == 1;
    ERR_clear_error();
    if (signed_by) return r == &issuing ? "issuing" : "root";
  }
  return "";
}

Status LocalCa::RecordIssued(store::Transaction& tx, const Certificate& cert, std::string_view role,
                             std::string_view holder_id) const {
  const std::string issuer = impl_->IssuerRoleOf(cert);
  if (issuer.empty()) {
    return Status::Error(ErrorKind::kInvalidArgument, "keys.not_issued_here",
                         "certificate " + Describe(cert) + " was not issued by this local CA");
  }
  return InsertIssued(tx, issuer, cert, role, holder_id, impl_->clock.Now());
}

}  // namespace rubrica::keys
