// The ZIP container of a monthly package (Poco::Zip underneath): written from named byte
// strings, and read back from untrusted bytes with limits. Reading never touches the disk
// and refuses, with a stable code, what an inbox must not accept:
//   delivery.zip_unreadable    not a ZIP, or a structure Poco cannot parse
//   delivery.zip_too_large     the archive, one entry or their sum over the limits
//                              (declared sizes are checked before inflating, and the
//                              inflated bytes are counted, so a lying header cannot bomb)
//   delivery.zip_bad_name      an absolute path, "..", a backslash, a control character,
//                              an empty segment, or a directory entry
//   delivery.zip_duplicate     two entries with the same name
//   delivery.zip_too_many      more entries than allowed
// Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::delivery {

struct ZipEntry {
  std::string name;   // "actas/STM-ZAMORA-2023-001.pdf"; '/' separated, relative
  std::string bytes;
};

struct ZipLimits {
  uint64_t max_archive_bytes = 1ull << 30;  // 1 GiB
  uint64_t max_entry_bytes = 256ull << 20;  // the verifier's own PDF limit
  uint64_t max_total_bytes = 2ull << 30;
  int max_entries = 2000;
};

/// The ZIP of `entries`, in order, deflated. delivery.zip_bad_name for a name ReadZip
/// would refuse.
Result<std::string> WriteZip(const std::vector<ZipEntry>& entries);

/// The entries of `zip`, by name, within `limits`. An archive without entries is
/// delivery.zip_unreadable. Errors above.
Result<std::vector<ZipEntry>> ReadZip(const std::string& zip, const ZipLimits& limits = {});

/// True when `name` is a safe relative entry name (see delivery.zip_bad_name).
bool IsSafeEntryName(const std::string& name);

}  // namespace rubrica::delivery
