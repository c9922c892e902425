// The agency inbox over HTTPS (Poco's HTTPServer on a SecureServerSocket; the service's own
// front end speaks plain HTTP behind a proxy, the inbox must terminate TLS itself):
//   POST /api/paquetes            body: the ZIP (application/zip, at most max_package_bytes);
//                                 optional Idempotency-Key: its SHA-256 (checked).
//                                 200 + the signed receipt (application/xml) when accepted,
//                                 422 + the signed refusal; a repeat gets the first answer
//                                 with Rubrica-Repeat: true.
//   GET  /api/entregas?mes=YYYY-MM which secretariat delivered what (JSON, Inbox::MonthJson)
//   GET  /healthz
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "agency/inbox.h"
#include "agency/tls_identity.h"
#include "rubrica/base/logger.h"
#include "rubrica/base/status.h"

namespace rubrica::server::agency {

struct InboxServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port
  uint64_t max_package_bytes = 512ull << 20;
  int threads = 4;
  int timeout_seconds = 120;
};

class InboxServer {
 public:
  static Result<std::unique_ptr<InboxServer>> Start(Inbox& inbox, const TlsIdentity& tls,
                                                    const InboxServerOptions& options, Logger& logger);
  ~InboxServer();
  uint16_t port() const;
  void Stop();

 private:
  struct Impl;
  explicit InboxServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rubrica::server::agency
