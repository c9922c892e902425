// The running service: the composition root that builds every collaborator from the
// Config (data directory, clock, logger, ...) and wires the HTTP routes to them.
//
// Lifetime: Service owns everything it builds; the Clock and Logger passed in must outlive
// it. Start() binds the port; Stop() (or destruction) stops serving and waits for requests
// in progress.
#pragma once

#include <memory>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/base/status.h"
#include "rubrica/server/config.h"

namespace rubrica::server {

class Service {
 public:
  static Result<std::unique_ptr<Service>> Create(const Config& config, const Clock& clock,
                                                 Logger& logger);
  ~Service();

  Status Start();
  /// The bound port (useful with listen.port = 0).
  int port() const;
  void Stop();

 private:
  struct Impl;
  explicit Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The version string ("0.1.0 (git abc123)").
std::string VersionString();

}  // namespace rubrica::server
