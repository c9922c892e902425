// The monthly package on demand (issue 15): build the month's package, send one to the
// agency. The agency's address is the secretariat's (the agency in force on the month's last
// day); sending goes through the outbox (server/src/package_delivery.h). Read routes for the
// packages live elsewhere (package_read_routes.cc).
#include "../package_delivery.h"
#include "handler_util.h"
#include "rubrica/delivery/packages.h"

namespace rubrica::server::api {

namespace {

Status NoPackages() {
  return Status::Error(ErrorKind::kUnavailable, "api.packages_unavailable", "the package service is not running",
                       "El servicio de paquetes no está disponible.");
}

void WritePackage(JsonWriter& w, const delivery::PackageRecord& p) {
  w.BeginObject()
      .Field("sha256", p.sha256)
      .Field("secretariat_id", p.secretariat_id)
      .Field("month", p.month)
      .Field("file_name", delivery::PackageFileName(p.secretariat_id, p.month))
      .Field("bytes", static_cast<int64_t>(p.bytes))
      .Key("built_at").Time(p.built_at)
      .Key("supersedes");
  if (p.supersedes.empty()) {
    w.Null();
  } else {
    w.String(p.supersedes);
  }
  w.Field("state", delivery::PackageStateName(p.state)).IntArray("acta_ids", p.acta_ids).Key("answered_at");
  if (p.answered_at) {
    w.Time(*p.answered_at);
  } else {
    w.Null();
  }
  w.Key("problems").Raw(p.refusal_json.empty() ? "[]" : p.refusal_json).EndObject();
}

Status Build(Call& c) {
  if (!c.ctx.package_delivery) return NoPackages();
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string text, j.String("month", 16));
  ASSIGN_OR_RETURN(std::chrono::year_month month, ParseMonth(text, "month"));
  ASSIGN_OR_RETURN(delivery::PackageRecord pkg, c.ctx.package_delivery->Build(c.secretariat_id, month));
  JsonWriter w;
  WritePackage(w, pkg);
  return Reply(c, 201, w);
}

Status Send(Call& c) {
  if (!c.ctx.package_delivery) return NoPackages();
  const std::string sha256 = c.ex.PathParam("package_sha256");
  if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Status::Error(ErrorKind::kNotFound, "delivery.no_package", "no package " + sha256,
                         "No existe ese paquete.");
  }
  ASSIGN_OR_RETURN(SendState s, c.ctx.package_delivery->Send(c.secretariat_id, sha256));
  JsonWriter w;
  w.BeginObject().Key("package");
  WritePackage(w, s.package);
  w.Field("queued_now", s.queued_now)
      .Field("outbox_state", s.outbox_state.empty() ? std::string("none") : s.outbox_state)
      .Field("last_error", s.last_error)
      .Key("answer_xml");
  if (s.answer_xml.empty()) {
    w.Null();
  } else {
    w.String(s.answer_xml);
  }
  w.EndObject();
  // 200 with the stored answer once the agency answered; 202 while it is on its way.
  return Reply(c, s.package.state == delivery::PackageState::kBuilt ? 202 : 200, w);
}

}  // namespace

std::vector<RouteSpec> PackageRoutes() {
  return {
      {"POST", "/api/secretariats/{secretariat_id}/packages", "buildPackage", "deliveries",
       "Build and sign the month's package for the agency (a new one supersedes the last)",
       kFacilitator | kGarante, Scope::kSecretariat, false, "month:string!", "the package", 201, Build},
      {"POST", "/api/secretariats/{secretariat_id}/packages/{package_sha256}/send", "sendPackage", "deliveries",
       "Send a package to the agency through the outbox; once answered, the stored receipt or refusal",
       kFacilitator | kGarante, Scope::kSecretariat, false, "", "the package and its delivery", 202, Send},
  };
}

}  // namespace rubrica::server::api
