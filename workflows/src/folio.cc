#include "folio.h"

#include <cstdio>

#include "rubrica/lang/text.h"

namespace rubrica::workflows {

std::string FolioPrefix(const SecretariatConfig& config) {
  std::string out = config.kind == SecretariatKind::kStm ? "STM-" : "STL-";
  const std::string place = lang::AsciiFold(config.place.substr(0, config.place.find(',')));
  bool hyphen = false;
  for (char c : place) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) {
      hyphen = out.back() != '-';
      continue;
    }
    if (hyphen) out.push_back('-');
    hyphen = false;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    if (out.size() >= 24) break;
  }
  while (out.back() == '-') out.pop_back();
  return out;
}

Result<std::string> EnsureFolio(store::Transaction& tx, const Secretariat& secretariat,
                                int64_t acta_id, std::chrono::year_month_day approved_on) {
  {
    ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT folio FROM wf_acta WHERE id = ?"));
    st.Bind(1, acta_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row && !st.ColumnIsNull(0) && !st.ColumnText(0).empty()) return st.ColumnText(0);
  }
  const std::string stem = FolioPrefix(secretariat.config) + "-" +
                           std::to_string(static_cast<int>(approved_on.year())) + "-";
  int64_t taken = 0;
  {
    // Folios of this stem, whichever secretariat holds them: numbers never repeat.
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT COUNT(*) FROM wf_acta WHERE substr(folio, 1, ?) = ?"));
    st.Bind(1, static_cast<int64_t>(stem.size())).Bind(2, stem);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) taken = st.ColumnInt(0);
  }
  char number[24];
  std::snprintf(number, sizeof number, "%03lld", static_cast<long long>(taken + 1));
  const std::string folio = stem + number;
  ASSIGN_OR_RETURN(store::Statement up, tx.Prepare("UPDATE wf_acta SET folio = ? WHERE id = ?"));
  up.Bind(1, folio).Bind(2, acta_id);
  RETURN_IF_ERROR(up.Run());
  return folio;
}

}  // namespace rubrica::workflows
