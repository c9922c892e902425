#include "rubrica/server/verify_sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <vector>

#include "rubrica/base/crypto_util.h"
#include "rubrica/signing/verify_report.h"

extern char** environ;

namespace rubrica::server {

namespace {

Status Stopped(const std::string& code, const std::string& why, const std::string& why_es) {
  return Status::Error(ErrorKind::kTooLarge, code, why, why_es + ".");
}

// The parent's copies of the in-memory files given to a worker, closed once it started
// (or on any early return).
struct MemFds {
  std::vector<int> fds;
  void Close() {
    for (int fd : fds) close(fd);
    fds.clear();
  }
  ~MemFds() { Close(); }
};

// An anonymous in-memory file holding `bytes`, positioned at 0, numbered at or above 64 so
// that no source descriptor can be one of the targets (3..10) the worker gets them as.
Result<int> MemFdWith(std::string_view bytes) {
  auto failed = [](const char* what) {
    return Status::Error(ErrorKind::kInternal, "server.sandbox_failed",
                         std::string("in-memory CRL file: ") + what + ": " + std::strerror(errno));
  };
  const int raw = memfd_create("rubrica-crl", MFD_CLOEXEC);
  if (raw < 0) return failed("memfd_create");
  const int fd = fcntl(raw, F_DUPFD_CLOEXEC, 64);
  close(raw);
  if (fd < 0) return failed("fcntl");
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = failed("write");
      close(fd);
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (lseek(fd, 0, SEEK_SET) != 0) {
    Status s = failed("lseek");
    close(fd);
    return s;
  }
  return fd;
}

}  // namespace

std::string NotProcessedReport(const Status& cause, bool json, std::optional<std::string_view> pdf,
                               uint64_t unread_size) {
  signing::VerifyReport r;
  r.file_size = pdf ? pdf->size() : unread_size;
  if (pdf) r.file_sha256 = Sha256Hex(*pdf);
  r.exit = signing::VerifyExit::kNotProcessed;
  r.error_code = cause.code();
  r.error = cause.message();
  r.verdict = "could not be processed: " + cause.message();
  r.verdict_es = "No se pudo procesar el archivo: " + cause.message_es();
  return json ? signing::ToJson(r) + "\n" : signing::ToText(r);
}

void ApplyWorkerLimits(int cpu_seconds, uint64_t memory_bytes) {
  struct rlimit cpu = {static_cast<rlim_t>(cpu_seconds), static_cast<rlim_t>(cpu_seconds + 1)};
  setrlimit(RLIMIT_CPU, &cpu);
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  setrlimit(RLIMIT_FSIZE, &none);
#if !defined(RUBRICA_SANITIZED)
  struct rlimit mem = {static_cast<rlim_t>(memory_bytes), static_cast<rlim_t>(memory_bytes)};
  setrlimit(RLIMIT_AS, &mem);
#else
  (void)memory_bytes;
#endif
}

Result<SandboxResult> VerifyInSandbox(std::string_view pdf, const VerifySandboxOptions& o) {
  std::vector<std::string> args = {o.worker_binary, "verify-worker",
                                   "--cpu-seconds", std::to_string(o.cpu_seconds),
                                   "--memory-bytes", std::to_string(o.memory_bytes)};
  for (const auto& t : o.trust_files) args.insert(args.end(), {"--trust", t});
  for (const auto& c : o.crl_files) args.insert(args.end(), {"--crl", c});
  // In-memory CRLs: memfds dup'ed to descriptors 3, 4... of the worker, read as /dev/fd/N.
  if (o.crl_bytes.size() > 8) {
    return Status::Error(ErrorKind::kInvalidArgument, "server.sandbox_failed", "more than 8 in-memory CRLs");
  }
  MemFds memfds;
  for (const std::string& crl : o.crl_bytes) {
    Result<int> fd = MemFdWith(crl);
    if (!fd.ok()) return fd.status();
    memfds.fds.push_back(*fd);
    args.insert(args.end(), {"--crl", "/dev/fd/" + std::to_string(2 + memfds.fds.size())});
  }
  if (o.at) args.insert(args.end(), {"--at", *o.at});
  if (o.require_revocation) args.push_back("--require-revocation");
  if (o.json) args.push_back("--json");

  // The input goes through a socket, not a pipe: send() with MSG_NOSIGNAL turns a worker that
  // died before reading everything into EPIPE, where a pipe's write() would kill the
  // caller (the server, or `rubrica verify`) with SIGPIPE.
  int in_sock[2], out_pipe[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_sock) != 0) {
    return Status::Error(ErrorKind::kInternal, "server.sandbox_failed",
                         std::string("socketpair: ") + std::strerror(errno));
  }
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_sock[0]);
    close(in_sock[1]);
    return Status::Error(ErrorKind::kInternal, "server.sandbox_failed",
                         std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_sock[1], 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  for (size_t i = 0; i < memfds.fds.size(); ++i) {
    posix_spawn_file_actions_adddup2(&fa, memfds.fds[i], 3 + static_cast<int>(i));
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, o.worker_binary.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  memfds.Close();
  close(in_sock[1]);
  close(out_pipe[1]);
  if (rc != 0) {
    close(in_sock[0]);
    close(out_pipe[0]);
    return Status::Error(ErrorKind::kInternal, "server.sandbox_failed",
                         "cannot start the verifier worker '" + o.worker_binary + "': " + std::strerror(rc));
  }
  // Feed stdin and drain stdout together, so neither side can block the other.
  fcntl(in_sock[0], F_SETFL, O_NONBLOCK);
  size_t written = 0;
  std::string output;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(o.wall_seconds);
  bool timed_out = false;
  int in_fd = in_sock[0], out_fd = out_pipe[0];
  if (pdf.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  while (out_fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    struct pollfd fds[2];
    int n = 0;
    fds[n++] = {out_fd, POLLIN, 0};
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    if (poll(fds, n, static_cast<int>(std::min<long>(left, 1000))) < 0 && errno != EINTR) break;
    if (n == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = send(in_fd, pdf.data() + written, pdf.size() - written, MSG_NOSIGNAL);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN) written = pdf.size();  // the worker stopped reading
      if (written >= pdf.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[65536];
      ssize_t r = read(out_fd, buf, sizeof buf);
      if (r > 0) {
        output.append(buf, static_cast<size_t>(r));
        if (output.size() > (64u << 20)) timed_out = true;
      }
      if (r == 0 || timed_out) {
        close(out_fd);
        out_fd = -1;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  if (out_fd >= 0) close(out_fd);
  int status = 0;
  if (timed_out) kill(pid, SIGKILL);
  waitpid(pid, &status, 0);

  SandboxResult result;
  if (timed_out) {
    result.output = NotProcessedReport(
        Stopped("verify.timeout", "the verifier took longer than " + std::to_string(o.wall_seconds) + " s",
                "la verificación tardó más de " + std::to_string(o.wall_seconds) + " s"),
        o.json, pdf);
    return result;
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    Status why = sig == SIGXCPU ? Stopped("verify.aborted", "the verifier hit its CPU time limit",
                                          "la verificación agotó su tiempo de procesador")
                 : sig == SIGKILL ? Stopped("verify.aborted", "the verifier was killed (memory limit?)",
                                            "la verificación fue detenida (¿límite de memoria?)")
                                  : Stopped("verify.aborted",
                                            std::string("the verifier crashed (signal ") + strsignal(sig) + ")",
                                            "el verificador terminó de forma anormal");
    result.output = NotProcessedReport(why, o.json, pdf);
    return result;
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 2;
  if (code > 3 || output.empty()) {
    result.output = NotProcessedReport(
        Stopped("verify.aborted", "the verifier ended abnormally (exit " + std::to_string(code) + ")",
                "el verificador terminó de forma anormal"),
        o.json, pdf);
    return result;
  }
  result.exit_code = code;
  result.output = std::move(output);
  return result;
}

}  // namespace rubrica::server
