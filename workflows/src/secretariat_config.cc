#include "rubrica/workflows/secretariat_config.h"

#include <set>

namespace rubrica::workflows {

namespace {

Status BadConfig(const std::string& field, const std::string& why_en, const std::string& why_es) {
  return Status::Error(ErrorKind::kInvalidArgument, "workflows.bad_config",
                       "secretariat config: " + field + ": " + why_en,
                       "Configuración del secretariado no válida (" + field + "): " + why_es);
}

}  // namespace

SecretariatConfig SecretariatConfig::StlTemplate() {
  SecretariatConfig c;
  c.kind = SecretariatKind::kStl;
  c.member_types = {{"authority", "Autoridad"},
                    {"organismo_garante", "Organismo garante"},
                    {"civil_society", "Sociedad civil"}};
  c.cadence = Cadence::kFortnightly;
  c.quorum = QuorumRule::kAllSeats;
  c.convener = Officer::kGarante;
  c.presider = Officer::kGarante;
  c.term_rule = TermRule::kFixedLength;
  c.term_months = 12;
  c.max_reelections = 1;
  return c;
}

SecretariatConfig SecretariatConfig::StmTemplate() {
  SecretariatConfig c;
  c.kind = SecretariatKind::kStm;
  c.member_types = {{"authority", "Autoridad"},
                    {"organismo_garante", "Organismo garante"},
                    {"civil_society", "Sociedad civil"},
                    {"academia", "Academia"},
                    {"citizens", "Ciudadanía"}};
  c.cadence = Cadence::kMonthly;
  c.quorum = QuorumRule::kMajority;
  c.convener = Officer::kFacilitator;
  c.presider = Officer::kFacilitator;
  c.term_rule = TermRule::kAdministration;
  c.max_reelections = -1;
  return c;
}

Status SecretariatConfig::Validate() const {
  if (name.empty()) return BadConfig("name", "empty", "falta el nombre");
  if (place.empty()) return BadConfig("place", "empty", "falta el lugar");
  if (time_zone.empty()) return BadConfig("time_zone", "empty", "falta la zona horaria");
  if (member_types.empty()) {
    return BadConfig("member_types", "empty", "se necesita al menos un tipo de integrante");
  }
  std::set<std::string> codes;
  for (const auto& t : member_types) {
    if (t.code.empty() || t.label_es.empty()) {
      return BadConfig("member_types", "a code or label is empty",
                       "cada tipo de integrante necesita clave y nombre");
    }
    if (!codes.insert(t.code).second) {
      return BadConfig("member_types", "duplicate code '" + t.code + "'",
                       "la clave '" + t.code + "' está repetida");
    }
  }
  if (!codes.count(garante_member_type)) {
    return BadConfig("garante_member_type",
                     "'" + garante_member_type + "' is not one of the member types",
                     "el tipo del organismo garante no está entre los tipos de integrante");
  }
  if (term_rule == TermRule::kFixedLength && (term_months < 1 || term_months > 120)) {
    return BadConfig("term_months", "must be 1..120", "la vigencia debe ser de 1 a 120 meses");
  }
  if (term_rule == TermRule::kAdministration &&
      (!administration_ends || !administration_ends->ok())) {
    return BadConfig("administration_ends", "required by the administration term rule",
                     "falta la fecha de término de la administración");
  }
  if (max_reelections < -1) {
    return BadConfig("max_reelections", "must be -1 (no limit) or >= 0",
                     "el límite de reelecciones no es válido");
  }
  if (ordinary_notice_business_days < 0 || extraordinary_notice_business_days < 0 ||
      cancellation_notice_hours < 0) {
    return BadConfig("notice", "negative notice", "los plazos de aviso no pueden ser negativos");
  }
  for (const auto& a : agencies) {
    if (a.name.empty() || !a.effective_from.ok() || (a.effective_to && !a.effective_to->ok()) ||
        (a.effective_to && *a.effective_to < a.effective_from)) {
      return BadConfig("agencies", "an agency needs a name and a valid date range",
                       "cada órgano receptor necesita nombre y un periodo válido");
    }
  }
  for (const auto& d : extra_holidays) {
    if (!d.ok()) return BadConfig("extra_holidays", "invalid date", "hay un día inhábil no válido");
  }
  return Status::Ok();
}

std::string_view KindName(SecretariatKind k) { return k == SecretariatKind::kStl ? "stl" : "stm"; }
std::string_view CadenceName(Cadence c) {
  return c == Cadence::kFortnightly ? "fortnightly" : "monthly";
}
std::string_view QuorumRuleName(QuorumRule q) {
  return q == QuorumRule::kAllSeats ? "all_seats" : "majority";
}
std::string_view OfficerName(Officer o) {
  return o == Officer::kGarante ? "garante" : "facilitator";
}
std::string_view TermRuleName(TermRule t) {
  return t == TermRule::kFixedLength ? "fixed_length" : "administration";
}
std::string_view SameDateRuleName(SameDateRule s) {
  return s == SameDateRule::kRefuse ? "refuse" : "warn";
}

int QuorumNeeded(QuorumRule rule, int seats) {
  return rule == QuorumRule::kAllSeats ? seats : seats / 2 + 1;
}

}  // namespace rubrica::workflows
