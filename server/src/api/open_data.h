// Open data of a secretariat (seed III.12 d): its sessions, attendance, votes, agreements
// and commitments as tables with stable column names, published under CC BY 4.0 with a
// data dictionary, in CSV (RFC 4180, UTF-8, CRLF) and JSON.
//
// Every value is public already through the API (sessions, their records, agreements,
// plans); nothing about the people is added but their names as the actas print them.
// CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, TAB or
// CR) are prefixed with an apostrophe. Pure functions over the workflows; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::server::api {

inline constexpr std::string_view kOpenDataLicence = "CC-BY-4.0";
inline constexpr std::string_view kOpenDataLicenceName =
    "Creative Commons Atribución 4.0 Internacional (CC BY 4.0)";
inline constexpr std::string_view kOpenDataLicenceUrl =
    "https://creativecommons.org/licenses/by/4.0/deed.es";

struct OpenDataColumn {
  std::string_view name;
  std::string_view type;  // "integer", "string", "date", "date-time", "boolean"
  std::string_view description_es;
};

struct OpenDatasetSpec {
  std::string_view name;  // "sessions", "attendance", "votes", "agreements", "commitments"
  std::string_view title_es;
  std::string_view description_es;
  std::vector<OpenDataColumn> columns;
};

/// The data dictionary: every dataset and its columns, in order.
const std::vector<OpenDatasetSpec>& OpenDataDictionary();
/// The spec named `name`; api.not_found (kNotFound) for another name.
Result<const OpenDatasetSpec*> FindOpenDataset(std::string_view name);

struct OpenDataset {
  const OpenDatasetSpec* spec = nullptr;
  std::vector<std::vector<std::string>> rows;  // one value per column, as text
};

/// Builds dataset `spec` of a secretariat from the workflows.
Result<OpenDataset> BuildOpenDataset(workflows::Workflows& wf, int64_t secretariat_id,
                                     const OpenDatasetSpec& spec);

/// One CSV field: quoted when it holds a comma, a quote, CR or LF (quotes doubled), and
/// prefixed with ' when a spreadsheet would read it as a formula.
std::string CsvField(std::string_view value);
/// The header line and one line per row, each ending in CRLF.
std::string ToCsv(const OpenDataset& data);

}  // namespace rubrica::server::api
