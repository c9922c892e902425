#include "rubrica/server/verify_sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
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

// An anonymous in-memory file holding `chunks` one after the other, positioned at 0 and
// sealed (neither side can change it once the worker has it), numbered at or above 64 so
// that no source descriptor can be one of the targets (0, 3..10) the worker gets them as.
Result<int> MemFdWith(const char* name, const std::vector<std::string_view>& chunks) {
  auto failed = [name](const char* what) {
    return Status::Error(ErrorKind::kInternal, "server.sandbox_failed",
                         std::string("in-memory file ") + name + ": " + what + ": " + std::strerror(errno));
  };
  const int raw = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (raw < 0) return failed("memfd_create");
  const int fd = fcntl(raw, F_DUPFD_CLOEXEC, 64);
  close(raw);
  if (fd < 0) return failed("fcntl");
  for (std::string_view bytes : chunks) {
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
  }
  if (lseek(fd, 0, SEEK_SET) != 0 ||
      fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    Status s = failed("seal");
    close(fd);
    return s;
  }
  return fd;
}

// The worker's environment: the caller's, with glibc's malloc told to back the heap with
// transparent huge pages (glibc.malloc.hugetlb=1, read by the loader at exec): a package's
// parsed actas fault in 2 MiB at a time instead of 4 KiB, half the page faults and ~9 % of
// a worker's CPU on these machines. Without huge pages on the system it changes nothing.
std::vector<std::string> WorkerEnvironment() {
  static constexpr std::string_view kTunables = "GLIBC_TUNABLES=";
  std::vector<std::string> env;
  std::string tunables = "glibc.malloc.hugetlb=1";
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view var(*e);
    if (var.substr(0, kTunables.size()) == kTunables) {
      tunables = std::string(var.substr(kTunables.size())) + ":" + tunables;  // the caller's first
    } else {
      env.emplace_back(var);
    }
  }
  env.push_back(std::string(kTunables) + tunables);
  return env;
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

namespace {

// What a worker did: its output, and how it ended.
struct WorkerRun {
  bool timed_out = false;  // past the wall-clock limit, or an output over 64 MiB: killed
  int status = 0;          // waitpid's
  std::string output;
};

// Starts `rubrica verify-worker` with the options' limits and anchors (plus `extra_args`),
// `input` (the chunks, in order) as its stdin, and reads its stdout until it ends, killing
// it after `wall_seconds`.
Result<WorkerRun> RunWorker(const VerifySandboxOptions& o, int cpu_seconds, int wall_seconds,
                            const std::vector<std::string>& extra_args, const std::vector<std::string_view>& input) {
  std::vector<std::string> args = {o.worker_binary, "verify-worker",
                                   "--cpu-seconds", std::to_string(cpu_seconds),
                                   "--memory-bytes", std::to_string(o.memory_bytes)};
  for (const auto& t : o.trust_files) args.insert(args.end(), {"--trust", t});
  for (const auto& c : o.crl_files) args.insert(args.end(), {"--crl", c});
  // In-memory CRLs: memfds dup'ed to descriptors 3, 4... of the worker, read as /dev/fd/N.
  if (o.crl_bytes.size() > 8) {
    return Status::Error(ErrorKind::kInvalidArgument, "server.sandbox_failed", "more than 8 in-memory CRLs");
  }
  MemFds memfds;
  for (const std::string& crl : o.crl_bytes) {
    Result<int> fd = MemFdWith("rubrica-crl", {crl});
    if (!fd.ok()) return fd.status();
    memfds.fds.push_back(*fd);
    args.insert(args.end(), {"--crl", "/dev/fd/" + std::to_string(2 + memfds.fds.size())});
  }
  if (o.at) args.insert(args.end(), {"--at", *o.at});
  if (o.require_revocation) args.push_back("--require-revocation");
  if (o.json) args.push_back("--json");
  args.insert(args.end(), extra_args.begin(), extra_args.end());

  // The input is the worker's stdin as a sealed in-memory file: written once here, mapped
  // by the worker (verify_worker.cc), where a socket had both sides copy it through in
  // pieces of its buffer's size, with a wake-up each (~5 % of a worker's CPU for a package).
  // A worker that stops early leaves it unread, and nothing blocks.
  ASSIGN_OR_RETURN(int in_fd, MemFdWith("rubrica-verify-input", input));
  MemFds in_memfd;
  in_memfd.fds.push_back(in_fd);  // closed, like the CRLs', once the worker started
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    return Status::Error(ErrorKind::kInternal, "server.sandbox_failed",
                         std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  for (size_t i = 0; i < memfds.fds.size(); ++i) {
    posix_spawn_file_actions_adddup2(&fa, memfds.fds[i], 3 + static_cast<int>(i));
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = WorkerEnvironment();
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, o.worker_binary.c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  memfds.Close();
  in_memfd.Close();
  close(out_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    return Status::Error(ErrorKind::kInternal, "server.sandbox_failed",
                         "cannot start the verifier worker '" + o.worker_binary + "': " + std::strerror(rc));
  }
  // Drain stdout until the worker closes it, or the wall-clock limit.
  WorkerRun run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wall_seconds);
  int out_fd = out_pipe[0];
  while (out_fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      run.timed_out = true;
      break;
    }
    struct pollfd fds[1] = {{out_fd, POLLIN, 0}};
    if (poll(fds, 1, static_cast<int>(std::min<long>(left, 1000))) < 0 && errno != EINTR) break;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[65536];
      ssize_t r = read(out_fd, buf, sizeof buf);
      if (r > 0) {
        run.output.append(buf, static_cast<size_t>(r));
        if (run.output.size() > (64u << 20)) run.timed_out = true;
      }
      if (r == 0 || run.timed_out) {
        close(out_fd);
        out_fd = -1;
      }
    }
  }
  if (out_fd >= 0) close(out_fd);
  if (run.timed_out) kill(pid, SIGKILL);
  waitpid(pid, &run.status, 0);
  return run;
}

// Why a worker's run gave no (further) verdict: killed at the wall-clock limit, by a signal
// (its CPU or memory limit, a crash), or an abnormal exit.
Status WhyStopped(const WorkerRun& run, int wall_seconds) {
  if (run.timed_out) {
    return Stopped("verify.timeout", "the verifier took longer than " + std::to_string(wall_seconds) + " s",
                   "la verificación tardó más de " + std::to_string(wall_seconds) + " s");
  }
  if (WIFSIGNALED(run.status)) {
    int sig = WTERMSIG(run.status);
    return sig == SIGXCPU ? Stopped("verify.aborted", "the verifier hit its CPU time limit",
                                    "la verificación agotó su tiempo de procesador")
           : sig == SIGKILL ? Stopped("verify.aborted", "the verifier was killed (memory limit?)",
                                      "la verificación fue detenida (¿límite de memoria?)")
                            : Stopped("verify.aborted",
                                      std::string("the verifier crashed (signal ") + strsignal(sig) + ")",
                                      "el verificador terminó de forma anormal");
  }
  int code = WIFEXITED(run.status) ? WEXITSTATUS(run.status) : 2;
  return Stopped("verify.aborted", "the verifier ended abnormally (exit " + std::to_string(code) + ")",
                 "el verificador terminó de forma anormal");
}

}  // namespace

Result<SandboxResult> VerifyInSandbox(std::string_view pdf, const VerifySandboxOptions& o) {
  ASSIGN_OR_RETURN(WorkerRun run, RunWorker(o, o.cpu_seconds, o.wall_seconds, {}, {pdf}));
  SandboxResult result;
  int code = !run.timed_out && WIFEXITED(run.status) ? WEXITSTATUS(run.status) : 2;
  if (run.timed_out || WIFSIGNALED(run.status) || code > 3 || run.output.empty()) {
    result.output = NotProcessedReport(WhyStopped(run, o.wall_seconds), o.json, pdf);
    return result;
  }
  result.exit_code = code;
  result.output = std::move(run.output);
  return result;
}

Result<std::vector<SandboxResult>> VerifyBatchInSandbox(const std::vector<std::string_view>& pdfs,
                                                        const VerifySandboxOptions& o) {
  std::vector<SandboxResult> results(pdfs.size());
  if (pdfs.empty()) return results;
  // stdin: each file as its length (8 bytes, little-endian) and its bytes.
  std::vector<std::string> lengths;
  lengths.reserve(pdfs.size());
  std::vector<std::string_view> input;
  for (std::string_view pdf : pdfs) {
    std::string len(8, '\0');
    for (int i = 0; i < 8; ++i) len[i] = static_cast<char>((uint64_t{pdf.size()} >> (8 * i)) & 0xff);
    lengths.push_back(std::move(len));
  }
  for (size_t i = 0; i < pdfs.size(); ++i) input.insert(input.end(), {lengths[i], pdfs[i]});
  const int n = static_cast<int>(pdfs.size());
  const int wall = o.wall_seconds * n;
  ASSIGN_OR_RETURN(WorkerRun run, RunWorker(o, o.cpu_seconds * n, wall, {"--batch"}, input));
  // stdout: for each file, "<exit> <report length>\n" and the report. A file without a
  // complete answer (the worker stopped) is "could not be processed", like every file after.
  size_t at = 0, answered = 0;
  for (; answered < pdfs.size(); ++answered) {
    const size_t eol = run.output.find('\n', at);
    if (eol == std::string::npos) break;
    int code = -1;
    unsigned long long len = 0;
    if (std::sscanf(run.output.c_str() + at, "%d %llu", &code, &len) != 2 || code < 0 || code > 3 ||
        len > run.output.size() - eol - 1 || len == 0) {
      break;
    }
    results[answered].exit_code = code;
    results[answered].output = run.output.substr(eol + 1, len);
    at = eol + 1 + len;
  }
  if (answered < pdfs.size()) {
    const Status why = WhyStopped(run, wall);
    for (size_t i = answered; i < pdfs.size(); ++i) results[i].output = NotProcessedReport(why, o.json, pdfs[i]);
  }
  return results;
}

}  // namespace rubrica::server
