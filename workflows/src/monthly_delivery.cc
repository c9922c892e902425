#include "rubrica/workflows/monthly_delivery.h"

#include <algorithm>
#include <set>

#include "acta_rows.h"
#include "context.h"
#include "dates.h"
#include "refusal.h"
#include "rubrica/lang/articles.h"
#include "rubrica/lang/dates.h"

namespace rubrica::workflows {

using namespace std::chrono;

std::string_view ObligationStatusName(ObligationStatus s) {
  switch (s) {
    case ObligationStatus::kPending:
      return "pending";
    case ObligationStatus::kLate:
      return "late";
    case ObligationStatus::kDeliveredOnTime:
      return "delivered_on_time";
    case ObligationStatus::kDeliveredLate:
      return "delivered_late";
  }
  return "pending";
}

namespace {

std::string AgencyOn(const std::vector<AgencyPeriod>& agencies, year_month_day d) {
  for (const auto& a : agencies) {
    if (a.effective_from <= d && (!a.effective_to || d <= *a.effective_to)) return a.name;
  }
  return {};
}

// The stage that keeps an undelivered acta from its agency, with a Spanish sentence.
std::pair<std::string, std::string> Blocking(const ActaRecord& a) {
  switch (a.state) {
    case ActaState::kDraft:
    case ActaState::kReview:
      return {"not_approved", "el acta aún no se aprueba"};
    case ActaState::kApproved:
    case ActaState::kRubric:
      return {"signatures_missing", "faltan rúbricas y firmas al calce"};
    case ActaState::kFootSignature:
      return a.complete ? std::pair<std::string, std::string>{"not_archived",
                                                              "el acta completa no se ha archivado"}
                        : std::pair<std::string, std::string>{"signatures_missing",
                                                              "faltan firmas al calce"};
    case ActaState::kArchived:
      return {"not_delivered", "el acta archivada no se ha enviado"};
    case ActaState::kDelivered:
      return {"", ""};
  }
  return {"", ""};
}

void Judge(Obligation& o, year_month_day today, std::optional<year_month_day> delivered_on,
           const std::string& reason, const std::string& reason_es) {
  const std::string due_es = lang::DateEs(o.due_on);
  if (delivered_on) {
    o.status = *delivered_on <= o.due_on ? ObligationStatus::kDeliveredOnTime
                                         : ObligationStatus::kDeliveredLate;
    o.explanation_es =
        "Entregada " + lang::WithArticle(lang::Preposition::kA, o.agency) + " el " + lang::DateEs(*delivered_on) +
        (o.status == ObligationStatus::kDeliveredOnTime ? ", a tiempo."
                                                        : ", después del " + due_es + ".");
    return;
  }
  o.status = today > o.due_on ? ObligationStatus::kLate : ObligationStatus::kPending;
  o.reasons.push_back(reason);
  if (o.agency.empty()) o.reasons.push_back("no_agency");
  o.explanation_es =
      std::string(o.status == ObligationStatus::kLate ? "Atrasada: " : "Pendiente: ") + reason_es +
      "; debía entregarse" +
      (o.agency.empty() ? " (sin órgano receptor configurado)"
                         : " " + lang::WithArticle(lang::Preposition::kA, o.agency)) +
      " a más tardar el " + due_es + " (lineamiento III.8).";
  if (o.status == ObligationStatus::kPending) {
    o.explanation_es =
        "Pendiente: " + reason_es + "; vence el " + due_es +
        (o.agency.empty() ? " (sin órgano receptor configurado)." : " (" + o.agency + ").");
  }
}

Result<std::vector<Obligation>> Collect(store::Transaction& tx, const Secretariat& s, year_month ym,
                                        year_month_day today) {
  const year_month_day first = ym / 1;
  const year_month_day due = LastDayOfMonth(ym);
  ASSIGN_OR_RETURN(auto agencies, LoadAgencies(tx, s.id));
  std::vector<Obligation> list;
  std::vector<int64_t> acta_ids;
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT id FROM wf_acta WHERE secretariat_id = ? AND "
                                "acta_date >= ? AND acta_date <= ? ORDER BY acta_date, id"));
    st.Bind(1, s.id).Bind(2, FormatDate(first)).Bind(3, FormatDate(due));
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      acta_ids.push_back(st.ColumnInt(0));
    }
  }
  for (int64_t id : acta_ids) {
    ASSIGN_OR_RETURN(ActaRecord a, LoadActa(tx, id));
    Obligation o;
    o.acta_id = a.id;
    o.session_id = a.session_id;
    o.title = a.title;
    o.acta_date = a.acta_date;
    o.due_on = due;
    o.agency = a.delivered_to.empty() ? AgencyOn(agencies, a.acta_date) : a.delivered_to;
    o.state = std::string(ActaStateName(a.state));
    std::optional<year_month_day> delivered_on;
    if (a.delivered_at) delivered_on = s.zone.LocalDate(*a.delivered_at);
    auto [reason, reason_es] = Blocking(a);
    Judge(o, today, delivered_on, reason, reason_es);
    list.push_back(std::move(o));
  }
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT s.id, s.session_date, s.kind FROM wf_session s WHERE "
                                "s.secretariat_id = ? AND s.session_date >= ? AND "
                                "s.session_date <= ? AND s.status IN ('open','closed') AND "
                                "NOT EXISTS (SELECT 1 FROM wf_acta a WHERE a.session_id = s.id) "
                                "ORDER BY s.session_date, s.id"));
    st.Bind(1, s.id).Bind(2, FormatDate(first)).Bind(3, FormatDate(due));
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      Obligation o;
      o.session_id = st.ColumnInt(0);
      ASSIGN_OR_RETURN(o.acta_date, ParseStoredDate(st.ColumnText(1)));
      o.title = "Sesión " +
                std::string(st.ColumnText(2) == "ordinary" ? "ordinaria" : "extraordinaria") +
                " del " + lang::DateEs(o.acta_date);
      o.due_on = due;
      o.agency = AgencyOn(agencies, o.acta_date);
      o.state = "no_minute";
      Judge(o, today, std::nullopt, "no_minute", "la sesión se celebró y no tiene acta");
      list.push_back(std::move(o));
    }
  }
  std::stable_sort(list.begin(), list.end(), [](const Obligation& a, const Obligation& b) {
    return a.acta_date < b.acta_date;
  });
  return list;
}

}  // namespace

Result<std::vector<Obligation>> MonthlyDelivery::ForMonth(int64_t secretariat_id,
                                                          year_month month) const {
  if (!month.ok()) return BadInput("invalid month", "El mes no es válido.");
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, secretariat_id));
  return Collect(tx, s, month, s.Today(clock_));
}

Result<std::vector<Obligation>> MonthlyDelivery::Late(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(Secretariat s, LoadSecretariat(tx, secretariat_id));
  const year_month_day today = s.Today(clock_);
  std::set<std::string> months;
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT DISTINCT substr(acta_date, 1, 7) FROM wf_acta WHERE "
                                "secretariat_id = ?1 AND state != 'delivered' UNION "
                                "SELECT DISTINCT substr(session_date, 1, 7) FROM wf_session WHERE "
                                "secretariat_id = ?1 AND status IN ('open','closed')"));
    st.Bind(1, s.id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      months.insert(st.ColumnText(0));
    }
  }
  std::vector<Obligation> late;
  for (const auto& m : months) {
    ASSIGN_OR_RETURN(year_month_day d, ParseStoredDate(m + "-01"));
    const year_month ym{d.year(), d.month()};
    if (LastDayOfMonth(ym) >= today) continue;
    ASSIGN_OR_RETURN(auto list, Collect(tx, s, ym, today));
    for (auto& o : list) {
      if (o.status == ObligationStatus::kLate) late.push_back(std::move(o));
    }
  }
  return late;
}

}  // namespace rubrica::workflows
