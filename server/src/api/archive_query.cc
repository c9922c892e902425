#include "archive_query.h"

#include <algorithm>
#include <cctype>

#include "acta_revisions.h"
#include "handler_util.h"
#include "rubrica/base/json_reader.h"
#include "serialize.h"

namespace rubrica::server::api {

using namespace rubrica::workflows;

namespace {

constexpr size_t kMaxTextChars = 200;

Result<std::chrono::year_month_day> Date(const std::string& name, const std::string& text) {
  auto d = ParseIsoDate(text);
  if (!d) return BadParameter(name, "not a date YYYY-MM-DD: '" + text + "'", "no es una fecha AAAA-MM-DD");
  return *d;
}

// An RFC (12 or 13 characters) or a CURP (18): letters and digits, six digits of a date
// among them. A person's name never has digits, so this cannot swallow a name.
bool LooksLikeTaxId(const std::string& text) {
  if (text.size() != 12 && text.size() != 13 && text.size() != 18) return false;
  int digits = 0;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (!std::isalpha(static_cast<unsigned char>(c)) && c != '&') {
      return false;
    }
  }
  return digits >= 6;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The people whose credentials (e.firma, a certificate with an RFC or a CURP) carry `id` as
// RFC or CURP: an index lookup in the key store, not a scan of every credential.
Result<std::vector<int64_t>> HoldersOf(const keys::KeyStore& keys, const std::string& id) {
  ASSIGN_OR_RETURN(std::vector<std::string> holders, keys.HoldersWithTaxId(id));
  std::vector<int64_t> people;
  constexpr std::string_view kPrefix = "person:";
  for (const std::string& holder : holders) {
    if (holder.rfind(kPrefix, 0) != 0) continue;
    const std::string digits = holder.substr(kPrefix.size());
    if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const int64_t person = std::stoll(digits);
    if (std::find(people.begin(), people.end(), person) == people.end()) people.push_back(person);
  }
  return people;
}

}  // namespace

Result<ArchiveQuery> ParseArchiveQuery(const std::map<std::string, std::string>& params,
                                       const keys::KeyStore& keys) {
  ArchiveQuery q;
  for (const auto& [name, value] : params) {
    if (name == "secretariat_id") {
      ASSIGN_OR_RETURN(q.secretariat_id, PositiveInt(name, value));
    } else if (name == "session_id") {
      ASSIGN_OR_RETURN(q.session_id, PositiveInt(name, value));
    } else if (name == "kind") {
      if (value == "installation") {
        q.kind = ActaKind::kInstallation;
      } else if (value == "session_minute") {
        q.kind = ActaKind::kSessionMinute;
      } else {
        return BadParameter(name, "not installation or session_minute: '" + value + "'",
                            "debe ser installation o session_minute");
      }
    } else if (name == "state") {
      for (ActaState s : {ActaState::kDraft, ActaState::kReview, ActaState::kApproved,
                          ActaState::kRubric, ActaState::kFootSignature, ActaState::kArchived,
                          ActaState::kDelivered}) {
        if (ActaStateName(s) == value) q.state = s;
      }
      if (!q.state) return BadParameter(name, "not an acta state: '" + value + "'", "no es un estado de acta");
    } else if (name == "from") {
      ASSIGN_OR_RETURN(q.from, Date(name, value));
    } else if (name == "to") {
      ASSIGN_OR_RETURN(q.to, Date(name, value));
    } else if (name == "limit") {
      ASSIGN_OR_RETURN(q.limit, PageLimit(name, value, kMaxArchiveLimit));
    } else if (name == "cursor") {
      if (value.size() > 64) return BadParameter(name, "too long", "es demasiado largo");
      q.cursor = value;
    } else if (name == "q" || name == "signer") {
      if (value.size() > kMaxTextChars) {
        return BadParameter(name, "over " + std::to_string(kMaxTextChars) + " bytes",
                            "admite a lo más " + std::to_string(kMaxTextChars) + " caracteres");
      }
      if (name == "q") {
        q.title_words = value;
      } else if (LooksLikeTaxId(value)) {
        ASSIGN_OR_RETURN(q.signer_person_ids, HoldersOf(keys, Upper(value)));
      } else {
        q.signer_words = value;
      }
    } else {
      return BadParameter(name, "unknown", "no existe");
    }
  }
  return q;
}

bool HasCertifiedCopy(const ActaRecord& a) {
  return !a.archived_blob_id.empty() &&
         (a.state == ActaState::kArchived || a.state == ActaState::kDelivered);
}

std::string CertifiedCopyFileName(const ActaRecord& a) {
  return (a.folio.empty() ? "acta-" + std::to_string(a.id) : a.folio) + ".copia-certificada.zip";
}

void WriteArchivePage(JsonWriter& w, const ArchivePage& page, People& people) {
  w.BeginObject().Key("actas").BeginArray();
  for (const ActaRecord& a : page.actas) {
    const std::string base = "/api/actas/" + std::to_string(a.id);
    w.BeginObject()
        .Field("id", a.id)
        .Field("folio", a.folio)
        .Field("title", a.title)
        .Field("kind", ActaKindName(a.kind))
        .Field("secretariat_id", a.secretariat_id)
        .Field("session_id", a.session_id)
        .Key("acta_date")
        .Date(a.acta_date)
        .Field("state", ActaStateName(a.state))
        .Field("state_es", ActaStateEs(a.state));
    w.Key("sealed_sha256");
    if (a.archived_blob_id.empty()) {
      w.Null();
    } else {
      w.String(a.archived_blob_id);
    }
    w.Key("signers").BeginArray();
    for (const auto& s : a.signers) {
      auto p = people.GetPerson(s.person_id);
      w.BeginObject()
          .Field("person_id", s.person_id)
          .Field("full_name", p.ok() ? p->full_name : std::string())
          .Field("capacity", s.capacity)
          .EndObject();
    }
    w.EndArray();
    w.Key("delivered_at");
    if (a.delivered_at) {
      w.Time(*a.delivered_at);
    } else {
      w.Null();
    }
    w.Key("links").BeginObject();
    w.Field("acta", base).Field("pdf", base + "/pdf").Field("revisions", base + "/revisions");
    w.Key("revision_files").BeginArray();
    for (const auto& r : Revisions(a)) {
      w.BeginObject()
          .Field("what", r.what)
          .Field("round", r.round)
          .Field("person_id", r.person_id)
          .Field("sha256", r.blob_id)
          .Field("href", base + "/revisions/" + r.blob_id)
          .EndObject();
    }
    w.EndArray();
    if (HasCertifiedCopy(a)) w.Field("certified_copy", base + "/certified-copy");
    if (!a.receipt_blob_id.empty()) w.Field("receipt", base + "/receipt");
    w.EndObject();
    w.EndObject();
  }
  w.EndArray().Key("next_cursor");
  if (page.next_cursor.empty()) {
    w.Null();
  } else {
    w.String(page.next_cursor);
  }
  w.EndObject();
}

}  // namespace rubrica::server::api
