// `rubrica backup` and `rubrica restore` as real processes, against a data directory the
// real service (on loopback) keeps writing: backups taken while members sign, each restored
// into a new directory, served by a service of its own, which serves the very same PDF
// bytes; damaged backups refused with the entry named; the audit head kept outside catches
// a truncated log.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <thread>

#include "api_world.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

namespace fs = std::filesystem;
using rubrica::testing::CommandResult;
using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;

std::string Line(const std::string& text, const std::string& prefix) {
  size_t at = text.find(prefix);
  if (at == std::string::npos) return "";
  size_t end = text.find('\n', at);
  return text.substr(at + prefix.size(), end == std::string::npos ? std::string::npos : end - at - prefix.size());
}

CommandResult Backup(const std::string& data_dir, const std::string& to) {
  return RunCommand({RubricaBinary(), "backup", "--data-dir", data_dir, "--to", to, "--include-master-secret"});
}

CommandResult Restore(const std::string& archive, const std::string& data_dir) {
  return RunCommand({RubricaBinary(), "restore", archive, "--data-dir", data_dir}, {}, 600);
}

// Every file of `dir` (relative path -> mode).
std::map<std::string, unsigned> Modes(const std::string& dir) {
  std::map<std::string, unsigned> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    struct stat st;
    if (::stat(e.path().c_str(), &st) == 0) out[fs::relative(e.path(), dir).string()] = st.st_mode & 0777;
  }
  return out;
}

// Acta `id`'s revisions on the restored service: each one byte for byte what the original
// service serves under the same id, and the acta's PDF is the newest of them.
void ExpectSameRevisions(ApiWorld& original, ApiWorld& restored, int64_t id) {
  SCOPED_TRACE("acta " + std::to_string(id));
  const std::string a = "/api/actas/" + std::to_string(id);
  Reply list = restored.As("facilitator").Get(a + "/revisions");
  ASSERT_EQ(list.status, 200) << Describe(list);
  const int n = list.Size("revisions");
  ASSERT_GT(n, 0);
  for (int i = 0; i < n; ++i) {
    const std::string blob = list.Str("revisions[" + std::to_string(i) + "].blob_id");
    Reply mine = restored.As("facilitator").Get(a + "/revisions/" + blob);
    Reply theirs = original.As("facilitator").Get(a + "/revisions/" + blob);
    ASSERT_EQ(mine.status, 200) << Describe(mine);
    ASSERT_EQ(theirs.status, 200) << Describe(theirs);
    EXPECT_EQ(mine.body, theirs.body) << blob;
    EXPECT_EQ(Sha256Hex(mine.body), blob);
  }
  Reply pdf = restored.As("facilitator").Get(a + "/pdf");
  ASSERT_EQ(pdf.status, 200) << Describe(pdf);
  Reply acta = restored.As("facilitator").Get(a);
  ASSERT_EQ(acta.status, 200);
  Reply same = original.As("facilitator").Get(a + "/revisions/" + Sha256Hex(pdf.body));
  ASSERT_EQ(same.status, 200) << "the restored acta's PDF is not a revision of the original";
  EXPECT_EQ(same.body, pdf.body);
}

// Two more actas of the world's secretariat to sign beside its minute: installation actas
// (dated the day the terms began), signed by the four members with an account (the absent
// academia titular, who has none, is removed from the signers before approval), approved
// on the minute's approval day. Returns their ids.
std::vector<int64_t> MoreActasInRubric(ApiWorld& w, int count) {
  std::vector<int64_t> ids;
  Client f = w.As("facilitator");
  for (int i = 0; i < count; ++i) {
    const std::string title = "Acta de instalación, ejemplar " + std::to_string(i + 2);
    Reply r = f.Post("/api/secretariats/" + std::to_string(w.secretariat) + "/actas",
                     "{\"kind\":\"installation\",\"acta_date\":\"2026-01-05\",\"title\":" + Q(title) +
                         ",\"content\":" + ApiWorld::MinuteContent(title) + "}");
    EXPECT_EQ(r.status, 201) << Describe(r);
    if (r.status != 201) return ids;
    const int64_t id = r.Int("id");
    const std::string a = "/api/actas/" + std::to_string(id);
    Reply gone = f.Delete(a + "/signers/" + std::to_string(w.person("academia_titular").id));
    EXPECT_EQ(gone.status, 200) << Describe(gone);
    Reply review = f.Post(a + "/review");
    EXPECT_EQ(review.status, 200) << Describe(review);
    Reply approval = f.Post(a + "/approval", w.YesVotes());
    EXPECT_EQ(approval.status, 200) << Describe(approval);
    ids.push_back(id);
  }
  return ids;
}

TEST(BackupRestoreTest, BackupsTakenWhileMembersSignRestoreToServicesThatServeTheSamePdfs) {
  ApiWorld w;
  w.AdvanceTo(Stage::kRubric);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::vector<int64_t> actas = {w.acta};
  for (int64_t id : MoreActasInRubric(w, 2)) actas.push_back(id);
  ASSERT_EQ(actas.size(), 3u);
  TempDir out;

  // Backups one after another, as long as the signers sign: each of the four signers puts
  // a rubric, then a foot signature, on each of the three actas, all actas at once.
  std::atomic<bool> signing{true};
  std::vector<std::string> archives;
  std::vector<std::string> heads;
  std::thread backups([&] {
    for (int i = 0; signing || i < 2; ++i) {
      const std::string to = out / ("during-" + std::to_string(i) + ".tar");
      CommandResult r = Backup(w.data_dir(), to);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      archives.push_back(to);
      heads.push_back(Line(r.out, "Audit head: ").substr(0, 64));
    }
  });
  int signatures = 0;
  for (const std::string kind : {"rubric", "foot-signature"}) {
    std::vector<std::thread> signers;
    const size_t per_acta = w.Signers().size();
    std::vector<Reply> replies(per_acta * actas.size());
    for (size_t i = 0; i < replies.size(); ++i) {
      signers.emplace_back([&, i] {
        const WorldPerson& p = w.person(w.Signers()[i % per_acta]);
        const std::string a = "/api/actas/" + std::to_string(actas[i / per_acta]);
        // As any client: a 503 (api.busy, too many signatures in progress) is tried again
        // after its Retry-After.
        for (int attempt = 0; attempt < 30; ++attempt) {
          replies[i] = w.As(p.key).Post(a + "/" + kind, "{\"pin\":" + Q(p.pin) + "}");
          if (replies[i].status != 503) break;
          std::this_thread::sleep_for(std::chrono::seconds(1));
        }
      });
    }
    for (auto& t : signers) t.join();
    for (const Reply& r : replies) {
      EXPECT_EQ(r.status, 200) << Describe(r);
      if (r.status == 200) ++signatures;
    }
  }
  signing = false;
  backups.join();
  ASSERT_GE(signatures, 20);
  for (int64_t id : actas) {
    Reply r = w.As("garante").Post("/api/actas/" + std::to_string(id) + "/archive");
    ASSERT_EQ(r.status, 200) << Describe(r);
  }
  const std::string final_archive = out / "archived.tar";
  CommandResult last = Backup(w.data_dir(), final_archive);
  ASSERT_EQ(last.exit_code, 0) << last.err;
  archives.push_back(final_archive);
  heads.push_back(Line(last.out, "Audit head: ").substr(0, 64));
  std::cout << archives.size() - 1 << " backups taken while " << signatures << " signatures were made\n";
  ASSERT_GE(archives.size(), 3u);

  // The first backup (taken as the signing began), the last taken during it, and the one
  // of the archived actas.
  for (size_t i : {size_t{0}, archives.size() - 2, archives.size() - 1}) {
    SCOPED_TRACE(archives[i]);
    ApiWorld restored(w, "restored-" + std::to_string(i), [&](const std::string& data_dir) {
      CommandResult r = Restore(archives[i], data_dir);
      ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
      EXPECT_NE(r.out.find("audit chain intact"), std::string::npos) << r.out;
      // Each acta's newest revision (and its sealed copy once archived) went through the verifier.
      const size_t verified_at = r.out.find(" acta PDFs verified");
      ASSERT_NE(verified_at, std::string::npos) << r.out;
      const size_t number_at = r.out.rfind(' ', verified_at - 1) + 1;
      EXPECT_EQ(std::stoi(r.out.substr(number_at, verified_at - number_at)),
                static_cast<int>(actas.size()) * (i == archives.size() - 1 ? 2 : 1))
          << r.out;
      for (const auto& [path, mode] : Modes(data_dir)) {
        EXPECT_EQ(mode, fs::is_directory(data_dir + "/" + path) ? 0700u : 0600u) << path;
      }
      CommandResult audit = RunCommand({RubricaBinary(), "audit", "verify", "--data-dir", data_dir, "--head", heads[i]});
      EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
    });
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    for (int64_t id : actas) {
      ExpectSameRevisions(w, restored, id);
      if (i == archives.size() - 1) {
        Reply acta = restored.As("facilitator").Get("/api/actas/" + std::to_string(id));
        EXPECT_EQ(acta.Str("state"), "archived") << Describe(acta);
      }
    }
  }
}

// A world with a backup and a restore of it, shared by the refusal cases.
class BackupDamageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new ApiWorld();
    world_->AdvanceTo(Stage::kArchived);
    dir_ = new TempDir();
    CommandResult r = Backup(world_->data_dir(), *dir_ / "good.tar");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    head_ = new std::string(Line(r.out, "Audit head: ").substr(0, 64));
  }
  static void TearDownTestSuite() {
    delete head_;
    delete dir_;
    delete world_;
  }
  // The offset of the first content byte of entry `name` in the archive.
  static size_t ContentOffset(const std::string& archive, const std::string& name) {
    for (size_t at = 0; at + 512 <= archive.size(); at += 512) {
      if (archive.compare(at, name.size() + 1, name + '\0') == 0) return at + 512;
    }
    return std::string::npos;
  }
  static ApiWorld* world_;
  static TempDir* dir_;
  static std::string* head_;
};
ApiWorld* BackupDamageTest::world_ = nullptr;
TempDir* BackupDamageTest::dir_ = nullptr;
std::string* BackupDamageTest::head_ = nullptr;

TEST_F(BackupDamageTest, AFlippedByteIsRefusedWithTheEntryNamedAndNothingLeftBehind) {
  const std::string good = *ReadFile(*dir_ / "good.tar");
  // One blob of the archived acta, the database, the manifest, a trust anchor.
  Reply acta = world_->As("facilitator").Get("/api/actas/" + std::to_string(world_->acta));
  ASSERT_EQ(acta.status, 200);
  Reply revisions = world_->As("facilitator").Get("/api/actas/" + std::to_string(world_->acta) + "/revisions");
  const std::string blob = revisions.Str("revisions[0].blob_id");
  ASSERT_EQ(blob.size(), 64u);
  const std::string blob_entry = "blobs/sha256/" + blob.substr(0, 2) + "/" + blob.substr(2, 2) + "/" + blob;
  struct Case {
    std::string entry;
    size_t into;
    std::string named;  // what the error must name
    std::string code;
  };
  const std::vector<Case> cases = {
      {blob_entry, 1000, "'" + blob_entry + "' is damaged", "backup.damaged"},
      {"rubrica.db", 5000, "'rubrica.db' is damaged", "backup.damaged"},
      {"trust/ca.pem", 40, "'trust/ca.pem' is damaged", "backup.damaged"},
      {"MANIFEST", 30, "MANIFEST is damaged", "backup.bad_manifest"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.entry);
    const size_t at = ContentOffset(good, c.entry);
    ASSERT_NE(at, std::string::npos);
    std::string bad = good;
    bad[at + c.into] = static_cast<char>(bad[at + c.into] ^ 0x01);
    TempDir scratch;
    ASSERT_TRUE(WriteFileAtomic(scratch / "bad.tar", bad).ok());
    CommandResult r = Restore(scratch / "bad.tar", scratch / "new");
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(c.named), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[" + c.code + "]"), std::string::npos) << r.err;
    // Nothing left behind: neither the target nor a staging directory.
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(scratch.path())) left.push_back(e.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string>{"bad.tar"});
  }
}

TEST_F(BackupDamageTest, ANonEmptyTargetIsRefusedAndLeftAsItWas) {
  TempDir scratch;
  ASSERT_TRUE(MakeDirs(scratch / "new").ok());
  ASSERT_TRUE(WriteFileAtomic(scratch / "new/keep.txt", "mine").ok());
  CommandResult r = Restore(*dir_ / "good.tar", scratch / "new");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("[backup.target_not_empty]"), std::string::npos) << r.err;
  EXPECT_EQ(Modes(scratch / "new").size(), 1u);
  EXPECT_EQ(*ReadFile(scratch / "new/keep.txt"), "mine");
  // An empty directory is fine.
  ASSERT_TRUE(MakeDirs(scratch / "empty").ok());
  r = Restore(*dir_ / "good.tar", scratch / "empty");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(PathExists(scratch / "empty/rubrica.db"));
  EXPECT_TRUE(PathExists(scratch / "empty/secrets/master.key"));
}

TEST_F(BackupDamageTest, TheHeadKeptOutsideCatchesEntriesRemovedFromTheEnd) {
  TempDir scratch;
  CommandResult r = Restore(*dir_ / "good.tar", scratch / "copy");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string data = scratch / "copy";
  ASSERT_EQ(RunCommand({RubricaBinary(), "audit", "verify", "--data-dir", data, "--head", *head_}).exit_code, 0);
  // Someone with the file removes the last two entries (dropping the guard trigger first).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data + "/rubrica.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_log_no_delete;"
                         "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  // The chain alone still looks intact; against the kept head it does not.
  CommandResult alone = RunCommand({RubricaBinary(), "audit", "verify", "--data-dir", data});
  EXPECT_EQ(alone.exit_code, 0) << alone.out;
  CommandResult kept = RunCommand({RubricaBinary(), "audit", "verify", "--data-dir", data, "--head", *head_});
  EXPECT_EQ(kept.exit_code, 1) << kept.out;
  EXPECT_NE(kept.out.find("truncated"), std::string::npos) << kept.out;
  EXPECT_NE(kept.out.find(*head_), std::string::npos) << kept.out;
}

// Every file under `dir` (relative path -> size), lock files left out.
std::map<std::string, uint64_t> Sizes(const std::string& dir) {
  std::map<std::string, uint64_t> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() != ".lock") {
      out[fs::relative(e.path(), dir).string()] = e.file_size();
    }
  }
  return out;
}

std::string WrittenArchive(const CommandResult& r) {
  const std::string line = Line(r.out, "Backup written: ");
  return line.substr(0, line.find(" ("));
}

TEST_F(BackupDamageTest, ASecondBackupIntoASetWritesAlmostNothingAndRestoresAsTheFullOne) {
  TempDir scratch;
  const std::string set = scratch / "set";
  // An unchanged installation: the service stopped while the backups are taken.
  world_->StopService();
  CommandResult full = Backup(world_->data_dir(), scratch / "full.tar");
  CommandResult first = Backup(world_->data_dir(), set + "/");
  const std::map<std::string, uint64_t> after_first = Sizes(set);
  CommandResult second = Backup(world_->data_dir(), set + "/");
  world_->StartService();
  ASSERT_EQ(full.exit_code, 0) << full.err;
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find(" 0 blobs added"), std::string::npos) << second.out;

  uint64_t first_bytes = 0;
  for (const auto& [path, size] : after_first) first_bytes += size;
  uint64_t second_bytes = 0;
  for (const auto& [path, size] : Sizes(set)) {
    auto was = after_first.find(path);
    if (was == after_first.end()) {
      second_bytes += size;
    } else {
      EXPECT_EQ(was->second, size) << path << " was rewritten";
    }
  }
  std::cout << "first backup into the set: " << first_bytes << " bytes; second: " << second_bytes << " bytes ("
            << 100.0 * static_cast<double>(second_bytes) / static_cast<double>(first_bytes) << " %)\n";
  EXPECT_GT(second_bytes, 0u);
  EXPECT_LT(second_bytes * 20, first_bytes);

  // Restored from the second backup: the very files the full backup restores.
  const std::string archive = WrittenArchive(second);
  ASSERT_EQ(fs::path(archive).parent_path(), fs::path(set)) << second.out;
  CommandResult from_full = Restore(scratch / "full.tar", scratch / "from-full");
  CommandResult from_set = Restore(archive, scratch / "from-set");
  ASSERT_EQ(from_full.exit_code, 0) << from_full.out << from_full.err;
  ASSERT_EQ(from_set.exit_code, 0) << from_set.out << from_set.err;
  EXPECT_EQ(Line(from_set.out, "audit chain intact"), Line(from_full.out, "audit chain intact"));
  const auto full_files = Sizes(scratch / "from-full");
  ASSERT_EQ(Sizes(scratch / "from-set"), full_files);
  for (const auto& [path, size] : full_files) {
    EXPECT_EQ(*ReadFile(scratch / ("from-set/" + path)), *ReadFile(scratch / ("from-full/" + path))) << path;
  }
  for (const auto& [path, mode] : Modes(scratch / "from-set")) {
    EXPECT_EQ(mode, fs::is_directory(scratch / ("from-set/" + path)) ? 0700u : 0600u) << path;
  }

  // A blob the archive names, missing from the set or damaged in it: refused, named.
  std::string blob;
  for (const auto& [path, size] : after_first) {
    if (path.rfind("blobs/", 0) == 0 && size > 100) blob = path;
  }
  ASSERT_FALSE(blob.empty());
  const std::string kept = *ReadFile(set + "/" + blob);
  struct Case {
    std::string what;
    std::function<void()> harm;
    std::string named;
  };
  const std::vector<Case> cases = {
      {"missing", [&] { fs::remove(set + "/" + blob); }, "'" + blob + "' is missing from the backup set"},
      {"damaged",
       [&] {
         std::string bad = kept;
         bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x01);
         fs::remove(set + "/" + blob);
         ASSERT_TRUE(WriteFileAtomic(set + "/" + blob, bad).ok());
       },
       "'" + blob + "' is damaged in the backup set"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    c.harm();
    CommandResult r = Restore(archive, scratch / "refused");
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(c.named), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[backup.damaged]"), std::string::npos) << r.err;
    EXPECT_FALSE(PathExists(scratch / "refused"));
    fs::remove(set + "/" + blob);
    ASSERT_TRUE(WriteFileAtomic(set + "/" + blob, kept).ok());
  }
}

}  // namespace
}  // namespace rubrica::server::testing
