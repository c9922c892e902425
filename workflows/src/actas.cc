// Actas: drafting, versions, review comments, the required-signer set, and reads.
// Approval and certification are in acta_approval.cc; signatures, archive and delivery in
// acta_signing.cc.
#include "rubrica/workflows/actas.h"

#include "acta_rows.h"
#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "rubrica/base/crypto_util.h"
#include "session_rows.h"
#include "terms.h"
#include "transaction.h"

namespace rubrica::workflows {

using namespace std::chrono;

namespace {

struct DerivedSigner {
  int64_t person_id;
  std::string capacity;
  std::optional<int64_t> seat_id;
};

// Seed footnote (000) and DESIGN: the installation acta is signed by every titular and
// every substitute; a session minute by whoever sat in each seat (III.6).
Result<std::vector<DerivedSigner>> DeriveSigners(store::Transaction& tx, const Secretariat& s,
                                                 ActaKind kind,
                                                 const std::optional<SessionRecord>& session,
                                                 year_month_day acta_date) {
  std::vector<DerivedSigner> signers;
  if (kind == ActaKind::kInstallation) {
    ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, acta_date));
    for (const auto& t : terms) {
      if (t.seat_id) signers.push_back({t.person_id, std::string(TermRoleName(t.role)), t.seat_id});
    }
    return signers;
  }
  ASSIGN_OR_RETURN(auto attendance, LoadAttendance(tx, session->id));
  std::optional<int64_t> facilitator;
  for (const auto& a : attendance) {
    if (a.seat_id)
      signers.push_back({a.person_id, std::string(CapacityName(a.capacity)), a.seat_id});
    if (a.capacity == Capacity::kFacilitator) facilitator = a.person_id;
  }
  if (s.config.facilitator_signs_minutes) {
    if (!facilitator) {
      ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, acta_date));
      for (const auto& t : terms) {
        if (t.role == TermRole::kFacilitator) facilitator = t.person_id;
      }
    }
    if (facilitator) signers.push_back({*facilitator, "facilitator", std::nullopt});
  }
  return signers;
}

// The acta, when `actor` may adjust its required signers now (facilitator; draft or review).
Result<ActaRecord> LoadAdjustable(store::Transaction& tx, const Clock& clock, int64_t acta_id,
                                  const Actor& actor) {
  ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
  auto auth = Authorize(tx, clock, acta.secretariat_id, actor, kFacilitator,
                        "adjust the required signers", "ajustar quiénes firman el acta");
  if (!auth.ok()) return auth.status();
  if (acta.state != ActaState::kDraft && acta.state != ActaState::kReview) {
    return ActaOutOfTurn(acta, "adjusting signers", "ajustar quiénes firman",
                         {ActaState::kDraft, ActaState::kReview});
  }
  return acta;
}

std::string SignersJson(const std::vector<DerivedSigner>& signers) {
  std::string json = "[";
  for (size_t i = 0; i < signers.size(); ++i) {
    Payload p;
    p.Add("person", signers[i].person_id).Add("capacity", signers[i].capacity);
    if (signers[i].seat_id) p.Add("seat", *signers[i].seat_id);
    json += (i ? "," : "") + p.str();
  }
  return json + "]";
}

Status InsertVersion(store::Transaction& tx, const Clock& clock, const Actor& actor,
                     int64_t acta_id, int version, const std::string& content) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("INSERT INTO wf_acta_version(acta_id, version, content_json, "
                              "created_at, created_by) VALUES(?,?,?,?,?)"));
  st.Bind(1, acta_id)
      .Bind(2, int64_t{version})
      .Bind(3, content)
      .Bind(4, FormatRfc3339UtcMicros(clock.Now()))
      .Bind(5, actor.AuditName());
  return st.Run();
}

}  // namespace

Result<int64_t> Actas::CreateDraft(const Actor& actor, const NewActa& in) {
  if (in.title.empty()) return BadInput("acta without a title", "Falta el título del acta.");
  RETURN_IF_ERROR(CheckContent(in.content_json));
  const bool minute = in.kind == ActaKind::kSessionMinute;
  if (minute && !in.session_id) {
    return BadInput("a session minute needs its session",
                    "El acta de sesión debe indicar la sesión que documenta.");
  }
  if (!in.session_id && (!in.acta_date || !in.acta_date->ok())) {
    return BadInput("an installation acta without a session needs its date",
                    "El acta de instalación necesita su fecha.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, in.secretariat_id, actor, kFacilitator, "draft an acta",
                               "redactar el acta circunstanciada"));
    const Secretariat& s = auth.secretariat;
    std::optional<SessionRecord> session;
    year_month_day acta_date;
    if (in.session_id) {
      ASSIGN_OR_RETURN(session, LoadSession(tx, *in.session_id));
      if (session->secretariat_id != s.id) return NotFound("session", "la sesión", *in.session_id);
      if (session->status != SessionStatus::kClosed) {
        return OutOfTurn("session " + std::to_string(session->id) + " is " +
                             std::string(SessionStatusName(session->status)) + ", not closed",
                         "El acta se redacta de una sesión celebrada y clausurada.");
      }
      acta_date = session->session_date;
      if (minute) {
        ASSIGN_OR_RETURN(store::Statement st,
                         tx.Prepare("SELECT id FROM wf_acta WHERE session_id = ? AND "
                                    "kind = 'session_minute'"));
        st.Bind(1, session->id);
        ASSIGN_OR_RETURN(bool exists, st.Step());
        if (exists) {
          return Refusal(ErrorKind::kConflict, "acta_exists",
                         "session " + std::to_string(session->id) + " already has acta " +
                             std::to_string(st.ColumnInt(0)),
                         "Esta sesión ya tiene su acta; publique una nueva versión de ella.");
        }
      }
    } else {
      acta_date = *in.acta_date;
    }
    ASSIGN_OR_RETURN(auto signers, DeriveSigners(tx, s, in.kind, session, acta_date));
    if (signers.empty()) {
      return Refusal(ErrorKind::kRejected, "no_required_signers",
                     "no required signer derives from the " + std::string(ActaKindName(in.kind)) +
                         " on " + FormatDate(acta_date),
                     "No hay integrantes que deban firmar el acta: registre primero a los "
                     "integrantes y su asistencia.");
    }
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_acta(secretariat_id, kind, session_id, title, "
                                "acta_date, state, current_version, created_at) "
                                "VALUES(?,?,?,?,?,'draft',1,?)"));
    ins.Bind(1, s.id)
        .Bind(2, ActaKindName(in.kind))
        .Bind(4, in.title)
        .Bind(5, FormatDate(acta_date))
        .Bind(6, FormatRfc3339UtcMicros(clock_.Now()));
    if (session) {
      ins.Bind(3, session->id);
    } else {
      ins.BindNull(3);
    }
    RETURN_IF_ERROR(ins.Run());
    const int64_t id = tx.LastInsertId();
    RETURN_IF_ERROR(InsertVersion(tx, clock_, actor, id, 1, in.content_json));
    for (const auto& signer : signers) {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("INSERT INTO wf_acta_signer(acta_id, person_id, capacity, "
                                  "seat_id, added_by_facilitator) VALUES(?,?,?,?,0)"));
      st.Bind(1, id).Bind(2, signer.person_id).Bind(3, signer.capacity);
      BindOptionalId(st, 4, signer.seat_id);
      RETURN_IF_ERROR(st.Run());
    }
    Payload p;
    p.Add("kind", ActaKindName(in.kind))
        .Add("title", in.title)
        .Add("acta_date", FormatDate(acta_date));
    if (session) p.Add("session", session->id);
    p.AddRaw("signers", SignersJson(signers));
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "acta.create", "acta", id, p));
    return id;
  });
}

Result<int> Actas::AddVersion(const Actor& actor, int64_t acta_id, const std::string& content) {
  RETURN_IF_ERROR(CheckContent(content));
  return Write(db_, [&](store::Transaction& tx) -> Result<int> {
    ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, acta.secretariat_id, actor, kFacilitator,
                               "publish a version", "publicar versiones del acta"));
    if (acta.state != ActaState::kDraft && acta.state != ActaState::kReview) {
      return ActaOutOfTurn(acta, "a new version", "publicar una nueva versión",
                           {ActaState::kDraft, ActaState::kReview});
    }
    const int version = acta.current_version + 1;
    RETURN_IF_ERROR(InsertVersion(tx, clock_, actor, acta.id, version, content));
    ASSIGN_OR_RETURN(store::Statement up,
                     tx.Prepare("UPDATE wf_acta SET current_version = ? WHERE id = ?"));
    up.Bind(1, int64_t{version}).Bind(2, acta.id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "acta.version", "acta", acta.id,
                          Payload().Add("version", version).Add("sha256", Sha256Hex(content))));
    return version;
  });
}

Status Actas::SubmitForReview(const Actor& actor, int64_t acta_id) {
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, acta.secretariat_id, actor, kFacilitator,
                               "submit an acta for review", "someter el acta a revisión"));
    if (acta.state != ActaState::kDraft) {
      return ActaOutOfTurn(acta, "review", "someterla a revisión", {ActaState::kDraft});
    }
    ASSIGN_OR_RETURN(store::Statement up,
                     tx.Prepare("UPDATE wf_acta SET state = 'review' WHERE id = ?"));
    up.Bind(1, acta.id);
    RETURN_IF_ERROR(up.Run());
    RETURN_IF_ERROR(Audit(
        tx, clock_, actor, "acta.submit", "acta", acta.id,
        Payload().Add("from", "draft").Add("to", "review").Add("version", acta.current_version)));
    return Status::Ok();
  });
}

Result<int64_t> Actas::Comment(const Actor& actor, int64_t acta_id, const std::string& text,
                               const CommentAnchor& anchor) {
  if (text.empty()) return BadInput("empty comment", "El comentario está vacío.");
  if (anchor.page && (*anchor.page < 1 || *anchor.page > CommentAnchor::kMaxPage)) {
    return BadInput("comment page " + std::to_string(*anchor.page) + " out of range",
                    "La hoja señalada por el comentario no existe.");
  }
  if (anchor.paragraph &&
      (*anchor.paragraph < 1 || *anchor.paragraph > CommentAnchor::kMaxParagraph)) {
    return BadInput("comment paragraph " + std::to_string(*anchor.paragraph) + " out of range",
                    "El párrafo señalado por el comentario no existe.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
    ASSIGN_OR_RETURN(Authorized auth, Authorize(tx, clock_, acta.secretariat_id, actor, 0, "", ""));
    const Roles& roles = auth.roles;
    bool signer = false;
    for (const auto& r : acta.signers)
      signer = signer || (actor.is_person() && r.person_id == actor.person_id);
    if (!signer) {
      RETURN_IF_ERROR(
          Require(roles, kFacilitator | kMember, actor, "comment on an acta", "comentar el acta"));
    }
    if (acta.state != ActaState::kReview) {
      return ActaOutOfTurn(acta, "comments", "comentar", {ActaState::kReview});
    }
    ASSIGN_OR_RETURN(
        store::Statement ins,
        tx.Prepare("INSERT INTO wf_acta_comment(acta_id, version, person_id, at, text, page, "
                   "paragraph) VALUES(?,?,?,?,?,?,?)"));
    ins.Bind(1, acta.id)
        .Bind(2, int64_t{acta.current_version})
        .Bind(3, actor.person_id)
        .Bind(4, FormatRfc3339UtcMicros(clock_.Now()))
        .Bind(5, text);
    auto bind_optional = [&](int index, const std::optional<int>& v) {
      if (v) {
        ins.Bind(index, int64_t{*v});
      } else {
        ins.BindNull(index);
      }
    };
    bind_optional(6, anchor.page);
    bind_optional(7, anchor.paragraph);
    RETURN_IF_ERROR(ins.Run());
    const int64_t id = tx.LastInsertId();
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "acta.comment", "acta", acta.id,
                          Payload().Add("comment", id).Add("version", acta.current_version)));
    return id;
  });
}

Status Actas::AddRequiredSigner(const Actor& actor, int64_t acta_id, int64_t person_id,
                                const std::string& capacity) {
  if (capacity.empty()) {
    return BadInput("signer capacity is empty", "Indique en qué carácter firma la persona.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(ActaRecord acta, LoadAdjustable(tx, clock_, acta_id, actor));
    ASSIGN_OR_RETURN(PersonRow person, LoadPerson(tx, person_id));
    for (const auto& r : acta.signers) {
      if (r.person_id == person.id) {
        return Refusal(ErrorKind::kConflict, "already_required",
                       "person " + std::to_string(person.id) + " already signs acta " +
                           std::to_string(acta.id),
                       person.full_name + " ya está entre quienes firman el acta.");
      }
    }
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_acta_signer(acta_id, person_id, capacity, seat_id, "
                                "added_by_facilitator) VALUES(?,?,?,NULL,1)"));
    ins.Bind(1, acta.id).Bind(2, person.id).Bind(3, capacity);
    RETURN_IF_ERROR(ins.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "acta.signer_add", "acta", acta.id,
                          Payload().Add("person", person.id).Add("capacity", capacity)));
    return Status::Ok();
  });
}

Status Actas::RemoveRequiredSigner(const Actor& actor, int64_t acta_id, int64_t person_id) {
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(ActaRecord acta, LoadAdjustable(tx, clock_, acta_id, actor));
    const RequiredSigner* found = nullptr;
    for (const auto& r : acta.signers) {
      if (r.person_id == person_id) found = &r;
    }
    if (!found) {
      return Refusal(
          ErrorKind::kNotFound, "not_a_required_signer",
          "person " + std::to_string(person_id) + " does not sign acta " + std::to_string(acta.id),
          "Esa persona no está entre quienes firman el acta.");
    }
    if (acta.signers.size() == 1) {
      return BadInput("acta " + std::to_string(acta.id) + " would have no signer",
                      "El acta debe tener al menos una persona que la firme.");
    }
    ASSIGN_OR_RETURN(store::Statement del,
                     tx.Prepare("DELETE FROM wf_acta_signer WHERE acta_id = ? AND person_id = ?"));
    del.Bind(1, acta.id).Bind(2, person_id);
    RETURN_IF_ERROR(del.Run());
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "acta.signer_remove", "acta", acta.id,
                          Payload().Add("person", person_id).Add("capacity", found->capacity)));
    return Status::Ok();
  });
}

Result<ActaRecord> Actas::Get(int64_t acta_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  return LoadActa(tx, acta_id);
}

Result<ActaRecord> Actas::GetByFolio(const std::string& folio) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT id FROM wf_acta WHERE folio = ?"));
  st.Bind(1, folio);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Refusal(ErrorKind::kNotFound, "not_found", "no acta has folio '" + folio + "'",
                   "No existe un acta con el folio " + folio + ".");
  }
  const int64_t id = st.ColumnInt(0);
  return LoadActa(tx, id);
}

Result<std::string> Actas::Version(int64_t acta_id, int version) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  return LoadVersionContent(tx, acta_id, version);
}

Result<std::vector<ActaComment>> Actas::Comments(int64_t acta_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(ActaRecord acta, LoadActa(tx, acta_id));
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT id, version, person_id, at, text, page, paragraph "
                              "FROM wf_acta_comment WHERE acta_id = ? ORDER BY id"));
  st.Bind(1, acta.id);
  std::vector<ActaComment> list;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ActaComment c;
    c.id = st.ColumnInt(0);
    c.version = static_cast<int>(st.ColumnInt(1));
    c.person_id = st.ColumnInt(2);
    ASSIGN_OR_RETURN(c.at, ParseStoredInstant(st.ColumnText(3)));
    c.text = st.ColumnText(4);
    if (!st.ColumnIsNull(5)) c.anchor.page = static_cast<int>(st.ColumnInt(5));
    if (!st.ColumnIsNull(6)) c.anchor.paragraph = static_cast<int>(st.ColumnInt(6));
    list.push_back(std::move(c));
  }
  return list;
}

}  // namespace rubrica::workflows
