// A secretariat's rules loaded inside a transaction, and who the actor is in it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/actor.h"
#include "rubrica/workflows/calendar.h"
#include "rubrica/workflows/people.h"
#include "rubrica/workflows/secretariat_config.h"

namespace rubrica::workflows {

struct Secretariat {
  int64_t id = 0;
  SecretariatConfig config;  // without agencies and extra holidays
  TimeZone zone;

  std::chrono::year_month_day Today(const Clock& clock) const {
    return zone.LocalDate(clock.Now());
  }
};

/// workflows.not_found when absent; base.unknown_time_zone when the zone no longer loads.
Result<Secretariat> LoadSecretariat(store::Transaction& tx, int64_t secretariat_id);
Result<BusinessCalendar> LoadCalendar(store::Transaction& tx, const Secretariat& s);
Result<std::vector<AgencyPeriod>> LoadAgencies(store::Transaction& tx, int64_t secretariat_id);
Result<std::vector<std::chrono::year_month_day>> LoadHolidays(store::Transaction& tx,
                                                              int64_t secretariat_id);

/// What the actor is in one secretariat on one date.
struct Roles {
  bool administrator = false;
  bool facilitator = false;
  bool garante = false;            // holds a seat of the garante member type
  std::optional<TermRecord> seat;  // titular or substitute term in force

  bool member() const { return seat.has_value(); }
};

Result<Roles> ResolveRoles(store::Transaction& tx, const Secretariat& s, const Actor& actor,
                           std::chrono::year_month_day on);

/// Role bits for Require().
enum RoleBit : unsigned {
  kAdministrator = 1u,
  kFacilitator = 2u,
  kGarante = 4u,
  kMember = 8u,
};
/// The bit of an Officer (who convenes, who presides).
unsigned OfficerBit(Officer o);

/// OK when `roles` has one of `allowed`; else workflows.role_not_allowed naming the
/// action and who may do it.
Status Require(const Roles& roles, unsigned allowed, const Actor& actor, std::string_view action_en,
               std::string_view action_es);

/// OK when the actor is person `self_id` or has one of `allowed`; else
/// workflows.role_not_allowed, saying "Solo <who_es> puede <action_es>."
Status RequireSelfOr(const Roles& roles, unsigned allowed, const Actor& actor, int64_t self_id,
                     std::string_view action_en, std::string_view who_es,
                     std::string_view action_es);

/// The secretariat, today's date in its zone and the actor's roles on that date.
struct Authorized {
  Secretariat secretariat;
  std::chrono::year_month_day today;
  Roles roles;
};
/// Loads secretariat `secretariat_id`, resolves the actor's roles today and, when
/// `allowed` is not 0, requires one of them (see Require).
Result<Authorized> Authorize(store::Transaction& tx, const Clock& clock, int64_t secretariat_id,
                             const Actor& actor, unsigned allowed, std::string_view action_en,
                             std::string_view action_es);

/// Binds `id` at `index`, or NULL when absent.
void BindOptionalId(store::Statement& st, int index, const std::optional<int64_t>& id);

}  // namespace rubrica::workflows
