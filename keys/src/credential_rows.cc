#include "credential_rows.h"


namespace rubrica::keys {

namespace {

constexpr const char* kColumns =
    "SELECT id, holder_id, origin, certificate, chain_pem, created_us, revoked_us, "
    "revocation_reason, revocation_source, rfc, curp, encrypted_key, rubric_certificate, key_wrap "
    "FROM keys_credentials ";

Result<CredentialOrigin> ParseOrigin(const std::string& s) {
  for (auto o : {CredentialOrigin::kLocalCa, CredentialOrigin::kPkcs12, CredentialOrigin::kEfirma,
                 CredentialOrigin::kExternal}) {
    if (CredentialOriginName(o) == s) return o;
  }
  return Status::Error(ErrorKind::kDataLoss, "keys.credential_corrupt", "unknown origin '" + s + "'");
}

Status Corrupt(int64_t id, const std::string& what) {
  return Status::Error(ErrorKind::kDataLoss, "keys.credential_corrupt",
                       "credential " + std::to_string(id) + ": " + what);
}

Result<StoredCredential> ReadRow(const store::Statement& st) {
  const int64_t id = st.ColumnInt(0);
  ASSIGN_OR_RETURN(CredentialOrigin origin, ParseOrigin(st.ColumnText(2)));
  auto cert = Certificate::FromDer(st.ColumnBlob(3));
  if (!cert.ok()) return Corrupt(id, "stored certificate does not parse");
  std::vector<Certificate> chain;
  const std::string chain_pem = st.ColumnText(4);
  if (!chain_pem.empty()) {
    auto certs = Certificate::AllFromPem(chain_pem);
    if (!certs.ok()) return Corrupt(id, "stored chain does not parse");
    chain = std::move(certs).value();
  }
  std::optional<Certificate> rubric;
  if (!st.ColumnIsNull(12)) {
    auto rc = Certificate::FromDer(st.ColumnBlob(12));
    if (!rc.ok()) return Corrupt(id, "stored rubric certificate does not parse");
    rubric = std::move(rc).value();
  }
  std::optional<RevocationInfo> revocation;
  if (!st.ColumnIsNull(6)) {
    revocation = RevocationInfo{FromUnixMicros(st.ColumnInt(6)),
                                RevocationReasonFromCode(static_cast<int>(st.ColumnInt(7))),
                                st.ColumnText(8)};
  }
  return StoredCredential{
      Credential{.id = id,
                 .holder_id = st.ColumnText(1),
                 .origin = origin,
                 .external = origin == CredentialOrigin::kExternal,
                 .certificate = std::move(cert).value(),
                 .chain = std::move(chain),
                 .created_at = FromUnixMicros(st.ColumnInt(5)),
                 .revocation = std::move(revocation),
                 .rfc = st.ColumnText(9),
                 .curp = st.ColumnText(10),
                 .rubric_certificate = std::move(rubric)},
      st.ColumnOptionalText(11), static_cast<int>(st.ColumnInt(13))};
}

}  // namespace

Status CredentialNotFound(int64_t id) {
  return Status::Error(ErrorKind::kNotFound, "keys.credential_not_found",
                       "no credential with id " + std::to_string(id),
                       "No existe esa credencial de firma.");
}

Result<std::optional<StoredCredential>> LoadCredential(store::Transaction& tx, int64_t id) {
  ASSIGN_OR_RETURN(auto st, tx.Prepare(std::string(kColumns) + "WHERE id = ?"));
  ASSIGN_OR_RETURN(bool row, st.Bind(1, id).Step());
  if (!row) return std::optional<StoredCredential>();
  ASSIGN_OR_RETURN(StoredCredential c, ReadRow(st));
  return std::optional<StoredCredential>(std::move(c));
}

Result<std::vector<Credential>> LoadCredentials(store::Transaction& tx,
                                                const std::optional<std::string>& holder_id) {
  ASSIGN_OR_RETURN(auto st, tx.Prepare(std::string(kColumns) +
                                       (holder_id ? "WHERE holder_id = ? ORDER BY id" : "ORDER BY id")));
  if (holder_id) st.Bind(1, *holder_id);
  std::vector<Credential> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(StoredCredential c, ReadRow(st));
    out.push_back(std::move(c.credential));
  }
  return out;
}

}  // namespace rubrica::keys
