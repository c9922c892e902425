// Routes that describe the service itself: GET /healthz and GET /version.
#pragma once

#include "rubrica/server/http.h"
#include "rubrica/store/database.h"

namespace rubrica::server {

/// /healthz answers 200 {"status":"ok"} when the database answers a query, else 503.
/// /version answers {"name":"rubrica","version":...,"git":...}.
void AddSystemRoutes(Router& router, store::Database& db);

}  // namespace rubrica::server
