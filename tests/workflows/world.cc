#include "world.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "rubrica/store/audit_log.h"

namespace rubrica::workflows::testing {

namespace {

struct Person {
  const char* name;
  const char* title;
};

struct SeatSpec {
  const char* member_type;
  const char* represents;
  Person titular;
  Person substitute;
};

// Fictional people only.
const std::vector<SeatSpec> kStlSeats = {
    {"authority",
     "Secretaría de Planeación del Estado",
     {"Gabriela Montoya Reyes", "Subsecretaria"},
     {"Iván Salgado Herrera", "Director de Gobierno Digital"}},
    {"organismo_garante",
     "Instituto Estatal de Transparencia",
     {"Octavio Lira Campos", "Comisionado Presidente"},
     {"Elena Duarte Gil", "Comisionada"}},
    {"civil_society",
     "Colectivo Ciudadano por la Apertura",
     {"Fabián Ochoa Serna", "Coordinador"},
     {"Marisol Cuevas Prado", "Investigadora"}},
};

const std::vector<SeatSpec> kStmSeats = {
    {"authority",
     "Ayuntamiento",
     {"Mariana Ortiz Leyva", "Secretaria del Ayuntamiento"},
     {"Tomás Beltrán Ruiz", "Síndico"}},
    {"organismo_garante",
     "Órgano garante estatal",
     {"Julián Cárdenas Vela", "Subcoordinador de Estado Abierto"},
     {"Renata Ibarra Quiroz", "Jefa de Transparencia Proactiva"}},
    {"civil_society",
     "Asociación civil local",
     {"Héctor Navarro Pineda", "Presidente"},
     {"Lucía Fuentes Mora", "Secretaria"}},
    {"academia",
     "Universidad regional",
     {"Diana Rosales Téllez", "Investigadora"},
     {"Emilio Vargas Cano", "Profesor"}},
    {"citizens",
     "Ciudadanía",
     {"Sofía Medina Arreola", "Ciudadana"},
     {"Andrés Zaragoza Luna", "Ciudadano"}},
};

int64_t MustAddPerson(People& people, const Person& p, std::map<int64_t, std::string>& names) {
  auto id = people.AddPerson(Actor::Administrator(), {p.name, p.title, ""});
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  names[*id] = p.name;
  return *id;
}

}  // namespace

World::World(Shape s, const std::function<void(SecretariatConfig&)>& tweak) : shape(s) {
  db_path_ = dir_ / "rubrica.db";
  auto db = store::Database::Open(db_path_);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  db_ = std::move(*db);
  EXPECT_TRUE(db_->Migrate("audit", store::AuditLog::Migrations()).ok());
  Status migrated = db_->Migrate(kComponent, Migrations());
  EXPECT_TRUE(migrated.ok()) << migrated.ToString();
  auto blobs = store::BlobStore::Open(dir_ / "blobs");
  EXPECT_TRUE(blobs.ok());
  blobs_ = std::make_unique<store::BlobStore>(std::move(*blobs));
  engine_ = std::make_unique<FakeEngine>(*blobs_);
  engine = engine_.get();
  wf_ = std::make_unique<Workflows>(*db_, clock, *engine_, logger);
  auto zone = TimeZone::Load("America/Mexico_City");
  EXPECT_TRUE(zone.ok());
  zone_ = *zone;
  SetLocal(kInstalled, 9);

  SecretariatConfig c;
  if (shape == Shape::kStl) {
    c = SecretariatConfig::StlTemplate();
    c.name = "Secretariado Técnico Local del Estado de Prueba";
    c.place = "Ciudad de Prueba, Estado de Prueba";
    c.agencies = {
        {"Instituto Nacional de Transparencia, Acceso a la Información y Protección de "
         "Datos Personales (INAI)",
         "", 2016y / June / 20, 2025y / March / 20},
        {"Secretaría Anticorrupción y Buen Gobierno", "", 2025y / March / 21, std::nullopt}};
  } else {
    c = SecretariatConfig::StmTemplate();
    c.name = "Secretariado Técnico Municipal de Gobierno Abierto del Municipio de Zamora";
    c.place = "Zamora, Michoacán";
    c.administration_ends = 2027y / August / 31;
    c.agencies = {
        {"Instituto Michoacano de Transparencia, Acceso a la Información y Protección "
         "de Datos Personales (IMAIP)",
         "", 2016y / January / 1, std::nullopt}};
  }
  if (tweak) tweak(c);
  auto id = wf_->secretariats().Create(Actor::Administrator(), c);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  secretariat = *id;

  People& people = wf_->people();
  for (const auto& spec : shape == Shape::kStl ? kStlSeats : kStmSeats) {
    SeatPeople sp;
    sp.member_type = spec.member_type;
    auto seat =
        people.AddSeat(Actor::Administrator(), secretariat, {spec.member_type, spec.represents});
    EXPECT_TRUE(seat.ok()) << seat.status().ToString();
    sp.seat = *seat;
    sp.titular = MustAddPerson(people, spec.titular, names);
    sp.substitute = MustAddPerson(people, spec.substitute, names);
    auto t1 = people.StartTerm(Actor::Administrator(), secretariat,
                               {sp.titular, TermRole::kTitular, sp.seat, kInstalled, std::nullopt});
    auto t2 =
        people.StartTerm(Actor::Administrator(), secretariat,
                         {sp.substitute, TermRole::kSubstitute, sp.seat, kInstalled, std::nullopt});
    EXPECT_TRUE(t1.ok() && t2.ok()) << t1.status().ToString() << t2.status().ToString();
    sp.titular_term = *t1;
    sp.substitute_term = *t2;
    seats.push_back(sp);
  }
  facilitator =
      MustAddPerson(people,
                    shape == Shape::kStl
                        ? Person{"Inés Barragán Oliva", "Investigadora, facilitadora"}
                        : Person{"Paula Esquivel Rangel", "Enlace de la Unidad de Transparencia"},
                    names);
  auto ft = people.StartTerm(
      Actor::Administrator(), secretariat,
      {facilitator, TermRole::kFacilitator, std::nullopt, kInstalled, std::nullopt});
  EXPECT_TRUE(ft.ok()) << ft.status().ToString();
  facilitator_term = *ft;
  outsider = MustAddPerson(people, {"Rodrigo Peña Alcalá", "Observador social"}, names);
}

Instant World::Local(year_month_day d, int h, int m) const {
  return zone_.FromLocal(local_days(d) + hours(h) + minutes(m));
}

Actor World::Garante() const { return Actor::Person(SeatOf("organismo_garante").titular); }

const SeatPeople& World::SeatOf(const std::string& member_type) const {
  for (const auto& s : seats) {
    if (s.member_type == member_type) return s;
  }
  ADD_FAILURE() << "no seat " << member_type;
  return seats.front();
}

Actor World::Convener() const { return shape == Shape::kStl ? Garante() : Facilitator(); }
Actor World::Presider() const { return Convener(); }

std::vector<int64_t> World::Titulars() const {
  std::vector<int64_t> ids;
  for (const auto& s : seats) ids.push_back(s.titular);
  return ids;
}

std::vector<VoteInput> World::Votes(const std::vector<int64_t>& people, VoteChoice c) const {
  std::vector<VoteInput> votes;
  for (int64_t p : people) votes.push_back({p, c});
  return votes;
}

int64_t World::OpenSession(year_month_day date, const std::vector<int64_t>& attendees,
                           const std::vector<std::string>& agenda) {
  const Instant convene_at = Local(year_month_day{sys_days(date) - days(14)}, 9);
  if (clock.Now() < convene_at) clock.Set(convene_at);
  auto id =
      wf_->sessions().Convene(Convener(), secretariat,
                              {SessionKind::kOrdinary, Local(date, 10), "Sala de Cabildo", agenda});
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  if (!id.ok()) return 0;
  SetLocal(date, 10);
  std::vector<int64_t> members;
  for (int64_t p : attendees) {
    auto cap = wf_->sessions().RecordAttendance(Facilitator(), *id, p);
    EXPECT_TRUE(cap.ok()) << cap.status().ToString();
    if (cap.ok() && *cap != Capacity::kFacilitator) members.push_back(p);
  }
  auto q = wf_->sessions().Open(Presider(), *id);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  Status agenda_ok = wf_->sessions().ApproveAgenda(Facilitator(), *id, members);
  EXPECT_TRUE(agenda_ok.ok()) << agenda_ok.ToString();
  SetLocal(date, 10, 30);
  return *id;
}

DbSnapshot Snapshot(const std::string& db_path) {
  DbSnapshot snap;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path;
    sqlite3_close(db);
    return snap;
  }
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                     &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  for (const auto& t : tables) {
    const std::string sql = "SELECT * FROM \"" + t + "\" ORDER BY rowid";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      // WITHOUT ROWID tables have none; order by every column instead.
      sqlite3_prepare_v2(db, ("SELECT * FROM \"" + t + "\"").c_str(), -1, &st, nullptr);
    }
    int64_t n = 0;
    snap.dump += "== " + t + "\n";
    while (sqlite3_step(st) == SQLITE_ROW) {
      ++n;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const unsigned char* v = sqlite3_column_text(st, c);
        snap.dump += v ? reinterpret_cast<const char*>(v) : "NULL";
        snap.dump += '|';
      }
      snap.dump += '\n';
    }
    sqlite3_finalize(st);
    snap.rows[t] = n;
    if (t == "audit_log") snap.audit_entries = n;
  }
  sqlite3_close(db);
  return snap;
}

void ExpectRefusal(World& w, const std::string& code, const std::function<Status()>& op) {
  const DbSnapshot before = Snapshot(w.db_path());
  const Status s = op();
  const DbSnapshot after = Snapshot(w.db_path());
  ASSERT_FALSE(s.ok()) << "expected " << code << ", the operation succeeded";
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_FALSE(s.message().empty()) << code;
  const std::string generic = Status::Error(s.kind(), "x", "x").message_es();
  EXPECT_NE(s.message_es(), generic) << code << " has no specific Spanish message";
  EXPECT_NE(s.message_es(), s.message()) << code;
  EXPECT_EQ(after.audit_entries, before.audit_entries) << code << " wrote to the audit log";
  EXPECT_EQ(after.rows, before.rows) << code << " changed row counts";
  EXPECT_TRUE(after.dump == before.dump) << code << " changed the database";
}

}  // namespace rubrica::workflows::testing
