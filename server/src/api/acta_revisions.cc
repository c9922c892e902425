#include "acta_revisions.h"

namespace rubrica::server::api {

using workflows::ActaRecord;
using workflows::SignatureKindName;

std::vector<Revision> Revisions(const ActaRecord& a) {
  std::vector<Revision> out;
  for (const auto& ap : a.approvals) {
    if (!ap.certified_blob_id.empty()) out.push_back({ap.certified_blob_id, "certified", ap.round, {}});
    for (const auto& s : a.signatures) {
      if (s.approval_round == ap.round) {
        out.push_back({s.blob_id, std::string(SignatureKindName(s.kind)), s.approval_round, s.person_id});
      }
    }
  }
  if (!a.archived_blob_id.empty()) {
    out.push_back({a.archived_blob_id, "archived",
                   a.approvals.empty() ? 0 : a.approvals.back().round, {}});
  }
  return out;
}


}  // namespace rubrica::server::api
