#include "rubrica/workflows/archive_search.h"

#include <variant>

#include "acta_rows.h"
#include "dates.h"
#include "refusal.h"

namespace rubrica::workflows {

namespace {

// The length of the word character starting at text[i] (0: a separator). Words are ASCII
// letters and digits and the non-ASCII letters of the scripts people write names and titles
// in; Latin-1 punctuation ("¡", "¿", "«") and general punctuation ("—", "“") separate.
size_t WordCharAt(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ? 1 : 0;
  }
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + len > text.size()) return 0;
  uint32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (len == 1 || cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return 0;
  if (cp >= 0x2000 && cp <= 0x2BFF) return 0;  // punctuation, symbols, arrows
  if (cp >= 0x3000 && cp <= 0x303F) return 0;  // CJK punctuation
  return len;
}

Status BadCursor() {
  return BadInput("malformed archive cursor",
                  "El cursor de la búsqueda no es válido: use el que devolvió la página anterior.");
}

struct Cursor {
  std::string date;
  int64_t id = 0;
};

// "<YYYY-MM-DD>~<id>", as written by Search.
Result<Cursor> ParseCursor(const std::string& text) {
  const size_t tilde = text.find('~');
  if (tilde == std::string::npos || text.size() > 40) return BadCursor();
  Cursor c;
  c.date = text.substr(0, tilde);
  const std::string id = text.substr(tilde + 1);
  if (!ParseStoredDate(c.date).ok() || id.empty() || id.size() > 18 ||
      id.find_first_not_of("0123456789") != std::string::npos) {
    return BadCursor();
  }
  c.id = std::stoll(id);
  return c;
}

std::string IdList(size_t n) {
  std::string out = "(";
  for (size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out + ")";
}

}  // namespace

std::string FtsWordsQuery(std::string_view column, std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && WordCharAt(text, i) == 0) ++i;
    const size_t start = i;
    for (size_t n; i < text.size() && (n = WordCharAt(text, i)) > 0;) i += n;
    if (i == start) break;
    const bool prefix = i < text.size() && text[i] == '*';
    if (!out.empty()) out += " AND ";
    // A word never holds '"', so quoting needs no escaping.
    out += std::string(column) + " : \"" + std::string(text.substr(start, i - start)) + "\"";
    if (prefix) out += "*";
  }
  return out;
}

Result<ArchivePage> ArchiveSearch::Search(const ArchiveQuery& q) const {
  if (q.limit < 1 || q.limit > kMaxArchiveLimit) {
    return BadInput("archive limit " + std::to_string(q.limit) + " out of 1.." +
                        std::to_string(kMaxArchiveLimit),
                    "El límite de resultados debe estar entre 1 y " +
                        std::to_string(kMaxArchiveLimit) + ".");
  }
  if (q.from && q.to && *q.from > *q.to) {
    return BadInput("archive date range: from " + FormatDate(*q.from) + " is after to " +
                        FormatDate(*q.to),
                    "La fecha inicial del rango es posterior a la final.");
  }
  std::string match;
  for (const auto& [column, words] :
       {std::pair<std::string_view, const std::string&>{"title", q.title_words},
        std::pair<std::string_view, const std::string&>{"signers", q.signer_words}}) {
    if (words.empty()) continue;
    const std::string part = FtsWordsQuery(column, words);
    if (part.empty()) {
      return BadInput("search text '" + words + "' has no word in it",
                      "El texto de búsqueda no contiene ninguna palabra.");
    }
    match += match.empty() ? part : " AND " + part;
  }
  std::optional<Cursor> after;
  if (!q.cursor.empty()) {
    ASSIGN_OR_RETURN(after, ParseCursor(q.cursor));
  }
  if (q.signer_person_ids && q.signer_person_ids->empty()) return ArchivePage{};

  using Param = std::variant<int64_t, std::string>;
  std::vector<Param> params;
  std::string sql = "SELECT a.id, a.acta_date FROM wf_acta a WHERE 1 = 1";
  if (q.secretariat_id) {
    sql += " AND a.secretariat_id = ?";
    params.emplace_back(*q.secretariat_id);
  }
  if (q.kind) {
    sql += " AND a.kind = ?";
    params.emplace_back(std::string(ActaKindName(*q.kind)));
  }
  if (q.state) {
    sql += " AND a.state = ?";
    params.emplace_back(std::string(ActaStateName(*q.state)));
  }
  if (q.from) {
    sql += " AND a.acta_date >= ?";
    params.emplace_back(FormatDate(*q.from));
  }
  if (q.to) {
    sql += " AND a.acta_date <= ?";
    params.emplace_back(FormatDate(*q.to));
  }
  if (q.session_id) {
    sql += " AND a.session_id = ?";
    params.emplace_back(*q.session_id);
  }
  if (!match.empty()) {
    sql += " AND a.id IN (SELECT rowid FROM wf_acta_search WHERE wf_acta_search MATCH ?)";
    params.emplace_back(match);
  }
  if (q.signer_person_ids) {
    sql += " AND a.id IN (SELECT acta_id FROM wf_acta_signer WHERE person_id IN " +
           IdList(q.signer_person_ids->size()) + ")";
    for (int64_t id : *q.signer_person_ids) params.emplace_back(id);
  }
  if (!q.visibility.everything) {
    sql += " AND (a.state IN ('archived','delivered')";
    if (!q.visibility.all_states.empty()) {
      sql += " OR a.secretariat_id IN " + IdList(q.visibility.all_states.size());
      for (int64_t id : q.visibility.all_states) params.emplace_back(id);
    }
    if (!q.visibility.from_approval.empty()) {
      sql += " OR (a.state IN ('approved','rubric','foot_signature') AND a.secretariat_id IN " +
             IdList(q.visibility.from_approval.size()) + ")";
      for (int64_t id : q.visibility.from_approval) params.emplace_back(id);
    }
    sql += ")";
  }
  if (after) {
    sql += " AND (a.acta_date < ? OR (a.acta_date = ? AND a.id < ?))";
    params.emplace_back(after->date);
    params.emplace_back(after->date);
    params.emplace_back(after->id);
  }
  sql += " ORDER BY a.acta_date DESC, a.id DESC LIMIT " + std::to_string(q.limit + 1);

  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  std::vector<std::pair<int64_t, std::string>> ids;
  {
    ASSIGN_OR_RETURN(store::Statement st, tx.Prepare(sql));
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        st.Bind(index, *n);
      } else {
        st.Bind(index, std::get<std::string>(params[i]));
      }
    }
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ids.emplace_back(st.ColumnInt(0), st.ColumnText(1));
    }
  }
  ArchivePage page;
  const bool more = ids.size() > static_cast<size_t>(q.limit);
  if (more) ids.resize(static_cast<size_t>(q.limit));
  for (const auto& [id, date] : ids) {
    ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, id));
    page.actas.push_back(std::move(acta));
  }
  if (more) page.next_cursor = ids.back().second + "~" + std::to_string(ids.back().first);
  return page;
}

}  // namespace rubrica::workflows
