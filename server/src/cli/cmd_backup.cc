#include <iostream>

#include "commands.h"
#include "rubrica/base/clock.h"
#include "rubrica/server/backup.h"
#include "rubrica/server/data_directory.h"

namespace rubrica::server::cli {

// rubrica backup [--data-dir DIR] [--config FILE] --to FILE|SETDIR/ [--include-master-secret]
int RunBackup(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  spec.valued.insert("--to");
  spec.switches.insert("--include-master-secret");
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  if (!args->positional.empty() || !args->Has("--to")) {
    return Fail(Status::Error(ErrorKind::kInvalidArgument, "cli.usage",
                              "usage: rubrica backup [--data-dir DIR] --to FILE|SETDIR/ [--include-master-secret]"));
  }
  auto config = LoadCliConfig(*args);
  if (!config.ok()) return Fail(config.status());
  BackupOptions o;
  o.data_dir = config->data_dir;
  o.to = args->Get("--to");
  o.include_master_secret = args->Has("--include-master-secret");
  o.master_key_file = KeysSetupFrom(config->public_url, ProcessEnvironment()).master_key_file;
  SystemClock clock;
  auto s = CreateBackup(o, clock);
  if (!s.ok()) return Fail(s.status());
  std::cout << "Backup written: " << s->archive << " (" << s->entries << " entries, " << s->blobs << " blobs, "
            << s->bytes << " bytes" << (o.include_master_secret ? ", with the master secret" : "") << ")\n";
  if (IsBackupSet(o.to)) {
    std::cout << "Backup set: " << s->blobs_added << " blobs added, " << s->blobs - s->blobs_added
              << " already kept; " << s->bytes_written << " bytes written\n";
  }
  std::cout
            << "Audit head: " << (s->audit_head.empty() ? "-" : s->audit_head) << " (" << s->audit_entries
            << " entries)" << std::endl;
  if (!s->audit_ok) {
    std::cerr << "rubrica: warning: the audit chain of this installation is broken; run 'rubrica audit verify'"
              << std::endl;
    return 1;
  }
  return 0;
}

// rubrica restore FILE --data-dir NEW
int RunRestore(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"--data-dir"}, {}, false});
  if (!args.ok()) return Fail(args.status());
  if (args->positional.size() != 1 || !args->Has("--data-dir")) {
    return Fail(Status::Error(ErrorKind::kInvalidArgument, "cli.usage", "usage: rubrica restore FILE --data-dir NEW"));
  }
  RestoreOptions o;
  o.archive = args->positional[0];
  o.data_dir = args->Get("--data-dir");
  SystemClock clock;
  auto s = RestoreBackup(o, clock);
  if (!s.ok()) return Fail(s.status());
  std::cout << "Restored into " << o.data_dir << ": " << s->entries << " entries checked, " << s->blobs
            << " blobs, audit chain intact (" << s->audit_entries << " entries, head "
            << (s->audit_head.empty() ? "-" : s->audit_head) << "), " << s->actas_verified << " acta PDFs verified."
            << std::endl;
  if (!s->master_secret_restored) {
    std::cout << "The master secret was not in the backup: point RUBRICA_MASTER_KEY_FILE at it before serving."
              << std::endl;
  }
  return 0;
}

}  // namespace rubrica::server::cli
