#include "rubrica/workflows/secretariats.h"

#include "audit.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "transaction.h"
#include "rubrica/lang/dates.h"

namespace rubrica::workflows {

using std::chrono::year_month_day;

namespace {

bool Overlaps(const AgencyPeriod& a, const AgencyPeriod& b) {
  // Open-ended periods run forever.
  bool a_before_b = a.effective_to && *a.effective_to < b.effective_from;
  bool b_before_a = b.effective_to && *b.effective_to < a.effective_from;
  return !a_before_b && !b_before_a;
}

std::string Range(const AgencyPeriod& a) {
  return FormatDate(a.effective_from) + ".." + (a.effective_to ? FormatDate(*a.effective_to) : "");
}

// Inserts one agency, refusing overlaps with those already stored.
Status InsertAgency(store::Transaction& tx, int64_t secretariat_id, const AgencyPeriod& a) {
  ASSIGN_OR_RETURN(auto existing, LoadAgencies(tx, secretariat_id));
  for (const auto& e : existing) {
    if (Overlaps(e, a)) {
      return Refusal(ErrorKind::kConflict, "agency_overlap",
                     "agency '" + a.name + "' " + Range(a) + " overlaps '" + e.name + "' " +
                         Range(e) + " in secretariat " + std::to_string(secretariat_id),
                     "El periodo de " + a.name + " se traslapa con el de " + e.name +
                         ": en cada fecha las actas se envían a un solo órgano.");
    }
  }
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("INSERT INTO wf_agency(secretariat_id, name, address, "
                              "effective_from, effective_to) VALUES(?,?,?,?,?)"));
  st.Bind(1, secretariat_id)
      .Bind(2, a.name)
      .Bind(3, a.address)
      .Bind(4, FormatDate(a.effective_from));
  if (a.effective_to) {
    st.Bind(5, FormatDate(*a.effective_to));
  } else {
    st.BindNull(5);
  }
  return st.Run();
}

Status InsertHoliday(store::Transaction& tx, int64_t secretariat_id, year_month_day day,
                     const std::string& reason) {
  ASSIGN_OR_RETURN(store::Statement q, tx.Prepare("SELECT 1 FROM wf_holiday WHERE "
                                                  "secretariat_id = ? AND day = ?"));
  q.Bind(1, secretariat_id).Bind(2, FormatDate(day));
  ASSIGN_OR_RETURN(bool exists, q.Step());
  if (exists) {
    return Refusal(
        ErrorKind::kConflict, "holiday_exists",
        "holiday " + FormatDate(day) + " already in secretariat " + std::to_string(secretariat_id),
        "El " + lang::DateEs(day) + " ya es día inhábil en este secretariado.");
  }
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("INSERT INTO wf_holiday(secretariat_id, day, "
                                                   "reason) VALUES(?,?,?)"));
  st.Bind(1, secretariat_id).Bind(2, FormatDate(day)).Bind(3, reason);
  return st.Run();
}

}  // namespace

Result<int64_t> Secretariats::Create(const Actor& actor, const SecretariatConfig& c) {
  if (actor.is_person()) {
    return RoleNotAllowed(actor, "create a secretariat", "la administración de la instalación",
                          "crear un secretariado");
  }
  RETURN_IF_ERROR(c.Validate());
  auto zone = TimeZone::Load(c.time_zone);
  if (!zone.ok()) return zone.status();
  return Write(db_, [&](store::Transaction& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(
        store::Statement st,
        tx.Prepare("INSERT INTO wf_secretariat(kind, name, place, time_zone, garante_member_type, "
                   "cadence, quorum_rule, convener, presider, term_rule, term_months, "
                   "max_reelections, administration_ends, same_date_rule, "
                   "facilitator_signs_minutes, ordinary_notice_days, extraordinary_notice_days, "
                   "cancellation_notice_hours, federal_holidays, created_at, package_cosigner) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    st.Bind(1, KindName(c.kind))
        .Bind(2, c.name)
        .Bind(3, c.place)
        .Bind(4, c.time_zone)
        .Bind(5, c.garante_member_type)
        .Bind(6, CadenceName(c.cadence))
        .Bind(7, QuorumRuleName(c.quorum))
        .Bind(8, OfficerName(c.convener))
        .Bind(9, OfficerName(c.presider))
        .Bind(10, TermRuleName(c.term_rule))
        .Bind(11, int64_t{c.term_months})
        .Bind(12, int64_t{c.max_reelections})
        .Bind(14, SameDateRuleName(c.same_date))
        .Bind(15, int64_t{c.facilitator_signs_minutes})
        .Bind(16, int64_t{c.ordinary_notice_business_days})
        .Bind(17, int64_t{c.extraordinary_notice_business_days})
        .Bind(18, int64_t{c.cancellation_notice_hours})
        .Bind(19, int64_t{c.federal_holidays})
        .Bind(20, FormatRfc3339UtcMicros(clock_.Now()))
        .Bind(21, c.package_cosigner ? std::string(OfficerName(*c.package_cosigner)) : "none");
    if (c.administration_ends) {
      st.Bind(13, FormatDate(*c.administration_ends));
    } else {
      st.BindNull(13);
    }
    RETURN_IF_ERROR(st.Run());
    const int64_t id = tx.LastInsertId();
    int position = 0;
    for (const auto& t : c.member_types) {
      ASSIGN_OR_RETURN(store::Statement mt,
                       tx.Prepare("INSERT INTO wf_member_type(secretariat_id, code, label_es, "
                                  "position) VALUES(?,?,?,?)"));
      mt.Bind(1, id).Bind(2, t.code).Bind(3, t.label_es).Bind(4, int64_t{++position});
      RETURN_IF_ERROR(mt.Run());
    }
    for (const auto& a : c.agencies) RETURN_IF_ERROR(InsertAgency(tx, id, a));
    for (const auto& d : c.extra_holidays) RETURN_IF_ERROR(InsertHoliday(tx, id, d, ""));
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "secretariat.create", "secretariat", id,
                          Payload()
                              .Add("kind", KindName(c.kind))
                              .Add("name", c.name)
                              .Add("quorum", QuorumRuleName(c.quorum))
                              .Add("convener", OfficerName(c.convener))
                              .Add("presider", OfficerName(c.presider))
                              .Add("same_date", SameDateRuleName(c.same_date))));
    return id;
  });
}

Result<SecretariatRecord> Secretariats::Get(int64_t id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, id));
  SecretariatRecord r{id, std::move(s.config)};
  ASSIGN_OR_RETURN(r.config.agencies, LoadAgencies(tx, id));
  ASSIGN_OR_RETURN(r.config.extra_holidays, LoadHolidays(tx, id));
  return r;
}

Status Secretariats::AddAgency(const Actor& actor, int64_t secretariat_id,
                               const AgencyPeriod& agency) {
  if (actor.is_person()) {
    return RoleNotAllowed(actor, "configure agencies", "la administración de la instalación",
                          "configurar los órganos receptores");
  }
  if (agency.name.empty() || !agency.effective_from.ok() ||
      (agency.effective_to &&
       (!agency.effective_to->ok() || *agency.effective_to < agency.effective_from))) {
    return BadInput("agency needs a name and a valid date range",
                    "El órgano receptor necesita nombre y un periodo válido.");
  }
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, secretariat_id));
    RETURN_IF_ERROR(InsertAgency(tx, s.id, agency));
    RETURN_IF_ERROR(Audit(
        tx, clock_, actor, "secretariat.agency_add", "secretariat", s.id,
        Payload()
            .Add("agency", agency.name)
            .Add("from", FormatDate(agency.effective_from))
            .Add("to", agency.effective_to ? FormatDate(*agency.effective_to) : std::string())));
    return Status::Ok();
  });
}

Status Secretariats::SetPackageCosigner(const Actor& actor, int64_t secretariat_id, std::optional<Officer> cosigner) {
  if (actor.is_person()) {
    return RoleNotAllowed(actor, "change the package co-signer", "la administración de la instalación",
                          "cambiar quién cofirma el paquete mensual");
  }
  const std::string to = cosigner ? std::string(OfficerName(*cosigner)) : "none";
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, secretariat_id));
    const std::string from =
        s.config.package_cosigner ? std::string(OfficerName(*s.config.package_cosigner)) : "none";
    ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("UPDATE wf_secretariat SET package_cosigner = ? WHERE id = ?"));
    st.Bind(1, to).Bind(2, s.id);
    RETURN_IF_ERROR(st.Run());
    return Audit(tx, clock_, actor, "secretariat.package_cosigner_set", "secretariat", s.id,
                 Payload().Add("from", from).Add("to", to));
  });
}

Result<AgencyPeriod> Secretariats::AgencyOn(int64_t secretariat_id, year_month_day date) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, secretariat_id));
  ASSIGN_OR_RETURN(auto agencies, LoadAgencies(tx, s.id));
  for (const auto& a : agencies) {
    if (a.effective_from <= date && (!a.effective_to || date <= *a.effective_to)) return a;
  }
  return Refusal(
      ErrorKind::kNotFound, "no_agency",
      "secretariat " + std::to_string(secretariat_id) + " has no agency on " + FormatDate(date),
      "No hay un órgano receptor configurado para el " + lang::DateEs(date) + ".");
}

Status Secretariats::AddHoliday(const Actor& actor, int64_t secretariat_id, year_month_day day,
                                const std::string& reason) {
  if (!day.ok()) return BadInput("invalid holiday date", "La fecha del día inhábil no es válida.");
  return Write(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(Authorized auth,
                     Authorize(tx, clock_, secretariat_id, actor, kAdministrator | kFacilitator,
                               "add a holiday", "agregar un día inhábil"));
    const Secretariat& s = auth.secretariat;
    RETURN_IF_ERROR(InsertHoliday(tx, s.id, day, reason));
    RETURN_IF_ERROR(Audit(tx, clock_, actor, "secretariat.holiday_add", "secretariat", s.id,
                          Payload().Add("day", FormatDate(day)).Add("reason", reason)));
    return Status::Ok();
  });
}

Result<BusinessCalendar> Secretariats::Calendar(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, secretariat_id));
  return LoadCalendar(tx, s);
}

Result<TimeZone> Secretariats::Zone(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, secretariat_id));
  return s.zone;
}

}  // namespace rubrica::workflows
