#include "rubrica/documents/installation_draft.h"

#include <chrono>
#include <cstdio>
#include <map>

#include "draft_text.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/lang/articles.h"
#include "rubrica/lang/dates.h"
#include "rubrica/lang/numbers.h"
#include "rubrica/lang/posts.h"
#include "rubrica/lang/text.h"
#include "rubrica/pdf/acta_json.h"

namespace rubrica::documents {

namespace {

using namespace std::chrono;
using namespace draft;
using lang::Gender;
using lang::Post;
using workflows::Officer;
using workflows::RecordPerson;
using workflows::SecretariatConfig;

// "la persona facilitadora", "la facilitadora", "el facilitador"; "el organismo garante".
std::string OfficerText(Officer o, const std::optional<RecordPerson>& facilitator) {
  if (o == Officer::kGarante) return "el organismo garante";
  const Gender g = facilitator ? facilitator->gender : Gender::kNeutral;
  return std::string(g == Gender::kMasculine ? "el " : "la ") +
         lang::PostName(Post::kFacilitador, g);
}

// "cinco (5) días hábiles".
std::string BusinessDays(int n) {
  return lang::NumberInWordsBeforeNoun(n) + " (" + std::to_string(n) + ") " +
         (n == 1 ? "día hábil" : "días hábiles");
}

std::vector<pdf::Block> Integration(const InstallationRecord& r) {
  std::vector<pdf::Block> blocks;
  const std::string name = r.config.name;
  blocks.push_back(Para(
      lang::CapitalizeFirst(Escape(lang::WithArticle(lang::Preposition::kNone, name))) +
      " queda integrado por " + Count(static_cast<int>(r.seats.size()), "asiento", "asientos") +
      ", cada uno con una persona titular y una suplente, que toman posesión en este acto:"));
  pdf::Table table;
  table.header = {Plain("Asiento"), Plain("Titular"), Plain("Suplente")};
  table.widths = {1.6, 1.6, 1.6};
  auto who = [](const std::optional<RecordPerson>& p) {
    if (!p) return std::string("—");
    return p->title.empty() ? p->full_name
                            : p->full_name + "\n" + lang::AgreePost(p->title, p->gender);
  };
  for (const auto& s : r.seats) {
    table.rows.push_back({Plain(SeatName(s)), Plain(who(s.titular)), Plain(who(s.substitute))});
  }
  blocks.push_back(std::move(table));
  if (r.facilitator) {
    blocks.push_back(Para("Funge como " +
                          lang::PostName(Post::kFacilitador, r.facilitator->gender) + " " +
                          NameAndTitle(*r.facilitator) +
                          ", figura neutral y canal de diálogo, con derecho a voz sin voto."));
  }
  for (const auto& p : r.subscribers) {
    blocks.push_back(Para("Suscribe también la presente acta " + NameAndTitle(p) + "."));
  }
  return blocks;
}

std::vector<pdf::Block> Operation(const InstallationRecord& r) {
  const SecretariatConfig& c = r.config;
  const std::string the_secretariat =
      lang::CapitalizeFirst(Escape(lang::WithArticle(lang::Preposition::kNone, c.name)));
  pdf::List rules;
  auto item = [&](const std::string& markup) { rules.items.push_back(Rich(markup)); };
  item(the_secretariat + " sesionará de manera ordinaria " +
       (c.cadence == workflows::Cadence::kMonthly ? "una vez al mes" : "cada quince días") +
       " y de manera extraordinaria cuando sea necesario.");
  item("Convoca a las sesiones " + OfficerText(c.convener, r.facilitator) +
       ", con el orden del día, con al menos " + BusinessDays(c.ordinary_notice_business_days) +
       " de anticipación para las sesiones ordinarias y " +
       BusinessDays(c.extraordinary_notice_business_days) + " para las extraordinarias.");
  item("Preside las sesiones " + OfficerText(c.presider, r.facilitator) + ".");
  item(c.quorum == workflows::QuorumRule::kAllSeats
           ? "Para sesionar se requiere la presencia de todos los asientos; si la persona titular "
             "no puede asistir, asiste su suplente."
           : "Para sesionar se requiere el quórum del 50 % más uno de los asientos; si la persona "
             "titular no puede asistir, asiste su suplente.");
  item(
      "Todas las personas integrantes aprueban el orden del día de cada sesión y tienen voz y "
      "voto. Las decisiones se toman por consenso y, solo en caso de existir distintas posturas, "
      "por mayoría de votos de los asientos presentes.");
  item(
      "Una sesión convocada solo puede cancelarse mediante aviso aprobado por todas las personas "
      "integrantes, con al menos " +
      Count(c.cancellation_notice_hours, "hora", "horas") + " de anticipación.");
  if (c.term_rule == workflows::TermRule::kAdministration && c.administration_ends) {
    item(
        "Las personas integrantes ejercen su encargo durante la administración en curso, hasta "
        "el " +
        lang::DateEs(*c.administration_ends) + ".");
  } else {
    std::string term =
        "Las personas integrantes ejercen su encargo por " + Count(c.term_months, "mes", "meses");
    if (c.max_reelections < 0) {
      term += ", con posibilidad de reelección.";
    } else if (c.max_reelections == 0) {
      term += ", sin reelección.";
    } else if (c.max_reelections == 1) {
      term += ", con posibilidad de reelección por una sola vez.";
    } else {
      term +=
          ", con posibilidad de reelección hasta " + Count(c.max_reelections, "vez", "veces") + ".";
    }
    item(term);
  }
  item(
      "Las actas se aprueban, se rubrican en cada hoja y se firman al calce por todas las "
      "personas integrantes en la misma fecha, y se remiten " +
      (r.agency.empty() ? std::string("al órgano garante")
                        : Escape(lang::WithArticle(lang::Preposition::kA, r.agency))) +
      " a más tardar el último día de cada mes.");
  item(
      "Todas las personas integrantes conservan una copia de las actas y demás documentos que "
      "se generen.");
  std::vector<pdf::Block> blocks;
  blocks.push_back(std::move(rules));
  return blocks;
}

pdf::SignatureBlock Signatures(const InstallationRecord& r) {
  pdf::SignatureBlock block;
  block.title = "FIRMAS";
  for (const auto& s : r.seats) {
    if (s.titular) {
      block.preview_signers.push_back(
          SignerSlot(*s.titular, s.represents, Post::kTitular, s.member_type_label));
    }
    if (s.substitute) {
      block.preview_signers.push_back(
          SignerSlot(*s.substitute, s.represents, Post::kSuplente, s.member_type_label));
    }
  }
  if (r.facilitator) {
    block.preview_signers.push_back(
        SignerSlot(*r.facilitator, r.facilitator->title, Post::kFacilitador, ""));
  }
  for (const auto& p : r.subscribers)
    block.preview_signers.push_back(SignerSlot(p, p.title, Post::kSuscriptor, ""));
  return block;
}

}  // namespace

Result<MinuteDraft> InstallationActaDraft(const InstallationRecord& r) {
  bool any_titular = false;
  for (const auto& s : r.seats) any_titular = any_titular || s.titular.has_value();
  if (!any_titular) {
    return Status::Error(ErrorKind::kRejected, "documents.bad_installation",
                         "no seat of " + r.config.name + " has a titular in force",
                         "Ningún asiento tiene persona titular: no hay a quién instalar.");
  }
  ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(r.config.time_zone));
  const year_month_day date = zone.LocalDate(r.starts_at);
  const std::string of_secretariat = lang::WithArticle(lang::Preposition::kDe, r.config.name);

  MinuteDraft out;
  out.title = "Acta de instalación " + of_secretariat;

  pdf::ActaDocument doc;
  char iso[48];
  std::snprintf(iso, sizeof iso, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  doc.id = std::string(workflows::KindName(r.config.kind)) + "-instalacion-" + iso;
  doc.kind = pdf::ActaKind::kInstallation;
  doc.secretariat = r.config.name;
  doc.heading = {lang::UpperCase(r.config.name)};
  doc.title = lang::UpperCase(out.title);
  doc.place_date = r.config.place + ", a " + lang::DateEs(date);

  doc.blocks.push_back(Para(
      "En " + Escape(r.config.place) + ", siendo las " + TimeText(r.starts_at, zone) + " del día " +
      lang::DateInWords(date) + (r.venue.empty() ? std::string() : ", en " + Escape(r.venue)) +
      ", se reunieron las personas que se nombran en la presente acta para instalar " +
      Escape(lang::WithArticle(lang::Preposition::kNone, r.config.name)) +
      ", conforme a lo siguiente:"));
  doc.blocks.push_back(pdf::Section{"INTEGRACIÓN", Integration(r)});
  doc.blocks.push_back(pdf::Section{"OPERACIÓN Y FUNCIONAMIENTO", Operation(r)});
  std::vector<pdf::Block> closing;
  closing.push_back(
      pdf::Paragraph{Plain("Con lo anterior se declara formalmente instalado " +
                           lang::WithArticle(lang::Preposition::kNone, r.config.name) + ".")});
  closing.push_back(pdf::Closing{
      Plain("Leída que fue la presente acta, las personas que la suscriben reconocen los alcances, "
            "funciones y reglas de operación en ella plasmados, y la firman al calce y rubrican al "
            "margen de cada hoja, para los efectos a que haya lugar.")});
  doc.blocks.push_back(pdf::Section{"CIERRE", std::move(closing)});
  doc.blocks.push_back(Signatures(r));
  doc.blocks.push_back(pdf::Paragraph{Plain(
      lang::UpperCase("La presente hoja de firmas corresponde al acta de instalación " +
                      of_secretariat + ", firmada con fecha " + lang::DateInWords(date) + "."))});

  RETURN_IF_ERROR(pdf::ValidateActa(doc));
  out.content_json = pdf::ActaToJson(doc);
  return out;
}

Result<InstallationRecord> ReadInstallationRecord(workflows::Workflows& wf, int64_t secretariat_id,
                                                  Instant starts_at, std::string venue,
                                                  const std::vector<int64_t>& subscriber_ids) {
  InstallationRecord r;
  ASSIGN_OR_RETURN(workflows::SecretariatRecord s, wf.secretariats().Get(secretariat_id));
  r.config = std::move(s.config);
  r.starts_at = starts_at;
  r.venue = std::move(venue);
  ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(r.config.time_zone));
  const year_month_day date = zone.LocalDate(starts_at);
  auto agency = wf.secretariats().AgencyOn(secretariat_id, date);
  if (agency.ok()) r.agency = agency->name;

  auto person = [&](int64_t id) -> Result<RecordPerson> {
    ASSIGN_OR_RETURN(workflows::PersonRecord p, wf.people().GetPerson(id));
    return RecordPerson{p.id, p.full_name, p.title, p.gender};
  };
  std::map<std::string, std::string> labels;
  for (const auto& t : r.config.member_types) labels[t.code] = t.label_es;
  ASSIGN_OR_RETURN(auto seats, wf.people().Seats(secretariat_id));
  std::map<int64_t, size_t> index;
  for (const auto& seat : seats) {
    workflows::SeatInSession in;
    in.seat_id = seat.id;
    in.member_type = seat.member_type;
    in.member_type_label =
        labels.count(seat.member_type) ? labels[seat.member_type] : seat.member_type;
    in.represents = seat.represents;
    index[seat.id] = r.seats.size();
    r.seats.push_back(std::move(in));
  }
  ASSIGN_OR_RETURN(auto terms, wf.people().TermsInForce(secretariat_id, date));
  for (const auto& t : terms) {
    ASSIGN_OR_RETURN(RecordPerson p, person(t.person_id));
    if (t.role == workflows::TermRole::kFacilitator) {
      r.facilitator = std::move(p);
      continue;
    }
    if (!t.seat_id || !index.count(*t.seat_id)) continue;
    auto& seat = r.seats[index[*t.seat_id]];
    (t.role == workflows::TermRole::kTitular ? seat.titular : seat.substitute) = std::move(p);
  }
  for (int64_t id : subscriber_ids) {
    ASSIGN_OR_RETURN(RecordPerson p, person(id));
    r.subscribers.push_back(std::move(p));
  }
  return r;
}

}  // namespace rubrica::documents
