// The workflows module in one object: every part wired to the same collaborators, and
// the module's migrations (component "workflows", applied after "audit").
//
// Built once by the composition root; the Database, Clock, engine and Logger must outlive
// it. Thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/logger.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/acta_document_engine.h"
#include "rubrica/workflows/actas.h"
#include "rubrica/workflows/action_plans.h"
#include "rubrica/workflows/archive_search.h"
#include "rubrica/workflows/agreements.h"
#include "rubrica/workflows/monthly_delivery.h"
#include "rubrica/workflows/people.h"
#include "rubrica/workflows/secretariats.h"
#include "rubrica/workflows/sessions.h"

namespace rubrica::workflows {

/// The component name under which the migrations are recorded.
inline constexpr std::string_view kComponent = "workflows";
/// The workflows tables. Needs the "audit" component applied first.
const std::vector<store::Migration>& Migrations();

class Workflows {
 public:
  Workflows(store::Database& db, const Clock& clock, ActaDocumentEngine& engine, Logger& logger)
      : secretariats_(db, clock),
        people_(db, clock),
        sessions_(db, clock),
        agreements_(db, clock),
        plans_(db, clock),
        actas_(db, clock, engine, logger),
        deliveries_(db, clock),
        archive_(db) {}

  Secretariats& secretariats() { return secretariats_; }
  People& people() { return people_; }
  Sessions& sessions() { return sessions_; }
  Agreements& agreements() { return agreements_; }
  ActionPlans& plans() { return plans_; }
  Actas& actas() { return actas_; }
  MonthlyDelivery& deliveries() { return deliveries_; }
  const ArchiveSearch& archive() const { return archive_; }

 private:
  Secretariats secretariats_;
  People people_;
  Sessions sessions_;
  Agreements agreements_;
  ActionPlans plans_;
  Actas actas_;
  MonthlyDelivery deliveries_;
  ArchiveSearch archive_;
};

}  // namespace rubrica::workflows
