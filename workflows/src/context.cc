#include "context.h"

#include "dates.h"
#include "refusal.h"
#include "terms.h"

namespace rubrica::workflows {

namespace {

template <typename E>
Result<E> ParseEnum(std::string_view text, std::string_view a_name, E a, std::string_view b_name,
                    E b) {
  if (text == a_name) return a;
  if (text == b_name) return b;
  return Status::Error(ErrorKind::kDataLoss, "workflows.bad_stored_config",
                       "stored secretariat setting '" + std::string(text) + "' is unknown");
}

}  // namespace

Result<Secretariat> LoadSecretariat(store::Transaction& tx, int64_t secretariat_id) {
  Secretariat s;
  s.id = secretariat_id;
  SecretariatConfig& c = s.config;
  {
    ASSIGN_OR_RETURN(
        store::Statement st,
        tx.Prepare("SELECT kind, name, place, time_zone, garante_member_type, cadence, "
                   "quorum_rule, convener, presider, term_rule, term_months, max_reelections, "
                   "administration_ends, same_date_rule, facilitator_signs_minutes, "
                   "ordinary_notice_days, extraordinary_notice_days, cancellation_notice_hours, "
                   "federal_holidays, package_cosigner FROM wf_secretariat WHERE id = ?"));
    st.Bind(1, secretariat_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound("secretariat", "el secretariado", secretariat_id);
    ASSIGN_OR_RETURN(c.kind, ParseEnum(st.ColumnText(0), "stl", SecretariatKind::kStl, "stm",
                                       SecretariatKind::kStm));
    c.name = st.ColumnText(1);
    c.place = st.ColumnText(2);
    c.time_zone = st.ColumnText(3);
    c.garante_member_type = st.ColumnText(4);
    ASSIGN_OR_RETURN(c.cadence, ParseEnum(st.ColumnText(5), "fortnightly", Cadence::kFortnightly,
                                          "monthly", Cadence::kMonthly));
    ASSIGN_OR_RETURN(c.quorum, ParseEnum(st.ColumnText(6), "all_seats", QuorumRule::kAllSeats,
                                         "majority", QuorumRule::kMajority));
    ASSIGN_OR_RETURN(c.convener, ParseEnum(st.ColumnText(7), "garante", Officer::kGarante,
                                           "facilitator", Officer::kFacilitator));
    ASSIGN_OR_RETURN(c.presider, ParseEnum(st.ColumnText(8), "garante", Officer::kGarante,
                                           "facilitator", Officer::kFacilitator));
    ASSIGN_OR_RETURN(c.term_rule,
                     ParseEnum(st.ColumnText(9), "fixed_length", TermRule::kFixedLength,
                               "administration", TermRule::kAdministration));
    c.term_months = static_cast<int>(st.ColumnInt(10));
    c.max_reelections = static_cast<int>(st.ColumnInt(11));
    if (!st.ColumnIsNull(12)) {
      ASSIGN_OR_RETURN(c.administration_ends, ParseStoredDate(st.ColumnText(12)));
    }
    ASSIGN_OR_RETURN(c.same_date, ParseEnum(st.ColumnText(13), "refuse", SameDateRule::kRefuse,
                                            "warn", SameDateRule::kWarn));
    c.facilitator_signs_minutes = st.ColumnInt(14) != 0;
    c.ordinary_notice_business_days = static_cast<int>(st.ColumnInt(15));
    c.extraordinary_notice_business_days = static_cast<int>(st.ColumnInt(16));
    c.cancellation_notice_hours = static_cast<int>(st.ColumnInt(17));
    c.federal_holidays = st.ColumnInt(18) != 0;
    if (const std::string cosigner = st.ColumnText(19); cosigner != "none") {
      ASSIGN_OR_RETURN(c.package_cosigner, ParseEnum(cosigner, "garante", Officer::kGarante,
                                                     "facilitator", Officer::kFacilitator));
    }
  }
  {
    ASSIGN_OR_RETURN(store::Statement st, tx.Prepare("SELECT code, label_es FROM wf_member_type "
                                                     "WHERE secretariat_id = ? ORDER BY position"));
    st.Bind(1, secretariat_id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      c.member_types.push_back({st.ColumnText(0), st.ColumnText(1)});
    }
  }
  ASSIGN_OR_RETURN(s.zone, TimeZone::Load(c.time_zone));
  return s;
}

Result<std::vector<std::chrono::year_month_day>> LoadHolidays(store::Transaction& tx,
                                                              int64_t secretariat_id) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT day FROM wf_holiday WHERE secretariat_id = ? ORDER BY day"));
  st.Bind(1, secretariat_id);
  std::vector<std::chrono::year_month_day> days;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(auto d, ParseStoredDate(st.ColumnText(0)));
    days.push_back(d);
  }
  return days;
}

Result<BusinessCalendar> LoadCalendar(store::Transaction& tx, const Secretariat& s) {
  ASSIGN_OR_RETURN(auto days, LoadHolidays(tx, s.id));
  return BusinessCalendar(s.config.federal_holidays, std::move(days));
}

Result<std::vector<AgencyPeriod>> LoadAgencies(store::Transaction& tx, int64_t secretariat_id) {
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT name, address, effective_from, effective_to FROM wf_agency "
                              "WHERE secretariat_id = ? ORDER BY effective_from"));
  st.Bind(1, secretariat_id);
  std::vector<AgencyPeriod> agencies;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    AgencyPeriod a;
    a.name = st.ColumnText(0);
    a.address = st.ColumnText(1);
    ASSIGN_OR_RETURN(a.effective_from, ParseStoredDate(st.ColumnText(2)));
    if (!st.ColumnIsNull(3)) {
      ASSIGN_OR_RETURN(a.effective_to, ParseStoredDate(st.ColumnText(3)));
    }
    agencies.push_back(std::move(a));
  }
  return agencies;
}

Result<Roles> ResolveRoles(store::Transaction& tx, const Secretariat& s, const Actor& actor,
                           std::chrono::year_month_day on) {
  Roles roles;
  if (!actor.is_person()) {
    roles.administrator = true;
    return roles;
  }
  ASSIGN_OR_RETURN(auto terms, LoadTermsInForce(tx, s.id, on));
  for (const auto& t : terms) {
    if (t.person_id != actor.person_id) continue;
    if (t.role == TermRole::kFacilitator) {
      roles.facilitator = true;
    } else if (!roles.seat) {
      roles.seat = t;
    }
  }
  if (roles.seat) {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT member_type FROM wf_seat WHERE id = ?"));
    st.Bind(1, *roles.seat->seat_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    roles.garante = row && st.ColumnText(0) == s.config.garante_member_type;
  }
  return roles;
}

unsigned OfficerBit(Officer o) { return o == Officer::kGarante ? kGarante : kFacilitator; }

Status Require(const Roles& roles, unsigned allowed, const Actor& actor, std::string_view action_en,
               std::string_view action_es) {
  if ((allowed & kAdministrator) && roles.administrator) return Status::Ok();
  if ((allowed & kFacilitator) && roles.facilitator) return Status::Ok();
  if ((allowed & kGarante) && roles.garante) return Status::Ok();
  if ((allowed & kMember) && roles.member()) return Status::Ok();
  std::vector<std::string> who;
  if (allowed & kAdministrator) who.push_back("la administración de la instalación");
  if (allowed & kFacilitator) who.push_back("el facilitador");
  if (allowed & kGarante) who.push_back("el organismo garante");
  if (allowed & kMember) who.push_back("un integrante en funciones");
  std::string who_es;
  for (size_t i = 0; i < who.size(); ++i) {
    if (i > 0) who_es += (i + 1 == who.size()) ? " o " : ", ";
    who_es += who[i];
  }
  return RoleNotAllowed(actor, action_en, who_es, action_es);
}

Status RequireSelfOr(const Roles& roles, unsigned allowed, const Actor& actor, int64_t self_id,
                     std::string_view action_en, std::string_view who_es,
                     std::string_view action_es) {
  if (actor.is_person() && actor.person_id == self_id) return Status::Ok();
  if (Require(roles, allowed, actor, action_en, action_es).ok()) return Status::Ok();
  return RoleNotAllowed(actor, action_en, who_es, action_es);
}

Result<Authorized> Authorize(store::Transaction& tx, const Clock& clock, int64_t secretariat_id,
                             const Actor& actor, unsigned allowed, std::string_view action_en,
                             std::string_view action_es) {
  Authorized a;
  ASSIGN_OR_RETURN(a.secretariat, LoadSecretariat(tx, secretariat_id));
  a.today = a.secretariat.Today(clock);
  ASSIGN_OR_RETURN(a.roles, ResolveRoles(tx, a.secretariat, actor, a.today));
  if (allowed != 0) RETURN_IF_ERROR(Require(a.roles, allowed, actor, action_en, action_es));
  return a;
}

void BindOptionalId(store::Statement& st, int index, const std::optional<int64_t>& id) {
  if (id) {
    st.Bind(index, *id);
  } else {
    st.BindNull(index);
  }
}

}  // namespace rubrica::workflows
