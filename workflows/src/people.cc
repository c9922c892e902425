#include "rubrica/workflows/people.h"

#include <set>

#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "rubrica/store/blob_store.h"
#include "terms.h"
#include "transaction.h"
#include "rubrica/lang/dates.h"

namespace rubrica::workflows {

using namespace std::chrono;

std::string_view TermRoleName(TermRole r) {
  switch (r) {
    case TermRole::kTitular:
      return "titular";
    case TermRole::kSubstitute:
      return "substitute";
    case TermRole::kFacilitator:
      return "facilitator";
  }
  return "titular";
}

namespace {

std::string RoleEs(TermRole r) {
  switch (r) {
    case TermRole::kTitular:
      return "titular";
    case TermRole::kSubstitute:
      return "suplente";
    case TermRole::kFacilitator:
      return "facilitador";
  }
  return "titular";
}

// The seat's secretariat, or not_found when the seat is not of `secretariat_id`.
Status CheckSeat(store::Transaction& tx, int64_t secretariat_id, int64_t seat_id) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT secretariat_id FROM wf_seat WHERE id = ?"));
  st.Bind(1, seat_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.ColumnInt(0) != secretariat_id) {
    return NotFound("seat", "el asiento", seat_id);
  }
  return Status::Ok();
}

// Terms of `person_id` in `secretariat_id` overlapping [from, to], of the given kind
// (facilitator or seat terms).
Result<bool> PersonHasOverlappingTerm(store::Transaction& tx, int64_t secretariat_id,
                                      int64_t person_id, bool facilitator, year_month_day from,
                                      year_month_day to) {
  ASSIGN_OR_RETURN(
      store::Statement st,
      tx.Prepare("SELECT 1 FROM wf_term WHERE secretariat_id = ?1 AND person_id = ?2 "
                 "AND (role = 'facilitator') = ?3 AND starts_on <= ?5 AND ends_on >= ?4 "
                 "AND (removed_on IS NULL OR removed_on > ?4) LIMIT 1"));
  st.Bind(1, secretariat_id)
      .Bind(2, person_id)
      .Bind(3, int64_t{facilitator})
      .Bind(4, FormatDate(from))
      .Bind(5, FormatDate(to));
  return st.Step();
}

// The latest term of the seat (or the facilitator's post when seat is absent) and role
// that starts before `before`.
Result<std::optional<TermRecord>> PreviousTerm(store::Transaction& tx, int64_t secretariat_id,
                                               std::optional<int64_t> seat, TermRole role,
                                               year_month_day before) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT " + std::string(kTermColumns) +
                              " FROM wf_term t WHERE t.secretariat_id = ?1 AND "
                              "t.seat_id IS ?2 AND t.role = ?3 AND t.starts_on < ?4 "
                              "ORDER BY t.starts_on DESC, t.id DESC LIMIT 1"));
  st.Bind(1, secretariat_id).Bind(3, TermRoleName(role)).Bind(4, FormatDate(before));
  BindOptionalId(st, 2, seat);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<TermRecord>();
  ASSIGN_OR_RETURN(TermRecord t, ReadTerm(st));
  return std::optional<TermRecord>(std::move(t));
}

}  // namespace

Result<int64_t> People::AddPerson(const Actor& actor, const PersonInput& p) {
  if (actor.is_person()) {
    return RoleNotAllowed(actor, "register people", "la administración de la instalación",
                          "registrar personas");
  }
  if (p.full_name.empty()) {
    return BadInput("person needs a full name", "Falta el nombre completo de la persona.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("INSERT INTO wf_person(full_name, title, email, gender, "
                                "created_at) VALUES(?,?,?,?,?)"));
    st.Bind(1, p.full_name)
        .Bind(2, p.title)
        .Bind(3, p.email)
        .Bind(4, lang::GenderName(p.gender))
        .Bind(5, FormatRfc3339UtcMicros(clock_.Now()));
    RETURN_IF_ERROR(st.Run());
    const int64_t id = tx.LastInsertId();
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "person.add", "person", id,
                          Payload()
                              .Add("full_name", p.full_name)
                              .Add("title", p.title)
                              .Add("gender", lang::GenderName(p.gender))));
    return id;
  });
}

Result<int64_t> People::AddSeat(const Actor& actor, int64_t secretariat_id, const SeatInput& seat) {
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, secretariat_id, actor, kAdministrator | kFacilitator,
                               "add a seat", "agregar un asiento al secretariado"));
    const Secretariat& s = auth.secretariat;
    bool known = false;
    std::string types_es;
    for (const auto& t : s.config.member_types) {
      known = known || t.code == seat.member_type;
      types_es += (types_es.empty() ? "" : ", ") + t.label_es;
    }
    if (!known) {
      return Refusal(ErrorKind::kInvalidArgument, "unknown_member_type",
                     "member type '" + seat.member_type + "' is not configured in secretariat " +
                         std::to_string(s.id),
                     "El tipo de integrante '" + seat.member_type +
                         "' no está configurado en este secretariado; los tipos son: " + types_es +
                         ".");
    }
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("INSERT INTO wf_seat(secretariat_id, member_type, represents) "
                                "VALUES(?,?,?)"));
    st.Bind(1, s.id).Bind(2, seat.member_type).Bind(3, seat.represents);
    RETURN_IF_ERROR(st.Run());
    const int64_t id = tx.LastInsertId();
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "seat.add", "seat", id,
                          Payload()
                              .Add("secretariat", s.id)
                              .Add("member_type", seat.member_type)
                              .Add("represents", seat.represents)));
    return id;
  });
}

Result<int64_t> People::StartTerm(const Actor& actor, int64_t secretariat_id, const TermInput& in) {
  const bool facilitator_post = in.role == TermRole::kFacilitator;
  if (facilitator_post == in.seat_id.has_value()) {
    return BadInput("a titular or substitute term needs a seat; a facilitator term has none",
                    "Un periodo de titular o suplente necesita asiento; el del facilitador no.");
  }
  if (!in.starts_on.ok() || (in.ends_on && (!in.ends_on->ok() || *in.ends_on < in.starts_on))) {
    return BadInput("term needs valid start and end dates",
                    "El periodo necesita fechas de inicio y término válidas.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, secretariat_id, actor,
                               facilitator_post ? kAdministrator : kAdministrator | kFacilitator,
                               "start a term", "registrar el periodo de un integrante"));
    const Secretariat& s = auth.secretariat;
    ASSIGN_OR_RETURN(PersonRow person, LoadPerson(tx, in.person_id));
    if (in.seat_id) RETURN_IF_ERROR(CheckSeat(tx, s.id, *in.seat_id));

    year_month_day ends;
    if (s.config.term_rule == TermRule::kFixedLength) {
      ends = in.ends_on.value_or(TermEnd(in.starts_on, s.config.term_months));
    } else {
      const year_month_day admin_end = *s.config.administration_ends;
      ends = in.ends_on.value_or(admin_end);
      if (in.starts_on > admin_end || ends > admin_end) {
        return BadInput("term " + FormatDate(in.starts_on) + ".." + FormatDate(ends) +
                            " goes past the administration's end " + FormatDate(admin_end),
                        "La vigencia dura lo que la administración municipal (lineamiento I.4), "
                        "que termina el " +
                            lang::DateEs(admin_end) + ".");
      }
    }

    ASSIGN_OR_RETURN(
        bool other_post,
        PersonHasOverlappingTerm(tx, s.id, person.id, !facilitator_post, in.starts_on, ends));
    if (other_post) {
      return Refusal(ErrorKind::kRejected, "facilitator_cannot_hold_seat",
                     "person " + std::to_string(person.id) +
                         " cannot be facilitator and seat holder at once in secretariat " +
                         std::to_string(s.id),
                     "El facilitador tiene voz sin voto (lineamiento III.9): no puede ocupar a la "
                     "vez un asiento de integrante.");
    }

    {
      ASSIGN_OR_RETURN(
          store::Statement st,
          tx.Prepare("SELECT person_id, starts_on, ends_on FROM wf_term WHERE secretariat_id = ?1 "
                     "AND seat_id IS ?2 AND role = ?3 AND starts_on <= ?5 AND ends_on >= ?4 "
                     "AND (removed_on IS NULL OR removed_on > ?4) LIMIT 1"));
      st.Bind(1, s.id)
          .Bind(3, TermRoleName(in.role))
          .Bind(4, FormatDate(in.starts_on))
          .Bind(5, FormatDate(ends));
      BindOptionalId(st, 2, in.seat_id);
      ASSIGN_OR_RETURN(bool taken, st.Step());
      if (taken) {
        return Refusal(ErrorKind::kConflict, "seat_taken",
                       "the " + std::string(TermRoleName(in.role)) + " post is held by person " +
                           std::to_string(st.ColumnInt(0)) + " from " + st.ColumnText(1) + " to " +
                           st.ColumnText(2),
                       "Ese cargo (" + RoleEs(in.role) + ") ya está ocupado del " +
                           st.ColumnText(1) + " al " + st.ColumnText(2) +
                           ": cada asiento tiene un titular y un suplente.");
      }
    }

    int reelections = 0;
    ASSIGN_OR_RETURN(auto previous, PreviousTerm(tx, s.id, in.seat_id, in.role, in.starts_on));
    if (previous && previous->person_id == person.id && !previous->removed_on) {
      reelections = previous->reelection_count + 1;
      const int max = s.config.max_reelections;
      if (!facilitator_post && max >= 0 && reelections > max) {
        return Refusal(ErrorKind::kRejected, "reelection_limit",
                       "person " + std::to_string(person.id) + " already re-elected " +
                           std::to_string(previous->reelection_count) + " time(s); limit " +
                           std::to_string(max),
                       "Los integrantes pueden reelegirse " +
                           std::string(max == 1 ? "por una sola ocasión"
                                                : "hasta " + std::to_string(max) + " veces") +
                           " (lineamiento I.5); " + person.full_name + " ya se reeligió " +
                           (previous->reelection_count == 1
                                ? std::string("una vez")
                                : std::to_string(previous->reelection_count) + " veces") +
                           " en este cargo.");
      }
    }

    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_term(secretariat_id, seat_id, person_id, role, "
                                "starts_on, ends_on, reelection_count) VALUES(?,?,?,?,?,?,?)"));
    ins.Bind(1, s.id)
        .Bind(3, person.id)
        .Bind(4, TermRoleName(in.role))
        .Bind(5, FormatDate(in.starts_on))
        .Bind(6, FormatDate(ends))
        .Bind(7, int64_t{reelections});
    BindOptionalId(ins, 2, in.seat_id);
    RETURN_IF_ERROR(ins.Run());
    const int64_t id = tx.LastInsertId();
    Payload p;
    p.Add("person", person.id).Add("role", TermRoleName(in.role));
    if (in.seat_id) p.Add("seat", *in.seat_id);
    p.Add("starts_on", FormatDate(in.starts_on))
        .Add("ends_on", FormatDate(ends))
        .Add("reelection", reelections);
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "term.start", "term", id, p));
    return id;
  });
}

Result<int64_t> People::Reelect(const Actor& actor, int64_t term_id) {
  ASSIGN_OR_RETURN(TermRecord t, GetTerm(term_id));
  if (t.removed_on) {
    return Refusal(ErrorKind::kRejected, "removed",
                   "term " + std::to_string(term_id) + " ended by removal",
                   "Quien fue removido no puede reelegirse para el periodo siguiente.");
  }
  TermInput next;
  next.person_id = t.person_id;
  next.role = t.role;
  next.seat_id = t.seat_id;
  next.starts_on = year_month_day{sys_days(t.ends_on) + days(1)};
  return StartTerm(actor, t.secretariat_id, next);
}

Result<TermRecord> People::GetTerm(int64_t term_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  return LoadTerm(tx, term_id);
}

Result<std::vector<TermRecord>> People::TermsInForce(int64_t secretariat_id,
                                                     year_month_day date) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, secretariat_id));
  return LoadTermsInForce(tx, s.id, date);
}

Result<int64_t> People::ProposeRemoval(const Actor& actor, int64_t target_term_id,
                                       const std::vector<int64_t>& proposers,
                                       const std::string& reason) {
  if (reason.empty()) {
    return BadInput("a removal needs a reason",
                    "La propuesta de remoción debe decir los actos u omisiones que la motivan "
                    "(lineamiento I.3).");
  }
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(TermRecord target, LoadTerm(tx, target_term_id));
    ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, target.secretariat_id));
    const year_month_day today = s.Today(clock_);
    ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, today));
    bool target_in_force = false;
    for (const auto& t : terms) target_in_force = target_in_force || t.id == target.id;
    if (!target_in_force || !target.seat_id) {
      return BadInput("term " + std::to_string(target.id) + " is not a seat term in force",
                      "Solo puede proponerse la remoción de un integrante en funciones.");
    }
    ASSIGN_OR_RETURN(Roles roles, ResolveRoles(tx, s, actor, today));
    bool actor_proposes = false;
    for (int64_t p : proposers)
      actor_proposes = actor_proposes || (actor.is_person() && p == actor.person_id);
    if (!roles.facilitator && !(roles.member() && actor_proposes)) {
      return RoleNotAllowed(actor, "file a removal proposal",
                            "uno de los integrantes que la proponen o el facilitador",
                            "presentar la propuesta de remoción");
    }
    // Count proposers who are members in force, one per seat, other than the target's seat.
    std::set<int64_t> seats;
    std::vector<std::pair<int64_t, int64_t>> valid;  // person, seat
    for (int64_t p : std::set<int64_t>(proposers.begin(), proposers.end())) {
      for (const auto& t : terms) {
        if (t.person_id == p && t.seat_id && *t.seat_id != *target.seat_id &&
            seats.insert(*t.seat_id).second) {
          valid.emplace_back(p, *t.seat_id);
        }
      }
    }
    if (valid.size() < 2) {
      return Refusal(ErrorKind::kRejected, "removal_needs_two_proposers",
                     "removal of term " + std::to_string(target.id) + " proposed by " +
                         std::to_string(valid.size()) + " member(s) of other seats; 2 needed",
                     "Se requieren al menos dos integrantes del secretariado para poner la "
                     "remoción en el orden del día (lineamiento I.3); la proponen " +
                         std::to_string(valid.size()) + ".");
    }
    {
      ASSIGN_OR_RETURN(store::Statement st,
                       tx.Prepare("SELECT id FROM wf_removal WHERE target_term_id = ? AND "
                                  "status = 'proposed'"));
      st.Bind(1, target.id);
      ASSIGN_OR_RETURN(bool pending, st.Step());
      if (pending) {
        return Refusal(ErrorKind::kConflict, "removal_pending",
                       "removal " + std::to_string(st.ColumnInt(0)) + " of term " +
                           std::to_string(target.id) + " is already pending",
                       "Ya hay una propuesta de remoción pendiente para este integrante.");
      }
    }
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_removal(secretariat_id, target_term_id, reason, "
                                "status, proposed_at) VALUES(?,?,?,'proposed',?)"));
    ins.Bind(1, s.id)
        .Bind(2, target.id)
        .Bind(3, reason)
        .Bind(4, FormatRfc3339UtcMicros(clock_.Now()));
    RETURN_IF_ERROR(ins.Run());
    const int64_t id = tx.LastInsertId();
    std::string list = "[";
    for (const auto& [person, seat] : valid) {
      ASSIGN_OR_RETURN(store::Statement p,
                       tx.Prepare("INSERT INTO wf_removal_proposer(removal_id, person_id, seat_id) "
                                  "VALUES(?,?,?)"));
      p.Bind(1, id).Bind(2, person).Bind(3, seat);
      RETURN_IF_ERROR(p.Run());
      list += (list.size() > 1 ? "," : "") + std::to_string(person);
    }
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "removal.propose", "removal", id,
                          Payload()
                              .Add("target_term", target.id)
                              .Add("reason", reason)
                              .AddRaw("proposers", list + "]")));
    return id;
  });
}

Result<int64_t> People::FileTermReport(const Actor& actor, int64_t term_id,
                                       const std::string& report_blob_id,
                                       const std::string& summary) {
  if (!store::IsBlobId(report_blob_id)) {
    return BadInput("report blob id '" + report_blob_id + "' is not a blob id",
                    "El informe de actividades debe estar guardado antes de registrarlo.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(TermRecord term, LoadTerm(tx, term_id));
    ASSIGN_OR_RETURN(Authorized auth, Authorize(tx, clock_, term.secretariat_id, actor, 0, "", ""));
    RETURN_IF_ERROR(RequireSelfOr(auth.roles, kFacilitator, actor, term.person_id,
                                  "file the report of term " + std::to_string(term_id),
                                  "quien ocupó el cargo o el facilitador",
                                  "registrar el informe de actividades"));
    ASSIGN_OR_RETURN(store::Statement q,
                     tx.Prepare("SELECT id FROM wf_term_report WHERE term_id = ?"));
    q.Bind(1, term.id);
    ASSIGN_OR_RETURN(bool exists, q.Step());
    if (exists) {
      return Refusal(ErrorKind::kConflict, "report_exists",
                     "term " + std::to_string(term.id) + " already has report " +
                         std::to_string(q.ColumnInt(0)),
                     "El informe de actividades de este periodo ya fue registrado.");
    }
    ASSIGN_OR_RETURN(store::Statement ins,
                     tx.Prepare("INSERT INTO wf_term_report(term_id, blob_id, summary, filed_at) "
                                "VALUES(?,?,?,?)"));
    ins.Bind(1, term.id)
        .Bind(2, report_blob_id)
        .Bind(3, summary)
        .Bind(4, FormatRfc3339UtcMicros(clock_.Now()));
    RETURN_IF_ERROR(ins.Run());
    const int64_t id = tx.LastInsertId();
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "term.report", "term", term.id,
                          Payload().Add("report", id).Add("blob", report_blob_id)));
    return id;
  });
}

}  // namespace rubrica::workflows
