#include "support/test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace rubrica::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/rubrica-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::string cmd = "chmod -R u+w '" + path_ + "' 2>/dev/null; rm -rf '" + path_ + "'";
  if (std::system(cmd.c_str()) != 0) {
    // Leftover scratch files are not worth failing a test for.
  }
}

std::string SourceDir() {
  const char* s = std::getenv("RUBRICA_SOURCE_DIR");
  return s ? s : RUBRICA_SOURCE_DIR_DEFAULT;
}

std::string RubricaBinary() {
  const char* s = std::getenv("RUBRICA_BINARY");
  return s ? s : RUBRICA_BINARY_DEFAULT;
}

std::string ScreenshotDir(const std::string& name) {
  std::string build = RUBRICA_BINARY_DEFAULT;
  for (int i = 0; i < 2; ++i) build = build.substr(0, build.rfind('/'));
  const std::string dir = build + "/screenshots/" + name;
  RunCommand({"mkdir", "-p", dir});
  return dir;
}

namespace {

// Starts `argv` with stdin from /dev/null, stdout to `out_fd` and stderr to `err_fd`, the
// process environment plus `extra_env`. Returns the posix_spawn error (0 on success).
int Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
          int out_fd, int err_fd, pid_t* pid) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) env_strings.emplace_back(*e);
  for (const auto& e : extra_env) env_strings.push_back(e);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  int rc = posix_spawnp(pid, cargv[0], &fa, nullptr, cargv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  return rc;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extra_env, int timeout_seconds) {
  CommandResult r;
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) return r;
  pid_t pid = 0;
  int rc = Spawn(argv, extra_env, out_pipe[1], err_pipe[1], &pid);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    r.err = std::string("spawn failed: ") + std::strerror(rc);
    return r;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      ::kill(pid, SIGKILL);
      r.err += "\n[timed out]";
      r.timed_out = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left)) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
        ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
        if (n > 0) {
          (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
        } else {
          ::close(fds[i].fd);
          fds[i].fd = -1;
          --open_fds;
        }
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
  int status = 0;
  struct rusage usage {};
  ::wait4(pid, &status, 0, &usage);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  return r;
}

std::vector<std::string> PdfPageTexts(const std::string& path) {
  const CommandResult r = RunCommand({"pdftotext", path, "-"});
  std::vector<std::string> pages;
  if (r.exit_code != 0) return pages;
  size_t from = 0;
  for (size_t at; (at = r.out.find('\f', from)) != std::string::npos; from = at + 1) {
    pages.push_back(r.out.substr(from, at - from));
  }
  if (r.out.find_first_not_of(" \n", from) != std::string::npos) pages.push_back(r.out.substr(from));
  return pages;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (fd_ >= 0) ::close(fd_);
}

bool ChildProcess::Start(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extra_env) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return false;
  pid_t pid = 0;
  int rc = Spawn(argv, extra_env, p[1], p[1], &pid);
  ::close(p[1]);
  if (rc != 0) {
    ::close(p[0]);
    return false;
  }
  pid_ = pid;
  fd_ = p[0];
  return true;
}

bool ChildProcess::ReadSome(int timeout_ms) {
  if (fd_ < 0) return false;
  struct pollfd pfd = {fd_, POLLIN, 0};
  if (::poll(&pfd, 1, timeout_ms) <= 0) return true;  // nothing yet, still open
  char buf[8192];
  ssize_t n = ::read(fd_, buf, sizeof buf);
  if (n <= 0) {
    ::close(fd_);
    fd_ = -1;
    return false;
  }
  output_.append(buf, static_cast<size_t>(n));
  return true;
}

std::string ChildProcess::WaitForLine(const std::string& needle, int timeout_seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  for (;;) {
    size_t nl;
    while ((nl = output_.find('\n', scanned_)) != std::string::npos) {
      std::string line = output_.substr(scanned_, nl - scanned_);
      scanned_ = nl + 1;
      if (line.find(needle) != std::string::npos) return line;
    }
    if (std::chrono::steady_clock::now() > deadline) return "";
    if (!ReadSome(100)) return "";
  }
}

void ChildProcess::Signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

int ChildProcess::Wait(int timeout_seconds) {
  if (pid_ <= 0) return -1;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    if (!ReadSome(50)) {
      ::waitpid(pid_, &status, 0);
      break;
    }
  }
  while (ReadSome(0) && fd_ >= 0) {
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

double ProcessCpuSeconds() {
  struct timespec ts {};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

bool HaveProgram(const std::string& program) {
  std::string cmd = "command -v '" + program + "' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::string JsonField(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  size_t at = json.find(needle);
  if (at == std::string::npos) return "";
  at += needle.size();
  if (at < json.size() && json[at] == '"') return json.substr(at + 1, json.find('"', at + 1) - at - 1);
  return json.substr(at, json.find_first_of(",}", at) - at);
}

bool WaitUntil(const std::function<bool()>& done, int seconds, const std::function<void()>& tick) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    tick();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

std::vector<std::string> SplitFields(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace rubrica::testing
