#include "rubrica/store/backup_archive.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::store {
namespace {

using rubrica::testing::RunCommand;
using rubrica::testing::TempDir;

struct Read {
  Status status;
  std::map<std::string, std::string> content;
  std::map<std::string, std::string> hashes;
};

Read ReadAll(const std::string& path) {
  Read r;
  std::string current;
  ArchiveVisitor v;
  v.begin = [&](const std::string& name, uint64_t) {
    current = name;
    r.content[name];
    return Status::Ok();
  };
  v.data = [&](std::string_view piece) {
    r.content[current].append(piece);
    return Status::Ok();
  };
  v.end = [&](const ArchiveEntry& e) {
    r.hashes[e.name] = e.sha256_hex;
    return Status::Ok();
  };
  r.status = ReadArchive(path, v);
  return r;
}

// Three entries: one empty, one of exactly a block, one that needs padding.
std::string WriteSample(const TempDir& dir) {
  const std::string path = dir / "b.tar";
  auto w = ArchiveWriter::Create(path, 1700000000);
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE(w->Add("empty", "").ok());
  EXPECT_TRUE(w->Add("dir/block", std::string(512, 'x')).ok());
  EXPECT_TRUE(WriteFileAtomic(dir / "source.bin", "contenido de un archivo\n").ok());
  EXPECT_TRUE(w->AddFile("blobs/sha256/ab/cd/file", dir / "source.bin").ok());
  EXPECT_TRUE(w->Commit().ok());
  return path;
}

TEST(BackupArchiveTest, RoundTripsEntriesWithTheirHashes) {
  TempDir dir;
  const std::string path = WriteSample(dir);
  Read r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  ASSERT_EQ(r.content.size(), 3u);
  EXPECT_EQ(r.content["empty"], "");
  EXPECT_EQ(r.content["dir/block"], std::string(512, 'x'));
  EXPECT_EQ(r.content["blobs/sha256/ab/cd/file"], "contenido de un archivo\n");
  EXPECT_EQ(r.hashes["blobs/sha256/ab/cd/file"], Sha256Hex("contenido de un archivo\n"));
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(BackupArchiveTest, GnuTarReadsTheArchive) {
  TempDir dir;
  const std::string path = WriteSample(dir);
  auto list = RunCommand({"/usr/bin/tar", "-tf", path});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, "empty\ndir/block\nblobs/sha256/ab/cd/file\n");
  auto cat = RunCommand({"/usr/bin/tar", "-xOf", path, "blobs/sha256/ab/cd/file"});
  ASSERT_EQ(cat.exit_code, 0) << cat.err;
  EXPECT_EQ(cat.out, "contenido de un archivo\n");
}

TEST(BackupArchiveTest, AnUncommittedWriterLeavesNothing) {
  TempDir dir;
  {
    auto w = ArchiveWriter::Create(dir / "b.tar", 0);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->Add("a", "data").ok());
  }
  EXPECT_TRUE(ListFilesRecursive(dir.path()).empty());
}

TEST(BackupArchiveTest, UnsafeNamesAreRefused) {
  for (const std::string& name : std::vector<std::string>{"", "/etc/passwd", "../x", "a/../b", "a//b", "./a", "a/",
                                                         std::string(101, 'n'), "a\nb"}) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(IsSafeArchiveName(name));
  }
  EXPECT_TRUE(IsSafeArchiveName("blobs/sha256/ab/cd/" + std::string(64, 'a')));
}

// Every region of the file: one flipped byte is refused (header, padding, end blocks) or
// changes the hash the reader reports (content), so the manifest check names the entry.
TEST(BackupArchiveTest, AFlippedByteAnywhereIsRefusedOrChangesTheEntryHash) {
  struct Case {
    const char* what;
    size_t offset;
    bool refused;  // else the content hash of `entry` changes
    const char* entry;
    const char* message_part;
  };
  // Layout: [0,512) header "empty"; [512,1024) header "dir/block"; [1024,1536) its content;
  // [1536,2048) header of the file; [2048,2072) content; [2072,2560) padding; then end blocks.
  const Case cases[] = {
      {"name in a header", 1, true, "", "checksum"},
      {"size in a header", 512 + 130, true, "", "checksum"},
      {"content of a block entry", 1024 + 100, false, "dir/block", ""},
      {"content of a padded entry", 2048 + 3, false, "blobs/sha256/ab/cd/file", ""},
      {"padding after an entry", 2072 + 10, true, "", "padding after entry 'blobs/sha256/ab/cd/file'"},
      {"first end block", 2560 + 7, true, "", "checksum"},
      {"second end block", 3072 + 7, true, "", "end-of-archive"},
  };
  TempDir dir;
  const std::string path = WriteSample(dir);
  const std::string good = *ReadFile(path);
  ASSERT_EQ(good.size(), 3584u);
  const Read original = ReadAll(path);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::string bad = good;
    bad[c.offset] = static_cast<char>(bad[c.offset] ^ 0x20);
    const std::string bad_path = dir / "bad.tar";
    ASSERT_TRUE(WriteFileAtomic(bad_path, bad).ok());
    Read r = ReadAll(bad_path);
    if (c.refused) {
      ASSERT_FALSE(r.status.ok());
      EXPECT_EQ(r.status.code(), "backup.bad_archive");
      EXPECT_NE(r.status.message().find(c.message_part), std::string::npos) << r.status.message();
    } else {
      ASSERT_TRUE(r.status.ok()) << r.status.message();
      EXPECT_NE(r.hashes[c.entry], original.hashes.at(c.entry));
      for (const auto& [name, hash] : original.hashes) {
        if (name != c.entry) {
          EXPECT_EQ(r.hashes[name], hash) << name;
        }
      }
    }
  }
}

TEST(BackupArchiveTest, ATruncatedArchiveIsRefused) {
  TempDir dir;
  const std::string good = *ReadFile(WriteSample(dir));
  for (size_t keep : {size_t{0}, size_t{100}, size_t{1024 + 200}, size_t{2560}, size_t{3072}}) {
    SCOPED_TRACE(keep);
    ASSERT_TRUE(WriteFileAtomic(dir / "cut.tar", good.substr(0, keep)).ok());
    Read r = ReadAll(dir / "cut.tar");
    ASSERT_FALSE(r.status.ok());
    EXPECT_EQ(r.status.code(), "backup.bad_archive");
  }
}

TEST(BackupArchiveTest, NonRegularEntriesAndRepeatedNamesAreRefused) {
  TempDir dir;
  // A symbolic link made by GNU tar: not a plain file.
  ASSERT_TRUE(WriteFileAtomic(dir / "target", "x").ok());
  ASSERT_EQ(RunCommand({"/bin/ln", "-s", "/etc/passwd", dir / "link"}).exit_code, 0);
  ASSERT_EQ(RunCommand({"/usr/bin/tar", "--format=ustar", "-C", dir.path(), "-cf", dir / "link.tar", "link"}).exit_code, 0);
  Read r = ReadAll(dir / "link.tar");
  EXPECT_EQ(r.status.code(), "backup.bad_archive");
  EXPECT_NE(r.status.message().find("'link'"), std::string::npos) << r.status.message();
  // The same name twice: GNU tar's entry of one file, repeated.
  ASSERT_EQ(RunCommand({"/usr/bin/tar", "--format=ustar", "-C", dir.path(), "-cf", dir / "once.tar", "target"}).exit_code, 0);
  const std::string once = *ReadFile(dir / "once.tar");
  ASSERT_GE(once.size(), 1024u);
  ASSERT_TRUE(WriteFileAtomic(dir / "twice.tar", once.substr(0, 1024) + once.substr(0, 1024) + std::string(1024, '\0')).ok());
  r = ReadAll(dir / "twice.tar");
  EXPECT_EQ(r.status.code(), "backup.bad_archive");
  EXPECT_NE(r.status.message().find("twice"), std::string::npos) << r.status.message();
}

}  // namespace
}  // namespace rubrica::store
