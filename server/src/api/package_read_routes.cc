// The monthly packages as the garante's board reads them (read-only; building and sending
// are `rubrica package build|send`, docs/delivery.md): a secretariat's packages of a month
// with their state, the agency's refusal reasons, whether the month's delivery was on time,
// and the agency's signed answer (the receipt, or the refusal) to download.
#include "handler_util.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/delivery/packages.h"

namespace rubrica::server::api {

namespace {

using namespace std::chrono;

// A package of `month` is due by the month's last day in the secretariat's zone (as
// workflows::MonthlyDelivery's obligations): "on_time" when the agency answered with a
// receipt by then, "late" when it did after, or nothing was received and the day passed,
// "due" while there is still time.
std::string_view Timeliness(const delivery::PackageRecord& p, year_month month,
                            const TimeZone& zone, Instant now) {
  const year_month_day due = month / last;
  if (p.state == delivery::PackageState::kDelivered && p.answered_at) {
    return zone.LocalDate(*p.answered_at) <= due ? "on_time" : "late";
  }
  return zone.LocalDate(now) > due ? "late" : "due";
}

// The agency's refusal reasons, as delivery::Packages recorded them:
// [{"code":..,"message_es":..,"file":..}]. Anything unreadable is reported as one reason.
void WriteRefusals(JsonWriter& w, const std::string& refusal_json) {
  w.Key("refusals").BeginArray();
  if (!refusal_json.empty()) {
    auto doc = JsonReader::Parse("{\"r\":" + refusal_json + "}");
    auto items = doc.ok() ? doc->ObjectArray("r", 1000) : Result<std::vector<JsonReader>>(doc.status());
    if (items.ok()) {
      for (auto& item : *items) {
        auto code = item.OptionalString("code");
        auto message = item.OptionalString("message_es");
        auto file = item.OptionalString("file");
        w.BeginObject()
            .Field("code", code.ok() ? *code : std::string())
            .Field("message_es", message.ok() ? *message : std::string())
            .Field("file", file.ok() ? *file : std::string())
            .EndObject();
      }
    } else {
      w.BeginObject()
          .Field("code", "delivery.refused")
          .Field("message_es", "El órgano garante rechazó el paquete.")
          .Field("file", "")
          .EndObject();
    }
  }
  w.EndArray();
}

std::string PackageBase(int64_t secretariat_id, const std::string& sha256) {
  return "/api/secretariats/" + std::to_string(secretariat_id) + "/packages/" + sha256;
}

Status NoPackages() {
  return Status::Error(ErrorKind::kUnavailable, "api.packages_unavailable",
                       "the service was started without the delivery module's packages",
                       "Los paquetes mensuales no están disponibles en este servicio.");
}

Status List(Call& c) {
  const std::string month_text = c.ex.Query("month");
  ASSIGN_OR_RETURN(year_month month, ParseMonth(month_text, "month"));
  if (!c.ctx.packages) return NoPackages();
  ASSIGN_OR_RETURN(TimeZone zone, c.ctx.wf.secretariats().Zone(c.secretariat_id));
  ASSIGN_OR_RETURN(auto packages, c.ctx.packages->ForMonth(c.secretariat_id, month_text));
  const Instant now = c.ctx.clock.Now();
  JsonWriter w;
  w.BeginObject().Field("month", month_text).Key("due_on").Date(month / last);
  w.Key("packages").BeginArray();
  for (const auto& p : packages) {
    const std::string base = PackageBase(c.secretariat_id, p.sha256);
    w.BeginObject()
        .Field("sha256", p.sha256)
        .Field("file_name", delivery::PackageFileName(p.secretariat_id, p.month))
        .Field("bytes", static_cast<int64_t>(p.bytes))
        .Key("built_at")
        .Time(p.built_at)
        .Key("supersedes");
    if (p.supersedes.empty()) {
      w.Null();
    } else {
      w.String(p.supersedes);
    }
    w.Field("state", std::string(delivery::PackageStateName(p.state)));
    w.Key("answered_at");
    if (p.answered_at) {
      w.Time(*p.answered_at);
    } else {
      w.Null();
    }
    w.Field("timeliness", std::string(Timeliness(p, month, zone, now)));
    w.Key("acta_ids").BeginArray();
    for (int64_t id : p.acta_ids) w.Int(id);
    w.EndArray();
    WriteRefusals(w, p.refusal_json);
    w.Key("answer");
    if (p.receipt_blob_id.empty()) {
      w.Null();
    } else {
      w.String(base + "/answer");
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

// The agency's signed answer to a package of this secretariat: its receipt or its refusal.
Status Answer(Call& c) {
  if (!c.ctx.packages) return NoPackages();
  const std::string sha256 = c.ex.PathParam("package_sha256");
  auto missing = [&] {
    return Status::Error(ErrorKind::kNotFound, "api.no_package_answer",
                         "no answered package " + sha256 + " in secretariat " +
                             std::to_string(c.secretariat_id),
                         "El paquete no existe o el órgano garante aún no responde.");
  };
  if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return missing();
  }
  auto p = c.ctx.packages->Get(sha256);
  if (!p.ok() && p.status().kind() == ErrorKind::kNotFound) return missing();
  if (!p.ok()) return p.status();
  if (p->secretariat_id != c.secretariat_id || p->receipt_blob_id.empty()) return missing();
  ASSIGN_OR_RETURN(std::string bytes, c.ctx.blobs.Get(p->receipt_blob_id));
  const std::string what = p->state == delivery::PackageState::kRefused ? "rechazo" : "acuse";
  c.ex.SetHeader("Content-Disposition", "attachment; filename=\"paquete-" +
                                            std::to_string(p->secretariat_id) + "-" + p->month +
                                            "-" + what + ".xml\"");
  c.ex.SendBytes(200, "application/xml", bytes);
  return Status::Ok();
}

}  // namespace

std::vector<RouteSpec> PackageReadRoutes() {
  return {
      {"GET", "/api/secretariats/{secretariat_id}/packages", "listPackages", "deliveries",
       "The monthly packages of ?month=YYYY-MM: state, the agency's refusal reasons, whether "
       "the delivery was on time, and the link to the agency's answer",
       kInsiders | kArchivist, Scope::kSecretariat, false, "", "the month's packages", 200, List,
       false, "month:month!"},
      {"GET", "/api/secretariats/{secretariat_id}/packages/{package_sha256}/answer",
       "downloadPackageAnswer", "deliveries",
       "The agency's signed answer to a package (its receipt or its refusal, XML)",
       kInsiders | kArchivist, Scope::kSecretariat, false, "", "application/xml", 200, Answer},
  };
}

}  // namespace rubrica::server::api
