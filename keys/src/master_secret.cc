#include "rubrica/keys/master_secret.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::keys {

namespace {

constexpr size_t kSecretBytes = 32;

Status BadSecret(const std::string& path, const std::string& why) {
  return Status::Error(ErrorKind::kDataLoss, "keys.bad_master_secret",
                       "master secret file " + path + ": " + why,
                       "El archivo de la clave maestra de la instalación no es válido.");
}

std::string ParentDir(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

std::string DefaultMasterKeyPath(const std::string& data_dir) {
  return data_dir + "/secrets/master.key";
}

Result<std::string> LoadOrCreateMasterSecret(const std::string& path, bool create_if_missing) {
  if (!PathExists(path)) {
    if (!create_if_missing) {
      return Status::Error(ErrorKind::kNotFound, "keys.master_secret_missing",
                           "master secret file " + path + " does not exist",
                           "Falta el archivo de la clave maestra de la instalación.");
    }
    const std::string dir = ParentDir(path);
    RETURN_IF_ERROR(MakeDirs(dir, 0700));
    // MakeDirs leaves an existing directory alone; the secrets directory must not be
    // listable by others even when an operator created it first.
    if (::chmod(dir.c_str(), 0700) != 0) return ErrnoStatus("chmod", dir, errno);
    // Written whole under a temporary name, then linked into place: link() never replaces
    // an existing file, so when two processes initialise at once both end up with the
    // first one's secret (a rename would let the second overwrite a secret already used).
    std::string secret = RandomBytes(kSecretBytes);
    const std::string temp = path + ".new-" + HexEncode(RandomBytes(8));
    AtomicWriteOptions opts;
    opts.mode = 0600;
    Status written = WriteFileAtomic(temp, secret, opts);
    SecureWipe(secret);
    if (!written.ok()) return written;
    const int linked = ::link(temp.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(temp.c_str());
    if (linked != 0 && link_errno != EEXIST) return ErrnoStatus("link", path, link_errno);
    if (int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
  ASSIGN_OR_RETURN(std::string content, ReadFile(path, 4096));
  std::string secret;
  if (content.size() == kSecretBytes) {
    secret = content;
  } else {
    std::string hex = content;
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
    const size_t found = content.size();
    Result<std::string> decoded =
        hex.size() == 2 * kSecretBytes
            ? HexDecode(hex)
            : Result<std::string>(BadSecret(path, "expected 32 raw bytes or 64 hex characters, found " +
                                                      std::to_string(found) + " bytes"));
    SecureWipe(hex);
    if (!decoded.ok()) {
      SecureWipe(content);
      if (decoded.status().code() == "keys.bad_master_secret") return decoded.status();
      return BadSecret(path, "64 characters that are not all hexadecimal");
    }
    secret = std::move(decoded).value();
  }
  SecureWipe(content);
  return secret;
}

}  // namespace rubrica::keys
