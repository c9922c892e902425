// Secretariats: creation, their agencies by date, their holiday calendars.
//
// Many secretariats live in one installation (a state garante may host every municipality
// of its state). Only the administrator configures them. Every change is written with its
// audit entry in one transaction; a refusal writes nothing.
//
// Thread-safe (all state is in the Database). The Database and Clock must outlive this.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/actor.h"
#include "rubrica/workflows/calendar.h"
#include "rubrica/workflows/secretariat_config.h"

namespace rubrica::workflows {

struct SecretariatRecord {
  int64_t id = 0;
  SecretariatConfig config;  // agencies and extra_holidays filled in, sorted by date
};

class Secretariats {
 public:
  Secretariats(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// Creates a secretariat. Administrator only (workflows.role_not_allowed); the config
  /// must validate (workflows.bad_config) and its zone load (base.unknown_time_zone);
  /// agencies must not overlap (workflows.agency_overlap). Returns the new id.
  Result<int64_t> Create(const Actor& actor, const SecretariatConfig& config);

  /// The secretariat with its agencies and added holidays. workflows.not_found.
  Result<SecretariatRecord> Get(int64_t id) const;
  /// Every secretariat of the installation, by id, with agencies and added holidays.
  Result<std::vector<SecretariatRecord>> List() const;

  /// Adds an agency period (e.g. the successor of a dissolved body from its first day).
  /// Administrator only. Overlapping an existing period: workflows.agency_overlap.
  Status AddAgency(const Actor& actor, int64_t secretariat_id, const AgencyPeriod& agency);

  /// Changes who co-signs the secretariat's monthly package (SecretariatConfig::
  /// package_cosigner; nullopt: none). Administrator only. Audited
  /// "secretariat.package_cosigner_set" with the setting before and after (also when it
  /// does not change, so that every request is on record). Packages are the delivery
  /// module's: the setting applies to packages built from then on, and drafts awaiting a
  /// co-signature are re-addressed there (server::PackageDelivery::Readdress).
  Status SetPackageCosigner(const Actor& actor, int64_t secretariat_id, std::optional<Officer> cosigner);

  /// The agency in force on `date`; workflows.no_agency when none is configured for it.
  Result<AgencyPeriod> AgencyOn(int64_t secretariat_id, std::chrono::year_month_day date) const;

  /// Adds a closed day to the secretariat's calendar. Administrator, or the secretariat's
  /// facilitator. Adding a day twice: workflows.holiday_exists.
  Status AddHoliday(const Actor& actor, int64_t secretariat_id, std::chrono::year_month_day day,
                    const std::string& reason);

  /// The secretariat's business calendar (federal holidays when configured + added days).
  Result<BusinessCalendar> Calendar(int64_t secretariat_id) const;
  /// The secretariat's time zone.
  Result<TimeZone> Zone(int64_t secretariat_id) const;

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace rubrica::workflows
