#include "rubrica/server/backup.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/directory_lock.h"
#include "rubrica/base/files.h"
#include "rubrica/keys/master_secret.h"
#include "rubrica/server/service.h"
#include "rubrica/server/verify_sandbox.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/backup_archive.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/store/database.h"
#include "rubrica/store/database_snapshot.h"

namespace rubrica::server {

namespace {

namespace fs = std::filesystem;

constexpr const char* kManifestName = "MANIFEST";
// The instance lock file serve/init/demo take (DataDirectory::Open, DirectoryLock).
constexpr const char* kInstanceLockFile = "rubrica.lock";
constexpr const char* kFormatLine = "rubrica-backup 1";
// A backup whose blobs are kept in its set (MANIFEST "blob" lines).
constexpr const char* kSetFormatLine = "rubrica-backup 2";
constexpr const char* kSetArchivePrefix = "rubrica-";
constexpr const char* kSetLockFile = "set.lock";
// A larger database snapshot goes into the set's archive itself (BlobStore's limit).
constexpr uint64_t kMaxSetDatabaseBytes = 256ull << 20;
constexpr uint64_t kMaxManifestBytes = 64u << 20;

Status Damaged(const std::string& code, const std::string& message) {
  return Status::Error(ErrorKind::kDataLoss, code, message,
                       "La copia de seguridad está dañada: no se restauró nada.");
}

std::string Parent(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  if (p.has_filename() == false) p = p.parent_path();
  fs::path parent = p.parent_path();
  return parent.empty() ? "." : parent.string();
}

// A private directory beside `near` (same file system), removed on destruction unless kept.
class ScratchDir {
 public:
  static Result<ScratchDir> Create(const std::string& near, const std::string& tag) {
    std::string tmpl = Parent(near) + "/." + fs::path(near).lexically_normal().filename().string() + "." + tag + "-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) return ErrnoStatus("create directory", tmpl, errno);
    return ScratchDir(tmpl);
  }
  ScratchDir(ScratchDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  ~ScratchDir() {
    if (!path_.empty()) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  const std::string& path() const { return path_; }
  void Keep() { path_.clear(); }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

std::string BlobEntryName(const std::string& id) {
  return "blobs/sha256/" + id.substr(0, 2) + "/" + id.substr(2, 2) + "/" + id;
}

std::string ManifestText(const store::ArchiveWriter& writer, const std::vector<store::ArchiveEntry>& in_set,
                         const BackupSummary& s, const Clock& clock, bool with_secret, bool set) {
  std::string m = std::string(set ? kSetFormatLine : kFormatLine) + "\n";
  m += "created " + FormatRfc3339Utc(clock.Now()) + "\n";
  m += "version " + VersionString() + "\n";
  m += "audit-entries " + std::to_string(s.audit_entries) + "\n";
  m += "audit-head " + (s.audit_head.empty() ? std::string("-") : s.audit_head) + "\n";
  m += std::string("master-secret ") + (with_secret ? "included" : "absent") + "\n";
  for (const auto& e : writer.entries()) {
    m += "entry " + e.sha256_hex + " " + std::to_string(e.size) + " " + e.name + "\n";
  }
  for (const auto& e : in_set) {
    m += "blob " + e.sha256_hex + " " + std::to_string(e.size) + " " + e.name + "\n";
  }
  m += "manifest-sha256 " + Sha256Hex(m) + "\n";
  return m;
}

// The names a backup may hold, and where each goes.
bool IsExpectedEntry(const std::string& name) {
  if (name == kManifestName || name == "rubrica.db" || name == "rubrica.conf" || name == "secrets/master.key") return true;
  if (name.rfind("trust/", 0) == 0) return true;
  if (name.rfind("blobs/sha256/", 0) == 0) {
    const std::string id = fs::path(name).filename().string();
    return store::IsBlobId(id) && name == BlobEntryName(id);
  }
  return false;
}

struct Manifest {
  int64_t audit_entries = 0;
  std::string audit_head;
  std::map<std::string, store::ArchiveEntry> entries;
  std::map<std::string, store::ArchiveEntry> in_set;  // blobs kept in the backup set
};

Result<Manifest> ParseManifest(const std::string& text) {
  auto bad = [](const std::string& why) { return Damaged("backup.bad_manifest", "the MANIFEST " + why); };
  const size_t last = text.rfind("manifest-sha256 ");
  if (last == std::string::npos || (last > 0 && text[last - 1] != '\n')) return bad("has no manifest-sha256 line");
  const std::string body = text.substr(0, last);
  if (text.substr(last) != "manifest-sha256 " + Sha256Hex(body) + "\n") return bad("is damaged (its own hash does not match)");
  Manifest m;
  std::istringstream lines(body);
  std::string line;
  std::getline(lines, line);
  if (line != kFormatLine && line != kSetFormatLine) {
    return bad("is not of a known format ('" + line.substr(0, 40) + "')");
  }
  const bool set = line == kSetFormatLine;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "audit-entries") {
      words >> m.audit_entries;
    } else if (key == "audit-head") {
      words >> m.audit_head;
      if (m.audit_head == "-") m.audit_head.clear();
    } else if (key == "entry" || (set && key == "blob")) {
      store::ArchiveEntry e;
      words >> e.sha256_hex >> e.size;
      words.get();
      std::getline(words, e.name);
      if (e.sha256_hex.size() != 64 || e.name.empty()) return bad("has a malformed line: " + line.substr(0, 120));
      if (key == "blob" && e.name != "rubrica.db" &&
          (!IsExpectedEntry(e.name) || e.name.rfind("blobs/", 0) != 0 ||
           fs::path(e.name).filename().string() != e.sha256_hex)) {
        return bad("names a blob that is not one: " + line.substr(0, 120));
      }
      (key == "entry" ? m.entries : m.in_set)[e.name] = e;
    }
  }
  return m;
}

}  // namespace

bool IsBackupSet(const std::string& to) {
  std::error_code ec;
  return (!to.empty() && to.back() == '/') || fs::is_directory(to, ec);
}

namespace {

// "2026-12-06T21:00:00Z" -> "20261206T210000Z"
std::string CompactStamp(Instant t) {
  std::string out;
  for (char c : FormatRfc3339Utc(t)) {
    if (c != '-' && c != ':') out += c;
  }
  return out;
}

// A new archive name in the set: rubrica-<time>.tar, or -2, -3... when the second is taken.
std::string NewSetArchivePath(const std::string& set, const Clock& clock) {
  const std::string base = set + "/" + kSetArchivePrefix + CompactStamp(clock.Now());
  std::string path = base + ".tar";
  for (int n = 2; PathExists(path); ++n) path = base + "-" + std::to_string(n) + ".tar";
  return path;
}

uint64_t FileSizeOr0(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(n);
}

}  // namespace

Result<BackupSummary> CreateBackup(const BackupOptions& options, const Clock& clock) {
  const std::string db_path = options.data_dir + "/rubrica.db";
  const bool set = IsBackupSet(options.to);
  std::string set_dir;
  std::optional<store::BlobStore> set_blobs;
  std::optional<DirectoryLock> set_lock;
  BackupSummary summary;
  summary.archive = options.to;
  if (set) {
    set_dir = fs::path(options.to).lexically_normal().string();
    while (set_dir.size() > 1 && set_dir.back() == '/') set_dir.pop_back();
    RETURN_IF_ERROR(MakeDirs(set_dir + "/blobs/sha256", 0700));  // before the store makes it 0755
    // One writer or pruner of a set at a time (PruneBackupSet must not remove a blob a
    // backup being written counts on).
    ASSIGN_OR_RETURN(DirectoryLock lock, DirectoryLock::Acquire(set_dir, "rubrica backup", kSetLockFile));
    set_lock.emplace(std::move(lock));
    ASSIGN_OR_RETURN(store::BlobStore b, store::BlobStore::Open(set_dir + "/blobs"));
    set_blobs.emplace(std::move(b));
    summary.archive = NewSetArchivePath(set_dir, clock);
  }
  ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::Create(summary.archive, "snapshot"));
  const std::string snapshot = scratch.path() + "/rubrica.db";
  RETURN_IF_ERROR(store::SnapshotDatabase(db_path, snapshot).WithContext("backup"));

  {
    ASSIGN_OR_RETURN(auto db, store::Database::Open(snapshot));
    store::AuditLog audit(clock);
    ASSIGN_OR_RETURN(store::AuditVerification v, audit.Verify(*db));
    summary.audit_entries = v.entries_checked;
    summary.audit_head = v.head_hash;
    summary.audit_ok = v.ok;
  }
  ASSIGN_OR_RETURN(store::BlobStore blobs, store::BlobStore::Open(options.data_dir + "/blobs"));
  ASSIGN_OR_RETURN(std::vector<std::string> ids, store::ReferencedBlobIds(snapshot, blobs));

  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
  ASSIGN_OR_RETURN(store::ArchiveWriter writer, store::ArchiveWriter::Create(summary.archive, now));
  std::vector<store::ArchiveEntry> in_set;
  if (set && FileSizeOr0(snapshot) <= kMaxSetDatabaseBytes) {
    // In a set the snapshot is kept by its hash too: an unchanged database is not written again.
    ASSIGN_OR_RETURN(std::string db_bytes, ReadFile(snapshot, kMaxSetDatabaseBytes));
    const std::string sha = Sha256Hex(db_bytes);
    if (!set_blobs->Contains(sha) || FileSizeOr0(set_blobs->PathFor(sha)) != db_bytes.size()) {
      std::error_code ec;
      fs::remove(set_blobs->PathFor(sha), ec);
      RETURN_IF_ERROR(set_blobs->Put(db_bytes).status());
      summary.bytes_written += db_bytes.size();
    }
    in_set.push_back({"rubrica.db", db_bytes.size(), sha});
  } else {
    RETURN_IF_ERROR(writer.AddFile("rubrica.db", snapshot));
  }
  for (const std::string& id : ids) {
    if (set && set_blobs->Contains(id)) {
      // Kept by an earlier backup: named, not copied (nor read). One cut short or changed
      // in size is replaced; other damage is what restore's hash check names.
      const uint64_t size = FileSizeOr0(set_blobs->PathFor(id));
      if (size == FileSizeOr0(blobs.PathFor(id))) {
        in_set.push_back({BlobEntryName(id), size, id});
        continue;
      }
      std::error_code ec;
      fs::remove(set_blobs->PathFor(id), ec);
    }
    ASSIGN_OR_RETURN(std::string bytes, blobs.Get(id));  // re-hashed: a damaged blob stops the backup
    if (set) {
      RETURN_IF_ERROR(set_blobs->Put(bytes).status());
      in_set.push_back({BlobEntryName(id), bytes.size(), id});
      ++summary.blobs_added;
      summary.bytes_written += bytes.size();
    } else {
      RETURN_IF_ERROR(writer.Add(BlobEntryName(id), bytes));
    }
  }
  std::vector<std::string> trust = ListFilesRecursive(options.data_dir + "/trust");
  std::sort(trust.begin(), trust.end());
  for (const std::string& file : trust) {
    const std::string name = "trust/" + fs::relative(file, options.data_dir + "/trust").string();
    if (fs::path(name).filename().string().rfind(".tmp-", 0) == 0) continue;
    RETURN_IF_ERROR(writer.AddFile(name, file));
  }
  if (PathExists(options.data_dir + "/rubrica.conf")) {
    RETURN_IF_ERROR(writer.AddFile("rubrica.conf", options.data_dir + "/rubrica.conf"));
  }
  if (options.include_master_secret) {
    const std::string key_file =
        options.master_key_file.empty() ? keys::DefaultMasterKeyPath(options.data_dir) : options.master_key_file;
    ASSIGN_OR_RETURN(std::string secret, ReadFile(key_file, 4096));
    Status s = writer.Add("secrets/master.key", secret);
    SecureWipe(secret);
    RETURN_IF_ERROR(s);
  }
  summary.blobs = static_cast<int>(ids.size());
  for (const auto& e : writer.entries()) summary.bytes += e.size;
  for (const auto& e : in_set) summary.bytes += e.size;
  summary.entries = static_cast<int>(writer.entries().size() + in_set.size()) + 1;
  RETURN_IF_ERROR(writer.Add(kManifestName,
                             ManifestText(writer, in_set, summary, clock, options.include_master_secret, set)));
  RETURN_IF_ERROR(writer.Commit());
  summary.bytes_written += FileSizeOr0(summary.archive);
  // For the service's metrics (backup age). A read-only data directory only loses that.
  AtomicWriteOptions marker;
  marker.mode = 0600;
  (void)WriteFileAtomic(options.data_dir + "/last-backup",
                        std::to_string(now) + " " + fs::absolute(summary.archive).string() + "\n", marker);
  return summary;
}

Result<PruneSummary> PruneBackupSet(const std::string& set_dir, int keep) {
  ASSIGN_OR_RETURN(DirectoryLock lock, DirectoryLock::Acquire(set_dir, "rubrica backup (pruning)", kSetLockFile));
  std::vector<std::string> archives;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(set_dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.rfind(kSetArchivePrefix, 0) == 0 && e.path().extension() == ".tar") {
      archives.push_back(name);
    }
  }
  if (ec) return ErrnoStatus("list", set_dir, ec.value());
  // Oldest first: by time, then by the -N of a second backup within the same second.
  auto order = [](const std::string& name) {
    const size_t z = name.find('Z');
    const int n = z != std::string::npos && name[z + 1] == '-' ? std::atoi(name.c_str() + z + 2) : 1;
    return std::make_pair(name.substr(0, z), n);
  };
  std::sort(archives.begin(), archives.end(),
            [&](const std::string& a, const std::string& b) { return order(a) < order(b); });
  PruneSummary out;
  const size_t kept_from = archives.size() > static_cast<size_t>(std::max(keep, 1))
                               ? archives.size() - static_cast<size_t>(std::max(keep, 1))
                               : 0;
  // The blobs the kept backups name, read from their manifests (the last entry).
  std::set<std::string> named;
  for (size_t i = kept_from; i < archives.size(); ++i) {
    std::string manifest;
    bool in_manifest = false;
    store::ArchiveVisitor v;
    v.begin = [&](const std::string& name, uint64_t size) {
      in_manifest = name == kManifestName;
      if (in_manifest && size > kMaxManifestBytes) return Damaged("backup.bad_manifest", "the MANIFEST is too large");
      return Status::Ok();
    };
    v.data = [&](std::string_view piece) {
      if (in_manifest) manifest.append(piece);
      return Status::Ok();
    };
    v.end = [](const store::ArchiveEntry&) { return Status::Ok(); };
    RETURN_IF_ERROR(store::ReadArchive(set_dir + "/" + archives[i], v).WithContext(archives[i]));
    ASSIGN_OR_RETURN(Manifest m, ParseManifest(manifest));
    for (const auto& [name, e] : m.in_set) named.insert(e.sha256_hex);
  }
  for (size_t i = 0; i < kept_from; ++i) {
    if (::unlink((set_dir + "/" + archives[i]).c_str()) != 0) return ErrnoStatus("remove", archives[i], errno);
    ++out.archives_removed;
  }
  out.archives_kept = static_cast<int>(archives.size() - kept_from);
  for (const std::string& file : ListFilesRecursive(set_dir + "/blobs/sha256")) {
    const std::string id = fs::path(file).filename().string();
    if (store::IsBlobId(id) && !named.count(id) && ::unlink(file.c_str()) == 0) ++out.blobs_removed;
  }
  return out;
}

namespace {

// Writes each entry into `root` as it streams past, hashing it; keeps the manifest.
class Unpacker {
 public:
  explicit Unpacker(std::string root) : root_(std::move(root)) {}
  ~Unpacker() {
    if (fd_ >= 0) ::close(fd_);
  }

  store::ArchiveVisitor Visitor() {
    store::ArchiveVisitor v;
    v.begin = [this](const std::string& name, uint64_t size) { return Begin(name, size); };
    v.data = [this](std::string_view piece) { return Data(piece); };
    v.end = [this](const store::ArchiveEntry& e) { return End(e); };
    return v;
  }
  const std::vector<store::ArchiveEntry>& entries() const { return entries_; }
  const std::string& manifest() const { return manifest_; }
  bool has_manifest() const { return has_manifest_; }

 private:
  Status Begin(const std::string& name, uint64_t size) {
    if (!IsExpectedEntry(name)) return Damaged("backup.bad_archive", "entry '" + name + "' does not belong in a backup");
    current_ = name;
    if (name == kManifestName) {
      if (size > kMaxManifestBytes) return Damaged("backup.bad_manifest", "the MANIFEST is too large");
      manifest_.clear();
      return Status::Ok();
    }
    const std::string path = root_ + "/" + name;
    RETURN_IF_ERROR(MakeDirs(fs::path(path).parent_path().string(), 0700));
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) return ErrnoStatus("create", path, errno);
    return Status::Ok();
  }
  Status Data(std::string_view piece) {
    if (current_ == kManifestName) {
      manifest_.append(piece);
      return Status::Ok();
    }
    while (!piece.empty()) {
      ssize_t n = ::write(fd_, piece.data(), piece.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return ErrnoStatus("write", root_ + "/" + current_, errno);
      piece.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }
  Status End(const store::ArchiveEntry& e) {
    if (e.name == kManifestName) {
      has_manifest_ = true;
      return Status::Ok();
    }
    Status s = ::fsync(fd_) == 0 ? Status::Ok() : ErrnoStatus("fsync", root_ + "/" + e.name, errno);
    ::close(fd_);
    fd_ = -1;
    entries_.push_back(e);
    return s;
  }

  std::string root_;
  std::string current_;
  int fd_ = -1;
  std::vector<store::ArchiveEntry> entries_;
  std::string manifest_;
  bool has_manifest_ = false;
};

// Every entry against the manifest; all problems named at once.
Status CheckAgainstManifest(const Manifest& m, const std::vector<store::ArchiveEntry>& entries) {
  std::vector<std::string> problems;
  std::map<std::string, bool> found;
  for (const auto& e : entries) {
    auto it = m.entries.find(e.name);
    if (it == m.entries.end()) {
      problems.push_back("'" + e.name + "' is not in the manifest");
    } else {
      found[e.name] = true;
      if (it->second.sha256_hex != e.sha256_hex || it->second.size != e.size) {
        problems.push_back("'" + e.name + "' is damaged (SHA-256 " + e.sha256_hex + ", manifest says " +
                           it->second.sha256_hex + ")");
      }
    }
    if (e.name.rfind("blobs/", 0) == 0 && fs::path(e.name).filename().string() != e.sha256_hex) {
      problems.push_back("'" + e.name + "' does not hash to its name");
    }
  }
  for (const auto& [name, e] : m.entries) {
    if (!found.count(name)) problems.push_back("'" + name + "' is missing");
  }
  if (problems.empty()) return Status::Ok();
  std::string msg = "the backup is damaged: ";
  for (size_t i = 0; i < problems.size(); ++i) msg += (i ? "; " : "") + problems[i];
  return Damaged("backup.damaged", msg);
}

// The blobs (and the database snapshot) a set's backup names, from the set's blobs/ beside
// the archive into `root`, each hashed as it is copied; every missing or damaged one named
// at once.
Status CopyBlobsFromSet(const Manifest& m, const std::string& set_dir, const std::string& root) {
  std::vector<std::string> problems;
  for (const auto& [name, e] : m.in_set) {
    const std::string from = set_dir + "/" + BlobEntryName(e.sha256_hex);
    if (!PathExists(from)) {
      problems.push_back("'" + name + "' is missing from the backup set (" + from + ")");
      continue;
    }
    Result<std::string> bytes = ReadFile(from, 1ull << 30);
    if (!bytes.ok()) {
      problems.push_back("'" + name + "' cannot be read from the backup set: " + bytes.status().message());
      continue;
    }
    const std::string hash = Sha256Hex(*bytes);
    if (hash != e.sha256_hex || bytes->size() != e.size) {
      problems.push_back("'" + name + "' is damaged in the backup set (SHA-256 " + hash + ", manifest says " +
                         e.sha256_hex + ")");
      continue;
    }
    const std::string to = root + "/" + name;
    RETURN_IF_ERROR(MakeDirs(fs::path(to).parent_path().string(), 0700));
    AtomicWriteOptions w;
    w.mode = 0600;
    RETURN_IF_ERROR(WriteFileAtomic(to, *bytes, w));
  }
  if (problems.empty()) return Status::Ok();
  std::string msg = "the backup is damaged: ";
  for (size_t i = 0; i < problems.size(); ++i) msg += (i ? "; " : "") + problems[i];
  return Damaged("backup.damaged", msg);
}

Status CheckAudit(const std::string& db_path, const Manifest& m, const Clock& clock, RestoreSummary& out) {
  ASSIGN_OR_RETURN(auto db, store::Database::Open(db_path));
  store::AuditLog audit(clock);
  ASSIGN_OR_RETURN(store::AuditVerification v, audit.Verify(*db));
  if (!v.ok) {
    return Damaged("backup.audit_mismatch", "the audit chain is broken at entry " + std::to_string(v.first_bad_seq) +
                                                " (" + v.problem + "): " + v.detail);
  }
  if (v.entries_checked != m.audit_entries || v.head_hash != m.audit_head) {
    return Damaged("backup.audit_mismatch", "the audit chain has " + std::to_string(v.entries_checked) + " entries, head " +
                                                v.head_hash + "; the manifest says " + std::to_string(m.audit_entries) +
                                                ", head " + m.audit_head);
  }
  out.audit_entries = v.entries_checked;
  out.audit_head = v.head_hash;
  return Status::Ok();
}

// The current and archived PDF of every acta, through the sandboxed verifier, trusting the
// backup's own anchors: valid (complete or not yet complete) or the restore fails.
Status CheckActas(const std::string& root, const RestoreOptions& options, RestoreSummary& out) {
  std::vector<std::pair<int64_t, std::string>> pdfs;
  {
    ASSIGN_OR_RETURN(auto db, store::Database::Open(root + "/rubrica.db"));
    ASSIGN_OR_RETURN(store::Transaction tx, db->BeginRead());
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT id, current_blob_id, archived_blob_id FROM wf_acta ORDER BY id"));
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      for (int col : {1, 2}) {
        if (!st.ColumnText(col).empty()) pdfs.emplace_back(st.ColumnInt(0), st.ColumnText(col));
      }
    }
  }
  RETURN_IF_ERROR(MakeDirs(root + "/blobs/sha256", 0700));  // before the store makes it 0755
  ASSIGN_OR_RETURN(store::BlobStore blobs, store::BlobStore::Open(root + "/blobs"));
  VerifySandboxOptions vo;
  vo.worker_binary = options.verify_worker_binary;
  vo.json = true;
  if (PathExists(root + "/trust/ca.pem")) vo.trust_files.push_back(root + "/trust/ca.pem");
  for (const std::string& f : ListFilesRecursive(root + "/trust/anchors")) vo.trust_files.push_back(f);
  for (const std::string& f : ListFilesRecursive(root + "/trust/crls")) vo.crl_files.push_back(f);
  for (const auto& [acta, blob] : pdfs) {
    auto pdf = blobs.Get(blob);
    if (!pdf.ok()) {
      return Damaged("backup.acta_invalid", "acta " + std::to_string(acta) + ": its PDF " + blob +
                                                " cannot be read: " + pdf.status().message());
    }
    ASSIGN_OR_RETURN(SandboxResult r, VerifyInSandbox(*pdf, vo));
    if (r.exit_code != 0 && r.exit_code != 3) {
      return Damaged("backup.acta_invalid", "acta " + std::to_string(acta) + ": its PDF " + blob +
                                                " does not verify (exit " + std::to_string(r.exit_code) +
                                                "): " + r.output.substr(0, 600));
    }
    ++out.actas_verified;
  }
  return Status::Ok();
}

// `dir` is absent, or a directory holding nothing but the instance lock file (which a
// restore holds while it works).
Status RequireEmptyOrAbsent(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Status::Ok();
  bool empty = fs::is_directory(dir, ec);
  if (empty) {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().filename() != kInstanceLockFile) empty = false;
    }
  }
  if (!empty) {
    return Status::Error(ErrorKind::kConflict, "backup.target_not_empty",
                         "'" + dir + "' exists and is not an empty directory: restore only into a new one",
                         "La restauración solo se hace en un directorio nuevo o vacío.");
  }
  return Status::Ok();
}

}  // namespace

namespace {

Result<RestoreSummary> RestoreLocked(const RestoreOptions& options, const Clock& clock) {
  RETURN_IF_ERROR(RequireEmptyOrAbsent(options.data_dir));
  ASSIGN_OR_RETURN(ScratchDir staging, ScratchDir::Create(options.data_dir, "restore"));
  const std::string root = staging.path();

  Unpacker unpacker(root);
  RETURN_IF_ERROR(store::ReadArchive(options.archive, unpacker.Visitor()));
  if (!unpacker.has_manifest()) return Damaged("backup.bad_manifest", "the backup has no MANIFEST");
  ASSIGN_OR_RETURN(Manifest manifest, ParseManifest(unpacker.manifest()));
  RETURN_IF_ERROR(CheckAgainstManifest(manifest, unpacker.entries()));
  RETURN_IF_ERROR(CopyBlobsFromSet(manifest, Parent(options.archive), root));
  if (!PathExists(root + "/rubrica.db")) return Damaged("backup.damaged", "the backup holds no rubrica.db");

  RestoreSummary summary;
  summary.entries = static_cast<int>(unpacker.entries().size()) + 1;
  summary.entries += static_cast<int>(manifest.in_set.size());
  summary.blobs += static_cast<int>(manifest.in_set.size());
  for (const auto& e : unpacker.entries()) {
    if (e.name.rfind("blobs/", 0) == 0) ++summary.blobs;
    if (e.name == "secrets/master.key") summary.master_secret_restored = true;
  }
  RETURN_IF_ERROR(store::CheckDatabaseIntegrity(root + "/rubrica.db"));
  RETURN_IF_ERROR(CheckAudit(root + "/rubrica.db", manifest, clock, summary));
  RETURN_IF_ERROR(CheckActas(root, options, summary));

  // Checked: move it into place, entry by entry (the target holds our lock file).
  RETURN_IF_ERROR(RequireEmptyOrAbsent(options.data_dir));
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    if (e.path().filename() == kInstanceLockFile) {
      return Damaged("backup.damaged", "the backup holds a " + std::string(kInstanceLockFile));
    }
  }
  if (ec) return ErrnoStatus("list", root, ec.value());
  for (const auto& e : fs::directory_iterator(root, ec)) {
    const std::string to = options.data_dir + "/" + e.path().filename().string();
    if (::rename(e.path().c_str(), to.c_str()) != 0) return ErrnoStatus("rename", to, errno);
  }
  if (ec) return ErrnoStatus("list", root, ec.value());
  ::chmod(options.data_dir.c_str(), 0700);
  int dfd = ::open(options.data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return summary;
}

}  // namespace

Result<RestoreSummary> RestoreBackup(const RestoreOptions& options, const Clock& clock) {
  if (options.data_dir.empty()) {
    return Status::Error(ErrorKind::kInvalidArgument, "cli.usage", "restore needs --data-dir NEW");
  }
  // The target is locked like serve/init/demo lock theirs (base.dir_locked names a service
  // that holds it), from before the check that it is empty until everything is in place:
  // no service can start on it half-restored. A directory with content and no lock file is
  // refused before any lock file is put in it. A target this restore created is removed
  // again when the restore fails.
  const bool existed = PathExists(options.data_dir);
  if (existed && !PathExists(options.data_dir + "/" + kInstanceLockFile)) {
    RETURN_IF_ERROR(RequireEmptyOrAbsent(options.data_dir));
  }
  RETURN_IF_ERROR(MakeDirs(options.data_dir, 0700));
  Result<DirectoryLock> lock = DirectoryLock::Acquire(options.data_dir, "rubrica restore");
  if (!lock.ok()) return lock.status();
  Result<RestoreSummary> restored = RestoreLocked(options, clock);
  if (!restored.ok() && !existed) {
    std::error_code ec;
    fs::remove(fs::path(options.data_dir) / kInstanceLockFile, ec);
    fs::remove(options.data_dir, ec);
  }
  return restored;
}

}  // namespace rubrica::server
