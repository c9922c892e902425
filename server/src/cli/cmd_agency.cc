// rubrica serve --agency / rubrica agency register: the transparency agency's inbox.
#include <malloc.h>
#include <signal.h>

#include <iostream>
#include <memory>

#include "agency/agency_installation.h"
#include "agency/inbox.h"
#include "agency/inbox_server.h"
#include "agency/tls_identity.h"
#include "commands.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/base/logger.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/installation.h"
#include "rubrica/server/data_directory.h"
#include "rubrica/server/verify_sandbox.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/store/audit_log.h"
#include "package_support.h"

namespace rubrica::server::cli {

namespace {

constexpr const char* kDefaultAgency = "Órgano Garante de Transparencia (demostración)";

}  // namespace

// rubrica serve --agency --data-dir DIR [--port N] [--host ADDR] [--name NAME] [--clock-start T]
int RunAgencyServe(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  spec.valued.insert({"--port", "--host", "--name", "--clock-start"});
  spec.switches.insert("--agency");
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  // Each package is inflated into about 11 MB of new strings (a month's actas), freed once
  // checked. glibc maps blocks over 128 KiB afresh and trims the heap's top, so every package
  // paid the kernel's first touch of those pages again (a third of the inbox's own CPU at a
  // month-end). Blocks up to 32 MiB now come from the heap, which keeps up to 128 MiB free.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  const std::string dir = args->Get("--data-dir", "./rubrica-agency");
  Status clock_status = Status::Ok();
  std::unique_ptr<Clock> clock = ClockFrom(*args, clock_status);
  if (!clock) return Fail(clock_status);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  JsonLineLogger logger(stdout, *clock);
  const std::string name = args->Get("--name", kDefaultAgency);
  auto agency_dir = agency::OpenAgencyInstallation(dir, "rubrica serve --agency", name, *clock, true);
  if (!agency_dir.ok()) return Fail(agency_dir.status());
  const std::string host = args->Get("--host", "127.0.0.1");
  auto tls = agency::EnsureTlsIdentity(dir, {host, "localhost"}, *clock);
  if (!tls.ok()) return Fail(tls.status());
  agency::InboxServerOptions so;
  so.host = host;
  so.port = static_cast<uint16_t>(std::stoi(args->Get("--port", "8443")));
  auto server = agency::InboxServer::Start(*(*agency_dir)->inbox, *tls, so, logger);
  if (!server.ok()) return Fail(server.status());
  logger.Info("agency.started", {{"port", static_cast<int64_t>((*server)->port())},
                                 {"host", host},
                                 {"tls_ca", tls->ca_file},
                                 {"seal_trust", (*agency_dir)->keys.ca_pem_path}});
  int sig = 0;
  sigwait(&stop_signals, &sig);
  logger.Info("agency.stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*server)->Stop();
  return 0;
}

// rubrica agency register --data-dir DIR --name NAME --seal-cert F --ca F [--time-zone Z]
//   [--cosigner garante|facilitator|none] [--update]
// --update: the seal is registered already; its registration takes what is given (e.g. the
// secretariat now requires its garante's co-signature: the new --cosigner, and the --ca
// bundle with the co-signer's CA). Audited in the agency's audit log.
int RunAgencyRegister(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  spec.valued.insert({"--name", "--seal-cert", "--ca", "--time-zone", "--agency-name", "--clock-start", "--cosigner"});
  spec.switches.insert("--update");
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  if (!args->Has("--name") || !args->Has("--seal-cert") || !args->Has("--ca")) {
    return Fail(Status::Error(ErrorKind::kInvalidArgument, "cli.usage",
                              "usage: rubrica agency register --data-dir DIR --name NAME --seal-cert F --ca F "
                              "[--time-zone ZONE] [--cosigner garante|facilitator|none] [--update]"));
  }
  auto seal = ReadFile(args->Get("--seal-cert"), 1 << 20);
  if (!seal.ok()) return Fail(seal.status());
  auto ca = ReadFile(args->Get("--ca"), 1 << 20);
  if (!ca.ok()) return Fail(ca.status());
  Status clock_status = Status::Ok();
  std::unique_ptr<Clock> clock_ptr = ClockFrom(*args, clock_status);
  if (!clock_ptr) return Fail(clock_status);
  const Clock& clock = *clock_ptr;
  const std::string dir = args->Get("--data-dir", "./rubrica-agency");
  auto agency_dir = agency::OpenAgencyInstallation(dir, "rubrica agency register",
                                                   args->Get("--agency-name", kDefaultAgency), clock, false);
  if (!agency_dir.ok()) return Fail(agency_dir.status());
  std::string cosigner = args->Get("--cosigner", "");
  if (cosigner == "none") cosigner.clear();
  const bool update = args->Has("--update");
  // With --update, whether a registration of this seal existed (else it is made).
  bool existed = false;
  if (update) {
    auto registered = (*agency_dir)->inbox->Secretariats();
    if (!registered.ok()) return Fail(registered.status());
    auto cert = keys::Certificate::FromDerOrPem(*seal);
    for (const auto& r : *registered) existed = existed || (cert.ok() && r.seal_der == cert->der());
  }
  auto id = (*agency_dir)->inbox->Register(args->Get("--name"), *seal, *ca, args->Get("--time-zone", "America/Mexico_City"),
                                          cosigner, update);
  if (!id.ok()) return Fail(id.status());
  std::cout << "{\"secretariat\":" << *id << (existed ? ",\"updated\":true" : "") << "}" << std::endl;
  return 0;
}

}  // namespace rubrica::server::cli
