#include "complaints.h"

#include <cctype>

#include "accounts.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server::api {

namespace {

// Crockford's base32: no I, L, O, U, so a folio read aloud or copied by hand survives.
constexpr std::string_view kFolioAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string_view Prefix(std::string_view kind) {
  if (kind == "question") return "PRE";
  if (kind == "complaint") return "QUE";
  if (kind == "suggestion") return "SUG";
  return "PAR";
}

std::string RandomPart() {
  const std::string bytes = RandomBytes(5);  // 40 bits, 8 symbols
  uint64_t v = 0;
  for (unsigned char b : bytes) v = (v << 8) | b;
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kFolioAlphabet[v & 31];
    v >>= 5;
  }
  return out;
}

std::string Folio(std::string_view kind, int64_t id) {
  std::string number = std::to_string(id);
  if (number.size() < 6) number.insert(0, 6 - number.size(), '0');
  return std::string(Prefix(kind)) + "-" + number + "-" + RandomPart();
}


constexpr std::string_view kColumns =
    "SELECT id, secretariat_id, folio, kind, name, contact, organisation, text, filed_us, "
    "answer, answered_us FROM ms_submission ";

Submission Row(const store::Statement& st) {
  Submission s;
  s.id = st.ColumnInt(0);
  s.secretariat_id = st.ColumnInt(1);
  s.folio = st.ColumnText(2);
  s.kind = st.ColumnText(3);
  s.name = st.ColumnText(4);
  s.contact = st.ColumnText(5);
  s.organisation = st.ColumnText(6);
  s.text = st.ColumnText(7);
  s.filed_at = FromUnixMicros(st.ColumnInt(8));
  s.answer = st.ColumnText(9);
  if (!st.ColumnIsNull(10)) s.answered_at = FromUnixMicros(st.ColumnInt(10));
  s.status = s.answered_at ? "answered" : "received";
  return s;
}

}  // namespace

const std::vector<std::string_view>& SubmissionKinds() {
  static const std::vector<std::string_view> kKinds = {"question", "complaint", "suggestion",
                                                       "participation"};
  return kKinds;
}

Result<Submission> Submissions::Load(store::Transaction& tx, std::string_view where, int64_t id,
                                     std::string_view folio) const {
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare(std::string(kColumns) + std::string(where)));
  if (folio.empty()) {
    st.Bind(1, id);
  } else {
    st.Bind(1, folio);
  }
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    if (!folio.empty()) {
      return Status::Error(ErrorKind::kNotFound, "api.folio_not_found",
                           "no submission with folio '" + std::string(folio) + "'",
                           "No encontramos ese folio. Revise que lo haya copiado completo, "
                           "con sus guiones.");
    }
    return Status::Error(ErrorKind::kNotFound, "api.not_found",
                         "no submission " + std::to_string(id),
                         "No existe esa solicitud en este secretariado.");
  }
  return Row(st);
}

Result<Submission> Submissions::File(const NewSubmission& in) {
  const Instant now = clock_.Now();
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<Submission> {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("INSERT INTO ms_submission(secretariat_id, folio, kind, name, "
                                "contact, organisation, text, filed_us) VALUES(?,?,?,?,?,?,?,?)"));
    // The folio needs the id: a provisional unique value first, then the real one.
    st.Bind(1, in.secretariat_id)
        .Bind(2, "pending-" + RandomToken(16))
        .Bind(3, in.kind)
        .Bind(4, in.name)
        .Bind(5, in.contact)
        .Bind(6, in.organisation)
        .Bind(7, in.text)
        .Bind(8, UnixMicros(now));
    RETURN_IF_ERROR(st.Run());
    const int64_t id = tx.LastInsertId();
    const std::string folio = Folio(in.kind, id);
    ASSIGN_OR_RETURN(store::Statement up, tx.Prepare("UPDATE ms_submission SET folio = ? WHERE id = ?"));
    up.Bind(1, folio).Bind(2, id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(audit_
                        .Append(tx, {"anonymous", "microsite.submission_file", "submission",
                                     std::to_string(id),
                                     Payload({{"secretariat", std::to_string(in.secretariat_id)},
                                           {"kind", in.kind},
                                           {"folio", folio}})})
                        .status());
    return Load(tx, "WHERE id = ?", id, "");
  });
}

Result<Submission> Submissions::ByFolio(std::string_view folio) const {
  std::string upper(folio);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.empty() || upper.size() > 40) {
    return Status::Error(ErrorKind::kNotFound, "api.folio_not_found", "not a folio",
                         "No encontramos ese folio. Revise que lo haya copiado completo, "
                         "con sus guiones.");
  }
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  return Load(tx, "WHERE folio = ?", 0, upper);
}

Result<std::vector<Submission>> Submissions::List(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare(std::string(kColumns) +
                              "WHERE secretariat_id = ? ORDER BY filed_us DESC, id DESC"));
  st.Bind(1, secretariat_id);
  std::vector<Submission> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(Row(st));
  }
  return out;
}

Result<Submission> Submissions::Answer(std::string_view actor, int64_t secretariat_id, int64_t id,
                                       const std::string& answer) {
  const Instant now = clock_.Now();
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<Submission> {
    ASSIGN_OR_RETURN(Submission s, Load(tx, "WHERE id = ?", id, ""));
    if (s.secretariat_id != secretariat_id) {
      return Status::Error(ErrorKind::kNotFound, "api.not_found",
                           "submission " + std::to_string(id) + " is not of secretariat " +
                               std::to_string(secretariat_id),
                           "No existe esa solicitud en este secretariado.");
    }
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("UPDATE ms_submission SET answer = ?, answered_us = ?, "
                                "answered_by = ? WHERE id = ?"));
    st.Bind(1, answer).Bind(2, UnixMicros(now)).Bind(3, actor).Bind(4, id);
    RETURN_IF_ERROR(st.Run());
    RETURN_IF_ERROR(audit_
                        .Append(tx, {std::string(actor), "microsite.submission_answer",
                                     "submission", std::to_string(id),
                                     Payload({{"folio", s.folio}})})
                        .status());
    return Load(tx, "WHERE id = ?", id, "");
  });
}

}  // namespace rubrica::server::api
