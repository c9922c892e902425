#include "smtp_sink.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <sstream>

#include "rubrica/base/files.h"

namespace rubrica::server::testing {

using rubrica::testing::ChildProcess;
using rubrica::testing::CommandResult;
using rubrica::testing::RunCommand;
using rubrica::testing::SourceDir;

std::string Peer(const std::string& script) { return SourceDir() + "/tests/server/peers/" + script; }

int SmtpSink::Start(int port) {
  proc_ = std::make_unique<ChildProcess>();
  std::vector<std::string> argv = {kPython, Peer("smtp_sink.py"), std::to_string(port), dir_};
  argv.insert(argv.end(), options_.begin(), options_.end());
  EXPECT_TRUE(proc_->Start(argv));
  const std::string line = proc_->WaitForLine("ready", 30);
  EXPECT_FALSE(line.empty()) << proc_->output();
  port_ = line.empty() ? 0 : std::stoi(line.substr(line.find("ready") + 6));
  return port_;
}

void SmtpSink::Stop() {
  if (!proc_) return;
  proc_->Signal(SIGTERM);
  proc_->Wait(10);
  proc_.reset();
}

int SmtpSink::Count() const { return static_cast<int>(Files().size()); }

std::vector<std::string> SmtpSink::Files() const {
  std::vector<std::string> out;
  for (const auto& f : ListFilesRecursive(dir_)) {
    if (f.size() > 4 && f.substr(f.size() - 4) == ".eml") out.push_back(f);
  }
  return out;
}

std::vector<std::vector<std::string>> SmtpSink::Parsed() const {
  CommandResult r = RunCommand({kPython, Peer("ics_check.py"), dir_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::vector<std::string>> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    out.push_back(rubrica::testing::SplitFields(line, '|'));
  }
  return out;
}

}  // namespace rubrica::server::testing
