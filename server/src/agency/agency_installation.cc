#include "agency/agency_installation.h"

#include <algorithm>
#include <semaphore>
#include <thread>

#include "cli/package_support.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"

namespace rubrica::server::agency {

Result<std::unique_ptr<AgencyInstallation>> OpenAgencyInstallation(const std::string& dir, const std::string& holder,
                                                                   const std::string& name, const Clock& clock,
                                                                   bool receiving) {
  RETURN_IF_ERROR(MakeDirs(dir));
  RETURN_IF_ERROR(RequirePrivateDirectory(dir));
  auto a = std::make_unique<AgencyInstallation>();
  ASSIGN_OR_RETURN(a->data, DataDirectory::Open(dir, holder));
  RETURN_IF_ERROR(a->data.db->Migrate(kComponent, Migrations()));
  a->audit = std::make_unique<store::AuditLog>(clock);
  keys::InstallationOptions ko;
  ko.data_dir = dir;
  ko.ca.secretariat = name;  // the agency's seal: "Sello del <agency>"
  ASSIGN_OR_RETURN(a->keys, keys::EnsureInstallationKeys(*a->data.db, *a->audit, clock, ko));
  if (!receiving) {
    a->inbox = std::make_unique<Inbox>(*a->data.db, *a->data.blobs, *a->keys.ca, nullptr, clock, "", nullptr);
    return a;
  }
  // The sealed actas of a package go through the PDF verifier in one sandboxed worker (each
  // acta verified in full, one process start per package), trusting the anchors of the
  // registered secretariats (written to a file the worker reads).
  const std::string anchors_dir = dir + "/trust/senders";
  RETURN_IF_ERROR(MakeDirs(anchors_dir));
  // At most one worker per core at a time; the other packages wait their turn (their ZIP
  // already read and checked by their own request thread). More workers would only share
  // the cores, each slower: at a month-end with four packages at once on two cores, every
  // acta cost ~14 % more CPU (caches thrashed between processes; package_bench).
  auto slots = std::make_shared<std::counting_semaphore<>>(std::max(1u, std::thread::hardware_concurrency()));
  auto verify = [anchors_dir, slots](const std::vector<const std::string*>& pdfs, const std::string& trust_pem) {
    const std::string file = anchors_dir + "/" + Sha256Hex(trust_pem) + ".pem";
    if (!PathExists(file) && !WriteFileAtomic(file, trust_pem).ok()) {
      return std::vector<delivery::ActaVerdict>(pdfs.size(), delivery::ActaVerdict{2, cli::VerdictName(2)});
    }
    struct Slot {
      std::counting_semaphore<>& s;
      explicit Slot(std::counting_semaphore<>& sem) : s(sem) { s.acquire(); }
      ~Slot() { s.release(); }
    } slot(*slots);
    return cli::VerifyActasInSandbox(pdfs, file);
  };
  // The agency's own TSA timestamps its receipts, asked in-process.
  ASSIGN_OR_RETURN(keys::SigningKey tsa_key, a->keys.ca->UnlockTsaKey());
  std::vector<keys::Certificate> chain = {a->keys.ca->tsa_certificate()};
  for (const auto& c : a->keys.ca->Chain()) chain.push_back(c);
  ASSIGN_OR_RETURN(a->tsa, signing::TimestampAuthority::Create(chain, std::move(tsa_key), clock));
  a->tsa_client = std::make_unique<signing::InProcessTimestampClient>(*a->tsa);
  a->inbox = std::make_unique<Inbox>(*a->data.db, *a->data.blobs, *a->keys.ca, a->tsa_client.get(), clock, name,
                                     verify);
  return a;
}

}  // namespace rubrica::server::agency
