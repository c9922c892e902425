#include "rubrica/base/directory_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "rubrica/base/files.h"

namespace rubrica {

Result<DirectoryLock> DirectoryLock::Acquire(const std::string& dir, const std::string& holder,
                                             const std::string& file_name) {
  const std::string path = dir + "/" + file_name;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return ErrnoStatus("open lock file", path, errno);
  DirectoryLock lock(path, fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err != EWOULDBLOCK) return ErrnoStatus("lock", path, err);
    // Who holds it: the first line is its pid, the second what it runs.
    char buf[512] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string text(buf, n > 0 ? static_cast<size_t>(n) : 0);
    const size_t nl = text.find('\n');
    const std::string pid = text.substr(0, nl);
    std::string what = nl == std::string::npos ? "" : text.substr(nl + 1);
    while (!what.empty() && (what.back() == '\n' || what.back() == '\r')) what.pop_back();
    const std::string who = pid.empty() ? std::string("another process")
                                        : "process " + pid + (what.empty() ? "" : " (" + what + ")");
    return Status::Error(ErrorKind::kInvalidArgument, "base.dir_locked",
                         "data directory " + dir + " is in use by " + who +
                             "; only one process may work on it at a time",
                         "El directorio de datos está en uso por otro proceso (" + who + ").");
  }
  ::fchmod(fd, 0600);
  const std::string record = std::to_string(::getpid()) + "\n" + holder + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, record.data(), record.size(), 0) !=
                                     static_cast<ssize_t>(record.size())) {
    return ErrnoStatus("write lock file", path, errno);
  }
  return lock;
}

DirectoryLock::DirectoryLock(DirectoryLock&& o) noexcept : path_(std::move(o.path_)), fd_(o.fd_) {
  o.fd_ = -1;
}

DirectoryLock& DirectoryLock::operator=(DirectoryLock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(o.path_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

DirectoryLock::~DirectoryLock() {
  // Closing the descriptor releases the lock; the file stays (unlinking it would race with
  // a process that just opened it).
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace rubrica
