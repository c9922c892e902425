// Finding actas years later: by secretariat, kind, date range (the acta's date, which is the
// session's date for a minute), session, signer and words of the title, a page at a time.
//
// Words are matched through an SQLite FTS5 index (wf_acta_search, migration 4) of each
// acta's title and the full names of its required signers, tokenised with
// `unicode61 remove_diacritics 2`: case and accents do not matter ("sesion" finds
// "Sesión", "munoz" finds "Muñoz"). Every word given must occur (AND); a word is a whole
// token, or a prefix when it ends in '*' ("Mari*"). The index is kept in step by triggers
// in the transaction of every write to an acta's title, its signers or a person's name.
// The other filters use ordinary indexes.
//
// Who sees what is the caller's business (the API applies the same visibility as reading
// an acta): the query carries it as ArchiveVisibility, so a page is never short because
// hits were dropped after the limit.
//
// Order: newest acta date first, then highest id. Pages are linked by an opaque cursor
// ("<date>~<id>" of the last hit). Thread-safe; the Database must outlive this.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/actas.h"

namespace rubrica::workflows {

/// Which actas a caller may see: archived and delivered ones always; every state in
/// `all_states`; from approval on in `from_approval` (secretariat ids). `everything`: all
/// actas of all secretariats (the operator's CLI on the data directory).
struct ArchiveVisibility {
  bool everything = false;
  std::vector<int64_t> all_states;
  std::vector<int64_t> from_approval;
};

struct ArchiveQuery {
  std::optional<int64_t> secretariat_id;
  std::optional<ActaKind> kind;
  std::optional<ActaState> state;
  std::optional<std::chrono::year_month_day> from;  // acta date >= from
  std::optional<std::chrono::year_month_day> to;    // acta date <= to
  std::optional<int64_t> session_id;
  /// Words of the title (all must occur). Empty: no title filter.
  std::string title_words;
  /// Words of a required signer's name (all must occur among the acta's signers' names).
  std::string signer_words;
  /// Actas one of these people is a required signer of (e.g. the holders of an RFC or a
  /// CURP, which the caller resolved). Set but empty: no acta matches.
  std::optional<std::vector<int64_t>> signer_person_ids;
  ArchiveVisibility visibility;
  int limit = 20;      // 1..kMaxArchiveLimit
  std::string cursor;  // "" for the first page, else ArchivePage::next_cursor
};

inline constexpr int kMaxArchiveLimit = 100;

struct ArchivePage {
  std::vector<ActaRecord> actas;
  std::string next_cursor;  // "" on the last page
};

class ArchiveSearch {
 public:
  explicit ArchiveSearch(store::Database& db) : db_(db) {}

  /// One page of the actas matching every filter of `query`, in one read transaction.
  /// workflows.bad_input for a limit out of range, a malformed cursor, from after to, or
  /// text with no word in it.
  Result<ArchivePage> Search(const ArchiveQuery& query) const;

 private:
  store::Database& db_;
};

/// The FTS5 expression matching every word of `text` in `column` ("" when there is none);
/// each word is quoted, so nothing in `text` is FTS5 syntax except a trailing '*'.
std::string FtsWordsQuery(std::string_view column, std::string_view text);

}  // namespace rubrica::workflows
