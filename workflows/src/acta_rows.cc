#include "acta_rows.h"

#include <algorithm>
#include <atomic>

#include "dates.h"
#include "refusal.h"
#include "rubrica/base/json_reader.h"

namespace rubrica::workflows {

namespace {

constexpr size_t kMaxContentBytes = 1u << 20;

Result<ActaState> ParseState(std::string_view s) {
  for (auto st : {ActaState::kDraft, ActaState::kReview, ActaState::kApproved, ActaState::kRubric,
                  ActaState::kFootSignature, ActaState::kArchived, ActaState::kDelivered}) {
    if (ActaStateName(st) == s) return st;
  }
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_acta",
                       "stored acta state '" + std::string(s) + "' is unknown");
}

Result<DecisionMethod> ParseMethod(std::string_view s) {
  if (s == "consensus") return DecisionMethod::kConsensus;
  if (s == "majority") return DecisionMethod::kMajority;
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_acta",
                       "stored approval method '" + std::string(s) + "' is unknown");
}

}  // namespace

std::string_view ActaKindName(ActaKind k) {
  return k == ActaKind::kInstallation ? "installation" : "session_minute";
}

std::string_view ActaStateName(ActaState s) {
  switch (s) {
    case ActaState::kDraft:
      return "draft";
    case ActaState::kReview:
      return "review";
    case ActaState::kApproved:
      return "approved";
    case ActaState::kRubric:
      return "rubric";
    case ActaState::kFootSignature:
      return "foot_signature";
    case ActaState::kArchived:
      return "archived";
    case ActaState::kDelivered:
      return "delivered";
  }
  return "draft";
}

std::string_view SignatureKindName(SignatureKind k) {
  return k == SignatureKind::kRubric ? "rubric" : "foot";
}

std::string ActaStateEs(ActaState s) {
  switch (s) {
    case ActaState::kDraft:
      return "borrador";
    case ActaState::kReview:
      return "revisión";
    case ActaState::kApproved:
      return "aprobada";
    case ActaState::kRubric:
      return "rúbrica";
    case ActaState::kFootSignature:
      return "firma al calce";
    case ActaState::kArchived:
      return "archivada";
    case ActaState::kDelivered:
      return "entregada";
  }
  return "borrador";
}

Status ActaOutOfTurn(const ActaRecord& acta, std::string_view action_en, std::string_view action_es,
                     std::initializer_list<ActaState> allowed) {
  std::string en, es;
  for (ActaState s : allowed) {
    en += (en.empty() ? "" : " or ") + std::string(ActaStateName(s));
    es += (es.empty() ? "«" : "», «") + ActaStateEs(s);
  }
  return OutOfTurn("acta " + std::to_string(acta.id) + " is " +
                       std::string(ActaStateName(acta.state)) + "; " + std::string(action_en) +
                       " needs " + en,
                   "El acta está en estado «" + ActaStateEs(acta.state) + "»; " +
                       std::string(action_es) + " solo procede en estado " + es + "».");
}

Result<std::string> LoadVersionContent(store::Transaction& tx, int64_t acta_id, int version) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT content_json FROM wf_acta_version WHERE acta_id = ? AND "
                              "version = ?"));
  st.Bind(1, acta_id).Bind(2, int64_t{version});
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("acta version", "la versión del acta", version);
  return st.ColumnText(0);
}

Status CheckContent(const std::string& json) {
  auto bad = [](const std::string& why) {
    return Refusal(ErrorKind::kInvalidArgument, "bad_content", "acta content: " + why,
                   "El contenido del acta debe ser un objeto JSON válido de hasta 1 MiB.");
  };
  if (json.size() > kMaxContentBytes) return bad("larger than 1 MiB");
  JsonReaderOptions o;
  o.max_bytes = kMaxContentBytes;
  o.max_depth = 64;
  o.normalize_text = false;  // the API normalised it; stored content is kept as written
  auto parsed = JsonReader::Parse(json, o);
  if (!parsed.ok()) return bad(parsed.status().message());
  return Status::Ok();
}

const ActaApproval* CurrentApproval(const ActaRecord& acta) {
  return acta.approvals.empty() ? nullptr : &acta.approvals.back();
}

std::vector<int64_t> MissingSigners(const ActaRecord& acta, SignatureKind kind) {
  const ActaApproval* current = CurrentApproval(acta);
  std::vector<int64_t> missing;
  for (const auto& signer : acta.signers) {
    bool signed_it =
        current &&
        std::any_of(acta.signatures.begin(), acta.signatures.end(), [&](const ActaSignature& s) {
          return s.approval_round == current->round && s.person_id == signer.person_id &&
                 s.kind == kind;
        });
    if (!signed_it) missing.push_back(signer.person_id);
  }
  return missing;
}

namespace {
std::atomic<uint64_t> g_acta_reads{0};
}  // namespace

uint64_t ActaReadsSoFar() { return g_acta_reads.load(std::memory_order_relaxed); }

bool IsComplete(const ActaRecord& a) {
  return CurrentApproval(a) != nullptr && !a.signers.empty() &&
         MissingSigners(a, SignatureKind::kRubric).empty() &&
         MissingSigners(a, SignatureKind::kFoot).empty();
}

Result<ActaRecord> LoadActa(store::Transaction& tx, int64_t acta_id) {
  g_acta_reads.fetch_add(1, std::memory_order_relaxed);
  ActaRecord a;
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT id, secretariat_id, kind, session_id, title, acta_date, "
                                "state, current_version, current_blob_id, archived_blob_id, "
                                "delivered_at, delivered_to, receipt_blob_id, folio FROM wf_acta "
                                "WHERE id = ?"));
    st.Bind(1, acta_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound("acta", "el acta", acta_id);
    a.id = st.ColumnInt(0);
    a.secretariat_id = st.ColumnInt(1);
    a.kind =
        st.ColumnText(2) == "installation" ? ActaKind::kInstallation : ActaKind::kSessionMinute;
    if (!st.ColumnIsNull(3)) a.session_id = st.ColumnInt(3);
    a.title = st.ColumnText(4);
    ASSIGN_OR_RETURN(a.acta_date, ParseStoredDate(st.ColumnText(5)));
    ASSIGN_OR_RETURN(a.state, ParseState(st.ColumnText(6)));
    a.current_version = static_cast<int>(st.ColumnInt(7));
    a.current_blob_id = st.ColumnText(8);
    a.archived_blob_id = st.ColumnText(9);
    if (!st.ColumnIsNull(10)) {
      ASSIGN_OR_RETURN(a.delivered_at, ParseStoredInstant(st.ColumnText(10)));
    }
    a.delivered_to = st.ColumnText(11);
    a.receipt_blob_id = st.ColumnText(12);
    if (!st.ColumnIsNull(13)) a.folio = st.ColumnText(13);
  }
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT s.person_id, s.capacity, s.seat_id, s.added_by_facilitator "
                                "FROM wf_acta_signer s WHERE s.acta_id = ? "
                                "ORDER BY s.seat_id IS NULL, s.seat_id, s.added_by_facilitator, "
                                "s.person_id"));
    st.Bind(1, a.id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      RequiredSigner r;
      r.person_id = st.ColumnInt(0);
      r.capacity = st.ColumnText(1);
      if (!st.ColumnIsNull(2)) r.seat_id = st.ColumnInt(2);
      r.added_by_facilitator = st.ColumnInt(3) != 0;
      a.signers.push_back(std::move(r));
    }
  }
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT id, round, version, approved_on, method, yes, no, abstain, "
                                "certified_blob_id, superseded_at, content_sha256 FROM wf_acta_approval "
                                "WHERE acta_id = ? ORDER BY round"));
    st.Bind(1, a.id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ActaApproval ap;
      ap.id = st.ColumnInt(0);
      ap.round = static_cast<int>(st.ColumnInt(1));
      ap.version = static_cast<int>(st.ColumnInt(2));
      ASSIGN_OR_RETURN(ap.approved_on, ParseStoredDate(st.ColumnText(3)));
      ASSIGN_OR_RETURN(ap.tally.method, ParseMethod(st.ColumnText(4)));
      ap.tally.yes = static_cast<int>(st.ColumnInt(5));
      ap.tally.no = static_cast<int>(st.ColumnInt(6));
      ap.tally.abstain = static_cast<int>(st.ColumnInt(7));
      ap.tally.seats = ap.tally.yes + ap.tally.no + ap.tally.abstain;
      ap.tally.outcome = DecisionOutcome::kApproved;
      ap.certified_blob_id = st.ColumnText(8);
      ap.superseded = !st.ColumnIsNull(9);
      ap.content_sha256 = st.ColumnText(10);
      a.approvals.push_back(std::move(ap));
    }
  }
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT g.id, p.round, g.person_id, g.kind, g.at, g.local_date, "
                                "g.blob_id, g.warning FROM wf_acta_signature g JOIN "
                                "wf_acta_approval p ON p.id = g.approval_id WHERE g.acta_id = ? "
                                "ORDER BY g.id"));
    st.Bind(1, a.id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ActaSignature s;
      s.id = st.ColumnInt(0);
      s.approval_round = static_cast<int>(st.ColumnInt(1));
      s.person_id = st.ColumnInt(2);
      s.kind = st.ColumnText(3) == "rubric" ? SignatureKind::kRubric : SignatureKind::kFoot;
      ASSIGN_OR_RETURN(s.at, ParseStoredInstant(st.ColumnText(4)));
      ASSIGN_OR_RETURN(s.local_date, ParseStoredDate(st.ColumnText(5)));
      s.blob_id = st.ColumnText(6);
      s.warning = st.ColumnText(7);
      a.signatures.push_back(std::move(s));
    }
  }
  a.complete = IsComplete(a);
  return a;
}

}  // namespace rubrica::workflows
