#include "package_delivery.h"

#include <algorithm>
#include <set>

#include "notify/mail_compose.h"
#include "notify/reminders.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/net/http_client.h"
#include "rubrica/delivery/receipt.h"
#include "rubrica/lang/articles.h"
#include "rubrica/lang/dates.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server {

namespace {

using namespace std::chrono;

std::string MonthText(year_month m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(m.year()), static_cast<unsigned>(m.month()));
  return buf;
}

std::string MonthEs(const std::string& month) {
  auto m = delivery::ParseMonth(month);
  if (!m.ok()) return month;
  return std::string(lang::MonthName(static_cast<unsigned>(m->month()))) + " de " +
         std::to_string(static_cast<int>(m->year()));
}

// An obligation that is archived and waits only for the agency.
bool WaitsOnlyForDelivery(const workflows::Obligation& o) {
  return o.acta_id && o.reasons.size() == 1 && o.reasons[0] == "not_delivered";
}

bool Delivered(const workflows::Obligation& o) {
  return o.status == workflows::ObligationStatus::kDeliveredOnTime ||
         o.status == workflows::ObligationStatus::kDeliveredLate;
}

}  // namespace

Result<std::optional<std::string>> ArchiveCopies::CertifiedCopy(const workflows::ActaRecord& acta) {
  ASSIGN_OR_RETURN(std::string id, wf_.actas().CertifiedCopy(acta.id, actor_));
  ASSIGN_OR_RETURN(std::string zip, blobs_.Get(id));
  return std::optional<std::string>(std::move(zip));
}

DeliveryAttempt DeliverPackage(delivery::Packages& packages, const AgencyTrust& trust, const Clock& clock,
                               const std::string& url, const std::string& sha256) {
  DeliveryAttempt a;
  auto zip = packages.Bytes(sha256);
  if (!zip.ok()) {
    a.outcome = {false, true, zip.status().message()};
    return a;
  }
  net::HttpRequest req;
  req.url = url;
  req.content_type = "application/zip";
  req.body = std::move(*zip);
  req.headers = {{"Idempotency-Key", sha256}};
  net::HttpClientOptions ho;
  ho.ca_file = trust.tls_ca_file;
  ho.require_tls = true;
  ho.max_response_bytes = 4u << 20;
  auto res = net::SendHttp(req, ho);
  if (!res.ok()) {
    a.outcome = {false, res.status().kind() == ErrorKind::kInvalidArgument,
                 res.status().code() + ": " + res.status().message()};
    return a;
  }
  const std::string status = "HTTP " + std::to_string(res->status);
  if (res->status != 200 && res->status != 422) {
    a.outcome = {false, false, status + " " + res->body.substr(0, 200)};
    return a;
  }
  auto signer = delivery::VerifyXmlDocument(res->body, trust.seal_trust_pem, clock, "delivery.bad_receipt_signature");
  if (!signer.ok()) {
    a.outcome = {false, false, status + ": " + signer.status().message()};
    return a;
  }
  auto receipt = delivery::ParseReceipt(res->body);
  if (!receipt.ok()) {
    a.outcome = {false, false, status + ": " + receipt.status().message()};
    return a;
  }
  if (receipt->package_sha256 != sha256 || receipt->accepted != (res->status == 200)) {
    a.outcome = {false, false, status + ": the answer names package " + receipt->package_sha256};
    return a;
  }
  if (Status s = packages.RecordAnswer(sha256, res->body, receipt->accepted, delivery::ProblemsJson(receipt->reasons));
      !s.ok()) {
    a.outcome = {false, false, s.message()};
    return a;
  }
  a.accepted = receipt->accepted;
  a.repeat = res->Header("Rubrica-Repeat") == "true";
  a.answer_xml = std::move(res->body);
  a.outcome = {true, false,
               status + (a.accepted ? " recibido" : " rechazado") + (a.repeat ? " (repetido)" : "")};
  return a;
}

std::string AgencyMessageId(const std::string& sha256) { return "agency:" + sha256; }

PackageDelivery::PackageDelivery(store::Database& db, const store::BlobStore& blobs, workflows::Workflows& wf,
                                 delivery::Packages& packages, notify::Notifier& notifier, const Clock& clock,
                                 Logger& logger, AgencyTrust trust, bool automatic)
    : db_(db),
      blobs_(blobs),
      wf_(wf),
      packages_(packages),
      notifier_(notifier),
      clock_(clock),
      logger_(logger),
      trust_(std::move(trust)),
      automatic_(automatic) {}

void PackageDelivery::Attach() {
  notifier_.sender().AddChannel(kAgencyChannel, [this](const store::OutboxEntry& e) { return Deliver(e); });
  notifier_.SetCosignatureHold([this](const workflows::SecretariatRecord& sec, const workflows::Obligation& o) {
    return CosignatureHold(sec, o);
  });
  notifier_.sender().OnDead(kAgencyChannel, [this](const store::OutboxEntry& e, const std::string& error) {
    logger_.Warn("delivery.given_up", {{"package", e.message.payload}, {"attempts", std::to_string(e.attempts)}});
    if (Status s = packages_.RecordDeliveryDead(e.message.payload, e.attempts, error); !s.ok()) {
      logger_.Warn("delivery.audit_failed", {{"package", e.message.payload}, {"error", s.message()}});
    }
  });
  // Like the reminders: looked at again when the clock moved a minute, or after 2 s of real
  // time (an acta archived on a stopped test clock, or a minute of real work).
  notifier_.sender().AddProducer([this]() -> Status {
    const Instant now = clock_.Now();
    const auto real = std::chrono::steady_clock::now();
    const auto moved = now > last_pump_clock_ ? now - last_pump_clock_ : last_pump_clock_ - now;
    if (pumped_ && moved < minutes(1) && real - last_pump_real_ < seconds(2)) return Status::Ok();
    pumped_ = true;
    last_pump_clock_ = now;
    last_pump_real_ = real;
    return Pump().status();
  });
}

Result<AgencyDestination> PackageDelivery::Destination(int64_t secretariat_id, year_month month) const {
  ASSIGN_OR_RETURN(auto sec, wf_.secretariats().Get(secretariat_id));
  const year_month_day end = month / last;
  for (const auto& a : sec.config.agencies) {
    if (sys_days(a.effective_from) > sys_days(end)) continue;
    if (a.effective_to && sys_days(*a.effective_to) < sys_days(end)) continue;
    if (a.address.rfind("https://", 0) == 0) return AgencyDestination{false, a.address};
    const std::string mail = a.address.rfind("mailto:", 0) == 0 ? a.address.substr(7) : a.address;
    if (notify::IsPlainAddress(mail)) return AgencyDestination{true, mail};
    return Status::Error(ErrorKind::kRejected, "delivery.no_agency_address",
                         "the agency in force on " + MonthText(month) + " has no https:// nor e-mail address",
                         "El órgano garante vigente en " + MonthEs(MonthText(month)) +
                             " no tiene una dirección https:// ni de correo para recibir el paquete.");
  }
  return Status::Error(ErrorKind::kRejected, "delivery.no_agency_address",
                       "no agency in force at the end of " + MonthText(month),
                       "No hay un órgano garante vigente al final de " + MonthEs(MonthText(month)) + ".");
}

Result<delivery::PackageRecord> PackageDelivery::Build(int64_t secretariat_id, year_month month,
                                                       std::string_view actor) {
  return packages_.Build(secretariat_id, month, actor);
}

Result<bool> PackageDelivery::Queue(const delivery::PackageRecord& pkg, std::string_view actor) {
  ASSIGN_OR_RETURN(year_month month, delivery::ParseMonth(pkg.month));
  ASSIGN_OR_RETURN(AgencyDestination to, Destination(pkg.secretariat_id, month));
  const std::string id = AgencyMessageId(pkg.sha256);
  store::OutboxMessage message{id, kAgencyChannel, to.address, pkg.sha256, "package.send", std::nullopt};
  if (to.email) {
    // Composed before the transaction (it reads the package and the secretariat); an
    // e-mail already queued keeps the message it was queued with.
    message.channel = "mail";
    ASSIGN_OR_RETURN(message.payload, PackageMail(pkg, to.address));
  }
  bool again = false;
  ASSIGN_OR_RETURN(bool added, store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<bool> {
                     ASSIGN_OR_RETURN(bool fresh, notifier_.outbox().Enqueue(tx, message));
                     // Given up before (retries exhausted): the same message, due again.
                     if (!fresh) {
                       ASSIGN_OR_RETURN(again, notifier_.outbox().Revive(tx, id));
                     }
                     if (!fresh && !again) return false;
                     RETURN_IF_ERROR(packages_.RecordQueued(tx, pkg.sha256, actor, to.Uri(), again));
                     return true;
                   }));
  if (added) {
    logger_.Info("delivery.queued", {{"package", pkg.sha256},
                                     {"secretariat", std::to_string(pkg.secretariat_id)},
                                     {"month", pkg.month},
                                     {"to", to.Uri()},
                                     {"again", again ? "true" : "false"}});
    notifier_.sender().Wake();
  }
  return added;
}

Result<std::string> PackageDelivery::PackageMail(const delivery::PackageRecord& pkg, const std::string& to) const {
  ASSIGN_OR_RETURN(auto sec, wf_.secretariats().Get(pkg.secretariat_id));
  ASSIGN_OR_RETURN(std::string zip, packages_.Bytes(pkg.sha256));
  const std::string file = delivery::PackageFileName(pkg.secretariat_id, pkg.month);
  const std::string actas = pkg.acta_ids.size() == 1 ? "1 acta" : std::to_string(pkg.acta_ids.size()) + " actas";
  notify::MailContent c;
  c.to = to;
  c.subject = "Paquete mensual de actas de " + MonthEs(pkg.month) + ": " + sec.config.name;
  c.text = "Se adjunta el paquete mensual firmado de " + MonthEs(pkg.month) + " " +
           lang::WithArticle(lang::Preposition::kDe, sec.config.name) + " (" + file + ", " + actas +
           ").\n\nSHA-256 del paquete: " + pkg.sha256 +
           "\n\nEl paquete contiene cada acta sellada, su copia certificada y el manifiesto "
           "(manifest.xml), firmado con el sello electrónico del secretariado. Su integridad y la "
           "validez de cada acta pueden comprobarse con «rubrica package verify " + file + "».\n\n" +
           (pkg.supersedes.empty() ? std::string()
                                   : "Este paquete sustituye al enviado antes con SHA-256 " + pkg.supersedes +
                                         ".\n\n") +
           "Le pedimos responder a este correo con el acuse de recibo del paquete.\n";
  c.attachments.push_back({file, "application/zip", std::move(zip)});
  return notify::ComposeMail(c, notifier_.messages().options().From(), AgencyMessageId(pkg.sha256), clock_.Now());
}

Result<SendState> PackageDelivery::StateOf(const delivery::PackageRecord& pkg, bool queued_now) const {
  SendState s;
  s.package = pkg;
  s.queued_now = queued_now;
  auto entry = notifier_.outbox().Get(db_, AgencyMessageId(pkg.sha256));
  if (entry.ok()) {
    s.outbox_state = std::string(store::OutboxStateName(entry->state));
    s.last_error = entry->last_error;
  }
  if (!pkg.receipt_blob_id.empty()) {
    ASSIGN_OR_RETURN(s.answer_xml, blobs_.Get(pkg.receipt_blob_id));
  }
  return s;
}

Result<SendState> PackageDelivery::Send(int64_t secretariat_id, const std::string& sha256,
                                        std::string_view actor) {
  auto pkg = packages_.Get(sha256);
  if (!pkg.ok() || pkg->secretariat_id != secretariat_id) {
    return Status::Error(ErrorKind::kNotFound, "delivery.no_package", "no package " + sha256 + " of this secretariat",
                         "No existe ese paquete en este secretariado.");
  }
  if (pkg->state == delivery::PackageState::kAwaitingCosignature) {
    return Status::Error(ErrorKind::kConflict, "delivery.awaiting_cosignature",
                         "package " + sha256 + " awaits its co-signature by the " + pkg->cosigner,
                         "El paquete espera la cofirma del " + delivery::CosignerRoleEs(pkg->cosigner) +
                             "; se enviará al órgano garante en cuanto se cofirme.");
  }
  if (pkg->state == delivery::PackageState::kWithdrawn) {
    return delivery::DraftWithdrawn(*pkg);
  }
  // Answered already: the agency holds it; its answer is the stored one.
  if (pkg->state != delivery::PackageState::kBuilt) return StateOf(*pkg, false);
  ASSIGN_OR_RETURN(year_month month, delivery::ParseMonth(pkg->month));
  ASSIGN_OR_RETURN(AgencyDestination to, Destination(pkg->secretariat_id, month));
  if (!to.email && trust_.seal_trust_pem.empty()) {
    return Status::Error(ErrorKind::kRejected, "delivery.no_agency_trust",
                         "agency.seal_trust_file is not configured: the agency's answer could not be verified",
                         "La instalación no tiene configurada la confianza en el sello del órgano garante "
                         "(agency.seal_trust_file); el paquete no se puede enviar.");
  }
  ASSIGN_OR_RETURN(bool added, Queue(*pkg, actor));
  return StateOf(*pkg, added);
}

Result<SendState> PackageDelivery::CoSign(const delivery::CoSignaturePreparation& prep,
                                          const std::string& signature, std::string_view actor) {
  ASSIGN_OR_RETURN(delivery::PackageRecord pkg, packages_.FinalizeCoSignature(prep, signature, actor));
  auto sent = Send(pkg.secretariat_id, pkg.sha256, actor);
  if (sent.ok()) return sent;
  SendState s;
  s.package = std::move(pkg);
  s.last_error = sent.status().message_es().empty() ? sent.status().message() : sent.status().message_es();
  return s;
}

Result<std::vector<Readdressed>> PackageDelivery::Readdress(int64_t secretariat_id, std::string_view actor) {
  std::lock_guard lock(readdress_mu_);
  ASSIGN_OR_RETURN(auto sec, wf_.secretariats().Get(secretariat_id));
  const std::string want =
      sec.config.package_cosigner ? std::string(workflows::OfficerName(*sec.config.package_cosigner)) : "";
  ASSIGN_OR_RETURN(auto drafts, packages_.Drafts(secretariat_id));
  std::vector<Readdressed> done;
  for (const auto& d : drafts) {
    if (d.cosigner == want) continue;
    ASSIGN_OR_RETURN(year_month month, delivery::ParseMonth(d.month));
    auto built = packages_.Build(secretariat_id, month, actor, d.sha256);
    // Co-signed (or withdrawn by another process) since it was read: nothing to re-address.
    if (!built.ok() && built.status().code() == "delivery.not_awaiting_cosignature") continue;
    ASSIGN_OR_RETURN(delivery::PackageRecord pkg, std::move(built));
    logger_.Info("delivery.readdressed", {{"withdrawn", d.sha256},
                                          {"package", pkg.sha256},
                                          {"secretariat", std::to_string(secretariat_id)},
                                          {"month", pkg.month},
                                          {"cosigner", want.empty() ? "none" : want}});
    Readdressed r{d.sha256, pkg, ""};
    if (pkg.state == delivery::PackageState::kBuilt) {
      auto sent = Send(secretariat_id, pkg.sha256, actor);
      if (!sent.ok()) {
        r.send_error = sent.status().message_es().empty() ? sent.status().message() : sent.status().message_es();
      }
    }
    done.push_back(std::move(r));
  }
  return done;
}

Result<std::string> PackageDelivery::CosignatureHold(const workflows::SecretariatRecord& sec,
                                                     const workflows::Obligation& o) const {
  if (!o.acta_id) return std::string();
  ASSIGN_OR_RETURN(auto drafts, packages_.Drafts(sec.id));
  for (const auto& d : drafts) {
    if (std::find(d.acta_ids.begin(), d.acta_ids.end(), *o.acta_id) == d.acta_ids.end()) continue;
    ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(sec.config.time_zone));
    ASSIGN_OR_RETURN(auto people, notify::PackageCosigners(wf_, sec, d.cosigner, zone.LocalDate(clock_.Now())));
    std::string names;
    for (int64_t id : people) {
      auto p = wf_.people().GetPerson(id);
      if (p.ok()) names += (names.empty() ? "" : ", ") + p->full_name;
    }
    return "El paquete mensual que la lleva espera desde el " + lang::DateEs(zone.LocalDate(d.built_at)) +
           " la cofirma del " + delivery::CosignerRoleEs(d.cosigner) +
           (names.empty() ? std::string() : " (" + names + ")") +
           ": sin ella no se sella ni se envía al órgano garante.";
  }
  return std::string();
}

Status PackageDelivery::RecordMailed(int64_t secretariat_id, year_month month) {
  ASSIGN_OR_RETURN(auto packages, packages_.ForMonth(secretariat_id, MonthText(month)));
  for (const auto& p : packages) {
    if (p.state != delivery::PackageState::kBuilt) continue;
    auto entry = notifier_.outbox().Get(db_, AgencyMessageId(p.sha256));
    if (!entry.ok() || entry->message.channel != "mail" || entry->state != store::OutboxState::kSent) continue;
    RETURN_IF_ERROR(packages_.RecordMailed(p.sha256));
    logger_.Info("delivery.mailed", {{"package", p.sha256}, {"to", entry->message.destination}});
  }
  return Status::Ok();
}

Result<int> PackageDelivery::Pump() {
  ASSIGN_OR_RETURN(auto secretariats, wf_.secretariats().List());
  int queued = 0;
  for (const auto& sec : secretariats) {
    // Drafts addressed to a co-signer the secretariat no longer has (a change made while
    // the service was down, or a re-addressing that failed half-way).
    if (auto r = Readdress(sec.id, "system"); !r.ok()) {
      logger_.Warn("delivery.readdress_failed",
                   {{"secretariat", std::to_string(sec.id)}, {"error", r.status().code() + ": " + r.status().message()}});
    }
    auto zone = TimeZone::Load(sec.config.time_zone);
    if (!zone.ok()) continue;
    const year_month_day today = zone->LocalDate(clock_.Now());
    for (int back = 2; back >= 0; --back) {
      const year_month month = today.year() / today.month() - months(back);
      // Nowhere to send it (said on demand), or an https agency whose answers could not be
      // verified: nothing is built.
      auto to = Destination(sec.id, month);
      if (!to.ok() || (!to->email && !automatic_)) continue;
      if (to->email) RETURN_IF_ERROR(RecordMailed(sec.id, month));
      ASSIGN_OR_RETURN(auto due, wf_.deliveries().ForMonth(sec.id, month));
      if (due.empty()) continue;
      bool complete = true, waiting = false;
      for (const auto& o : due) {
        if (Delivered(o)) continue;
        if (!WaitsOnlyForDelivery(o)) complete = false;
        waiting = true;
      }
      if (!complete || !waiting) continue;
      // Only actas no package carries yet: a refused package waits for people.
      ASSIGN_OR_RETURN(auto built, packages_.ForMonth(sec.id, MonthText(month)));
      std::set<int64_t> carried;
      for (const auto& p : built) {
        if (p.state != delivery::PackageState::kWithdrawn) carried.insert(p.acta_ids.begin(), p.acta_ids.end());
      }
      bool fresh = false;
      for (const auto& o : due) fresh = fresh || (WaitsOnlyForDelivery(o) && !carried.count(*o.acta_id));
      if (!fresh) continue;

      auto pkg = packages_.Build(sec.id, month, "system");
      if (!pkg.ok()) {
        logger_.Warn("delivery.build_failed", {{"secretariat", std::to_string(sec.id)},
                                               {"month", MonthText(month)},
                                               {"error", pkg.status().code() + ": " + pkg.status().message()}});
        continue;
      }
      logger_.Info("delivery.built", {{"package", pkg->sha256},
                                      {"secretariat", std::to_string(sec.id)},
                                      {"month", pkg->month},
                                      {"actas", std::to_string(pkg->acta_ids.size())}});
      // A draft waits for its co-signer's device (POST …/cosign/finalize queues it then).
      if (pkg->state == delivery::PackageState::kAwaitingCosignature) continue;
      ASSIGN_OR_RETURN(bool added, Queue(*pkg, "system"));
      queued += added ? 1 : 0;
    }
  }
  return queued;
}

notify::DeliveryOutcome PackageDelivery::Deliver(const store::OutboxEntry& entry) {
  DeliveryAttempt a = DeliverPackage(packages_, trust_, clock_, entry.message.destination, entry.message.payload);
  if (!a.outcome.ok) return a.outcome;
  logger_.Info(a.accepted ? "delivery.received" : "delivery.refused",
               {{"package", entry.message.payload}, {"repeat", a.repeat ? "true" : "false"}});
  if (!a.accepted) {
    auto pkg = packages_.Get(entry.message.payload);
    Status s = pkg.ok() ? MailRefusal(*pkg) : pkg.status();
    if (!s.ok()) logger_.Warn("delivery.refusal_mail_failed", {{"error", s.message()}});
  }
  return a.outcome;
}

Status PackageDelivery::MailRefusal(const delivery::PackageRecord& pkg) {
  ASSIGN_OR_RETURN(auto sec, wf_.secretariats().Get(pkg.secretariat_id));
  ASSIGN_OR_RETURN(std::string answer, blobs_.Get(pkg.receipt_blob_id));
  ASSIGN_OR_RETURN(delivery::Receipt receipt, delivery::ParseReceipt(answer));
  ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(sec.config.time_zone));
  ASSIGN_OR_RETURN(auto to, notify::DeliveryResponsibles(wf_, sec, zone.LocalDate(clock_.Now())));
  std::string text = "El órgano garante (" + receipt.agency + ") rechazó el paquete mensual de " +
                     MonthEs(pkg.month) + " " + lang::WithArticle(lang::Preposition::kDe, sec.config.name) +
                     " (SHA-256 " + pkg.sha256 + ").\n\nMotivos:\n";
  for (const auto& r : receipt.reasons) {
    text += "- " + r.message_es + (r.file.empty() ? "" : " (" + r.file + ")") + " [" + r.code + "]\n";
  }
  text += "\nCorrija lo señalado y genere un nuevo paquete del mes: sustituirá al rechazado. "
          "Las actas siguen pendientes de entrega.\n";
  std::vector<store::OutboxMessage> out;
  for (int64_t pid : to) {
    notify::MailContent c;
    c.subject = "Paquete mensual rechazado: " + MonthEs(pkg.month);
    c.text = text;
    RETURN_IF_ERROR(notifier_.messages().MailPerson(pid, "package-refused:" + pkg.sha256, "package.refused", c,
                                                    "/secretariados/" + std::to_string(sec.id),
                                                    {sec.id, std::nullopt, std::nullopt}, out));
  }
  if (out.empty()) return Status::Ok();
  RETURN_IF_ERROR(store::WriteTransaction(db_, [&](store::Transaction& tx) -> Status {
                    for (const auto& m : out) RETURN_IF_ERROR(notifier_.outbox().Enqueue(tx, m).status());
                    return Status::Ok();
                  }));
  notifier_.sender().Wake();
  return Status::Ok();
}

}  // namespace rubrica::server
