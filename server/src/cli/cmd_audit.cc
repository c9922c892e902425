#include <cctype>
#include <iostream>

#include "commands.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/server/data_directory.h"
#include "rubrica/store/audit_log.h"

namespace rubrica::server::cli {

namespace {

// The seq of the entry whose hash is `head` (0: none). The chain was verified first, so
// an entry holding that hash is the very entry the head was taken from.
Result<int64_t> FindHead(store::AuditLog& log, store::Database& db, const std::string& head) {
  int64_t after = 0;
  for (;;) {
    ASSIGN_OR_RETURN(auto page, log.List(db, after, 1000));
    if (page.empty()) return int64_t{0};
    for (const auto& e : page) {
      if (e.entry_hash == head) return e.seq;
    }
    after = page.back().seq;
  }
}

}  // namespace

// Exit 0 when the chain is intact, 1 when an entry was altered, removed or reordered.
int RunAuditVerify(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  spec.switches.insert("--json");
  spec.valued.insert("--head");
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
  // --head HASH: a head kept outside (a backup's manifest, a published package) must still
  // be in the log; entries removed from the end make it disappear.
  int64_t head_seq = -1;
  if (args->Has("--head") && v->ok) {
    std::string head = args->Get("--head");
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto found = FindHead(log, *data->db, head);
    if (!found.ok()) return Fail(found.status());
    head_seq = *found;
    if (head_seq == 0) {
      v->ok = false;
      v->first_bad_seq = v->entries_checked + 1;
      v->problem = "truncated";
      v->detail = "the kept head " + head + " is not in the log: entries were removed from its end (" +
                  std::to_string(v->entries_checked) + " remain), or the head is from another installation";
    }
  }
  if (args->Has("--json")) {
    JsonWriter json;
    json.BeginObject().Field("ok", v->ok).Field("entries_checked", v->entries_checked);
    if (!v->ok) {
      json.Field("first_bad_seq", v->first_bad_seq)
          .Field("problem", v->problem)
          .Field("detail", v->detail);
    }
    json.Field("head_hash", v->head_hash).EndObject();
    std::cout << json.str() << std::endl;
  } else if (v->ok) {
    std::cout << "Audit log intact: " << v->entries_checked << " entries, head " << v->head_hash
              << std::endl;
    if (head_seq > 0) {
      std::cout << "The kept head is entry " << head_seq << "; " << (v->entries_checked - head_seq)
                << " entries were added after it." << std::endl;
    }
  } else {
    std::cout << "Audit log BROKEN at entry " << v->first_bad_seq << " (" << v->problem
              << "): " << v->detail << std::endl
              << v->entries_checked << " entries before it are intact." << std::endl;
  }
  return v->ok ? 0 : 1;
}

}  // namespace rubrica::server::cli
