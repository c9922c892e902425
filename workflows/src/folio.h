// The folio an acta gets at its first approval (actas.h): "<STL|STM>-<PLACE>-<year>-<n>".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "context.h"
#include "rubrica/base/status.h"
#include "rubrica/store/database.h"

namespace rubrica::workflows {

/// "STM-ZAMORA" for an STM whose place is "Zamora, Michoacán": the kind, then the place's
/// first part without marks, upper case, non-alphanumerics as single hyphens (at most 24
/// characters).
std::string FolioPrefix(const SecretariatConfig& config);

/// The acta's folio: the one it has, else a new one written now inside `tx` (the next
/// number of the prefix and year of `approved_on`, three digits at least).
Result<std::string> EnsureFolio(store::Transaction& tx, const Secretariat& secretariat,
                                int64_t acta_id, std::chrono::year_month_day approved_on);

}  // namespace rubrica::workflows
