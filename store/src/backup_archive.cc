#include "rubrica/store/backup_archive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::store {

namespace {

constexpr size_t kBlock = 512;
constexpr uint64_t kMaxEntryBytes = 077777777777ull;  // 11 octal digits
constexpr size_t kPiece = 1 << 16;

Status BadArchive(const std::string& message) {
  return Status::Error(ErrorKind::kDataLoss, "backup.bad_archive", message,
                       "La copia de seguridad está dañada o no es una copia de Rúbrica.");
}

std::string DirOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// Reads up to `want` bytes; fewer only at the end of the file.
Result<size_t> ReadSome(int fd, char* buf, size_t want, const std::string& path) {
  size_t got = 0;
  while (got < want) {
    ssize_t n = ::read(fd, buf + got, want - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("read", path, errno);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  return got;
}

void PutOctal(char* field, size_t width, uint64_t value) {
  // width-1 zero-padded digits and a NUL.
  for (size_t i = width - 1; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  field[width - 1] = '\0';
}

// Octal digits, then NULs or spaces to the end of the field.
bool ParseOctal(const char* field, size_t width, uint64_t& value) {
  value = 0;
  size_t i = 0;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i) value = value * 8 + (field[i] - '0');
  if (i == 0) return false;
  for (; i < width; ++i) {
    if (field[i] != '\0' && field[i] != ' ') return false;
  }
  return true;
}

uint64_t HeaderChecksum(const char* h) {
  uint64_t sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
  }
  return sum;
}

std::string Header(const std::string& name, uint64_t size, int64_t mtime) {
  std::string h(kBlock, '\0');
  std::memcpy(&h[0], name.data(), name.size());
  PutOctal(&h[100], 8, 0600);
  PutOctal(&h[108], 8, 0);
  PutOctal(&h[116], 8, 0);
  PutOctal(&h[124], 12, size);
  PutOctal(&h[136], 12, static_cast<uint64_t>(mtime < 0 ? 0 : mtime));
  h[156] = '0';
  std::memcpy(&h[257], "ustar\0" "00", 8);
  PutOctal(&h[148], 7, HeaderChecksum(h.data()));
  h[155] = ' ';
  return h;
}

size_t PaddingFor(uint64_t size) { return static_cast<size_t>((kBlock - size % kBlock) % kBlock); }

bool AllZero(std::string_view bytes) {
  for (char c : bytes) {
    if (c != '\0') return false;
  }
  return true;
}

}  // namespace

bool IsSafeArchiveName(std::string_view name) {
  if (name.empty() || name.size() > 100 || name.front() == '/') return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    if (slash == std::string_view::npos) slash = name.size();
    std::string_view part = name.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = slash + 1;
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') return false;
  }
  return true;
}

struct ArchiveWriter::Impl {
  std::string path;
  std::string temp;
  int fd = -1;
  int64_t mtime = 0;
  bool spent = false;
  std::vector<ArchiveEntry> entries;
  std::set<std::string> names;

  ~Impl() {
    if (fd >= 0) ::close(fd);
    if (!spent && !temp.empty()) ::unlink(temp.c_str());
  }

  Status CheckName(const std::string& name) {
    if (spent) return Status::Error(ErrorKind::kInternal, "backup.writer_spent", "archive already committed");
    if (!IsSafeArchiveName(name)) {
      return Status::Error(ErrorKind::kInvalidArgument, "backup.bad_entry_name", "unsafe archive entry name '" + name + "'");
    }
    if (!names.insert(name).second) {
      return Status::Error(ErrorKind::kInternal, "backup.duplicate_entry", "entry '" + name + "' written twice");
    }
    return Status::Ok();
  }
};

ArchiveWriter::ArchiveWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ArchiveWriter::ArchiveWriter(ArchiveWriter&&) noexcept = default;
ArchiveWriter::~ArchiveWriter() = default;

Result<ArchiveWriter> ArchiveWriter::Create(const std::string& path, int64_t mtime) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->mtime = mtime;
  impl->temp = DirOf(path) + "/.tmp-" + HexEncode(RandomBytes(8));
  impl->fd = ::open(impl->temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (impl->fd < 0) {
    const int err = errno;
    impl->temp.clear();
    return ErrnoStatus("create", DirOf(path) + "/.tmp-*", err);
  }
  return ArchiveWriter(std::move(impl));
}

const std::vector<ArchiveEntry>& ArchiveWriter::entries() const { return impl_->entries; }

Status ArchiveWriter::Add(const std::string& name, std::string_view data) {
  RETURN_IF_ERROR(impl_->CheckName(name));
  if (data.size() > kMaxEntryBytes) return Status::Error(ErrorKind::kTooLarge, "backup.entry_too_large", "entry '" + name + "' is over 8 GiB");
  RETURN_IF_ERROR(WriteAll(impl_->fd, Header(name, data.size(), impl_->mtime), impl_->temp));
  RETURN_IF_ERROR(WriteAll(impl_->fd, data, impl_->temp));
  RETURN_IF_ERROR(WriteAll(impl_->fd, std::string(PaddingFor(data.size()), '\0'), impl_->temp));
  impl_->entries.push_back({name, data.size(), Sha256Hex(data)});
  return Status::Ok();
}

Status ArchiveWriter::AddFile(const std::string& name, const std::string& source_path) {
  RETURN_IF_ERROR(impl_->CheckName(name));
  int in = ::open(source_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return ErrnoStatus("open", source_path, errno);
  struct stat st;
  if (::fstat(in, &st) != 0) {
    const int err = errno;
    ::close(in);
    return ErrnoStatus("stat", source_path, err);
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  Status s = size > kMaxEntryBytes
                 ? Status::Error(ErrorKind::kTooLarge, "backup.entry_too_large", "'" + source_path + "' is over 8 GiB")
                 : WriteAll(impl_->fd, Header(name, size, impl_->mtime), impl_->temp);
  Sha256Hasher hasher;
  std::string buf(kPiece, '\0');
  uint64_t done = 0;
  while (s.ok() && done < size) {
    auto n = ReadSome(in, buf.data(), static_cast<size_t>(std::min<uint64_t>(kPiece, size - done)), source_path);
    if (!n.ok()) {
      s = n.status();
    } else if (*n == 0) {
      s = Status::Error(ErrorKind::kIoError, "backup.file_changed", "'" + source_path + "' shrank while being archived");
    } else {
      std::string_view piece(buf.data(), *n);
      hasher.Update(piece);
      s = WriteAll(impl_->fd, piece, impl_->temp);
      done += *n;
    }
  }
  ::close(in);
  RETURN_IF_ERROR(s);
  RETURN_IF_ERROR(WriteAll(impl_->fd, std::string(PaddingFor(size), '\0'), impl_->temp));
  impl_->entries.push_back({name, size, HexEncode(hasher.Final())});
  return Status::Ok();
}

Status ArchiveWriter::Commit() {
  if (impl_->spent) return Status::Error(ErrorKind::kInternal, "backup.writer_spent", "archive already committed");
  RETURN_IF_ERROR(WriteAll(impl_->fd, std::string(2 * kBlock, '\0'), impl_->temp));
  if (::fsync(impl_->fd) != 0) return ErrnoStatus("fsync", impl_->temp, errno);
  const int fd = impl_->fd;
  impl_->fd = -1;
  if (::close(fd) != 0) return ErrnoStatus("close", impl_->temp, errno);
  if (::rename(impl_->temp.c_str(), impl_->path.c_str()) != 0) return ErrnoStatus("rename", impl_->path, errno);
  impl_->spent = true;
  const std::string dir = DirOf(impl_->path);
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return ErrnoStatus("open", dir, errno);
  Status s = ::fsync(dfd) == 0 ? Status::Ok() : ErrnoStatus("fsync", dir, errno);
  ::close(dfd);
  return s;
}

Status ReadArchive(const std::string& path, const ArchiveVisitor& visitor) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open", path, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  std::set<std::string> seen;
  std::string previous = "(start of archive)";
  uint64_t offset = 0;
  std::string header(kBlock, '\0');
  std::string buf(kPiece, '\0');
  for (;;) {
    ASSIGN_OR_RETURN(size_t got, ReadSome(fd, header.data(), kBlock, path));
    const std::string where = " at byte " + std::to_string(offset) + " (after entry '" + previous + "')";
    if (got < kBlock) return BadArchive("the archive is truncated" + where);
    if (AllZero(header)) {
      // End of archive: a second zero block, then nothing but zero blocks.
      ASSIGN_OR_RETURN(got, ReadSome(fd, header.data(), kBlock, path));
      if (got < kBlock || !AllZero(header)) return BadArchive("the end-of-archive blocks are damaged" + where);
      for (;;) {
        ASSIGN_OR_RETURN(got, ReadSome(fd, buf.data(), buf.size(), path));
        if (got == 0) return Status::Ok();
        if (!AllZero(std::string_view(buf.data(), got))) return BadArchive("bytes follow the end of the archive" + where);
      }
    }
    uint64_t recorded = 0;
    if (!ParseOctal(&header[148], 8, recorded) || recorded != HeaderChecksum(header.data())) {
      return BadArchive("an entry header is damaged (checksum)" + where);
    }
    const size_t name_len = strnlen(header.data(), 100);
    const std::string name(header.data(), name_len);
    uint64_t size = 0;
    if (std::memcmp(&header[257], "ustar\0" "00", 8) != 0 || (header[156] != '0' && header[156] != '\0') ||
        header[345] != '\0' || !ParseOctal(&header[124], 12, size)) {
      return BadArchive("entry '" + name + "' is not a plain ustar file" + where);
    }
    if (!IsSafeArchiveName(name)) return BadArchive("entry name '" + name + "' is not allowed" + where);
    if (!seen.insert(name).second) return BadArchive("entry '" + name + "' appears twice" + where);
    offset += kBlock;
    if (visitor.begin) RETURN_IF_ERROR(visitor.begin(name, size));
    Sha256Hasher hasher;
    uint64_t left = size;
    while (left > 0) {
      ASSIGN_OR_RETURN(got, ReadSome(fd, buf.data(), static_cast<size_t>(std::min<uint64_t>(kPiece, left)), path));
      if (got == 0) return BadArchive("entry '" + name + "' is truncated at byte " + std::to_string(offset));
      std::string_view piece(buf.data(), got);
      hasher.Update(piece);
      if (visitor.data) RETURN_IF_ERROR(visitor.data(piece));
      left -= got;
      offset += got;
    }
    const size_t pad = PaddingFor(size);
    ASSIGN_OR_RETURN(got, ReadSome(fd, buf.data(), pad, path));
    if (got < pad) return BadArchive("entry '" + name + "' is truncated at byte " + std::to_string(offset));
    if (!AllZero(std::string_view(buf.data(), pad))) {
      return BadArchive("the padding after entry '" + name + "' is damaged at byte " + std::to_string(offset));
    }
    offset += pad;
    if (visitor.end) RETURN_IF_ERROR(visitor.end(ArchiveEntry{name, size, HexEncode(hasher.Final())}));
    previous = name;
  }
}

}  // namespace rubrica::store
