#include <signal.h>

#include <iostream>

#include "commands.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/files.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/service.h"

namespace rubrica::server::cli {

int RunServe(const std::vector<std::string>& argv) {
  for (const std::string& a : argv) {
    if (a == "--agency") return RunAgencyServe(argv);
  }
  ArgSpec spec = CommonSpec();
  spec.valued.insert({"--port", "--host"});
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  std::map<std::string, std::string> extra;
  if (args->Has("--port")) extra["listen.port"] = args->Get("--port");
  if (args->Has("--host")) extra["listen.host"] = args->Get("--host");
  auto config = LoadCliConfig(*args, extra);
  if (!config.ok()) return Fail(config.status());
  // Keys, personal data and the audit log live there: never serve from a directory others
  // can read (exit 2, one line saying how to fix it).
  if (Status private_dir = RequirePrivateDirectory(config->data_dir); !private_dir.ok()) {
    return Fail(private_dir);
  }

  // Block the stop signals before any thread starts, so only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  SystemClock clock;
  JsonLineLogger logger(stdout, clock, *ParseLogLevel(config->log_level));
  auto service = Service::Create(*config, clock, logger);
  if (!service.ok()) return Fail(service.status());
  Status started = (*service)->Start();
  if (!started.ok()) return Fail(started);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  logger.Info("server.stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*service)->Stop();
  return 0;
}

}  // namespace rubrica::server::cli
