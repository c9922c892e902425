#include "rubrica/base/files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "rubrica/base/crypto_util.h"

namespace rubrica {

Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  std::string msg = std::string(what) + " '" + path + "': " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT || err == EFBIG) {
    return Status::Error(ErrorKind::kIoError, "base.disk_full", msg,
                         "No hay espacio en disco para guardar el archivo.");
  }
  if (err == ENOENT) return Status::Error(ErrorKind::kNotFound, "base.not_found", msg);
  if (err == EACCES || err == EPERM || err == EROFS) {
    return Status::Error(ErrorKind::kIoError, "base.permission_denied", msg,
                         "El servidor no tiene permiso para escribir en su directorio de datos.");
  }
  return Status::Error(ErrorKind::kIoError, "base.io_error", msg);
}

static std::string DirName(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

static Status WriteAll(int fd, std::string_view data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", path, errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status WriteFileAtomic(const std::string& path, std::string_view data,
                       const AtomicWriteOptions& options) {
  const std::string dir = DirName(path);
  const std::string temp = dir + "/.tmp-" + HexEncode(RandomBytes(8));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.mode);
  if (fd < 0) return ErrnoStatus("create", temp, errno);
  Status s = WriteAll(fd, data, temp);
  if (s.ok() && ::fsync(fd) != 0) s = ErrnoStatus("fsync", temp, errno);
  if (::close(fd) != 0 && s.ok()) s = ErrnoStatus("close", temp, errno);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  if (options.before_rename) options.before_rename(temp);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    return ErrnoStatus("rename", path, err);
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("stat", path, err);
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return Status::Error(ErrorKind::kTooLarge, "base.file_too_large",
                         "file '" + path + "' is " + std::to_string(st.st_size) +
                             " bytes, over the limit of " + std::to_string(max_bytes),
                         "El archivo excede el tamaño permitido.");
  }
  std::string out;
  out.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoStatus("read", path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes) {
      ::close(fd);
      return Status::Error(ErrorKind::kTooLarge, "base.file_too_large",
                           "file '" + path + "' grew past the limit while reading");
    }
  }
  ::close(fd);
  return out;
}

Status MakeDirs(const std::string& path, unsigned mode) {
  if (path.empty()) return Status::Ok();
  std::string cur;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    cur = path.substr(0, pos);
    if (cur.empty()) continue;
    if (::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST) return ErrnoStatus("mkdir", cur, errno);
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
  if (!S_ISDIR(st.st_mode)) {
    return Status::Error(ErrorKind::kIoError, "base.not_a_directory",
                         "'" + path + "' exists and is not a directory");
  }
  return Status::Ok();
}

bool PathExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Status CheckWritableDir(const std::string& dir) {
  RETURN_IF_ERROR(MakeDirs(dir));
  const std::string probe = dir + "/.probe-" + HexEncode(RandomBytes(6));
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("create a file in", dir, errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return Status::Ok();
}

Status RequirePrivateDirectory(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return ErrnoStatus("stat", dir, errno);
  if ((st.st_mode & 077) == 0) return Status::Ok();
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return Status::Error(ErrorKind::kInvalidArgument, "base.dir_not_private",
                       "data directory " + dir + " is open to its group or to others (mode " +
                           mode + "); it holds keys and personal data: run 'chmod 700 " + dir +
                           "' and start again",
                       "El directorio de datos es accesible para otros usuarios del sistema.");
}

Result<int> MakePrivateTree(const std::string& root) {
  int changed = 0;
  std::vector<std::string> pending{root};
  const uid_t me = ::geteuid();
  while (!pending.empty()) {
    const std::string path = pending.back();
    pending.pop_back();
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) continue;  // removed meanwhile
      return ErrnoStatus("stat", path, errno);
    }
    if (S_ISLNK(st.st_mode) || st.st_uid != me) continue;
    if ((st.st_mode & 077) != 0) {
      if (::chmod(path.c_str(), st.st_mode & 07700) != 0) return ErrnoStatus("chmod", path, errno);
      ++changed;
    }
    if (!S_ISDIR(st.st_mode)) continue;
    DIR* h = ::opendir(path.c_str());
    if (h == nullptr) return ErrnoStatus("open directory", path, errno);
    while (struct dirent* e = ::readdir(h)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") pending.push_back(path + "/" + name);
    }
    ::closedir(h);
  }
  return changed;
}

std::vector<std::string> ListFilesRecursive(const std::string& dir) {
  std::vector<std::string> out;
  std::vector<std::string> pending{dir};
  while (!pending.empty()) {
    std::string d = pending.back();
    pending.pop_back();
    DIR* h = ::opendir(d.c_str());
    if (h == nullptr) continue;
    while (struct dirent* e = ::readdir(h)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      std::string p = d + "/" + name;
      struct stat st;
      if (::lstat(p.c_str(), &st) != 0) continue;
      if (S_ISDIR(st.st_mode)) pending.push_back(p);
      else if (S_ISREG(st.st_mode)) out.push_back(p);
    }
    ::closedir(h);
  }
  return out;
}

}  // namespace rubrica
