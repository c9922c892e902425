#include "rubrica/documents/minute_draft.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "draft_text.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/lang/articles.h"
#include "rubrica/lang/dates.h"
#include "rubrica/lang/numbers.h"
#include "rubrica/lang/ordinals.h"
#include "rubrica/lang/posts.h"
#include "rubrica/lang/text.h"
#include "rubrica/pdf/acta_json.h"

namespace rubrica::documents {

namespace {

using namespace std::chrono;
using lang::Gender;
using lang::Post;
using workflows::RecordPerson;
using workflows::SeatInSession;
using workflows::SeatPresence;
using workflows::SessionMinutesRecord;
using namespace draft;

std::string SessionKindEs(workflows::SessionKind k) {
  return k == workflows::SessionKind::kOrdinary ? "ordinaria" : "extraordinaria";
}

std::string ChoiceEs(workflows::VoteChoice c) {
  switch (c) {
    case workflows::VoteChoice::kYes:
      return "A favor";
    case workflows::VoteChoice::kNo:
      return "En contra";
    case workflows::VoteChoice::kAbstain:
      return "Abstención";
  }
  return "";
}

std::string TallyText(const workflows::Tally& t) {
  return std::to_string(t.yes) + (t.yes == 1 ? " voto" : " votos") + " a favor, " +
         std::to_string(t.no) + " en contra y " + std::to_string(t.abstain) +
         (t.abstain == 1 ? " abstención" : " abstenciones");
}

std::string DecisionText(const workflows::RecordedDecision& d) {
  std::string out = "**Decisión:** " + Escape(d.subject) + ". ";
  const auto& t = d.tally;
  if (t.method == workflows::DecisionMethod::kConsensus) {
    out += t.outcome == workflows::DecisionOutcome::kApproved ? "Se aprobó" : "Se rechazó";
    out += " por consenso de los " + Count(t.seats, "asiento presente", "asientos presentes") +
           " (" + TallyText(t) + ").";
    return out;
  }
  switch (t.outcome) {
    case workflows::DecisionOutcome::kApproved:
      out += "Se aprobó por mayoría de votos: " + TallyText(t) + ".";
      break;
    case workflows::DecisionOutcome::kRejected:
      out += "Se sometió a votación y no alcanzó la mayoría: " + TallyText(t) + ".";
      break;
    case workflows::DecisionOutcome::kTied:
      out += "La votación resultó empatada (" + TallyText(t) + "), por lo que no se adoptó.";
      break;
  }
  return out;
}

std::vector<pdf::Block> Attendance(const SessionMinutesRecord& r) {
  std::vector<pdf::Block> blocks;
  pdf::Table table;
  table.header = {Plain("Asiento"), Plain("Titular"), Plain("Suplente"), Plain("Asistencia")};
  table.widths = {1.6, 1.4, 1.4, 1.4};
  std::vector<std::string> notes;
  for (const auto& s : r.seats) {
    std::string presence;
    switch (s.presence) {
      case SeatPresence::kTitular:
        presence = "Asistió " + lang::PostName(Post::kTitular, s.titular ? s.titular->gender
                                                                          : Gender::kNeutral);
        break;
      case SeatPresence::kSubstitute:
        presence = "Asistió " + lang::PostName(Post::kSuplente, Gender::kNeutral);
        break;
      case SeatPresence::kAbsent:
        presence = "Ausente";
        break;
    }
    table.rows.push_back({Plain(SeatName(s)), Plain(s.titular ? s.titular->full_name : "—"),
                          Plain(s.substitute ? s.substitute->full_name : "—"),
                          Plain(presence)});
    if (s.presence == SeatPresence::kSubstitute && s.substitute) {
      std::string text = NameAndTitle(*s.substitute, /*sentence_start=*/true) + ", " +
                         lang::PostName(Post::kSuplente, s.substitute->gender) +
                         " del asiento " +
                         Escape(lang::WithArticle(lang::Preposition::kDe, SeatName(s))) +
                         ", asistió en lugar";
      text += s.titular ? " " + Escape(lang::PersonWithArticle(lang::Preposition::kDe,
                                                               s.titular->full_name,
                                                               s.titular->gender)) +
                              ", " + lang::PostName(Post::kTitular, s.titular->gender)
                        : " de la persona titular";
      notes.push_back(text + ", con voz y voto.");
    } else if (s.presence == SeatPresence::kAbsent) {
      std::string text = "El asiento " +
                         Escape(lang::WithArticle(lang::Preposition::kDe, SeatName(s))) +
                         " no estuvo representado: ";
      if (s.titular && s.substitute) {
        text += "no asistieron " + Bold(s.titular->full_name) + ", titular, ni " +
                Bold(s.substitute->full_name) + ", suplente.";
      } else if (s.titular) {
        text += "no asistió " + Bold(s.titular->full_name) + ", titular.";
      } else {
        text += "no tiene titular ni suplente en funciones.";
      }
      notes.push_back(text);
    }
  }
  blocks.push_back(pdf::Paragraph{Plain("Se pasó lista de asistencia con el resultado siguiente:")});
  blocks.push_back(std::move(table));
  for (const auto& n : notes) blocks.push_back(Para(n));
  if (r.facilitator && r.facilitator_present) {
    blocks.push_back(Para("Asistió " + NameAndTitle(*r.facilitator) + ", en su calidad de " +
                          lang::PostName(Post::kFacilitador, r.facilitator->gender) + " " +
                          lang::WithArticle(lang::Preposition::kDe, r.secretariat_name) +
                          ", con derecho a voz sin voto."));
  }
  for (const auto& o : r.observers) {
    blocks.push_back(Para("Asistió " + NameAndTitle(o) + " en calidad de " +
                          lang::PostName(Post::kObservador, o.gender) +
                          ", con derecho a voz sin voto."));
  }
  const auto& q = r.quorum;
  std::string quorum = "Estuvieron presentes " + Count(q.present, "asiento", "asientos") +
                       " de los " + lang::NumberInWordsBeforeNoun(q.seats) +
                       " que integran el secretariado (" + std::to_string(q.present) + " de " +
                       std::to_string(q.seats) + "). El quórum requerido es " +
                       r.quorum_rule_es + ", es decir, " +
                       Count(q.needed, "asiento", "asientos") + "; ";
  quorum += q.met ? "por lo tanto, se declaró la existencia de **quórum legal** para sesionar."
                  : "**no se reunió el quórum** requerido para sesionar.";
  blocks.push_back(Para(quorum));
  return blocks;
}

std::vector<pdf::Block> Development(const SessionMinutesRecord& r) {
  std::vector<pdf::Block> blocks;
  for (const auto& item : r.session.agenda) {
    // The discussion as recorded; a blank line starts a new paragraph.
    std::vector<std::string> paragraphs;
    for (size_t start = 0; start <= item.discussion.size();) {
      const size_t end = item.discussion.find("\n\n", start);
      std::string piece = item.discussion.substr(start, end == std::string::npos ? end : end - start);
      if (!piece.empty()) paragraphs.push_back(std::move(piece));
      if (end == std::string::npos) break;
      start = end + 2;
    }
    std::string text = "**" + std::to_string(item.position) + ". " + Escape(item.title) + ".**";
    if (!paragraphs.empty()) text += " " + Escape(paragraphs.front());
    blocks.push_back(Para(text));
    for (size_t i = 1; i < paragraphs.size(); ++i) blocks.push_back(Para(Escape(paragraphs[i])));
    for (const auto& d : r.decisions) {
      if (d.item_position != item.position) continue;
      blocks.push_back(Para(DecisionText(d)));
      if (d.tally.method == workflows::DecisionMethod::kMajority && !d.votes.empty()) {
        std::map<int64_t, const SeatInSession*> seats;
        for (const auto& s : r.seats) seats[s.seat_id] = &s;
        pdf::Table votes;
        votes.header = {Plain("Asiento"), Plain("Integrante"), Plain("Voto")};
        votes.widths = {1.6, 1.6, 0.8};
        for (const auto& v : d.votes) {
          auto it = seats.find(v.seat_id);
          votes.rows.push_back({Plain(it == seats.end() ? "" : SeatName(*it->second)),
                                Plain(v.person.full_name), Plain(ChoiceEs(v.choice))});
        }
        blocks.push_back(std::move(votes));
      }
    }
  }
  return blocks;
}

std::vector<pdf::Block> Agreements(const SessionMinutesRecord& r) {
  std::vector<pdf::Block> blocks;
  if (r.agreements.empty()) {
    blocks.push_back(pdf::Paragraph{Plain("En esta sesión no se tomaron acuerdos.")});
    return blocks;
  }
  pdf::Table table;
  table.header = {Plain("Núm."), Plain("Acuerdo"), Plain("Responsable"), Plain("Fecha compromiso")};
  table.widths = {0.4, 2.4, 1.4, 1.1};
  int n = 0;
  for (const auto& a : r.agreements) {
    table.rows.push_back({Plain(std::to_string(++n)), Plain(a.text), Plain(a.owner.full_name),
                          Plain(lang::DateEs(a.due_on))});
  }
  blocks.push_back(std::move(table));
  return blocks;
}

pdf::SignatureBlock Signatures(const SessionMinutesRecord& r) {
  pdf::SignatureBlock block;
  block.title = "FIRMAS";
  for (const auto& s : r.seats) {
    const RecordPerson* p = s.presence == SeatPresence::kTitular      ? &*s.titular
                            : s.presence == SeatPresence::kSubstitute ? &*s.substitute
                                                                      : nullptr;
    if (p == nullptr) continue;
    const Post post = s.presence == SeatPresence::kTitular ? Post::kTitular : Post::kSuplente;
    block.preview_signers.push_back(SignerSlot(*p, s.represents, post, s.member_type_label));
  }
  if (r.facilitator_signs_minutes && r.facilitator && r.facilitator_present) {
    const RecordPerson& f = *r.facilitator;
    block.preview_signers.push_back(SignerSlot(f, f.title, Post::kFacilitador, ""));
  }
  return block;
}

}  // namespace

Result<MinuteDraft> SessionMinuteDraft(const SessionMinutesRecord& r) {
  using workflows::SessionStatus;
  if (r.session.status != SessionStatus::kClosed && r.session.status != SessionStatus::kOpen) {
    return Status::Error(ErrorKind::kRejected, "documents.session_not_held",
                         "session " + std::to_string(r.session.id) + " was not held",
                         "La sesión no se celebró: no hay minuta que redactar.");
  }
  ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(r.time_zone));
  const year_month_day date = r.session.session_date;
  const int year = static_cast<int>(date.year());
  const std::string ordinal = lang::OrdinalInWords(r.number_in_year, Gender::kFeminine);
  const std::string kind = SessionKindEs(r.session.kind);

  MinuteDraft out;
  out.title = "Acta de la " + ordinal + " sesión " + kind + " de " + std::to_string(year);

  pdf::ActaDocument doc;
  doc.id = std::string(workflows::KindName(r.secretariat_kind)) + "-sesion-" +
           std::to_string(r.session.id) + "-" + std::to_string(year);
  doc.kind = pdf::ActaKind::kSession;
  doc.secretariat = r.secretariat_name;
  doc.heading = {lang::UpperCase(r.secretariat_name)};
  doc.title = lang::UpperCase(out.title);
  doc.place_date = r.secretariat_place + ", a " + lang::DateEs(date);

  const Instant started = r.opened_at.value_or(r.session.starts_at);
  doc.blocks.push_back(Para(
      "En " + Escape(r.secretariat_place) + ", siendo las " + TimeText(started, zone) +
      " del día " + lang::DateInWords(date) + ", en " + Escape(r.session.place) +
      ", se reunieron los integrantes " +
      Escape(lang::WithArticle(lang::Preposition::kDe, r.secretariat_name)) +
      " para celebrar su " + ordinal + " sesión " + kind + " de " + std::to_string(year) +
      ", convocada el " + lang::DateInWords(zone.LocalDate(r.session.convened_at)) +
      ", conforme al orden del día siguiente:"));
  pdf::List agenda;
  for (const auto& item : r.session.agenda) agenda.items.push_back(Plain(item.title));
  doc.blocks.push_back(std::move(agenda));
  if (r.session.agenda_approved) {
    doc.blocks.push_back(
        pdf::Paragraph{Plain("El orden del día fue aprobado por todos los asientos presentes.")});
  }

  doc.blocks.push_back(pdf::Section{"LISTA DE ASISTENCIA Y DECLARATORIA DE QUÓRUM", Attendance(r)});
  doc.blocks.push_back(pdf::Section{"DESARROLLO DE LA SESIÓN", Development(r)});
  doc.blocks.push_back(pdf::Section{"ACUERDOS", Agreements(r)});

  std::vector<pdf::Block> closing;
  std::string end = "No habiendo más asuntos que tratar, se dio por concluida la sesión";
  if (r.closed_at) {
    end += " a las " + TimeText(*r.closed_at, zone) + " del día " +
           lang::DateInWords(zone.LocalDate(*r.closed_at));
  }
  closing.push_back(pdf::Paragraph{Plain(end + ".")});
  closing.push_back(pdf::Closing{Plain(
      "Leída que fue la presente acta, la firman al calce y rubrican al margen de cada hoja "
      "quienes en ella intervinieron con voz y voto, para los efectos a que haya lugar.")});
  doc.blocks.push_back(pdf::Section{"CLAUSURA", std::move(closing)});
  doc.blocks.push_back(Signatures(r));

  RETURN_IF_ERROR(pdf::ValidateActa(doc));
  out.content_json = pdf::ActaToJson(doc);
  return out;
}

}  // namespace rubrica::documents
