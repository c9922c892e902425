#include "inbox.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "rubrica/base/json_writer.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/delivery/receipt.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/store/audit_log.h"

namespace rubrica::server::agency {

using namespace std::chrono;

const std::vector<store::Migration>& Migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, "agency inbox",
       "CREATE TABLE agency_secretariats ("
       "  id INTEGER PRIMARY KEY,"
       "  name TEXT NOT NULL,"
       "  seal_sha256 TEXT NOT NULL UNIQUE,"
       "  seal_der BLOB NOT NULL,"
       "  ca_pem TEXT NOT NULL,"
       "  time_zone TEXT NOT NULL,"
       "  registered_at_us INTEGER NOT NULL"
       ");"
       "CREATE TABLE agency_packages ("
       "  sha256 TEXT PRIMARY KEY,"
       "  secretariat_id INTEGER REFERENCES agency_secretariats(id),"
       "  month TEXT NOT NULL,"
       "  bytes INTEGER NOT NULL,"
       "  received_at_us INTEGER NOT NULL,"
       "  accepted INTEGER NOT NULL,"
       "  on_time INTEGER NOT NULL,"
       "  actas INTEGER NOT NULL,"
       "  supersedes TEXT,"
       "  receipt_xml TEXT NOT NULL,"
       "  problems_json TEXT NOT NULL"
       ");"
       "CREATE INDEX agency_packages_month ON agency_packages(month, secretariat_id);"},
      {2, "the co-signer a secretariat's manifests must carry",
       "ALTER TABLE agency_secretariats ADD COLUMN cosigner TEXT NOT NULL DEFAULT '' "
       "CHECK (cosigner IN ('', 'garante', 'facilitator'));"},
      {3, "who co-signed each package received",
       "ALTER TABLE agency_packages ADD COLUMN cosigner_role TEXT;"
       "ALTER TABLE agency_packages ADD COLUMN cosigner_name TEXT;"},
  };
  return kMigrations;
}

namespace {

int64_t HashKey(const std::string& hex) { return static_cast<int64_t>(std::strtoull(hex.substr(0, 15).c_str(), nullptr, 16)); }

Status BadRegistration(const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "agency.bad_registration", why,
                       "El registro del secretariado no es válido: " + why);
}

}  // namespace

Result<int64_t> Inbox::Register(const std::string& name, const std::string& seal_cert, const std::string& ca_pem,
                                const std::string& time_zone, const std::string& cosigner, bool update,
                                std::string_view actor) {
  if (name.empty() || name.size() > 300) return BadRegistration("name must have 1 to 300 characters");
  auto seal = keys::Certificate::FromDerOrPem(seal_cert);
  if (!seal.ok()) return BadRegistration("the seal certificate does not parse");
  auto anchors = keys::Certificate::AllFromPem(ca_pem);
  if (!anchors.ok() || anchors->empty()) return BadRegistration("the trust anchor PEM holds no certificate");
  if (!TimeZone::Load(time_zone).ok()) return BadRegistration("unknown time zone '" + time_zone + "'");
  if (!cosigner.empty() && cosigner != "garante" && cosigner != "facilitator") {
    return BadRegistration("the co-signer must be garante or facilitator, not '" + cosigner + "'");
  }
  const std::string seal_sha256 = Sha256Hex(seal->der());
  store::AuditLog log(clock_);
  ASSIGN_OR_RETURN(store::Transaction tx, db_.Begin());
  {
    ASSIGN_OR_RETURN(store::Statement q,
                     tx.Prepare("SELECT id, name, cosigner FROM agency_secretariats WHERE seal_sha256 = ?"));
    q.Bind(1, seal_sha256);
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (row && !update) {
      return Status::Error(ErrorKind::kConflict, "agency.already_registered",
                           "this seal is registered as secretariat " + std::to_string(q.ColumnInt(0)) +
                               " (--update changes its registration)",
                           "Ese sello ya está registrado (use --update para cambiar su registro).");
    }
    if (row) {
      const int64_t id = q.ColumnInt(0);
      const std::string was_name = q.ColumnText(1), was_cosigner = q.ColumnText(2);
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("UPDATE agency_secretariats SET name = ?, ca_pem = ?, time_zone = ?, cosigner = ? "
                                  "WHERE id = ?"));
      st.Bind(1, name).Bind(2, ca_pem).Bind(3, time_zone).Bind(4, cosigner).Bind(5, id);
      RETURN_IF_ERROR(st.Run());
      const std::string payload = JsonWriter()
                                      .BeginObject()
                                      .Field("seal_sha256", seal_sha256)
                                      .Field("name_was", was_name)
                                      .Field("name", name)
                                      .Field("cosigner_was", was_cosigner.empty() ? "none" : was_cosigner)
                                      .Field("cosigner", cosigner.empty() ? "none" : cosigner)
                                      .Field("ca_sha256", Sha256Hex(ca_pem))
                                      .EndObject()
                                      .Take();
      RETURN_IF_ERROR(log.Append(tx, {std::string(actor), "agency.registration_update", "agency_secretariat",
                                      std::to_string(id), payload})
                          .status());
      RETURN_IF_ERROR(tx.Commit());
      return id;
    }
  }
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("INSERT INTO agency_secretariats (name, seal_sha256, seal_der, ca_pem, time_zone, "
                              "registered_at_us, cosigner) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, name).Bind(2, seal_sha256).BindBlob(3, seal->der()).Bind(4, ca_pem).Bind(5, time_zone);
  st.Bind(6, UnixMicros(clock_.Now())).Bind(7, cosigner);
  RETURN_IF_ERROR(st.Run());
  const int64_t id = tx.LastInsertId();
  const std::string payload = JsonWriter()
                                  .BeginObject()
                                  .Field("seal_sha256", seal_sha256)
                                  .Field("name", name)
                                  .Field("cosigner", cosigner.empty() ? "none" : cosigner)
                                  .Field("ca_sha256", Sha256Hex(ca_pem))
                                  .EndObject()
                                  .Take();
  RETURN_IF_ERROR(
      log.Append(tx, {std::string(actor), "agency.register", "agency_secretariat", std::to_string(id), payload})
          .status());
  RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<std::vector<RegisteredSecretariat>> Inbox::Secretariats() const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT id, name, seal_der, ca_pem, time_zone, cosigner FROM agency_secretariats ORDER BY id"));
  std::vector<RegisteredSecretariat> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.ColumnInt(0), st.ColumnText(1), st.ColumnBlob(2), st.ColumnText(3), st.ColumnText(4),
                   st.ColumnText(5)});
  }
  return out;
}

Result<std::optional<RegisteredSecretariat>> Inbox::FindBySeal(const std::string& seal_der) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT id, name, seal_der, ca_pem, time_zone, cosigner "
                                                   "FROM agency_secretariats WHERE seal_sha256 = ?"));
  st.Bind(1, Sha256Hex(seal_der));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<RegisteredSecretariat>();
  return std::optional<RegisteredSecretariat>(
      RegisteredSecretariat{st.ColumnInt(0), st.ColumnText(1), st.ColumnBlob(2), st.ColumnText(3), st.ColumnText(4),
                            st.ColumnText(5)});
}

Result<std::string> Inbox::AllAnchors() const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT DISTINCT ca_pem FROM agency_secretariats"));
  std::string pem;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    pem += st.ColumnText(0) + "\n";
  }
  return pem;
}

Result<bool> Inbox::AnyRegistered() const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT 1 FROM agency_secretariats LIMIT 1"));
  return st.Step();
}

Result<std::shared_ptr<const keys::SigningKey>> Inbox::SealKey() const {
  // Unlocked once per seal certificate (a renewal brings a new one), as the agency's TSA key
  // is: one scrypt per receipt was a fifth of the inbox's own CPU at a month-end.
  std::lock_guard lock(seal_mu_);
  const keys::Certificate current = ca_.seal_certificate();
  if (!seal_ || seal_cert_der_ != current.der()) {
    ASSIGN_OR_RETURN(keys::SigningKey key, ca_.UnlockSealKey());
    seal_ = std::make_shared<const keys::SigningKey>(std::move(key));
    seal_cert_der_ = current.der();
  }
  return seal_;
}

Result<InboxAnswer> Inbox::Receive(const std::string& zip, std::string sha256) {
  InboxAnswer answer;
  answer.package_sha256 = std::move(sha256);
  KeyedMutex::Guard guard(by_hash_, HashKey(answer.package_sha256));
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
    ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT accepted, receipt_xml FROM agency_packages WHERE sha256 = ?"));
    st.Bind(1, answer.package_sha256);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      answer.accepted = st.ColumnInt(0) != 0;
      answer.repeat = true;
      answer.receipt_xml = st.ColumnText(1);
      return answer;
    }
  }
  const Instant received = clock_.Now();
  delivery::PackageCheckOptions options;
  options.clock = &clock_;
  options.sha256 = answer.package_sha256;
  // The sender is known by the seal that signed the manifest: its own anchors (and only its
  // seal) are trusted for the manifest and its actas. A seal no secretariat registered falls
  // back to every registered anchor, so that the refusal names the cause.
  std::optional<RegisteredSecretariat> sender;
  Status lookup = Status::Ok();
  options.choose_trust = [&](const std::vector<std::string>& certificates, std::string& trust_pem,
                             std::string& expected_signer_der, std::string& required_cosigner) {
    for (const std::string& der : certificates) {
      auto found = FindBySeal(der);
      if (!found.ok()) lookup = found.status();
      if (found.ok() && *found) {
        sender = std::move(*found);
        trust_pem = sender->ca_pem;
        expected_signer_der = sender->seal_der;
        required_cosigner = sender->cosigner;
        return;
      }
    }
    auto all = AllAnchors();
    if (!all.ok()) lookup = all.status();
    trust_pem = all.ok() ? *all : "";
  };
  if (verify_acta_) {
    options.verify_actas = [&](const std::vector<const std::string*>& pdfs) {
      // The anchors of the seal named by the manifest; every registered anchor when unknown.
      if (sender) return verify_acta_(pdfs, sender->ca_pem);
      auto all = AllAnchors();
      return verify_acta_(pdfs, all.ok() ? *all : std::string());
    };
  }
  ASSIGN_OR_RETURN(bool any_registered, AnyRegistered());
  delivery::PackageCheck check;
  if (!any_registered) {
    check.sha256 = answer.package_sha256;
    check.bytes = zip.size();
    check.problems.push_back({"delivery.unknown_sender", "El órgano garante no tiene secretariados registrados.", ""});
  } else {
    check = delivery::CheckPackage(zip, options);
  }
  RETURN_IF_ERROR(lookup);
  if (sender && sender->seal_der != check.signer_der) sender.reset();
  if (!check.signer_der.empty() && !sender) {
    ASSIGN_OR_RETURN(sender, FindBySeal(check.signer_der));
  }
  if (!check.signer_der.empty() && !sender) {
    check.problems.push_back({"delivery.unknown_sender",
                              "El sello que firmó el manifiesto no corresponde a ningún secretariado registrado.",
                              delivery::kManifestEntry});
  }
  delivery::Receipt r;
  r.accepted = check.problems.empty();
  r.agency = agency_name_;
  r.package_sha256 = check.sha256;
  r.package_bytes = check.bytes;
  r.secretariat = sender ? sender->name : (check.manifest ? check.manifest->secretariat_name : "");
  r.month = check.manifest ? check.manifest->month : "";
  r.received_at = FormatRfc3339Utc(received);
  r.cosigners = check.cosigners;
  r.actas = check.actas;
  r.reasons = check.problems;
  if (check.manifest) {
    // On time: received by the end of the last day of the month, in the secretariat's zone.
    auto zone = TimeZone::Load(sender ? sender->time_zone : check.manifest->time_zone);
    int y = 0;
    unsigned m = 0;
    if (zone.ok() && std::sscanf(r.month.c_str(), "%d-%u", &y, &m) == 2) {
      const year_month_day last = year{y} / month{m} / std::chrono::last;
      r.on_time = zone->LocalDate(received) <= last;
    }
  }
  if (tsa_ == nullptr) {
    return Status::Error(ErrorKind::kInternal, "agency.no_tsa", "the inbox has no timestamp authority");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const keys::SigningKey> seal, SealKey());
  ASSIGN_OR_RETURN(answer.receipt_xml, delivery::SignXmlDocument(delivery::ReceiptXml(r), *seal, ca_.seal_certificate(),
                                                                 ca_.Chain(), *tsa_));
  answer.accepted = r.accepted;
  ASSIGN_OR_RETURN(std::string blob, blobs_.Put(zip));
  (void)blob;
  ASSIGN_OR_RETURN(store::Transaction tx, db_.Begin());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("INSERT INTO agency_packages (sha256, secretariat_id, month, bytes, received_at_us, "
                              "accepted, on_time, actas, supersedes, receipt_xml, problems_json, cosigner_role, "
                              "cosigner_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, answer.package_sha256);
  if (sender) st.Bind(2, sender->id); else st.BindNull(2);
  st.Bind(3, r.month).Bind(4, static_cast<int64_t>(zip.size())).Bind(5, UnixMicros(received));
  st.Bind(6, int64_t{r.accepted ? 1 : 0}).Bind(7, int64_t{r.on_time ? 1 : 0});
  st.Bind(8, static_cast<int64_t>(check.actas.size()));
  st.BindOptional(9, check.manifest && !check.manifest->supersedes.empty() ? std::optional(check.manifest->supersedes)
                                                                           : std::nullopt);
  st.Bind(10, answer.receipt_xml).Bind(11, delivery::ProblemsJson(check.problems));
  // The manifest carries at most one co-signature (<cofirma> names one role).
  const delivery::CheckedCosigner* cosigner = check.cosigners.empty() ? nullptr : &check.cosigners.front();
  st.BindOptional(12, cosigner ? std::optional(cosigner->role) : std::nullopt);
  st.BindOptional(13, cosigner ? std::optional(cosigner->name) : std::nullopt);
  RETURN_IF_ERROR(st.Run());
  RETURN_IF_ERROR(tx.Commit());
  return answer;
}

Result<std::string> Inbox::MonthJson(const std::string& month) const {
  ASSIGN_OR_RETURN(std::vector<RegisteredSecretariat> registered, Secretariats());
  struct Row {
    std::string sha256;
    int64_t bytes;
    Instant received;
    bool accepted, on_time;
    int64_t actas;
    std::string supersedes, problems, cosigner_role, cosigner_name;
  };
  std::map<int64_t, std::vector<Row>> by_secretariat;
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT secretariat_id, sha256, bytes, received_at_us, accepted, on_time, actas, "
                                "supersedes, problems_json, cosigner_role, cosigner_name FROM agency_packages "
                                "WHERE month = ? AND secretariat_id "
                                "IS NOT NULL ORDER BY received_at_us"));
    st.Bind(1, month);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      by_secretariat[st.ColumnInt(0)].push_back({st.ColumnText(1), st.ColumnInt(2), FromUnixMicros(st.ColumnInt(3)),
                                                 st.ColumnInt(4) != 0, st.ColumnInt(5) != 0, st.ColumnInt(6),
                                                 st.ColumnOptionalText(7).value_or(""), st.ColumnText(8),
                                                 st.ColumnOptionalText(9).value_or(""),
                                                 st.ColumnOptionalText(10).value_or("")});
    }
  }
  JsonWriter w;
  w.BeginObject().Key("month").String(month).Key("agency").String(agency_name_).Key("secretariats").BeginArray();
  for (const auto& s : registered) {
    const auto& rows = by_secretariat[s.id];
    const Row* delivered = nullptr;
    for (const Row& row : rows) {
      if (row.accepted) delivered = &row;
    }
    w.BeginObject().Key("id").Int(s.id).Key("name").String(s.name);
    w.Key("status").String(delivered ? (delivered->on_time ? "delivered_on_time" : "delivered_late")
                                     : (rows.empty() ? "not_received" : "refused"));
    w.Key("packages").BeginArray();
    for (const Row& row : rows) {
      w.BeginObject().Key("sha256").String(row.sha256).Key("bytes").Int(row.bytes);
      w.Key("received_at").String(FormatRfc3339Utc(row.received)).Key("accepted").Bool(row.accepted);
      w.Key("on_time").Bool(row.on_time).Key("actas").Int(row.actas);
      if (!row.supersedes.empty()) w.Key("supersedes").String(row.supersedes);
      w.Key("cosigner");
      if (row.cosigner_role.empty()) {
        w.Null();
      } else {
        w.BeginObject().Key("role").String(row.cosigner_role).Key("name").String(row.cosigner_name).EndObject();
      }
      w.Key("problems").Raw(row.problems);
      w.EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return w.str();
}

}  // namespace rubrica::server::agency
