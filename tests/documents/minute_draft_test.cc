// The first draft of a session minute written from the session's record: every part of the
// record appears, in Spanish that agrees with each person's recorded gender, as acta
// content the renderer accepts.
#include "rubrica/documents/minute_draft.h"
#include "rubrica/documents/installation_draft.h"

#include <gtest/gtest.h>

#include "rubrica/base/time_zone.h"
#include "rubrica/pdf/acta_json.h"

namespace rubrica::documents {
namespace {

using namespace std::chrono;
using lang::Gender;
using workflows::RecordPerson;
using workflows::SeatPresence;

Instant At(year_month_day d, int h, int m) {
  return TimeZone::Load("America/Mexico_City")->FromLocal(local_days(d) + hours(h) + minutes(m));
}

workflows::SessionMinutesRecord Record() {
  workflows::SessionMinutesRecord r;
  r.session.id = 7;
  r.session.secretariat_id = 1;
  r.session.kind = workflows::SessionKind::kOrdinary;
  r.session.status = workflows::SessionStatus::kClosed;
  r.session.starts_at = At(2023y / March / 16, 10, 0);
  r.session.session_date = 2023y / March / 16;
  r.session.place = "la Sala de Cabildo";
  r.session.convened_at = At(2023y / March / 1, 9, 0);
  r.session.agenda_approved = true;
  r.session.agenda = {{1, "Lista de asistencia", std::nullopt, ""},
                      {2, "Plan de acción", std::nullopt, "Se revisó el avance del plan.\n\nSe propuso publicarlo."},
                      {3, "Asuntos generales", std::nullopt, ""}};
  r.number_in_year = 3;
  r.opened_at = At(2023y / March / 16, 10, 25);
  r.closed_at = At(2023y / March / 16, 13, 1);
  r.secretariat_name = "Secretariado Técnico Municipal de Gobierno Abierto de Villa Ficticia";
  r.secretariat_place = "Villa Ficticia, Michoacán";
  r.time_zone = "America/Mexico_City";
  r.quorum_rule = workflows::QuorumRule::kMajority;
  r.quorum_rule_es = "el 50 % más uno de los integrantes";
  r.quorum = {3, 2, 2, true};
  r.facilitator_signs_minutes = true;
  const RecordPerson ana{1, "Ana Ruiz Beltrán", "Secretario del Ayuntamiento", Gender::kFeminine};
  const RecordPerson luis{2, "Luis Pérez Soto", "Investigador", Gender::kMasculine};
  const RecordPerson eva{3, "Eva Núñez Lara", "Profesora", Gender::kFeminine};
  const RecordPerson raul{4, "Raúl Díaz Mora", "Presidente de la asociación", Gender::kMasculine};
  r.seats = {
      {10, "authority", "Autoridad", "Ayuntamiento de Villa Ficticia", ana, std::nullopt,
       SeatPresence::kTitular},
      {11, "academia", "Academia", "Universidad Ficticia", luis, eva, SeatPresence::kSubstitute},
      {12, "civil_society", "Sociedad civil", "Asociación Ficticia", raul, std::nullopt,
       SeatPresence::kAbsent},
      {13, "organismo_garante", "Organismo garante", "Organismo garante (IEFT)", std::nullopt,
       std::nullopt, SeatPresence::kAbsent},
  };
  r.facilitator = RecordPerson{5, "Paula Esquivel Rangel", "Enlace de Transparencia", Gender::kFeminine};
  r.facilitator_present = true;
  r.observers = {{6, "Lic. Rodrigo Peña Alcalá", "", Gender::kMasculine}};
  workflows::RecordedDecision tied;
  tied.id = 1;
  tied.item_position = 2;
  tied.subject = "Publicar el avance *cada* mes";
  tied.tally = {1, 1, 0, 2, workflows::DecisionMethod::kMajority, workflows::DecisionOutcome::kTied};
  tied.votes = {{10, ana, workflows::VoteChoice::kYes}, {11, eva, workflows::VoteChoice::kNo}};
  workflows::RecordedDecision consensus;
  consensus.id = 2;
  consensus.item_position = 3;
  consensus.subject = "Invitar a la ciudadanía";
  consensus.tally = {2, 0, 0, 2, workflows::DecisionMethod::kConsensus,
                     workflows::DecisionOutcome::kApproved};
  r.decisions = {tied, consensus};
  r.agreements = {{1, 2, "Enviar las invitaciones", eva, 2023y / March / 31}};
  return r;
}

void Collect(const pdf::Block& b, std::string& out) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, pdf::Heading> || std::is_same_v<T, pdf::Paragraph> ||
                      std::is_same_v<T, pdf::Closing>) {
          out += pdf::PlainText(v.text) + "\n";
        } else if constexpr (std::is_same_v<T, pdf::Section>) {
          out += v.title + "\n";
          for (const auto& inner : v.blocks) Collect(inner, out);
        } else if constexpr (std::is_same_v<T, pdf::List>) {
          for (const auto& i : v.items) out += pdf::PlainText(i) + "\n";
        } else if constexpr (std::is_same_v<T, pdf::Table>) {
          for (const auto& row : v.rows) {
            for (const auto& cell : row) out += pdf::PlainText(cell) + " | ";
            out += "\n";
          }
        } else if constexpr (std::is_same_v<T, pdf::SignatureBlock>) {
          for (const auto& s : v.preview_signers) out += "[firma] " + s.name + " " + s.role + "\n";
        }
      },
      b);
}

struct Parsed {
  pdf::ActaDocument doc;
  std::string text;
};

Parsed Parse(const Result<MinuteDraft>& d) {
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  if (!d.ok()) return {};
  Result<pdf::ActaDocument> doc = pdf::ParseActaJson(d->content_json);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  if (!doc.ok()) return {};
  Parsed p{*doc, ""};
  for (const auto& b : doc->blocks) Collect(b, p.text);
  return p;
}

Parsed Draft(const workflows::SessionMinutesRecord& r) { return Parse(SessionMinuteDraft(r)); }

TEST(SessionMinuteDraftTest, NamesEveryPartOfTheRecordInSpanish) {
  const Parsed p = Draft(Record());
  EXPECT_EQ(p.doc.title, "ACTA DE LA TERCERA SESIÓN ORDINARIA DE 2023");
  EXPECT_EQ(p.doc.place_date, "Villa Ficticia, Michoacán, a 16 de marzo de 2023");
  EXPECT_EQ(p.doc.kind, pdf::ActaKind::kSession);
  const struct {
    const char* what;
  } expected[] = {
      {"siendo las 10:25 horas (diez horas con veinticinco minutos) del día dieciséis de marzo "
       "de dos mil veintitrés"},
      {"se reunieron los integrantes del Secretariado Técnico Municipal"},
      {"convocada el primero de marzo de dos mil veintitrés"},
      {"Eva Núñez Lara, Profesora, suplente del asiento de la Academia (Universidad Ficticia), "
       "asistió en lugar de Luis Pérez Soto, titular"},
      {"El asiento de la Sociedad civil (Asociación Ficticia) no estuvo representado"},
      {"no asistió Raúl Díaz Mora, titular."},
      {"Sociedad civil (Asociación Ficticia) | Raúl Díaz Mora | — | Ausente |"},
      // The facilitator's post agrees with her recorded gender; her title too.
      {"Asistió Paula Esquivel Rangel, Enlace de Transparencia, en su calidad de facilitadora "
       "del Secretariado"},
      // An honorific takes the article; a bare name does not.
      {"Asistió el Lic. Rodrigo Peña Alcalá en calidad de observador"},
      {"Estuvieron presentes dos asientos de los tres"},
      {"el 50 % más uno de los integrantes, es decir, dos asientos"},
      {"quórum legal"},
      {"2. Plan de acción. Se revisó el avance del plan.\nSe propuso publicarlo.\n"},
      {"Decisión: Publicar el avance *cada* mes. La votación resultó empatada (1 voto a favor, "
       "1 en contra y 0 abstenciones), por lo que no se adoptó."},
      {"Academia (Universidad Ficticia) | Eva Núñez Lara | En contra |"},
      {"Decisión: Invitar a la ciudadanía. Se aprobó por consenso de los dos asientos presentes"},
      {"1 | Enviar las invitaciones | Eva Núñez Lara | 31 de marzo de 2023 |"},
      {"a las 13:01 horas (trece horas con un minuto)"},
      // A representation that already names the member type is not repeated.
      {"Organismo garante (IEFT) | — | — | Ausente |"},
      {"El asiento del Organismo garante (IEFT) no estuvo representado: no tiene titular ni "
       "suplente en funciones."},
      {"[firma] Ana Ruiz Beltrán titular"},
      {"[firma] Eva Núñez Lara suplente"},
      {"[firma] Paula Esquivel Rangel facilitadora"},
  };
  for (const auto& e : expected) {
    EXPECT_NE(p.text.find(e.what), std::string::npos) << "missing: " << e.what << "\n" << p.text;
  }
  // The absent seat and the absent titular sign nothing.
  EXPECT_EQ(p.text.find("[firma] Raúl"), std::string::npos);
  EXPECT_EQ(p.text.find("[firma] Luis"), std::string::npos);
}

TEST(SessionMinuteDraftTest, NeutralGenderGetsNeutralPostsAndTheTitleAsWritten) {
  workflows::SessionMinutesRecord r = Record();
  r.facilitator->gender = Gender::kNeutral;
  r.facilitator_signs_minutes = false;
  const Parsed p = Draft(r);
  EXPECT_NE(p.text.find("en su calidad de persona facilitadora"), std::string::npos) << p.text;
  EXPECT_EQ(p.text.find("[firma] Paula"), std::string::npos);  // not configured to sign
}

TEST(SessionMinuteDraftTest, WithoutAgreementsOrQuorumSaysSo) {
  workflows::SessionMinutesRecord r = Record();
  r.agreements.clear();
  r.quorum = {3, 1, 2, false};
  const Parsed p = Draft(r);
  EXPECT_NE(p.text.find("En esta sesión no se tomaron acuerdos."), std::string::npos) << p.text;
  EXPECT_NE(p.text.find("Estuvieron presentes un asiento de los tres"), std::string::npos) << p.text;
  EXPECT_NE(p.text.find("no se reunió el quórum"), std::string::npos) << p.text;
}

TEST(SessionMinuteDraftTest, ExtraordinarySessionsAreNamedSo) {
  workflows::SessionMinutesRecord r = Record();
  r.session.kind = workflows::SessionKind::kExtraordinary;
  r.number_in_year = 1;
  Result<MinuteDraft> d = SessionMinuteDraft(r);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->title, "Acta de la primera sesión extraordinaria de 2023");
}

TEST(SessionMinuteDraftTest, SessionsNotHeldHaveNoMinute) {
  for (auto status : {workflows::SessionStatus::kConvened, workflows::SessionStatus::kCancelled}) {
    workflows::SessionMinutesRecord r = Record();
    r.session.status = status;
    Result<MinuteDraft> d = SessionMinuteDraft(r);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), "documents.session_not_held");
  }
}

// The installation acta: every seat with its titular and substitute, the facilitator and
// the subscribers as recorded, and the rules as the secretariat's configuration sets them.
InstallationRecord Installation(workflows::SecretariatConfig config) {
  InstallationRecord r;
  config.name = "Secretariado Técnico Municipal de Gobierno Abierto de Villa Ficticia";
  config.place = "Villa Ficticia, Michoacán";
  r.config = std::move(config);
  r.agency = "Instituto Ficticio de Transparencia";
  r.starts_at = At(2022y / November / 14, 10, 25);
  r.venue = "la Sala de Cabildo";
  r.seats = {
      {10, "authority", "Autoridad", "Ayuntamiento de Villa Ficticia",
       RecordPerson{1, "Ana Ruiz Beltrán", "Secretario del Ayuntamiento", Gender::kFeminine},
       RecordPerson{2, "Luis Pérez Soto", "Director de Innovación", Gender::kMasculine}, SeatPresence::kAbsent},
      {11, "academia", "Academia", "Universidad Ficticia",
       RecordPerson{3, "Eva Núñez Lara", "Profesora", Gender::kFeminine},
       RecordPerson{4, "Alex Rangel Soto", "", Gender::kNeutral}, SeatPresence::kAbsent},
      {12, "civil_society", "Sociedad civil", "Asociación Ficticia",
       RecordPerson{5, "Raúl Díaz Mora", "Presidente de la asociación", Gender::kMasculine}, std::nullopt,
       SeatPresence::kAbsent},
  };
  r.facilitator = RecordPerson{6, "Paula Esquivel Rangel", "Enlace de Transparencia", Gender::kFeminine};
  r.subscribers = {RecordPerson{7, "Lic. Rodrigo Peña Alcalá", "Presidente Municipal", Gender::kMasculine}};
  return r;
}

TEST(InstallationActaDraftTest, NamesEverySeatAndPersonAndTheRulesOfTheConfiguration) {
  workflows::SecretariatConfig stm = workflows::SecretariatConfig::StmTemplate();
  stm.administration_ends = 2024y / August / 31;
  const Parsed p = Parse(InstallationActaDraft(Installation(stm)));
  EXPECT_EQ(p.doc.kind, pdf::ActaKind::kInstallation);
  EXPECT_EQ(p.doc.title,
            "ACTA DE INSTALACIÓN DEL SECRETARIADO TÉCNICO MUNICIPAL DE GOBIERNO ABIERTO DE VILLA FICTICIA");
  EXPECT_EQ(p.doc.place_date, "Villa Ficticia, Michoacán, a 14 de noviembre de 2022");
  const char* expected[] = {
      "siendo las 10:25 horas (diez horas con veinticinco minutos) del día catorce de noviembre de dos "
      "mil veintidós, en la Sala de Cabildo",
      "queda integrado por tres asientos",
      // Each seat as the configuration names it, with who takes office in it.
      "Autoridad (Ayuntamiento de Villa Ficticia) | Ana Ruiz Beltrán\nSecretaria del Ayuntamiento | "
      "Luis Pérez Soto\nDirector de Innovación |",
      "Academia (Universidad Ficticia) | Eva Núñez Lara\nProfesora | Alex Rangel Soto |",
      "Sociedad civil (Asociación Ficticia) | Raúl Díaz Mora\nPresidente de la asociación | — |",
      "Funge como facilitadora Paula Esquivel Rangel, Enlace de Transparencia",
      "Suscribe también la presente acta el Lic. Rodrigo Peña Alcalá, Presidente Municipal.",
      // The STM's rules (seed 004).
      "sesionará de manera ordinaria una vez al mes",
      "Convoca a las sesiones la facilitadora, con el orden del día, con al menos cinco (5) días "
      "hábiles de anticipación para las sesiones ordinarias y dos (2) días hábiles",
      "Preside las sesiones la facilitadora.",
      "el quórum del 50 % más uno de los asientos",
      "por consenso y, solo en caso de existir distintas posturas, por mayoría de votos",
      "con al menos veinticuatro horas de anticipación",
      "durante la administración en curso, hasta el 31 de agosto de 2024",
      "se remiten al Instituto Ficticio de Transparencia a más tardar el último día de cada mes",
      "[firma] Ana Ruiz Beltrán titular",
      "[firma] Luis Pérez Soto suplente",
      "[firma] Alex Rangel Soto suplente",
      "[firma] Raúl Díaz Mora titular",
      "[firma] Paula Esquivel Rangel facilitadora",
      "[firma] Lic. Rodrigo Peña Alcalá suscriptor",
      "FIRMADA CON FECHA CATORCE DE NOVIEMBRE DE DOS MIL VEINTIDÓS.",
  };
  for (const char* e : expected) {
    EXPECT_NE(p.text.find(e), std::string::npos) << "missing: " << e << "\n" << p.text;
  }
}

TEST(InstallationActaDraftTest, FollowsTheConfigurationOfAnStl) {
  workflows::SecretariatConfig stl = workflows::SecretariatConfig::StlTemplate();
  InstallationRecord r = Installation(stl);
  r.facilitator->gender = Gender::kNeutral;
  const Parsed p = Parse(InstallationActaDraft(r));
  for (const char* e : {"sesionará de manera ordinaria cada quince días",
                        "Convoca a las sesiones el organismo garante",
                        "Preside las sesiones el organismo garante.",
                        "la presencia de todos los asientos",
                        "por doce meses, con posibilidad de reelección por una sola vez.",
                        "Funge como persona facilitadora Paula Esquivel Rangel"}) {
    EXPECT_NE(p.text.find(e), std::string::npos) << "missing: " << e << "\n" << p.text;
  }
  EXPECT_EQ(p.text.find("una vez al mes"), std::string::npos);
}

TEST(InstallationActaDraftTest, NeedsATitularToInstall) {
  InstallationRecord r = Installation(workflows::SecretariatConfig::StmTemplate());
  for (auto& s : r.seats) s.titular.reset();
  Result<MinuteDraft> d = InstallationActaDraft(r);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), "documents.bad_installation");
}

}  // namespace
}  // namespace rubrica::documents
