// The agency's installation (issue 15): its data directory (own database with the agency
// tables, local CA and seal named after the agency), its own TSA (asked in-process, for the
// receipts' timestamps) and the inbox, whose sealed actas go through the PDF verifier in its
// sandbox trusting each registered secretariat's anchors. What `rubrica serve --agency`,
// `rubrica agency register` and the demo's loopback agency open.
#pragma once

#include <memory>
#include <string>

#include "agency/inbox.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/installation.h"
#include "rubrica/server/data_directory.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/store/audit_log.h"

namespace rubrica::server::agency {

struct AgencyInstallation {
  DataDirectory data;
  std::unique_ptr<store::AuditLog> audit;
  keys::Installation keys;
  std::unique_ptr<signing::TimestampAuthority> tsa;
  std::unique_ptr<signing::InProcessTimestampClient> tsa_client;
  std::unique_ptr<Inbox> inbox;
};

/// Opens (creating on first use, 0700) the agency's directory `dir` under the lock of
/// `holder`. `name` names the agency (its seal: "Sello del <name>"). With `receiving` the
/// inbox answers packages (TSA and verifier wired); without, it only registers secretariats.
Result<std::unique_ptr<AgencyInstallation>> OpenAgencyInstallation(const std::string& dir, const std::string& holder,
                                                                   const std::string& name, const Clock& clock,
                                                                   bool receiving);

}  // namespace rubrica::server::agency
