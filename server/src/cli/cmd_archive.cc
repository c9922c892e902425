// `rubrica archive search`: the archive search of GET /api/archive, run by the operator on
// the data directory. The operator holds the database itself, so every acta is searched
// (no visibility filter); the filters, pages and JSON are the API's.
#include <iostream>

#include "../api/archive_query.h"
#include "commands.h"
#include "keys_context.h"
#include "rubrica/workflows/people.h"

namespace rubrica::server::cli {

namespace {

// Command-line option -> query parameter of GET /api/archive.
const std::map<std::string, std::string>& OptionParams() {
  static const std::map<std::string, std::string> kMap = {
      {"--secretariat-id", "secretariat_id"}, {"--kind", "kind"},     {"--state", "state"},
      {"--from", "from"},                     {"--to", "to"},         {"--session-id", "session_id"},
      {"--signer", "signer"},                 {"--title", "q"},       {"--limit", "limit"},
      {"--cursor", "cursor"}};
  return kMap;
}

void PrintText(const workflows::ArchivePage& page, workflows::People& people) {
  if (page.actas.empty()) std::cout << "No acta matches." << std::endl;
  for (const auto& a : page.actas) {
    std::cout << a.id << "  " << FormatIsoDate(a.acta_date) << "  "
              << workflows::ActaStateName(a.state) << "  " << (a.folio.empty() ? "-" : a.folio)
              << "  " << a.title << "\n";
    std::string names;
    for (const auto& s : a.signers) {
      auto p = people.GetPerson(s.person_id);
      names += (names.empty() ? "" : ", ") + (p.ok() ? p->full_name : std::to_string(s.person_id));
    }
    std::cout << "    signers: " << names << "\n";
    if (!a.archived_blob_id.empty()) std::cout << "    sealed PDF SHA-256: " << a.archived_blob_id << "\n";
  }
  if (!page.next_cursor.empty()) std::cout << "More: --cursor " << page.next_cursor << std::endl;
}

}  // namespace

int RunArchiveSearch(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  for (const auto& [option, param] : OptionParams()) spec.valued.insert(option);
  spec.switches.insert("--json");
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  if (!args->positional.empty()) {
    return Fail(Status::Error(ErrorKind::kInvalidArgument, "cli.usage",
                              "archive search takes no positional argument"));
  }
  std::map<std::string, std::string> params;
  for (const auto& [option, param] : OptionParams()) {
    if (args->Has(option)) params[param] = args->Get(option);
  }
  auto ctx = OpenKeys(*args);
  if (!ctx.ok()) return Fail(ctx.status());
  auto query = api::ParseArchiveQuery(params, *(*ctx)->store);
  if (!query.ok()) return Fail(query.status());
  query->visibility.everything = true;
  store::Database& db = *(*ctx)->data.db;
  auto page = workflows::ArchiveSearch(db).Search(*query);
  if (!page.ok()) return Fail(page.status());
  workflows::People people(db, (*ctx)->clock);
  if (args->Has("--json")) {
    JsonWriter w;
    api::WriteArchivePage(w, *page, people);
    std::cout << w.str() << std::endl;
  } else {
    PrintText(*page, people);
  }
  return 0;
}

}  // namespace rubrica::server::cli
