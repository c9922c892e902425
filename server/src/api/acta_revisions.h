// The stored revisions of an acta, as the revision routes serve them and the archive search
// links them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/workflows/actas.h"

namespace rubrica::server::api {

struct Revision {
  std::string blob_id;
  std::string what;  // "certified", "rubric", "foot", "archived"
  int round = 0;
  std::optional<int64_t> person_id;
};

/// Every stored revision of the acta, oldest first.
std::vector<Revision> Revisions(const workflows::ActaRecord& a);

}  // namespace rubrica::server::api
