#include "rubrica/base/logger.h"

#include <cinttypes>
#include <cmath>

#include "rubrica/base/json_writer.h"

namespace rubrica {

Result<LogLevel> ParseLogLevel(std::string_view text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "info") return LogLevel::kInfo;
  if (text == "warn") return LogLevel::kWarn;
  if (text == "error") return LogLevel::kError;
  return Status::Error(ErrorKind::kInvalidArgument, "base.bad_log_level",
                       "log level must be debug, info, warn or error, not '" + std::string(text) +
                           "'");
}

static const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

void JsonLineLogger::Log(LogLevel level, std::string_view event,
                         const std::vector<LogField>& fields) {
  if (level < min_level_) return;
  std::string line = "{\"ts\":";
  AppendJsonString(line, FormatRfc3339UtcMicros(clock_.Now()));
  line += ",\"level\":";
  AppendJsonString(line, LevelName(level));
  line += ",\"event\":";
  AppendJsonString(line, event);
  for (const auto& f : fields) {
    line.push_back(',');
    AppendJsonString(line, f.key);
    line.push_back(':');
    if (auto* s = std::get_if<std::string>(&f.value)) {
      AppendJsonString(line, *s);
    } else if (auto* i = std::get_if<int64_t>(&f.value)) {
      line += std::to_string(*i);
    } else if (auto* d = std::get_if<double>(&f.value)) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", std::isfinite(*d) ? *d : 0.0);
      line += buf;
    } else if (auto* b = std::get_if<bool>(&f.value)) {
      line += *b ? "true" : "false";
    }
  }
  line += "}\n";
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace rubrica
