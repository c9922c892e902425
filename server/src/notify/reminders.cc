#include "reminders.h"

#include <algorithm>

#include "rubrica/base/json_writer.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/lang/articles.h"
#include "rubrica/lang/dates.h"
#include "rubrica/store/write_transaction.h"
#include "rubrica/workflows/calendar.h"

namespace rubrica::server::notify {

namespace {

using namespace std::chrono;

std::string Ym(year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()));
  return buf;
}

std::string ObligationKey(const workflows::Obligation& o) {
  return o.acta_id ? "acta-" + std::to_string(*o.acta_id)
                   : "session-" + std::to_string(o.session_id.value_or(0));
}

std::string ObligationData(const workflows::Obligation& o) {
  JsonWriter d;
  d.BeginObject()
      .Field("acta_id", o.acta_id)
      .Field("session_id", o.session_id)
      .Field("title", o.title)
      .Key("due_on").Date(o.due_on)
      .Field("state", o.state)
      .StringArray("reasons", o.reasons)
      .EndObject();
  return d.str();
}

}  // namespace

int BusinessDaysBetween(const workflows::SecretariatConfig& config, year_month_day from,
                        year_month_day to) {
  int n = 0;
  for (sys_days d = sys_days(from) + days(1); d <= sys_days(to); d += days(1)) {
    const weekday wd(d);
    if (wd == Saturday || wd == Sunday) continue;
    const year_month_day ymd(d);
    if (std::find(config.extra_holidays.begin(), config.extra_holidays.end(), ymd) !=
        config.extra_holidays.end()) {
      continue;
    }
    if (config.federal_holidays) {
      const auto fed = workflows::FederalHolidays(ymd.year());
      if (std::find(fed.begin(), fed.end(), ymd) != fed.end()) continue;
    }
    ++n;
  }
  return n;
}

Result<std::vector<int64_t>> PackageCosigners(workflows::Workflows& wf, const workflows::SecretariatRecord& sec,
                                              const std::string& role, year_month_day day) {
  ASSIGN_OR_RETURN(auto seats, wf.people().Seats(sec.id));
  ASSIGN_OR_RETURN(auto terms, wf.people().TermsInForce(sec.id, day));
  std::vector<int64_t> to;
  auto add = [&](int64_t id) {
    if (std::find(to.begin(), to.end(), id) == to.end()) to.push_back(id);
  };
  for (const auto& t : terms) {
    if (role == "facilitator") {
      if (t.role == workflows::TermRole::kFacilitator) add(t.person_id);
      continue;
    }
    if (!t.seat_id) continue;
    for (const auto& seat : seats) {
      if (seat.id == *t.seat_id && seat.member_type == sec.config.garante_member_type) add(t.person_id);
    }
  }
  return to;
}

Result<std::vector<int64_t>> DeliveryResponsibles(workflows::Workflows& wf, const workflows::SecretariatRecord& sec,
                                                  year_month_day day) {
  ASSIGN_OR_RETURN(std::vector<int64_t> to, PackageCosigners(wf, sec, "facilitator", day));
  ASSIGN_OR_RETURN(std::vector<int64_t> garantes, PackageCosigners(wf, sec, "garante", day));
  for (int64_t id : garantes) {
    if (std::find(to.begin(), to.end(), id) == to.end()) to.push_back(id);
  }
  return to;
}

const std::vector<store::Migration>& Reminders::Migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, "reminder_settings",
       "CREATE TABLE notify_reminders ("
       "  secretariat_id INTEGER PRIMARY KEY,"
       "  session_hours INTEGER NOT NULL,"
       "  due_business_days INTEGER NOT NULL,"
       "  late INTEGER NOT NULL);"},
  };
  return kMigrations;
}

Result<ReminderSettings> Reminders::Settings(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(auto tx, db_.BeginRead());
  ASSIGN_OR_RETURN(auto st, tx.Prepare("SELECT session_hours, due_business_days, late FROM "
                                       "notify_reminders WHERE secretariat_id = ?1"));
  st.Bind(1, secretariat_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  ReminderSettings s;
  if (row) {
    s.session_hours = static_cast<int>(st.ColumnInt(0));
    s.due_business_days = static_cast<int>(st.ColumnInt(1));
    s.late = st.ColumnInt(2) != 0;
  }
  return s;
}

Status Reminders::SetSettings(int64_t secretariat_id, const ReminderSettings& s) {
  if (s.session_hours < 0 || s.session_hours > 720 || s.due_business_days < 0 ||
      s.due_business_days > 20) {
    return Status::Error(ErrorKind::kInvalidArgument, "notify.bad_reminder_settings",
                         "session_hours must be 0-720 and due_business_days 0-20",
                         "Las horas deben estar entre 0 y 720 y los días hábiles entre 0 y 20.");
  }
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto st, tx.Prepare(
                                  "INSERT INTO notify_reminders(secretariat_id, session_hours, "
                                  "due_business_days, late) VALUES (?1, ?2, ?3, ?4) "
                                  "ON CONFLICT(secretariat_id) DO UPDATE SET "
                                  "session_hours = excluded.session_hours, "
                                  "due_business_days = excluded.due_business_days, late = excluded.late"));
    return st.Bind(1, secretariat_id)
        .Bind(2, int64_t{s.session_hours})
        .Bind(3, int64_t{s.due_business_days})
        .Bind(4, int64_t{s.late ? 1 : 0})
        .Run();
  });
}

Result<int> Reminders::Pump() {
  ASSIGN_OR_RETURN(auto secretariats, wf_.secretariats().List());
  std::vector<store::OutboxMessage> out;
  for (const auto& sec : secretariats) RETURN_IF_ERROR(Collect(sec, out));
  if (out.empty()) return 0;
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<int> {
    int n = 0;
    for (const auto& m : out) {
      ASSIGN_OR_RETURN(bool added, outbox_.Enqueue(tx, m));
      n += added ? 1 : 0;
    }
    return n;
  });
}

Status Reminders::Collect(const workflows::SecretariatRecord& sec,
                          std::vector<store::OutboxMessage>& out) {
  ASSIGN_OR_RETURN(ReminderSettings settings, Settings(sec.id));
  ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(sec.config.time_zone));
  const Instant now = clock_.Now();
  const year_month_day today = zone.LocalDate(now);
  const std::string sec_link = "/secretariados/" + std::to_string(sec.id);

  auto person_ids = [&](year_month_day on, bool facilitator_only) -> Result<std::vector<int64_t>> {
    ASSIGN_OR_RETURN(auto terms, wf_.people().TermsInForce(sec.id, on));
    std::vector<int64_t> ids;
    for (const auto& t : terms) {
      if (facilitator_only && t.role != workflows::TermRole::kFacilitator) continue;
      if (std::find(ids.begin(), ids.end(), t.person_id) == ids.end()) ids.push_back(t.person_id);
    }
    return ids;
  };

  // Before a session.
  if (settings.session_hours > 0) {
    ASSIGN_OR_RETURN(auto sessions, wf_.sessions().List(sec.id));
    for (const auto& s : sessions) {
      if (s.status != workflows::SessionStatus::kConvened) continue;
      if (now >= s.starts_at || now < s.starts_at - hours(settings.session_hours)) continue;
      ASSIGN_OR_RETURN(auto members, person_ids(s.session_date, false));
      for (int64_t pid : members) {
        MailContent c;
        c.subject = "Recordatorio: sesión del " + lang::DateEs(s.session_date);
        c.text = "Le recordamos la sesión " +
                 std::string(s.kind == workflows::SessionKind::kOrdinary ? "ordinaria" : "extraordinaria") +
                 " " + lang::WithArticle(lang::Preposition::kDe, sec.config.name) + ", el " +
                 lang::DateTimeEs(s.starts_at, zone) + ", en " + s.place + ".\n";
        RETURN_IF_ERROR(messages_.MailPerson(pid, "reminder:session-" + std::to_string(s.id),
                                             "reminder.session", c, sec_link,
                                             {sec.id, s.id, std::nullopt}, out));
      }
    }
  }

  // Before the monthly deadline, and once it passed.
  std::vector<workflows::Obligation> due;
  if (settings.due_business_days > 0) {
    ASSIGN_OR_RETURN(due, wf_.deliveries().ForMonth(sec.id, today.year() / today.month()));
  }
  ASSIGN_OR_RETURN(auto facilitators, person_ids(today, true));
  for (const auto& o : due) {
    if (o.status != workflows::ObligationStatus::kPending) continue;
    if (BusinessDaysBetween(sec.config, today, o.due_on) > settings.due_business_days) continue;
    const std::string key = "due-" + std::to_string(sec.id) + "-" + Ym(o.due_on) + "-" + ObligationKey(o);
    std::vector<int64_t> to = facilitators;
    const bool unsigned_acta =
        std::find(o.reasons.begin(), o.reasons.end(), "signatures_missing") != o.reasons.end();
    if (unsigned_acta && o.acta_id) {
      ASSIGN_OR_RETURN(auto acta, wf_.actas().Get(*o.acta_id));
      for (const auto& s : acta.signers) {
        if (std::find(to.begin(), to.end(), s.person_id) == to.end()) to.push_back(s.person_id);
      }
    }
    for (int64_t pid : to) {
      MailContent c;
      c.subject = "Entrega mensual: vence el " + lang::DateEs(o.due_on);
      c.text = "«" + o.title + "» debe entregarse a más tardar el " + lang::DateEs(o.due_on) +
               ". " + o.explanation_es + "\n";
      RETURN_IF_ERROR(messages_.MailPerson(pid, "reminder:" + key, "delivery.due", c,
                                           o.acta_id ? "/actas/" + std::to_string(*o.acta_id) : sec_link,
                                           {sec.id, o.session_id, o.acta_id}, out));
    }
    RETURN_IF_ERROR(messages_.Webhook(sec.id, "delivery.due", "delivery-" + key, ObligationData(o), out));
  }
  if (settings.late) {
    ASSIGN_OR_RETURN(auto late, wf_.deliveries().Late(sec.id));
    // The late notice goes to the facilitator and to whoever holds the organismo garante's
    // seat today (issue 15: both must know what to fix).
    std::vector<int64_t> to;
    if (!late.empty()) {
      ASSIGN_OR_RETURN(to, DeliveryResponsibles(wf_, sec, today));
    }
    for (const auto& o : late) {
      const std::string key = "late-" + std::to_string(sec.id) + "-" + Ym(o.due_on) + "-" + ObligationKey(o);
      // Held by someone (the package awaits its co-signature): the notice says so.
      std::string held;
      if (hold_) {
        auto reason = hold_(sec, o);
        if (reason.ok()) held = *reason;
      }
      for (int64_t pid : to) {
        MailContent c;
        c.subject = "Entrega vencida" + std::string(held.empty() ? "" : " (falta la cofirma)") + ": " + o.title;
        c.text = "Venció el " + lang::DateEs(o.due_on) + " el plazo para entregar «" + o.title +
                 "». " + o.explanation_es + (held.empty() ? "" : " " + held) + "\n";
        RETURN_IF_ERROR(messages_.MailPerson(pid, "reminder:" + key, "delivery.late", c,
                                             o.acta_id ? "/actas/" + std::to_string(*o.acta_id) : sec_link,
                                             {sec.id, o.session_id, o.acta_id}, out));
      }
      RETURN_IF_ERROR(messages_.Webhook(sec.id, "delivery.late", "delivery-" + key, ObligationData(o), out));
    }
  }
  return Status::Ok();
}

}  // namespace rubrica::server::notify
