#include "rubrica/delivery/packages.h"

#include <cstdio>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/delivery/package_zip.h"
#include "rubrica/base/logger.h"
#include "rubrica/signing/xml_cosignature.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/write_transaction.h"
#include "xml_local.h"

namespace rubrica::delivery {

using namespace std::chrono;

const std::vector<store::Migration>& Migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, "delivery packages",
       "CREATE TABLE delivery_packages ("
       "  sha256 TEXT PRIMARY KEY,"
       "  secretariat_id INTEGER NOT NULL,"
       "  month TEXT NOT NULL,"
       "  bytes INTEGER NOT NULL,"
       "  built_at_us INTEGER NOT NULL,"
       "  supersedes TEXT,"
       "  state TEXT NOT NULL DEFAULT 'built' CHECK (state IN ('built','delivered','refused')),"
       "  acta_ids TEXT NOT NULL,"
       "  answer_blob_id TEXT,"
       "  answered_at_us INTEGER,"
       "  refusal_json TEXT"
       ");"
       "CREATE INDEX delivery_packages_month ON delivery_packages(secretariat_id, month, built_at_us);"},
      // SQLite cannot widen a CHECK: the table is rebuilt, rows and rowid order kept.
      {2, "packages awaiting a co-signature, packages sent by e-mail",
       "CREATE TABLE delivery_packages_v2 ("
       "  sha256 TEXT PRIMARY KEY,"
       "  secretariat_id INTEGER NOT NULL,"
       "  month TEXT NOT NULL,"
       "  bytes INTEGER NOT NULL,"
       "  built_at_us INTEGER NOT NULL,"
       "  supersedes TEXT,"
       "  state TEXT NOT NULL DEFAULT 'built' CHECK (state IN "
       "    ('built','delivered','refused','awaiting_cosignature','sent')),"
       "  acta_ids TEXT NOT NULL,"
       "  answer_blob_id TEXT,"
       "  answered_at_us INTEGER,"
       "  refusal_json TEXT,"
       "  cosigner TEXT CHECK (cosigner IS NULL OR cosigner IN ('garante','facilitator'))"
       ");"
       "INSERT INTO delivery_packages_v2 (rowid, sha256, secretariat_id, month, bytes, built_at_us, supersedes, "
       "  state, acta_ids, answer_blob_id, answered_at_us, refusal_json) "
       "  SELECT rowid, sha256, secretariat_id, month, bytes, built_at_us, supersedes, state, acta_ids, "
       "  answer_blob_id, answered_at_us, refusal_json FROM delivery_packages;"
       "DROP TABLE delivery_packages;"
       "ALTER TABLE delivery_packages_v2 RENAME TO delivery_packages;"
       "CREATE INDEX delivery_packages_month ON delivery_packages(secretariat_id, month, built_at_us);"},
      // Drafts withdrawn when the co-signer setting changes, and the co-signer's name.
      {3, "withdrawn drafts, the co-signer's name",
       "CREATE TABLE delivery_packages_v3 ("
       "  sha256 TEXT PRIMARY KEY,"
       "  secretariat_id INTEGER NOT NULL,"
       "  month TEXT NOT NULL,"
       "  bytes INTEGER NOT NULL,"
       "  built_at_us INTEGER NOT NULL,"
       "  supersedes TEXT,"
       "  state TEXT NOT NULL DEFAULT 'built' CHECK (state IN "
       "    ('built','delivered','refused','awaiting_cosignature','sent','withdrawn')),"
       "  acta_ids TEXT NOT NULL,"
       "  answer_blob_id TEXT,"
       "  answered_at_us INTEGER,"
       "  refusal_json TEXT,"
       "  cosigner TEXT CHECK (cosigner IS NULL OR cosigner IN ('garante','facilitator')),"
       "  cosigner_name TEXT,"
       "  replaced_by TEXT"
       ");"
       "INSERT INTO delivery_packages_v3 (rowid, sha256, secretariat_id, month, bytes, built_at_us, supersedes, "
       "  state, acta_ids, answer_blob_id, answered_at_us, refusal_json, cosigner) "
       "  SELECT rowid, sha256, secretariat_id, month, bytes, built_at_us, supersedes, state, acta_ids, "
       "  answer_blob_id, answered_at_us, refusal_json, cosigner FROM delivery_packages;"
       "DROP TABLE delivery_packages;"
       "ALTER TABLE delivery_packages_v3 RENAME TO delivery_packages;"
       "CREATE INDEX delivery_packages_month ON delivery_packages(secretariat_id, month, built_at_us);"
       "CREATE INDEX delivery_packages_drafts ON delivery_packages(secretariat_id) "
       "  WHERE state = 'awaiting_cosignature';"},
  };
  return kMigrations;
}

std::string_view PackageStateName(PackageState s) {
  switch (s) {
    case PackageState::kBuilt:
      return "built";
    case PackageState::kDelivered:
      return "delivered";
    case PackageState::kRefused:
      return "refused";
    case PackageState::kAwaitingCosignature:
      return "awaiting_cosignature";
    case PackageState::kSent:
      return "sent";
    case PackageState::kWithdrawn:
      return "withdrawn";
  }
  return "built";
}

namespace {

std::string FormatYmd(year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::string FormatYm(year_month ym) { return FormatYmd(ym / 1).substr(0, 7); }

Status NotAwaiting(const std::string& sha256) {
  return Status::Error(ErrorKind::kConflict, "delivery.not_awaiting_cosignature",
                       "package " + sha256 + " is not awaiting a co-signature",
                       "Ese paquete no está en espera de cofirma (ya se selló o no la requiere).");
}

PackageState StateFrom(const std::string& s) {
  if (s == "delivered") return PackageState::kDelivered;
  if (s == "refused") return PackageState::kRefused;
  if (s == "awaiting_cosignature") return PackageState::kAwaitingCosignature;
  if (s == "sent") return PackageState::kSent;
  if (s == "withdrawn") return PackageState::kWithdrawn;
  return PackageState::kBuilt;
}

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

std::vector<int64_t> SplitIds(const std::string& s) {
  std::vector<int64_t> ids;
  size_t start = 0;
  while (start < s.size()) {
    size_t comma = s.find(',', start);
    ids.push_back(std::stoll(s.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return ids;
}

constexpr const char* kColumns =
    "SELECT sha256, secretariat_id, month, bytes, built_at_us, supersedes, state, acta_ids, "
    "answer_blob_id, answered_at_us, refusal_json, cosigner, cosigner_name, replaced_by FROM delivery_packages ";

PackageRecord ReadRow(const store::Statement& st) {
  PackageRecord r;
  r.sha256 = st.ColumnText(0);
  r.secretariat_id = st.ColumnInt(1);
  r.month = st.ColumnText(2);
  r.bytes = static_cast<uint64_t>(st.ColumnInt(3));
  r.built_at = FromUnixMicros(st.ColumnInt(4));
  r.supersedes = st.ColumnOptionalText(5).value_or("");
  r.state = StateFrom(st.ColumnText(6));
  r.acta_ids = SplitIds(st.ColumnText(7));
  r.receipt_blob_id = st.ColumnOptionalText(8).value_or("");
  if (!st.ColumnIsNull(9)) r.answered_at = FromUnixMicros(st.ColumnInt(9));
  r.refusal_json = st.ColumnOptionalText(10).value_or("");
  r.cosigner = st.ColumnOptionalText(11).value_or("");
  r.cosigner_name = st.ColumnOptionalText(12).value_or("");
  r.replaced_by = st.ColumnOptionalText(13).value_or("");
  return r;
}

Result<std::vector<PackageRecord>> ReadRows(store::Statement& st) {
  std::vector<PackageRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadRow(st));
  }
  return out;
}

}  // namespace

Status DraftWithdrawn(const PackageRecord& draft) {
  return Status::Error(ErrorKind::kConflict, "delivery.draft_withdrawn",
                       "draft " + draft.sha256 + " was withdrawn (the co-signer setting changed); its replacement is " +
                           draft.replaced_by,
                       "Ese borrador se retiró porque cambió quién cofirma el paquete; el paquete vigente es " +
                           draft.replaced_by + ".");
}

std::string PackageFileName(int64_t secretariat_id, const std::string& month) {
  return "paquete-" + std::to_string(secretariat_id) + "-" + month + ".zip";
}

Result<year_month> ParseMonth(const std::string& text) {
  int y = 0;
  unsigned m = 0;
  char tail = 0;
  if (text.size() != 7 || std::sscanf(text.c_str(), "%4d-%2u%c", &y, &m, &tail) != 2 || m < 1 || m > 12 ||
      y < 2000 || y > 2200) {
    return Status::Error(ErrorKind::kInvalidArgument, "delivery.bad_month", "month '" + text + "' is not YYYY-MM",
                         "El mes debe escribirse como AAAA-MM.");
  }
  return year{y} / month{m};
}

Result<PackageRecord> Packages::Build(int64_t secretariat_id, year_month ym, std::string_view actor,
                                      const std::string& withdraws) {
  ASSIGN_OR_RETURN(workflows::SecretariatRecord sec, wf_.secretariats().Get(secretariat_id));
  ASSIGN_OR_RETURN(std::vector<workflows::Obligation> due, wf_.deliveries().ForMonth(secretariat_id, ym));
  const std::string month = FormatYm(ym);
  const year_month_day last = ym / std::chrono::last;

  Manifest m;
  m.secretariat_id = secretariat_id;
  m.secretariat_name = sec.config.name;
  m.month = month;
  m.due_on = FormatYmd(last);
  m.time_zone = sec.config.time_zone;
  m.generated_at = FormatRfc3339Utc(clock_.Now());
  {
    auto agency = wf_.secretariats().AgencyOn(secretariat_id, last);
    m.agency = agency.ok() ? agency->name : "(sin órgano receptor configurado)";
  }
  ASSIGN_OR_RETURN(std::vector<PackageRecord> earlier, ForMonth(secretariat_id, month));
  for (const PackageRecord& e : earlier) {
    // Drafts (awaiting or withdrawn) were never sent.
    if (e.state != PackageState::kAwaitingCosignature && e.state != PackageState::kWithdrawn) m.supersedes = e.sha256;
  }
  if (sec.config.package_cosigner) m.cosigner = std::string(workflows::OfficerName(*sec.config.package_cosigner));

  std::vector<ZipEntry> entries;
  std::vector<int64_t> acta_ids;
  for (const workflows::Obligation& o : due) {
    std::optional<workflows::ActaRecord> acta;
    if (o.acta_id) {
      ASSIGN_OR_RETURN(workflows::ActaRecord a, wf_.actas().Get(*o.acta_id));
      acta = std::move(a);
    }
    const bool sendable = acta && !acta->archived_blob_id.empty() &&
                          (acta->state == workflows::ActaState::kArchived ||
                           acta->state == workflows::ActaState::kDelivered);
    if (!sendable) {
      ManifestPending p;
      p.acta_id = o.acta_id;
      p.session_id = o.session_id;
      p.date = FormatYmd(o.acta_date);
      p.late = o.status == workflows::ObligationStatus::kLate;
      p.title = o.title.empty() ? "(sin título)" : o.title;
      p.reasons = o.reasons.empty() ? std::vector<std::string>{"not_archived"} : o.reasons;
      p.explanation_es = o.explanation_es.empty() ? "Pendiente." : o.explanation_es;
      m.pending.push_back(std::move(p));
      continue;
    }
    ManifestActa ma;
    ma.id = acta->id;
    ma.folio = acta->folio.empty() ? "acta-" + std::to_string(acta->id) : acta->folio;
    ma.kind = std::string(workflows::ActaKindName(acta->kind));
    ma.date = FormatYmd(acta->acta_date);
    ma.session_id = acta->session_id;
    ma.state = std::string(workflows::ActaStateName(acta->state));
    ma.title = acta->title.empty() ? ma.folio : acta->title;
    for (const workflows::RequiredSigner& s : acta->signers) {
      auto person = wf_.people().GetPerson(s.person_id);
      ma.signers.push_back({person.ok() ? person->full_name : "persona " + std::to_string(s.person_id),
                            s.capacity});
    }
    ASSIGN_OR_RETURN(std::string sealed, blobs_.Get(acta->archived_blob_id));
    const std::string base = "actas/" + ma.folio;
    ma.files.push_back({base + ".pdf", kRoleSealedActa, Sha256Hex(sealed), sealed.size()});
    entries.push_back({base + ".pdf", std::move(sealed)});
    std::optional<std::string> copy;
    if (copies_ != nullptr) {
      ASSIGN_OR_RETURN(copy, copies_->CertifiedCopy(*acta));
    }
    if (copy) {
      ma.files.push_back({base + ".copia-certificada.zip", kRoleCertifiedCopy, Sha256Hex(*copy), copy->size()});
      entries.push_back({base + ".copia-certificada.zip", std::move(*copy)});
    } else {
      ma.note_es = "La copia certificada de esta acta no está disponible en esta instalación; "
                   "se entrega el acta sellada para archivo.";
    }
    acta_ids.push_back(acta->id);
    m.actas.push_back(std::move(ma));
  }
  if (m.actas.empty()) {
    return Status::Error(ErrorKind::kRejected, "delivery.nothing_to_send",
                         "secretariat " + std::to_string(secretariat_id) + " has no archived acta in " + month,
                         "No hay actas archivadas de " + month + " que enviar.");
  }
  const std::string manifest = ManifestXml(m);
  RETURN_IF_ERROR(ValidateManifestSchema(manifest));
  if (m.cosigner.empty()) {
    ASSIGN_OR_RETURN(keys::SigningKey seal, ca_.UnlockSealKey());
    ASSIGN_OR_RETURN(std::string signed_manifest,
                     xml::SignEnveloped(manifest, seal, ca_.seal_certificate(), ca_.Chain(), &tsa_));
    entries.insert(entries.begin(), ZipEntry{kManifestEntry, std::move(signed_manifest)});
  } else {
    // A draft: the manifest unsigned until the co-signer's device signs it.
    entries.insert(entries.begin(), ZipEntry{kManifestEntry, manifest});
  }
  ASSIGN_OR_RETURN(std::string zip, WriteZip(entries));
  ASSIGN_OR_RETURN(std::string id, blobs_.Put(zip));

  PackageRecord r;
  r.sha256 = id;
  r.secretariat_id = secretariat_id;
  r.month = month;
  r.bytes = zip.size();
  r.built_at = clock_.Now();
  r.supersedes = m.supersedes;
  r.acta_ids = acta_ids;
  r.cosigner = m.cosigner;
  if (!m.cosigner.empty()) r.state = PackageState::kAwaitingCosignature;
  ASSIGN_OR_RETURN(store::Transaction tx, db_.Begin());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("INSERT INTO delivery_packages (sha256, secretariat_id, month, bytes, built_at_us, "
                              "supersedes, acta_ids, state, cosigner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, r.sha256).Bind(2, r.secretariat_id).Bind(3, r.month).Bind(4, static_cast<int64_t>(r.bytes));
  st.Bind(5, UnixMicros(r.built_at)).BindOptional(6, r.supersedes.empty() ? std::nullopt : std::optional(r.supersedes));
  st.Bind(7, JoinIds(acta_ids)).Bind(8, PackageStateName(r.state));
  st.BindOptional(9, r.cosigner.empty() ? std::nullopt : std::optional(r.cosigner));
  RETURN_IF_ERROR(st.Run());
  {
    JsonWriter w;
    w.BeginObject().Field("secretariat_id", secretariat_id).Field("month", month);
    w.Field("bytes", static_cast<int64_t>(r.bytes));
    w.IntArray("acta_ids", std::vector<int64_t>(acta_ids.begin(), acta_ids.end())).Key("supersedes");
    if (r.supersedes.empty()) w.Null(); else w.String(r.supersedes);
    if (!r.cosigner.empty()) w.Field("awaiting_cosignature", r.cosigner);
    if (!withdraws.empty()) w.Field("replaces_draft", withdraws);
    const std::string payload = w.EndObject().Take();
    store::AuditLog log(clock_);
    RETURN_IF_ERROR(log.Append(tx, {std::string(actor), "package.build", "package", r.sha256, payload}).status());
  }
  if (!withdraws.empty()) {
    ASSIGN_OR_RETURN(store::Statement wd,
                     tx.Prepare("UPDATE delivery_packages SET state = 'withdrawn', replaced_by = ? "
                                "WHERE sha256 = ? AND secretariat_id = ? AND month = ? "
                                "AND state = 'awaiting_cosignature'"));
    wd.Bind(1, r.sha256).Bind(2, withdraws).Bind(3, secretariat_id).Bind(4, month);
    RETURN_IF_ERROR(wd.Run());
    if (tx.Changes() != 1) return NotAwaiting(withdraws);
    std::string was;
    for (const PackageRecord& e : earlier) {
      if (e.sha256 == withdraws) was = e.cosigner;
    }
    JsonWriter w;
    w.BeginObject().Field("replaced_by", r.sha256).Field("cosigner_now", r.cosigner.empty() ? "none" : r.cosigner);
    w.Field("cosigner_was", was).Field("secretariat_id", secretariat_id).Field("month", month);
    const std::string payload = w.EndObject().Take();
    store::AuditLog log(clock_);
    RETURN_IF_ERROR(log.Append(tx, {std::string(actor), "package.withdraw", "package", withdraws, payload}).status());
  }
  RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<CoSignaturePreparation> Packages::PrepareCoSignature(const std::string& draft_sha256,
                                                            const keys::Certificate& cert,
                                                            const std::vector<keys::Certificate>& chain) const {
  ASSIGN_OR_RETURN(PackageRecord draft, Get(draft_sha256));
  if (draft.state != PackageState::kAwaitingCosignature) return NotAwaiting(draft_sha256);
  ASSIGN_OR_RETURN(std::string zip, blobs_.Get(draft_sha256));
  ASSIGN_OR_RETURN(std::vector<ZipEntry> entries, ReadZip(zip));
  const ZipEntry* manifest = nullptr;
  for (const ZipEntry& e : entries) {
    if (e.name == kManifestEntry) manifest = &e;
  }
  if (manifest == nullptr) return Status::Error(ErrorKind::kInternal, "delivery.no_manifest", "draft without manifest");
  ASSIGN_OR_RETURN(signing::XmlCoSignaturePrepared p, signing::PrepareXmlCoSignature(manifest->bytes, cert, chain));
  return CoSignaturePreparation{draft_sha256,           draft.cosigner,          cert.SubjectCommonName(),
                                std::move(p.document),  std::move(p.signature_id), std::move(p.signed_info),
                                std::move(p.digest),    std::move(p.algorithm)};
}

Result<PackageRecord> Packages::FinalizeCoSignature(const CoSignaturePreparation& prep, const std::string& signature,
                                                    std::string_view actor) {
  ASSIGN_OR_RETURN(PackageRecord draft, Get(prep.draft_sha256));
  if (draft.state != PackageState::kAwaitingCosignature) return NotAwaiting(prep.draft_sha256);
  ASSIGN_OR_RETURN(std::string cosigned,
                   signing::CompleteXmlCoSignature(prep.prepared_manifest, prep.signature_id, signature));
  ASSIGN_OR_RETURN(keys::SigningKey seal, ca_.UnlockSealKey());
  ASSIGN_OR_RETURN(std::string sealed, xml::SignEnveloped(cosigned, seal, ca_.seal_certificate(), ca_.Chain(), &tsa_));
  RETURN_IF_ERROR(ValidateManifestSchema(sealed));
  ASSIGN_OR_RETURN(std::string draft_zip, blobs_.Get(prep.draft_sha256));
  ASSIGN_OR_RETURN(std::vector<ZipEntry> entries, ReadZip(draft_zip));
  for (ZipEntry& e : entries) {
    if (e.name == kManifestEntry) e.bytes = sealed;
  }
  ASSIGN_OR_RETURN(std::string zip, WriteZip(entries));
  ASSIGN_OR_RETURN(std::string id, blobs_.Put(zip));
  ASSIGN_OR_RETURN(store::Transaction tx, db_.Begin());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("UPDATE delivery_packages SET sha256 = ?, bytes = ?, state = 'built', cosigner_name = ? "
                              "WHERE sha256 = ? AND state = 'awaiting_cosignature'"));
  st.Bind(1, id).Bind(2, static_cast<int64_t>(zip.size())).Bind(3, prep.cosigner_name).Bind(4, prep.draft_sha256);
  RETURN_IF_ERROR(st.Run());
  if (tx.Changes() != 1) return NotAwaiting(prep.draft_sha256);
  {
    JsonWriter w;
    w.BeginObject().Field("draft", prep.draft_sha256).Field("cosigner", prep.cosigner);
    w.Field("cosigner_name", prep.cosigner_name);
    w.Field("signature_id", prep.signature_id).Field("bytes", static_cast<int64_t>(zip.size()));
    const std::string payload = w.EndObject().Take();
    store::AuditLog log(clock_);
    RETURN_IF_ERROR(log.Append(tx, {std::string(actor), "package.cosign", "package", id, payload}).status());
  }
  RETURN_IF_ERROR(tx.Commit());
  return Get(id);
}

Status Packages::RecordMailed(const std::string& sha256) {
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("UPDATE delivery_packages SET state = 'sent' WHERE sha256 = ? AND state = 'built'"));
    st.Bind(1, sha256);
    return st.Run();
  });
}

Result<PackageRecord> Packages::Get(const std::string& sha256) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare(std::string(kColumns) + "WHERE sha256 = ?"));
  st.Bind(1, sha256);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status::Error(ErrorKind::kNotFound, "delivery.no_package", "no package " + sha256,
                         "No existe ese paquete.");
  }
  return ReadRow(st);
}

Result<std::vector<PackageRecord>> Packages::ForMonth(int64_t secretariat_id, const std::string& month) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  // In the order they were built: rowid, not built_at_us, which is the clock of whichever
  // process built the package (two CLI runs on clocks started at the same instant can
  // stamp a later correction before the package it supersedes).
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare(std::string(kColumns) +
                                                   "WHERE secretariat_id = ? AND month = ? ORDER BY rowid"));
  st.Bind(1, secretariat_id).Bind(2, month);
  return ReadRows(st);
}

Result<std::vector<PackageRecord>> Packages::Drafts(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare(std::string(kColumns) +
                              "WHERE secretariat_id = ? AND state = 'awaiting_cosignature' ORDER BY rowid"));
  st.Bind(1, secretariat_id);
  return ReadRows(st);
}

Result<std::string> Packages::Bytes(const std::string& sha256) const { return blobs_.Get(sha256); }

Status Packages::RecordAnswer(const std::string& sha256, const std::string& answer_xml, bool accepted,
                              const std::string& refusal_json) {
  ASSIGN_OR_RETURN(PackageRecord pkg, Get(sha256));
  ASSIGN_OR_RETURN(std::string answer_id, blobs_.Put(answer_xml));
  {
    ASSIGN_OR_RETURN(store::Transaction tx, db_.Begin());
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("UPDATE delivery_packages SET state = ?, answer_blob_id = ?, answered_at_us = ?, "
                                "refusal_json = ? WHERE sha256 = ?"));
    st.Bind(1, accepted ? "delivered" : "refused").Bind(2, answer_id).Bind(3, UnixMicros(clock_.Now()));
    st.BindOptional(4, accepted ? std::nullopt : std::optional(refusal_json)).Bind(5, sha256);
    RETURN_IF_ERROR(st.Run());
    JsonWriter w;
    w.BeginObject().Field("answer_blob_id", answer_id);
    if (!accepted) w.Key("problems").Raw(refusal_json.empty() ? std::string("[]") : refusal_json);
    const std::string payload = w.EndObject().Take();
    store::AuditLog log(clock_);
    RETURN_IF_ERROR(log.Append(tx, {"system", accepted ? "package.receipt" : "package.refusal", "package", sha256,
                                    payload})
                        .status());
    RETURN_IF_ERROR(tx.Commit());
  }
  if (!accepted) return Status::Ok();
  for (int64_t id : pkg.acta_ids) {
    ASSIGN_OR_RETURN(workflows::ActaRecord a, wf_.actas().Get(id));
    if (a.state != workflows::ActaState::kArchived) continue;  // delivered before (a correction)
    RETURN_IF_ERROR(wf_.actas().MarkDelivered(workflows::Actor::Administrator(), id, answer_id));
  }
  return Status::Ok();
}

Status Packages::RecordDeliveryDead(const std::string& sha256, int attempts, const std::string& last_error) {
  const std::string payload =
      JsonWriter().BeginObject().Field("attempts", attempts).Field("last_error", last_error).EndObject().Take();
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Status {
    store::AuditLog log(clock_);
    return log.Append(tx, {"system", "package.delivery_dead", "package", sha256, payload}).status();
  });
}

Status Packages::RecordQueued(store::Transaction& tx, const std::string& sha256, std::string_view actor,
                              const std::string& destination, bool again) const {
  const std::string payload =
      JsonWriter().BeginObject().Field("destination", destination).Field("again", again).EndObject().Take();
  store::AuditLog log(clock_);
  return log.Append(tx, {std::string(actor), "package.send", "package", sha256, payload}).status();
}

}  // namespace rubrica::delivery
