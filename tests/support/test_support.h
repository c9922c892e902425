// Helpers for tests: scratch directories, the path of the built `rubrica` binary and of the
// source tree, running a command and capturing its output.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace rubrica::testing {

/// A fresh directory under $TMPDIR (or /tmp), removed with its content on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// The source tree root ($RUBRICA_SOURCE_DIR, else the tree this build came from).
std::string SourceDir();
/// The built `rubrica` binary ($RUBRICA_BINARY, else <build>/bin/rubrica).
std::string RubricaBinary();
/// <build>/screenshots/<name> (the build folder of RUBRICA_BINARY_DEFAULT), created when
/// missing: where tests leave page images (pdftoppm) for people to look at.
std::string ScreenshotDir(const std::string& name);

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal or not started
  std::string out;     // stdout
  std::string err;     // stderr
  /// CPU time (user + system) of the process and of the children it waited for
  /// (wait4): the work it did, which, unlike wall time, does not grow with machine load.
  double cpu_seconds = 0;
  /// True when it was killed for passing `timeout_seconds` of wall time.
  bool timed_out = false;
};

/// Runs `argv` (argv[0] is the program path) with optional extra environment entries
/// ("KEY=VALUE"), stdin from /dev/null, and waits at most `timeout_seconds` (wall time:
/// a guard against a hang, then SIGKILL).
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extra_env = {},
                         int timeout_seconds = 120);

/// The text of each page of the PDF at `path`, as pdftotext extracts it (pages split at form
/// feeds); empty when pdftotext fails.
std::vector<std::string> PdfPageTexts(const std::string& path);

/// A child process running in the background, with stdout and stderr captured together.
/// Killed (SIGKILL) on destruction if still running.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Starts `argv`; false when it could not be spawned.
  bool Start(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {});
  /// Reads output until a line contains `needle` (returns that line) or `timeout_seconds`
  /// pass or the output ends (returns "").
  std::string WaitForLine(const std::string& needle, int timeout_seconds = 30);
  /// Sends a signal.
  void Signal(int sig);
  /// Waits for exit, at most `timeout_seconds` (then SIGKILL). Returns the exit code, or -1
  /// when killed by a signal. Reads the remaining output into output().
  int Wait(int timeout_seconds = 30);
  /// Everything read so far.
  const std::string& output() const { return output_; }
  int pid() const { return pid_; }

 private:
  bool ReadSome(int timeout_ms);
  int pid_ = -1;
  int fd_ = -1;
  std::string output_;
  size_t scanned_ = 0;
};

/// CPU time (user + system) this process has used so far, all threads: for bounding the
/// work of an in-process call (take the difference), which, unlike wall time, does not grow
/// when other jobs load the machine.
double ProcessCpuSeconds();

/// True when `program` is found on $PATH.
bool HaveProgram(const std::string& program);

/// The first value of `"key":` in a flat JSON text (a command's one-line output, a log
/// line): a string's content (no unescaping), or a number/boolean/null as written; ""
/// when the key is absent. Not a JSON parser: for reading what a process printed.
std::string JsonField(const std::string& json, const std::string& key);

/// Waits (real time, at most `seconds`) until `done()` holds; between checks (every 200 ms)
/// runs `tick()` (e.g. moves the clock so retries fall due). Returns whether it held.
bool WaitUntil(const std::function<bool()>& done, int seconds, const std::function<void()>& tick = [] {});

/// The fields of `line` between `sep`s (n separators: n + 1 fields, empty ones kept).
std::vector<std::string> SplitFields(const std::string& line, char sep);

}  // namespace rubrica::testing
