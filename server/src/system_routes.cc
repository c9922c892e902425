#include "system_routes.h"

#include "rubrica/base/json_writer.h"
#include "version.h"

namespace rubrica::server {

void AddSystemRoutes(Router& router, store::Database& db) {
  router.Add("GET", "/healthz", [&db](HttpExchange& ex) {
    auto tx = db.BeginRead();
    Status s = tx.ok() ? tx->Exec("SELECT 1") : tx.status();
    if (!s.ok()) {
      ex.SendError(Status::Error(ErrorKind::kUnavailable, "server.unhealthy",
                                 "database check failed: " + s.message()));
      return;
    }
    ex.SendJson(200, "{\"status\":\"ok\"}");
  });
  router.Add("GET", "/version", [](HttpExchange& ex) {
    JsonWriter w;
    w.BeginObject()
        .Field("name", "rubrica")
        .Field("version", kRubricaVersion)
        .Field("git", kRubricaGitDescribe)
        .EndObject();
    ex.SendJson(200, w.str());
  });
}

}  // namespace rubrica::server
