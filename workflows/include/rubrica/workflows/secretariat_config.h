// The rules of one secretariat, as configuration.
//
// The two seeds (the national STL template and the act installing the Zamora STM) differ
// only in values of this struct: composition, cadence, quorum, who convenes and presides,
// term rules. docs/rules.md maps every field to the seed item it comes from. The code
// paths are the same for every secretariat.
//
// Value type. Validate() is called by Secretariats::Create; it names the first bad field.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::workflows {

enum class SecretariatKind { kStl, kStm };
enum class Cadence { kFortnightly, kMonthly };
/// kAllSeats: every seat present (STL III.2). kMajority: floor(seats / 2) + 1, "50 % + 1"
/// (STM III.2).
enum class QuorumRule { kAllSeats, kMajority };
/// Who convenes or presides sessions: the organismo garante (STL V.1-2) or the facilitator
/// (STM VI.2-3).
enum class Officer { kGarante, kFacilitator };
/// kFixedLength: `term_months` per term (STL I.4: one year). kAdministration: until
/// `administration_ends` (STM I.4: the municipal administration's period).
enum class TermRule { kFixedLength, kAdministration };
/// What happens when a rubric or foot signature comes on a date other than the approval
/// date (III.6): refuse it (default), or accept it with a recorded warning.
enum class SameDateRule { kRefuse, kWarn };

struct MemberType {
  std::string code;      // stable, lower case: "authority", "organismo_garante", ...
  std::string label_es;  // "Autoridad", "Organismo garante", ...
};

/// A transparency agency that receives the monthly actas, in force from `effective_from`
/// to `effective_to` inclusive (open-ended when absent).
struct AgencyPeriod {
  std::string name;     // "Instituto Michoacano de Transparencia, ..." (Spanish, as addressed)
  std::string address;  // e-mail or URL the package goes to; may be empty
  std::chrono::year_month_day effective_from;
  std::optional<std::chrono::year_month_day> effective_to;
};

struct SecretariatConfig {
  SecretariatKind kind = SecretariatKind::kStl;
  std::string name;   // "Secretariado Técnico Local del Estado de ..."; required
  std::string place;  // city and state, as written in actas; required
  /// IANA zone for dates (notice, same-date signing, monthly deadlines).
  std::string time_zone = "America/Mexico_City";
  /// The member types seats may have; at least one; codes unique.
  std::vector<MemberType> member_types;
  /// The member type whose seat holders act as organismo garante.
  std::string garante_member_type = "organismo_garante";
  Cadence cadence = Cadence::kFortnightly;
  QuorumRule quorum = QuorumRule::kAllSeats;
  Officer convener = Officer::kGarante;
  Officer presider = Officer::kGarante;
  TermRule term_rule = TermRule::kFixedLength;
  int term_months = 12;  // kFixedLength; 1..120
  /// Consecutive re-elections a person may have in the same seat and role; -1 = no limit.
  int max_reelections = 1;
  /// kAdministration: the last day of the administration (every term ends then).
  std::optional<std::chrono::year_month_day> administration_ends;
  SameDateRule same_date = SameDateRule::kRefuse;
  /// Whether the facilitator signs session minutes (the installation acta is always
  /// adjustable). Default false: the seeds require the members' signatures (III.6).
  bool facilitator_signs_minutes = false;
  /// Who co-signs the monthly package's manifest with their own device before the seal
  /// (docs/delivery.md, "Co-signature"); nullopt ("none", the default): the seal alone.
  std::optional<Officer> package_cosigner;
  int ordinary_notice_business_days = 5;       // III.4
  int extraordinary_notice_business_days = 2;  // III.4
  int cancellation_notice_hours = 24;          // III.5
  /// Include Ley Federal del Trabajo art. 74 holidays. Default true.
  bool federal_holidays = true;
  /// Agencies known at creation (more can be added later); ranges must not overlap.
  std::vector<AgencyPeriod> agencies;
  /// Closed days known at creation (more can be added per year later).
  std::vector<std::chrono::year_month_day> extra_holidays;

  /// The national STL template (seed 000): three member types, fortnightly, all seats,
  /// garante convenes and presides, one-year terms with one re-election.
  static SecretariatConfig StlTemplate();
  /// The Zamora STM shape (seed 004): five member types, monthly, 50 % + 1, the
  /// facilitator convenes and presides, terms for the municipal administration (set
  /// `administration_ends`), no re-election limit in the seed.
  static SecretariatConfig StmTemplate();

  /// workflows.bad_config (kInvalidArgument) naming the field, or OK.
  Status Validate() const;
};

/// Stable names used in storage, audit payloads and the API.
std::string_view KindName(SecretariatKind k);       // "stl", "stm"
std::string_view CadenceName(Cadence c);            // "fortnightly", "monthly"
std::string_view QuorumRuleName(QuorumRule q);      // "all_seats", "majority"
std::string_view OfficerName(Officer o);            // "garante", "facilitator"
std::string_view TermRuleName(TermRule t);          // "fixed_length", "administration"
std::string_view SameDateRuleName(SameDateRule s);  // "refuse", "warn"

/// Seats needed for quorum under `rule` with `seats` seats in force.
int QuorumNeeded(QuorumRule rule, int seats);

}  // namespace rubrica::workflows
