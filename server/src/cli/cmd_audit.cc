#include <iostream>

#include "commands.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/server/data_directory.h"
#include "rubrica/store/audit_log.h"

namespace rubrica::server::cli {

// Exit 0 when the chain is intact, 1 when an entry was altered, removed or reordered.
int RunAuditVerify(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  spec.switches.insert("--json");
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  auto config = LoadCliConfig(*args);
  if (!config.ok()) return Fail(config.status());
  auto data = DataDirectory::Open(config->data_dir);
  if (!data.ok()) return Fail(data.status());
  SystemClock clock;
  store::AuditLog log(clock);
  auto v = log.Verify(*data->db);
  if (!v.ok()) return Fail(v.status());
  if (args->Has("--json")) {
    std::string json = "{\"ok\":";
    json += v->ok ? "true" : "false";
    json += ",\"entries_checked\":" + std::to_string(v->entries_checked);
    if (!v->ok) {
      json += ",\"first_bad_seq\":" + std::to_string(v->first_bad_seq) + ",\"problem\":";
      AppendJsonString(json, v->problem);
      json += ",\"detail\":";
      AppendJsonString(json, v->detail);
    }
    json += ",\"head_hash\":";
    AppendJsonString(json, v->head_hash);
    json += "}";
    std::cout << json << std::endl;
  } else if (v->ok) {
    std::cout << "Audit log intact: " << v->entries_checked << " entries, head " << v->head_hash
              << std::endl;
  } else {
    std::cout << "Audit log BROKEN at entry " << v->first_bad_seq << " (" << v->problem
              << "): " << v->detail << std::endl
              << v->entries_checked << " entries before it are intact." << std::endl;
  }
  return v->ok ? 0 : 1;
}

}  // namespace rubrica::server::cli
