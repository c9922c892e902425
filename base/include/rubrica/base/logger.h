// Structured logs: one JSON object per line ({"ts":...,"level":...,"event":...,...}).
// A Logger is passed to whoever logs; there is no global logger.
// Log messages and field names are English; never log PINs, passwords or keys.
#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "rubrica/base/clock.h"

namespace rubrica {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

/// Parses "debug", "info", "warn", "error".
Result<LogLevel> ParseLogLevel(std::string_view text);

struct LogField {
  std::string key;
  std::variant<std::string, int64_t, double, bool> value;
  LogField(std::string k, std::string v) : key(std::move(k)), value(std::move(v)) {}
  LogField(std::string k, const char* v) : key(std::move(k)), value(std::string(v)) {}
  LogField(std::string k, std::string_view v) : key(std::move(k)), value(std::string(v)) {}
  LogField(std::string k, int64_t v) : key(std::move(k)), value(v) {}
  LogField(std::string k, int v) : key(std::move(k)), value(int64_t{v}) {}
  LogField(std::string k, uint64_t v) : key(std::move(k)), value(static_cast<int64_t>(v)) {}
  LogField(std::string k, double v) : key(std::move(k)), value(v) {}
  LogField(std::string k, bool v) : key(std::move(k)), value(v) {}
};

class Logger {
 public:
  virtual ~Logger() = default;
  /// Thread-safe.
  virtual void Log(LogLevel level, std::string_view event, const std::vector<LogField>& fields) = 0;

  void Info(std::string_view event, const std::vector<LogField>& fields = {}) {
    Log(LogLevel::kInfo, event, fields);
  }
  void Warn(std::string_view event, const std::vector<LogField>& fields = {}) {
    Log(LogLevel::kWarn, event, fields);
  }
  void Error(std::string_view event, const std::vector<LogField>& fields = {}) {
    Log(LogLevel::kError, event, fields);
  }
  void Debug(std::string_view event, const std::vector<LogField>& fields = {}) {
    Log(LogLevel::kDebug, event, fields);
  }
};

/// Writes JSON lines to a FILE* (not owned), flushing each line.
class JsonLineLogger final : public Logger {
 public:
  JsonLineLogger(std::FILE* out, const Clock& clock, LogLevel min_level = LogLevel::kInfo)
      : out_(out), clock_(clock), min_level_(min_level) {}
  void Log(LogLevel level, std::string_view event, const std::vector<LogField>& fields) override;

 private:
  std::FILE* out_;
  const Clock& clock_;
  LogLevel min_level_;
  std::mutex mu_;
};

/// Discards everything.
class NullLogger final : public Logger {
 public:
  void Log(LogLevel, std::string_view, const std::vector<LogField>&) override {}
};

}  // namespace rubrica
