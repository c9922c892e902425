// rubrica package build / verify / send / seal-cert: the signed monthly package (issue 15).
#include <iostream>
#include <algorithm>
#include <memory>
#include <optional>
#include <thread>

#include "commands.h"
#include "notify/notifier.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/base/logger.h"
#include "rubrica/net/http_client.h"
#include "rubrica/delivery/package_check.h"
#include "rubrica/delivery/packages.h"
#include "rubrica/delivery/receipt.h"
#include "rubrica/server/data_directory.h"
#include "package_support.h"
#include "../core.h"
#include "../package_delivery.h"

namespace rubrica::server::cli {

namespace {

Status Usage(const std::string& usage) {
  return Status::Error(ErrorKind::kInvalidArgument, "cli.usage", "usage: " + usage);
}

// The secretariat's installation, wired as the service wires it (core.h): the package
// commands read actas and record deliveries through the workflows.
struct Installation {
  DataDirectory data;
  std::unique_ptr<Core> core;
};

Result<std::unique_ptr<Installation>> OpenInstallation(const Config& config, const Clock& clock, Logger& logger) {
  auto in = std::make_unique<Installation>();
  ASSIGN_OR_RETURN(in->data, DataDirectory::Open(config.data_dir, "rubrica package"));
  CoreOptions o;
  o.copies_actor = "cli:package";
  ASSIGN_OR_RETURN(in->core, OpenCore(in->data, config, clock, logger, o));
  return in;
}

Result<int64_t> SecretariatArg(const Args& args) {
  try {
    size_t used = 0;
    const std::string text = args.Get("--secretariat");
    const long long id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return static_cast<int64_t>(id);
  } catch (const std::exception&) {
  }
  return Status::Error(ErrorKind::kInvalidArgument, "cli.usage", "--secretariat takes a secretariat id");
}

}  // namespace

// rubrica package build --data-dir DIR --secretariat ID --month YYYY-MM [--out FILE] [--clock-start T]
int RunPackageBuild(const std::vector<std::string>& argv) {
  const char* usage = "rubrica package build --data-dir DIR --secretariat ID --month YYYY-MM [--out FILE]";
  ArgSpec spec = CommonSpec();
  spec.valued.insert({"--secretariat", "--month", "--out", "--clock-start"});
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  if (!args->Has("--secretariat") || !args->Has("--month")) return Fail(Usage(usage));
  auto secretariat = SecretariatArg(*args);
  if (!secretariat.ok()) return Fail(secretariat.status());
  auto month = delivery::ParseMonth(args->Get("--month"));
  if (!month.ok()) return Fail(month.status());
  auto config = LoadCliConfig(*args);
  if (!config.ok()) return Fail(config.status());
  Status clock_status = Status::Ok();
  auto clock = ClockFrom(*args, clock_status);
  if (!clock) return Fail(clock_status);
  NullLogger logger;
  auto in = OpenInstallation(*config, *clock, logger);
  if (!in.ok()) return Fail(in.status());
  auto pkg = (*in)->core->packages->Build(*secretariat, *month, "cli:package");
  if (!pkg.ok()) return Fail(pkg.status());
  auto bytes = (*in)->core->packages->Bytes(pkg->sha256);
  if (!bytes.ok()) return Fail(bytes.status());
  const std::string out = args->Get("--out", config->data_dir + "/out/" + delivery::PackageFileName(*secretariat, pkg->month));
  if (Status s = MakeDirs(out.substr(0, out.rfind('/'))); !s.ok()) return Fail(s);
  if (Status s = WriteFileAtomic(out, *bytes); !s.ok()) return Fail(s);
  JsonWriter j;
  j.BeginObject()
      .Field("package", pkg->sha256)
      .Field("file", out)
      .Field("bytes", static_cast<int64_t>(pkg->bytes))
      .Field("actas", static_cast<int64_t>(pkg->acta_ids.size()))
      .Field("state", delivery::PackageStateName(pkg->state));
  if (!pkg->cosigner.empty()) j.Field("cosigner", pkg->cosigner);
  if (!pkg->supersedes.empty()) j.Field("supersedes", pkg->supersedes);
  std::cout << j.EndObject().str() << std::endl;
  if (pkg->state == delivery::PackageState::kAwaitingCosignature) {
    // Not a package to send yet: say so, and what finishes it.
    std::cerr << "rubrica package build: " << out << " is a draft awaiting the " << pkg->cosigner
              << "'s co-signature (rubrica sign --package, or the secretariat's page); it is sealed and sent once "
                 "co-signed"
              << std::endl;
  }
  return 0;
}

// rubrica package verify FILE.zip [--trust CA.pem] [--cosigner garante|facilitator] [--json]
// --cosigner: the co-signature the secretariat registered is required (one present is
// always checked). Exit: 0 the package is intact and every acta valid and complete; 1 refused (each reason
// printed); 2 could not be processed.
int RunPackageVerify(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  spec.valued.insert({"--trust", "--cosigner"});
  spec.switches.insert({"--json", "--no-acta-verification"});
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) {
    Fail(args.status());
    return 2;
  }
  if (args->positional.size() != 1) {
    Fail(Usage("rubrica package verify FILE.zip [--trust CA.pem] [--cosigner garante|facilitator] [--json]"));
    return 2;
  }
  const std::string cosigner = args->Get("--cosigner");
  if (!cosigner.empty() && cosigner != "garante" && cosigner != "facilitator") {
    Fail(Usage("--cosigner is garante or facilitator"));
    return 2;
  }
  std::string trust_file = args->Get("--trust");
  if (trust_file.empty()) {
    const std::string dir = args->Get("--data-dir", "./rubrica-data");
    if (PathExists(dir + "/trust/ca.pem")) trust_file = dir + "/trust/ca.pem";
  }
  if (trust_file.empty()) {
    Fail(Usage("rubrica package verify FILE.zip --trust CA.pem (the secretariat's trust anchor)"));
    return 2;
  }
  auto trust = ReadFile(trust_file, 1 << 20);
  if (!trust.ok()) {
    Fail(trust.status());
    return 2;
  }
  auto zip = ReadFile(args->positional[0], 1ull << 30);
  if (!zip.ok()) {
    Fail(zip.status());
    return 2;
  }
  SystemClock clock;
  delivery::PackageCheckOptions o;
  o.clock = &clock;
  o.trust_pem = *trust;
  o.required_cosigner = cosigner;
  if (!args->Has("--no-acta-verification")) {
    // Every sealed acta of the package in one sandboxed worker (each verified in full and
    // on its own, the anchors loaded once), as the agency's inbox does.
    o.verify_actas = [&](const std::vector<const std::string*>& pdfs) {
      return VerifyActasInSandbox(pdfs, trust_file);
    };
  }
  delivery::PackageCheck c = delivery::CheckPackage(*zip, o);
  if (args->Has("--json")) {
    JsonWriter j;
    j.BeginObject().Field("ok", c.ok).Field("sha256", c.sha256).Field("bytes", static_cast<int64_t>(c.bytes));
    if (c.manifest) j.Field("secretariat", c.manifest->secretariat_name).Field("month", c.manifest->month);
    j.Key("actas").BeginArray();
    for (const auto& a : c.actas) {
      j.BeginObject().Field("id", static_cast<int64_t>(a.id)).Field("folio", a.folio);
      j.Field("sha256", a.sha256).Field("verdict", a.verdict).EndObject();
    }
    j.EndArray().Key("cosigners").BeginArray();
    for (const auto& s : c.cosigners) j.BeginObject().Field("role", s.role).Field("name", s.name).EndObject();
    j.EndArray().Key("problems").Raw(delivery::ProblemsJson(c.problems)).EndObject();
    std::cout << j.str() << std::endl;
  } else {
    std::cout << "Paquete " << args->positional[0] << " (SHA-256 " << c.sha256 << ")\n";
    if (c.manifest) {
      std::cout << "Secretariado: " << c.manifest->secretariat_name << "; periodo " << c.manifest->month
                << "; órgano: " << c.manifest->agency << "\n";
    }
    for (const auto& s : c.cosigners) {
      std::cout << "Cofirma del " << delivery::CosignerRoleEs(s.role) << ": " << s.name << "\n";
    }
    for (const auto& a : c.actas) std::cout << "  acta " << a.folio << ": " << a.verdict << "\n";
    for (const auto& p : c.problems) {
      std::cout << "  RECHAZO [" << p.code << "]" << (p.file.empty() ? "" : " " + p.file) << ": " << p.message_es << "\n";
    }
    std::cout << (c.ok ? "Resultado: el paquete está íntegro y todas sus actas son válidas y completas.\n"
                       : "Resultado: el paquete NO es aceptable.\n");
  }
  return c.ok ? 0 : 1;
}

// rubrica package send --data-dir DIR --secretariat ID --month YYYY-MM --url URL --ca-file F
//                      --agency-trust F [--wait-seconds N] [--retry-base-seconds N] [--clock-start T]
// Queues the month's newest package (built first when there is none) in the outbox
// (message "agency:<sha256>", so it is queued once) and delivers it through the outbox's
// sender: leased claims, attempts logged, exponential backoff with jitter while the agency
// is down, for at most --wait-seconds (default 0: one pass); `rubrica serve` would go on.
// Exit 0 received, 1 refused, 2 not delivered yet (still queued) or bad usage.
int RunPackageSend(const std::vector<std::string>& argv) {
  const char* usage =
      "rubrica package send --data-dir DIR --secretariat ID --month YYYY-MM --url URL --ca-file F --agency-trust F "
      "[--wait-seconds N] [--retry-base-seconds N]";
  ArgSpec spec = CommonSpec();
  spec.valued.insert({"--secretariat", "--month", "--url", "--ca-file", "--agency-trust", "--clock-start",
                      "--wait-seconds", "--retry-base-seconds"});
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  for (const char* required : {"--secretariat", "--month", "--url", "--ca-file", "--agency-trust"}) {
    if (!args->Has(required)) return Fail(Usage(usage));
  }
  auto secretariat = SecretariatArg(*args);
  if (!secretariat.ok()) return Fail(secretariat.status());
  auto month = delivery::ParseMonth(args->Get("--month"));
  if (!month.ok()) return Fail(month.status());
  const std::string url = args->Get("--url");
  AgencyTrust agency{args->Get("--ca-file"), ""};
  {
    auto trust = ReadFile(args->Get("--agency-trust"), 1 << 20);
    if (!trust.ok()) return Fail(trust.status());
    agency.seal_trust_pem = *trust;
  }
  int wait_seconds = 0, retry_base = 30;
  try {
    wait_seconds = std::stoi(args->Get("--wait-seconds", "0"));
    retry_base = std::stoi(args->Get("--retry-base-seconds", "30"));
  } catch (const std::exception&) {
    return Fail(Usage(usage));
  }
  if (wait_seconds < 0 || retry_base < 1) return Fail(Usage(usage));
  auto config = LoadCliConfig(*args);
  if (!config.ok()) return Fail(config.status());
  Status clock_status = Status::Ok();
  auto clock = ClockFrom(*args, clock_status);
  if (!clock) return Fail(clock_status);
  NullLogger logger;
  auto in = OpenInstallation(*config, *clock, logger);
  if (!in.ok()) return Fail(in.status());
  auto& packages = *(*in)->core->packages;
  auto existing = packages.ForMonth(*secretariat, args->Get("--month"));
  if (!existing.ok()) return Fail(existing.status());
  delivery::PackageRecord pkg;
  if (existing->empty()) {
    auto built = packages.Build(*secretariat, *month, "cli:package");
    if (!built.ok()) return Fail(built.status());
    pkg = *built;
  } else {
    pkg = existing->back();
  }

  // The installation's notifier (its mail goes out on the same pass, as under `serve`),
  // with the agency as one more channel of its sender.
  notify::NotifierSettings ns = NotifierSettingsFrom(*config);
  ns.sender.base_backoff = std::chrono::seconds(retry_base);
  auto notifier = notify::Notifier::Create(*(*in)->data.db, *(*in)->core->audit, *(*in)->core->workflows, *clock, logger, ns);
  if (!notifier.ok()) return Fail(notifier.status());
  std::string answer;
  bool repeat = false;
  (*notifier)->sender().AddChannel(kAgencyChannel, [&](const store::OutboxEntry& e) {
    DeliveryAttempt a = DeliverPackage(packages, agency, *clock, e.message.destination, e.message.payload);
    if (a.outcome.ok) {
      answer = a.answer_xml;
      repeat = a.repeat;
    }
    return a.outcome;
  });
  const std::string message_id = AgencyMessageId(pkg.sha256);
  {
    auto tx = (*in)->data.db->Begin();
    if (!tx.ok()) return Fail(tx.status());
    auto queued = (*notifier)->outbox().Enqueue(
        *tx, store::OutboxMessage{message_id, kAgencyChannel, url, pkg.sha256, "package.send", std::nullopt});
    if (!queued.ok()) return Fail(queued.status());
    if (Status s = tx->Commit(); !s.ok()) return Fail(s);
  }
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  store::OutboxEntry entry;
  for (;;) {
    auto pass = (*notifier)->sender().RunOnce();
    if (!pass.ok()) return Fail(pass.status());
    auto e = (*notifier)->outbox().Get(*(*in)->data.db, message_id);
    if (!e.ok()) return Fail(e.status());
    entry = *e;
    if (entry.state != store::OutboxState::kPending || std::chrono::steady_clock::now() >= give_up) break;
    const auto until_due = entry.next_attempt_at - clock->Now();
    std::this_thread::sleep_for(std::clamp<std::chrono::microseconds>(
        std::chrono::duration_cast<std::chrono::microseconds>(until_due), std::chrono::milliseconds(50),
        std::chrono::milliseconds(500)));
  }
  auto attempts = (*notifier)->outbox().AttemptsOf(*(*in)->data.db, message_id);
  if (!attempts.ok()) return Fail(attempts.status());
  auto record = packages.Get(pkg.sha256);
  if (!record.ok()) return Fail(record.status());
  if (answer.empty() && !record->receipt_blob_id.empty()) {
    auto stored = (*in)->data.blobs->Get(record->receipt_blob_id);
    if (stored.ok()) answer = *stored;
  }
  const bool answered = record->state != delivery::PackageState::kBuilt;
  std::string out_file;
  if (answered) {
    out_file = config->data_dir + "/out/acuse-" + std::to_string(*secretariat) + "-" + pkg.month + ".xml";
    if (Status s = MakeDirs(config->data_dir + "/out"); !s.ok()) return Fail(s);
    if (Status s = WriteFileAtomic(out_file, answer); !s.ok()) return Fail(s);
  }
  JsonWriter j;
  j.BeginObject().Field("package", pkg.sha256).Field("state", delivery::PackageStateName(record->state));
  if (answered) {
    auto receipt = delivery::ParseReceipt(answer);
    j.Field("accepted", record->state == delivery::PackageState::kDelivered)
        .Field("on_time", receipt.ok() && receipt->on_time)
        .Field("repeat", repeat)
        .Field("receipt", out_file)
        .Key("problems")
        .Raw(record->refusal_json.empty() ? std::string("[]") : record->refusal_json);
  }
  j.Key("attempts").BeginArray();
  for (const auto& a : *attempts) {
    j.BeginObject().Field("at_us", UnixMicros(a.at)).Field("ok", a.ok).Field("detail", a.detail);
    j.EndObject();
  }
  std::cout << j.EndArray().EndObject().str() << std::endl;
  if (!answered) {
    std::cerr << "rubrica: the package is queued, not delivered yet: " << entry.last_error << " [delivery.pending]"
              << std::endl;
    return 2;
  }
  return record->state == delivery::PackageState::kDelivered ? 0 : 1;
}

// rubrica package seal-cert [--data-dir DIR] [--out FILE] [--clock-start T]: the seal
// certificate (PEM) the agency registers the secretariat by. Opening the installation's keys
// issues the seal's successor when it is due on the clock (docs/keys.md), so a run on an
// injected clock (--clock-start, as the other package verbs take) names the seal of that time.
int RunPackageSealCert(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  spec.valued.insert({"--out", "--clock-start"});
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  auto config = LoadCliConfig(*args);
  if (!config.ok()) return Fail(config.status());
  Status clock_status = Status::Ok();
  auto clock = ClockFrom(*args, clock_status);
  if (!clock) return Fail(clock_status);
  auto data = DataDirectory::Open(config->data_dir, "rubrica package seal-cert");
  if (!data.ok()) return Fail(data.status());
  auto keys = EnsureInstallationKeys(*data, KeysSetupFrom(config->public_url, ProcessEnvironment()), *clock);
  if (!keys.ok()) return Fail(keys.status());
  const std::string pem = keys->ca->seal_certificate().ToPem();
  if (args->Has("--out")) {
    if (Status s = WriteFileAtomic(args->Get("--out"), pem); !s.ok()) return Fail(s);
  } else {
    std::cout << pem << std::flush;
  }
  return 0;
}

}  // namespace rubrica::server::cli
