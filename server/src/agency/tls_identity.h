// The agency inbox's TLS identity: on first start a P-256 TLS CA of its own and a server
// certificate under it for the inbox's host names (SAN DNS and IP), kept in the data
// directory:
//   <dir>/tls/ca.pem        the TLS CA certificate (what senders configure as agency.ca_file)
//   <dir>/tls/server.pem    the server certificate, then the CA
//   <dir>/secrets/tls.key   the server's private key (PEM, 0600)
// Reused while the server certificate is valid for the names asked; made anew otherwise.
#pragma once

#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"

namespace rubrica::server::agency {

struct TlsIdentity {
  std::string ca_file;
  std::string certificate_file;
  std::string key_file;
};

Result<TlsIdentity> EnsureTlsIdentity(const std::string& data_dir, const std::vector<std::string>& host_names,
                                      const Clock& clock);

}  // namespace rubrica::server::agency
