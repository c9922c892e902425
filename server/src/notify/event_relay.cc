#include "event_relay.h"

#include <algorithm>

#include "rubrica/base/json_reader.h"
#include "rubrica/base/json_writer.h"
#include "icalendar.h"
#include "reminders.h"
#include "rubrica/delivery/manifest.h"
#include "rubrica/delivery/packages.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/lang/articles.h"
#include "rubrica/lang/dates.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server::notify {

namespace {

constexpr int kBatch = 200;

std::string KindEs(workflows::SessionKind k) {
  return k == workflows::SessionKind::kOrdinary ? "ordinaria" : "extraordinaria";
}

std::string Greeting(const workflows::PersonRecord& p) {
  switch (p.gender) {
    case lang::Gender::kFeminine: return "Estimada " + p.full_name + ":\n\n";
    case lang::Gender::kMasculine: return "Estimado " + p.full_name + ":\n\n";
    default: return "Hola, " + p.full_name + ":\n\n";
  }
}

// Members in force on `date`: seat holders (titular and substitute) and the facilitator.
Result<std::vector<int64_t>> MembersOn(workflows::Workflows& wf, int64_t secretariat_id,
                                       std::chrono::year_month_day date) {
  ASSIGN_OR_RETURN(auto terms, wf.people().TermsInForce(secretariat_id, date));
  std::vector<int64_t> ids;
  for (const auto& t : terms) {
    if (std::find(ids.begin(), ids.end(), t.person_id) == ids.end()) ids.push_back(t.person_id);
  }
  return ids;
}

std::string MonthEs(std::chrono::year_month m) {
  return std::string(lang::MonthName(static_cast<unsigned>(m.month()))) + " de " +
         std::to_string(static_cast<int>(m.year()));
}

}  // namespace

// A draft package awaiting its co-signature (audit "package.build" whose payload names
// the role): every person who may co-sign it today is asked to, once per draft (the
// message id is the draft's).
Status EventRelay::CosignatureRequest(const store::StoredAuditEntry& e, std::vector<store::OutboxMessage>& out) {
  ASSIGN_OR_RETURN(JsonReader payload, JsonReader::Parse(e.entry.payload));
  ASSIGN_OR_RETURN(std::string role, payload.OptionalString("awaiting_cosignature"));
  if (role.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(int64_t secretariat_id, payload.Int("secretariat_id"));
  ASSIGN_OR_RETURN(std::string month_text, payload.String("month", 16));
  ASSIGN_OR_RETURN(std::vector<int64_t> acta_ids, payload.IntArray("acta_ids", 100000));
  ASSIGN_OR_RETURN(std::chrono::year_month month, delivery::ParseMonth(month_text));
  ASSIGN_OR_RETURN(auto sec, wf_.secretariats().Get(secretariat_id));
  ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(sec.config.time_zone));
  const std::chrono::year_month_day due = month / std::chrono::last;
  ASSIGN_OR_RETURN(auto to, PackageCosigners(wf_, sec, role, zone.LocalDate(e.at)));
  const std::string& draft = e.entry.object_id;
  const std::string sid = std::to_string(sec.id);
  auto agency = wf_.secretariats().AgencyOn(sec.id, due);
  const std::string server =
      messages_.options().public_url.empty() ? "<dirección del servicio>" : messages_.Link("");
  const std::string routes = "/api/secretariats/" + sid + "/packages/" + draft + "/cosign/";
  for (int64_t pid : to) {
    ASSIGN_OR_RETURN(auto p, wf_.people().GetPerson(pid));
    MailContent c;
    c.subject = "Cofirma pendiente: paquete mensual de " + MonthEs(month) + " — " + sec.config.name;
    c.text = Greeting(p) + "El paquete mensual de actas de " + MonthEs(month) + " " +
             lang::WithArticle(lang::Preposition::kDe, sec.config.name) + " espera su cofirma como " +
             delivery::CosignerRoleEs(role) + " del secretariado. Sin ella no se sella ni se envía al órgano garante" +
             (agency.ok() ? " (" + agency->name + ")" : std::string()) + ".\n\n" +
             "Fecha límite de entrega: " + lang::DateEs(due) + " (hasta el fin de ese día, hora de " +
             sec.config.time_zone + ").\n" + "Paquete: " + delivery::PackageFileName(sec.id, month_text) + ", " +
             std::to_string(acta_ids.size()) + (acta_ids.size() == 1 ? " acta" : " actas") +
             "; SHA-256 del borrador: " + draft + ".\n\n" +
             "Cómo cofirmar, con el certificado y la llave de su dispositivo (e.firma); la llave nunca sale "
             "de su equipo:\n"
             "1. Si aún no lo hizo, registre el certificado de su dispositivo en su cuenta de Rúbrica.\n"
             "2. Desde una terminal:\n"
             "   rubrica sign --server " + server + " --login SU_CORREO --secretariat " + sid + " --package " +
             draft + " --cer SU_CERTIFICADO.cer --key SU_LLAVE.key\n"
             "   o, con cualquier cliente de la API: POST " + routes + "prepare y luego POST " + routes +
             "finalize.\n\n"
             "Al cofirmar, el paquete se sella y se envía al órgano garante.\n";
    RETURN_IF_ERROR(messages_.MailPerson(pid, "mail:package-cosign-" + draft, "package.cosign_requested", c,
                                         "/secretariados/" + sid, {sec.id, std::nullopt, std::nullopt}, out));
  }
  return Status::Ok();
}

// A draft withdrawn because the co-signer setting changed (audit "package.withdraw"): whoever
// was asked to co-sign it is told that it no longer waits for them, once per draft.
Status EventRelay::CosignatureWithdrawn(const store::StoredAuditEntry& e, std::vector<store::OutboxMessage>& out) {
  ASSIGN_OR_RETURN(JsonReader payload, JsonReader::Parse(e.entry.payload));
  ASSIGN_OR_RETURN(std::string was, payload.OptionalString("cosigner_was"));
  if (was.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(std::string now, payload.String("cosigner_now", 32));
  ASSIGN_OR_RETURN(int64_t secretariat_id, payload.Int("secretariat_id"));
  ASSIGN_OR_RETURN(std::string month_text, payload.String("month", 16));
  ASSIGN_OR_RETURN(std::chrono::year_month month, delivery::ParseMonth(month_text));
  ASSIGN_OR_RETURN(auto sec, wf_.secretariats().Get(secretariat_id));
  ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(sec.config.time_zone));
  ASSIGN_OR_RETURN(auto to, PackageCosigners(wf_, sec, was, zone.LocalDate(e.at)));
  const std::string& draft = e.entry.object_id;
  for (int64_t pid : to) {
    ASSIGN_OR_RETURN(auto p, wf_.people().GetPerson(pid));
    MailContent c;
    c.subject = "Ya no se requiere su cofirma: paquete mensual de " + MonthEs(month) + " — " + sec.config.name;
    c.text = Greeting(p) + "Cambió quién cofirma el paquete mensual " +
             lang::WithArticle(lang::Preposition::kDe, sec.config.name) + ": el borrador de " + MonthEs(month) +
             " que esperaba su cofirma como " + delivery::CosignerRoleEs(was) + " (SHA-256 " + draft +
             ") se retiró y ya no puede cofirmarse. " +
             (now == "none" ? std::string("El paquete ya no requiere cofirma: se selló y se envía al órgano garante.")
                            : "Ahora lo cofirma el " + delivery::CosignerRoleEs(now) + " del secretariado.") +
             "\nNo necesita hacer nada más.\n";
    RETURN_IF_ERROR(messages_.MailPerson(pid, "mail:package-cosign-withdrawn-" + draft, "package.cosign_withdrawn", c,
                                         "/secretariados/" + std::to_string(sec.id),
                                         {sec.id, std::nullopt, std::nullopt}, out));
  }
  return Status::Ok();
}

EventRelay::EventRelay(store::Database& db, const store::AuditLog& audit,
                       const store::Outbox& outbox, workflows::Workflows& wf,
                       const Webhooks& webhooks, const Clock& clock, Logger& logger,
                       NotifyOptions options)
    : db_(db),
      audit_(audit),
      outbox_(outbox),
      wf_(wf),
      clock_(clock),
      logger_(logger),
      messages_(wf, webhooks, clock, std::move(options)) {}

Result<int> EventRelay::Pump() {
  int enqueued = 0;
  while (true) {
    int64_t cursor = 0;
    {
      ASSIGN_OR_RETURN(auto tx, db_.BeginRead());
      ASSIGN_OR_RETURN(cursor, store::Outbox::Cursor(tx, kCursor));
    }
    ASSIGN_OR_RETURN(auto entries, audit_.List(db_, cursor, kBatch));
    if (entries.empty()) return enqueued;
    // Reads happen here, outside the write transaction (transactions do not nest).
    std::vector<store::OutboxMessage> messages;
    for (const auto& e : entries) {
      Status s = Translate(e, messages);
      if (!s.ok()) {
        // An event whose objects cannot be read is logged and skipped, never retried
        // forever (it would block every later event).
        logger_.Warn("notify.event_skipped", {{"seq", e.seq},
                                              {"action", e.entry.action},
                                              {"error", s.ToString()}});
      }
    }
    const int64_t last = entries.back().seq;
    ASSIGN_OR_RETURN(int added, store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<int> {
      ASSIGN_OR_RETURN(int64_t now_at, store::Outbox::Cursor(tx, kCursor));
      if (now_at != cursor) return 0;  // another relay moved first: read again
      int n = 0;
      for (const auto& m : messages) {
        ASSIGN_OR_RETURN(bool added_one, outbox_.Enqueue(tx, m));
        n += added_one ? 1 : 0;
      }
      RETURN_IF_ERROR(store::Outbox::SetCursor(tx, kCursor, last));
      return n;
    }));
    enqueued += added;
    if (static_cast<int>(entries.size()) < kBatch) return enqueued;
  }
}

Status EventRelay::Translate(const store::StoredAuditEntry& e,
                             std::vector<store::OutboxMessage>& out) {
  const std::string& action = e.entry.action;
  const std::string event_id = "audit-" + std::to_string(e.seq);
  if (action == "package.build") return CosignatureRequest(e, out);
  if (action == "package.withdraw") return CosignatureWithdrawn(e, out);
  if (action == "session.convene" || action == "session.cancel") {
    const bool cancel = action == "session.cancel";
    const int64_t session_id = std::stoll(e.entry.object_id);
    ASSIGN_OR_RETURN(auto session, wf_.sessions().Get(session_id));
    ASSIGN_OR_RETURN(auto sec, wf_.secretariats().Get(session.secretariat_id));
    ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(sec.config.time_zone));
    ASSIGN_OR_RETURN(auto members, MembersOn(wf_, session.secretariat_id, session.session_date));
    const std::string when = lang::DateTimeEs(session.starts_at, zone);
    const std::string what = "la sesión " + KindEs(session.kind) + " " +
                             lang::WithArticle(lang::Preposition::kDe, sec.config.name);
    CalendarEvent ev;
    ev.uid = "session-" + std::to_string(session.id) + "-" + std::to_string(sec.id) + "@rubrica";
    ev.sequence = cancel ? 1 : 0;
    ev.cancelled = cancel;
    ev.starts_at = session.starts_at;
    ev.stamp = e.at;
    ev.summary = "Sesión " + KindEs(session.kind) + " — " + sec.config.name;
    ev.location = session.place;
    ev.url = messages_.Link("/secretariados/" + std::to_string(sec.id));
    ev.organizer = {sec.config.name, messages_.options().from_address};
    std::string agenda;
    for (const auto& item : session.agenda) {
      agenda += std::to_string(item.position) + ". " + item.title + "\n";
    }
    ev.description = "Orden del día:\n" + agenda;
    for (int64_t pid : members) {
      ASSIGN_OR_RETURN(auto p, wf_.people().GetPerson(pid));
      if (IsPlainAddress(p.email)) ev.attendees.push_back({p.full_name, p.email});
    }
    const std::string calendar = RenderCalendar(ev);
    for (int64_t pid : members) {
      ASSIGN_OR_RETURN(auto p, wf_.people().GetPerson(pid));
      MailContent c;
      c.calendar = calendar;
      c.calendar_method = cancel ? "CANCEL" : "REQUEST";
      if (cancel) {
        c.subject = "Cancelación: sesión " + KindEs(session.kind) + " del " +
                    lang::DateEs(session.session_date);
        c.text = Greeting(p) + "Se canceló " + what + ", convocada para el " + when + " en " +
                 session.place + ".\n";
      } else {
        c.subject = "Convocatoria: sesión " + KindEs(session.kind) + " del " +
                    lang::DateEs(session.session_date);
        c.text = Greeting(p) + "Se le convoca a " + what + ", el " + when + ", en " +
                 session.place + ".\n\nOrden del día:\n" + agenda +
                 "\nEl archivo adjunto agrega la sesión a su calendario.\n";
      }
      RETURN_IF_ERROR(messages_.MailPerson(pid, "mail:" + event_id, cancel ? "session.cancelled" : "session.convened",
                                           c, "/secretariados/" + std::to_string(sec.id),
                                           {sec.id, session.id, std::nullopt}, out));
    }
    JsonWriter d;
    d.BeginObject()
        .Field("session_id", session.id)
        .Field("kind", workflows::SessionKindName(session.kind))
        .Key("starts_at").Time(session.starts_at)
        .Field("place", session.place)
        .EndObject();
    return messages_.Webhook(sec.id, cancel ? "session.cancelled" : "session.convened", event_id,
                             d.str(), out);
  }

  if (action == "acta.submit" || action == "acta.approve" || action == "acta.reapprove" ||
      action == "acta.archive" || action == "acta.foot" || action == "acta.deliver") {
    // A foot signature matters only when it completed the acta (its audit payload says).
    if (action == "acta.foot" && e.entry.payload.find("\"complete\":true") == std::string::npos) {
      return Status::Ok();
    }
    const int64_t acta_id = std::stoll(e.entry.object_id);
    ASSIGN_OR_RETURN(auto acta, wf_.actas().Get(acta_id));
    ASSIGN_OR_RETURN(auto sec, wf_.secretariats().Get(acta.secretariat_id));
    const std::string link = "/actas/" + std::to_string(acta.id);
    const MessageScope scope{sec.id, acta.session_id, acta.id};
    JsonWriter d;
    d.BeginObject()
        .Field("acta_id", acta.id)
        .Field("folio", acta.folio)
        .Field("title", acta.title)
        .Key("acta_date").Date(acta.acta_date)
        .Field("state", workflows::ActaStateName(acta.state))
        .EndObject();
    std::vector<int64_t> people;
    for (const auto& s : acta.signers) people.push_back(s.person_id);
    if (action == "acta.submit") {
      ASSIGN_OR_RETURN(people, MembersOn(wf_, acta.secretariat_id, acta.acta_date));
      for (int64_t pid : people) {
        ASSIGN_OR_RETURN(auto p, wf_.people().GetPerson(pid));
        MailContent c;
        c.subject = "Revisión abierta: " + acta.title;
        c.text = Greeting(p) + "El borrador «" + acta.title + "»" +
                 " está en revisión. Puede leerlo y dejar sus comentarios en Rúbrica.\n";
        RETURN_IF_ERROR(messages_.MailPerson(pid, "mail:" + event_id, "acta.review_opened", c, link, scope, out));
      }
      return messages_.Webhook(sec.id, "acta.review_opened", event_id, d.str(), out);
    }
    if (action == "acta.approve" || action == "acta.reapprove") {
      ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(sec.config.time_zone));
      const auto approved_on = zone.LocalDate(e.at);
      for (int64_t pid : people) {
        ASSIGN_OR_RETURN(auto p, wf_.people().GetPerson(pid));
        MailContent c;
        c.subject = "Firme hoy: " + acta.title;
        c.text = Greeting(p) + "Hoy, " + lang::DateEs(approved_on) + ", se aprobó " +
                 acta.title + (acta.folio.empty() ? "" : " (folio " + acta.folio + ")") +
                 ". Las firmas al pie deben llevar la fecha de aprobación: rubrique cada página "
                 "y firme al pie hoy mismo.\n";
        RETURN_IF_ERROR(messages_.MailPerson(pid, "mail:" + event_id, "acta.approved", c, link, scope, out));
      }
      return messages_.Webhook(sec.id, "acta.approved", event_id, d.str(), out);
    }
    if (action == "acta.foot") {
      if (!acta.complete) return Status::Ok();
      // Once per approval round, whichever foot signature completed it.
      const int round = acta.approvals.empty() ? 0 : acta.approvals.back().round;
      return messages_.Webhook(sec.id, "acta.signed",
                               "acta-" + std::to_string(acta.id) + "-signed-" + std::to_string(round),
                               d.str(), out);
    }
    if (action == "acta.archive") {
      for (int64_t pid : people) {
        ASSIGN_OR_RETURN(auto p, wf_.people().GetPerson(pid));
        MailContent c;
        c.subject = "Acta archivada: " + acta.title;
        c.text = Greeting(p) + "Se archivó " + acta.title +
                 (acta.folio.empty() ? "" : " (folio " + acta.folio + ")") +
                 " con todas sus firmas y su sello de tiempo.\n";
        RETURN_IF_ERROR(messages_.MailPerson(pid, "mail:" + event_id, "acta.archived", c, link, scope, out));
      }
      return messages_.Webhook(sec.id, "acta.archived", event_id, d.str(), out);
    }
    return messages_.Webhook(sec.id, "acta.delivered", event_id, d.str(), out);
  }
  return Status::Ok();
}

}  // namespace rubrica::server::notify
