#include "open_data.h"

#include <map>

#include "rubrica/base/json_writer.h"
#include "rubrica/workflows/session_minutes_record.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

std::string Num(int64_t v) { return std::to_string(v); }
std::string OptNum(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : ""; }
std::string Bool(bool v) { return v ? "true" : "false"; }

bool Held(const SessionRecord& s) {
  return s.status == SessionStatus::kOpen || s.status == SessionStatus::kClosed;
}

Status Sessions(Workflows& wf, int64_t sid, std::vector<std::vector<std::string>>& rows) {
  ASSIGN_OR_RETURN(auto sessions, wf.sessions().List(sid));
  for (const auto& s : sessions) {
    rows.push_back({Num(s.id), std::string(SessionKindName(s.kind)),
                    std::string(SessionStatusName(s.status)), FormatIsoDate(s.session_date),
                    FormatRfc3339UtcMicros(s.starts_at), s.place,
                    Num(static_cast<int64_t>(s.agenda.size())), Bool(s.agenda_approved)});
  }
  return Status::Ok();
}

Status Attendance(Workflows& wf, int64_t sid, std::vector<std::vector<std::string>>& rows) {
  ASSIGN_OR_RETURN(auto sessions, wf.sessions().List(sid));
  for (const auto& s : sessions) {
    if (!Held(s)) continue;
    ASSIGN_OR_RETURN(SessionMinutesRecord r, wf.sessions().MinutesRecord(s.id));
    const std::string date = FormatIsoDate(s.session_date);
    for (const auto& seat : r.seats) {
      const std::optional<RecordPerson>& who =
          seat.presence == SeatPresence::kSubstitute ? seat.substitute : seat.titular;
      rows.push_back({Num(s.id), date, "seat", Num(seat.seat_id), seat.member_type_label,
                      seat.represents, std::string(SeatPresenceName(seat.presence)),
                      who ? Num(who->id) : "", who ? who->full_name : ""});
    }
    if (r.facilitator) {
      rows.push_back({Num(s.id), date, "facilitator", "", "", "",
                      r.facilitator_present ? "present" : "absent", Num(r.facilitator->id),
                      r.facilitator->full_name});
    }
    for (const auto& o : r.observers) {
      rows.push_back({Num(s.id), date, "observer", "", "", "", "present", Num(o.id), o.full_name});
    }
  }
  return Status::Ok();
}

Status Votes(Workflows& wf, int64_t sid, std::vector<std::vector<std::string>>& rows) {
  ASSIGN_OR_RETURN(auto sessions, wf.sessions().List(sid));
  for (const auto& s : sessions) {
    if (!Held(s)) continue;
    ASSIGN_OR_RETURN(SessionMinutesRecord r, wf.sessions().MinutesRecord(s.id));
    for (const auto& d : r.decisions) {
      for (const auto& v : d.votes) {
        rows.push_back({Num(s.id), FormatIsoDate(s.session_date), Num(d.id),
                        Num(d.item_position), d.subject,
                        std::string(DecisionMethodName(d.tally.method)),
                        std::string(DecisionOutcomeName(d.tally.outcome)), Num(v.seat_id),
                        Num(v.person.id), v.person.full_name,
                        std::string(VoteChoiceName(v.choice))});
      }
    }
  }
  return Status::Ok();
}

Status Agreements(Workflows& wf, int64_t sid, std::vector<std::vector<std::string>>& rows) {
  ASSIGN_OR_RETURN(auto agreements, wf.agreements().List(sid));
  std::map<int64_t, std::string> names;
  for (const auto& a : agreements) {
    if (!names.count(a.owner_person_id)) {
      auto p = wf.people().GetPerson(a.owner_person_id);
      names[a.owner_person_id] = p.ok() ? p->full_name : std::string();
    }
    rows.push_back({Num(a.id), Num(a.session_id), OptNum(a.decision_id), a.text,
                    Num(a.owner_person_id), names[a.owner_person_id], FormatIsoDate(a.due_on),
                    std::string(AgreementStatusName(a.status)), Bool(a.overdue)});
  }
  return Status::Ok();
}

Status Commitments(Workflows& wf, int64_t sid, std::vector<std::vector<std::string>>& rows) {
  ASSIGN_OR_RETURN(auto plans, wf.plans().List(sid));
  for (const auto& p : plans) {
    for (const auto& c : p.commitments) {
      std::vector<std::string> head = {Num(p.id), p.title, Num(c.id), c.title, Num(c.progress)};
      if (c.activities.empty()) {
        head.insert(head.end(), {"", "", "", ""});
        rows.push_back(head);
      }
      for (const auto& a : c.activities) {
        std::vector<std::string> row = head;
        row.insert(row.end(),
                   {Num(a.id), a.title, FormatIsoDate(a.due_on), Num(a.progress)});
        rows.push_back(std::move(row));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

const std::vector<OpenDatasetSpec>& OpenDataDictionary() {
  static const std::vector<OpenDatasetSpec> kSpecs = {
      {"sessions", "Sesiones",
       "Cada sesión convocada del secretariado, ordinaria o extraordinaria, con su estado.",
       {{"session_id", "integer", "Identificador de la sesión."},
        {"kind", "string", "Tipo: ordinary (ordinaria) o extraordinary (extraordinaria)."},
        {"status", "string",
         "Estado: convened (convocada), cancelled (cancelada), open (en curso), closed "
         "(concluida)."},
        {"session_date", "date", "Fecha de la sesión (AAAA-MM-DD, hora local del secretariado)."},
        {"starts_at", "date-time", "Inicio convocado, en UTC (RFC 3339)."},
        {"place", "string", "Lugar de la sesión."},
        {"agenda_items", "integer", "Número de puntos del orden del día."},
        {"agenda_approved", "boolean", "Si el orden del día fue aprobado (true o false)."}}},
      {"attendance", "Asistencia",
       "Quién estuvo en cada sesión celebrada: cada asiento (titular, suplente o ausente), "
       "la facilitación y las personas observadoras.",
       {{"session_id", "integer", "Identificador de la sesión."},
        {"session_date", "date", "Fecha de la sesión."},
        {"role", "string", "seat (asiento), facilitator (facilitación) u observer (observación)."},
        {"seat_id", "integer", "Identificador del asiento (vacío fuera de los asientos)."},
        {"member_type", "string", "Sector del asiento (por ejemplo, Academia)."},
        {"represents", "string", "Institución u organización que representa el asiento."},
        {"presence", "string",
         "titular o substitute (quién ocupó el asiento), absent (ausente); present para "
         "facilitación y observación presentes."},
        {"person_id", "integer", "Identificador de la persona (la titular si el asiento estuvo ausente)."},
        {"full_name", "string", "Nombre de la persona, como aparece en las actas."}}},
      {"votes", "Votaciones",
       "El voto de cada asiento en cada decisión tomada en sesión.",
       {{"session_id", "integer", "Identificador de la sesión."},
        {"session_date", "date", "Fecha de la sesión."},
        {"decision_id", "integer", "Identificador de la decisión."},
        {"item_position", "integer", "Punto del orden del día."},
        {"subject", "string", "Asunto votado."},
        {"method", "string", "consensus (consenso) o majority (mayoría)."},
        {"outcome", "string", "approved (aprobada), rejected (rechazada) o tied (empate)."},
        {"seat_id", "integer", "Identificador del asiento que votó."},
        {"person_id", "integer", "Identificador de la persona que votó."},
        {"full_name", "string", "Nombre de la persona que votó."},
        {"choice", "string", "yes (a favor), no (en contra) o abstain (abstención)."}}},
      {"agreements", "Acuerdos",
       "Los acuerdos tomados en sesión, su responsable, su fecha compromiso y su estado.",
       {{"agreement_id", "integer", "Identificador del acuerdo."},
        {"session_id", "integer", "Sesión en que se tomó."},
        {"decision_id", "integer", "Decisión de la que resulta (vacío si ninguna)."},
        {"text", "string", "Texto del acuerdo."},
        {"owner_person_id", "integer", "Identificador de la persona responsable."},
        {"owner_full_name", "string", "Nombre de la persona responsable."},
        {"due_on", "date", "Fecha compromiso."},
        {"status", "string",
         "open (abierto), in_progress (en proceso), done (cumplido) o cancelled (cancelado)."},
        {"overdue", "boolean", "Si venció sin cumplirse (true o false)."}}},
      {"commitments", "Compromisos del plan de acción",
       "Cada compromiso de los planes de acción con sus actividades y su avance.",
       {{"plan_id", "integer", "Identificador del plan de acción."},
        {"plan_title", "string", "Título del plan de acción."},
        {"commitment_id", "integer", "Identificador del compromiso."},
        {"commitment_title", "string", "Título del compromiso."},
        {"commitment_progress", "integer", "Avance del compromiso en porcentaje (0 a 100)."},
        {"activity_id", "integer", "Identificador de la actividad (vacío si no tiene)."},
        {"activity_title", "string", "Título de la actividad."},
        {"activity_due_on", "date", "Fecha compromiso de la actividad."},
        {"activity_progress", "integer", "Avance de la actividad en porcentaje (0 a 100)."}}},
  };
  return kSpecs;
}

Result<const OpenDatasetSpec*> FindOpenDataset(std::string_view name) {
  for (const auto& s : OpenDataDictionary()) {
    if (s.name == name) return &s;
  }
  return Status::Error(ErrorKind::kNotFound, "api.not_found",
                       "no open dataset '" + std::string(name) + "'",
                       "No existe ese conjunto de datos abiertos.");
}

Result<OpenDataset> BuildOpenDataset(Workflows& wf, int64_t secretariat_id,
                                     const OpenDatasetSpec& spec) {
  OpenDataset out;
  out.spec = &spec;
  Status s = Status::Ok();
  if (spec.name == "sessions") s = Sessions(wf, secretariat_id, out.rows);
  if (spec.name == "attendance") s = Attendance(wf, secretariat_id, out.rows);
  if (spec.name == "votes") s = Votes(wf, secretariat_id, out.rows);
  if (spec.name == "agreements") s = Agreements(wf, secretariat_id, out.rows);
  if (spec.name == "commitments") s = Commitments(wf, secretariat_id, out.rows);
  if (!s.ok()) return s;
  return out;
}

std::string CsvField(std::string_view value) {
  std::string v;
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                         value[0] == '@' || value[0] == '\t' || value[0] == '\r')) {
    v += '\'';
  }
  v.append(value);
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string quoted = "\"";
  for (char c : v) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string ToCsv(const OpenDataset& data) {
  std::string out;
  auto line = [&out](const auto& cells) {
    bool first = true;
    for (const auto& cell : cells) {
      if (!first) out += ',';
      first = false;
      out += CsvField(cell);
    }
    out += "\r\n";
  };
  std::vector<std::string_view> header;
  for (const auto& c : data.spec->columns) header.push_back(c.name);
  line(header);
  for (const auto& row : data.rows) line(row);
  return out;
}

}  // namespace rubrica::server::api
