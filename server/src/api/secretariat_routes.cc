// Secretariats: creation from a template with overrides, agencies, holidays, the members
// in force, and the monthly delivery status.
#include "handler_util.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

// An enumeration field read by its stable name; `fallback` when absent.
template <typename E>
Result<E> NamedEnum(JsonReader& j, std::string_view key, E fallback, std::vector<E> values,
                    std::string_view (*name)(E)) {
  if (!j.Has(key)) return fallback;
  std::vector<std::string_view> names;
  for (E v : values) names.push_back(name(v));
  ASSIGN_OR_RETURN(std::string text, j.Enum(key, names));
  for (E v : values) {
    if (name(v) == text) return v;
  }
  return fallback;
}

Result<AgencyPeriod> ReadAgency(JsonReader& a) {
  AgencyPeriod p;
  ASSIGN_OR_RETURN(p.name, a.Line("name", 300));
  ASSIGN_OR_RETURN(p.address, a.OptionalLine("address", "", 500));
  ASSIGN_OR_RETURN(p.effective_from, a.Date("effective_from"));
  ASSIGN_OR_RETURN(p.effective_to, a.OptionalDate("effective_to"));
  RETURN_IF_ERROR(a.Finish());
  return p;
}

Result<SecretariatConfig> ReadConfig(JsonReader& j) {
  ASSIGN_OR_RETURN(std::string tmpl, j.Enum("template", {"stl", "stm"}));
  SecretariatConfig c =
      tmpl == "stl" ? SecretariatConfig::StlTemplate() : SecretariatConfig::StmTemplate();
  ASSIGN_OR_RETURN(c.name, j.Line("name", 300));
  ASSIGN_OR_RETURN(c.place, j.Line("place", 300));
  ASSIGN_OR_RETURN(c.time_zone, j.OptionalLine("time_zone", c.time_zone, 100));
  if (j.Has("member_types")) {
    ASSIGN_OR_RETURN(auto types, j.ObjectArray("member_types", 20));
    c.member_types.clear();
    for (auto& t : types) {
      MemberType m;
      ASSIGN_OR_RETURN(m.code, t.Line("code", 60));
      ASSIGN_OR_RETURN(m.label_es, t.Line("label_es", 200));
      RETURN_IF_ERROR(t.Finish());
      c.member_types.push_back(std::move(m));
    }
  }
  ASSIGN_OR_RETURN(c.garante_member_type,
                   j.OptionalLine("garante_member_type", c.garante_member_type, 60));
  ASSIGN_OR_RETURN(c.cadence, NamedEnum(j, "cadence", c.cadence,
                                        {Cadence::kFortnightly, Cadence::kMonthly}, CadenceName));
  ASSIGN_OR_RETURN(c.quorum, NamedEnum(j, "quorum", c.quorum,
                                       {QuorumRule::kAllSeats, QuorumRule::kMajority},
                                       QuorumRuleName));
  ASSIGN_OR_RETURN(c.convener, NamedEnum(j, "convener", c.convener,
                                         {Officer::kGarante, Officer::kFacilitator}, OfficerName));
  ASSIGN_OR_RETURN(c.presider, NamedEnum(j, "presider", c.presider,
                                         {Officer::kGarante, Officer::kFacilitator}, OfficerName));
  ASSIGN_OR_RETURN(c.term_rule,
                   NamedEnum(j, "term_rule", c.term_rule,
                             {TermRule::kFixedLength, TermRule::kAdministration}, TermRuleName));
  ASSIGN_OR_RETURN(auto months, j.OptionalInt("term_months", 1, 120));
  if (months) c.term_months = static_cast<int>(*months);
  ASSIGN_OR_RETURN(auto reelections, j.OptionalInt("max_reelections", -1, 100));
  if (reelections) c.max_reelections = static_cast<int>(*reelections);
  ASSIGN_OR_RETURN(auto admin_end, j.OptionalDate("administration_ends"));
  if (admin_end) c.administration_ends = admin_end;
  ASSIGN_OR_RETURN(c.same_date, NamedEnum(j, "same_date", c.same_date,
                                          {SameDateRule::kRefuse, SameDateRule::kWarn},
                                          SameDateRuleName));
  ASSIGN_OR_RETURN(c.facilitator_signs_minutes,
                   j.Bool("facilitator_signs_minutes", c.facilitator_signs_minutes));
  ASSIGN_OR_RETURN(auto ordinary, j.OptionalInt("ordinary_notice_business_days", 0, 60));
  if (ordinary) c.ordinary_notice_business_days = static_cast<int>(*ordinary);
  ASSIGN_OR_RETURN(auto extraordinary, j.OptionalInt("extraordinary_notice_business_days", 0, 60));
  if (extraordinary) c.extraordinary_notice_business_days = static_cast<int>(*extraordinary);
  ASSIGN_OR_RETURN(auto hours, j.OptionalInt("cancellation_notice_hours", 0, 720));
  if (hours) c.cancellation_notice_hours = static_cast<int>(*hours);
  ASSIGN_OR_RETURN(c.federal_holidays, j.Bool("federal_holidays", c.federal_holidays));
  if (j.Has("package_cosigner")) {
    ASSIGN_OR_RETURN(std::string cosigner,
                     j.Enum("package_cosigner", {"none", "garante", "facilitator"}));
    if (cosigner == "none") {
      c.package_cosigner.reset();
    } else {
      c.package_cosigner = cosigner == "garante" ? Officer::kGarante : Officer::kFacilitator;
    }
  }
  if (j.Has("agencies")) {
    ASSIGN_OR_RETURN(auto agencies, j.ObjectArray("agencies", 50));
    for (auto& a : agencies) {
      ASSIGN_OR_RETURN(AgencyPeriod p, ReadAgency(a));
      c.agencies.push_back(std::move(p));
    }
  }
  if (j.Has("extra_holidays")) {
    ASSIGN_OR_RETURN(c.extra_holidays, j.DateArray("extra_holidays"));
  }
  RETURN_IF_ERROR(j.Finish());
  return c;
}

Status List(Call& c) {
  ASSIGN_OR_RETURN(auto list, c.ctx.wf.secretariats().List());
  JsonWriter w;
  w.BeginObject().Key("secretariats").BeginArray();
  for (const auto& s : list) WriteSecretariat(w, s);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status Create(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(SecretariatConfig config, ReadConfig(j));
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.secretariats().Create(c.actor(), config));
  ASSIGN_OR_RETURN(auto created, c.ctx.wf.secretariats().Get(id));
  JsonWriter w;
  WriteSecretariat(w, created);
  return Reply(c, 201, w);
}

Status Get(Call& c) {
  ASSIGN_OR_RETURN(auto s, c.ctx.wf.secretariats().Get(c.secretariat_id));
  JsonWriter w;
  WriteSecretariat(w, s);
  return Reply(c, 200, w);
}

Status AddAgency(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(AgencyPeriod p, ReadAgency(j));
  RETURN_IF_ERROR(c.ctx.wf.secretariats().AddAgency(c.actor(), c.secretariat_id, p));
  return Get(c);
}

Status AddHoliday(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(auto day, j.Date("day"));
  ASSIGN_OR_RETURN(std::string reason, j.OptionalLine("reason", "", 300));
  RETURN_IF_ERROR(j.Finish());
  RETURN_IF_ERROR(c.ctx.wf.secretariats().AddHoliday(c.actor(), c.secretariat_id, day, reason));
  return Get(c);
}

// The seats with whoever holds them today, and the facilitator. E-mail addresses only for
// the administrator and the secretariat's own people.
Status Members(Call& c) {
  ASSIGN_OR_RETURN(TimeZone zone, c.ctx.wf.secretariats().Zone(c.secretariat_id));
  const auto today = zone.LocalDate(c.ctx.clock.Now());
  ASSIGN_OR_RETURN(auto seats, c.ctx.wf.people().Seats(c.secretariat_id));
  ASSIGN_OR_RETURN(auto terms, c.ctx.wf.people().TermsInForce(c.secretariat_id, today));
  const bool emails = (c.roles & (kAdmin | kInsiders)) != 0;
  auto person = [&](JsonWriter& w, const TermRecord& t) -> Status {
    ASSIGN_OR_RETURN(auto p, c.ctx.wf.people().GetPerson(t.person_id));
    w.BeginObject().Field("term_id", t.id).Key("person");
    WritePerson(w, p, emails);
    w.Key("starts_on").Date(t.starts_on).Key("ends_on").Date(t.ends_on).EndObject();
    return Status::Ok();
  };
  JsonWriter w;
  w.BeginObject().Key("date").Date(today).Key("seats").BeginArray();
  for (const auto& seat : seats) {
    w.BeginObject()
        .Field("id", seat.id)
        .Field("member_type", seat.member_type)
        .Field("represents", seat.represents);
    for (TermRole role : {TermRole::kTitular, TermRole::kSubstitute}) {
      w.Key(role == TermRole::kTitular ? "titular" : "substitute");
      const TermRecord* holder = nullptr;
      for (const auto& t : terms) {
        if (t.seat_id == seat.id && t.role == role) holder = &t;
      }
      if (holder) {
        RETURN_IF_ERROR(person(w, *holder));
      } else {
        w.Null();
      }
    }
    w.EndObject();
  }
  w.EndArray().Key("facilitator");
  const TermRecord* facilitator = nullptr;
  for (const auto& t : terms) {
    if (t.role == TermRole::kFacilitator) facilitator = &t;
  }
  if (facilitator) {
    RETURN_IF_ERROR(person(w, *facilitator));
  } else {
    w.Null();
  }
  w.EndObject();
  return Reply(c, 200, w);
}

Status AddSeat(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  SeatInput seat;
  ASSIGN_OR_RETURN(seat.member_type, j.Line("member_type", 60));
  ASSIGN_OR_RETURN(seat.represents, j.Line("represents", 300));
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.people().AddSeat(c.actor(), c.secretariat_id, seat));
  return ReplyCreated(c, "seat_id", id);
}

Status StartTerm(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  TermInput t;
  ASSIGN_OR_RETURN(t.person_id, j.Int("person_id"));
  ASSIGN_OR_RETURN(std::string role, j.Enum("role", {"titular", "substitute", "facilitator"}));
  t.role = role == "titular"      ? TermRole::kTitular
           : role == "substitute" ? TermRole::kSubstitute
                                  : TermRole::kFacilitator;
  ASSIGN_OR_RETURN(t.seat_id, j.OptionalInt("seat_id"));
  ASSIGN_OR_RETURN(t.starts_on, j.Date("starts_on"));
  ASSIGN_OR_RETURN(t.ends_on, j.OptionalDate("ends_on"));
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.people().StartTerm(c.actor(), c.secretariat_id, t));
  ASSIGN_OR_RETURN(auto term, c.ctx.wf.people().GetTerm(id));
  JsonWriter w;
  WriteTerm(w, term);
  return Reply(c, 201, w);
}

Status Deliveries(Call& c) {
  ASSIGN_OR_RETURN(auto month, ParseMonth(c.ex.Query("month"), "month"));
  ASSIGN_OR_RETURN(auto obligations, c.ctx.wf.deliveries().ForMonth(c.secretariat_id, month));
  JsonWriter w;
  w.BeginObject().Field("month", c.ex.Query("month")).Key("obligations").BeginArray();
  for (const auto& o : obligations) WriteObligation(w, o);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status LateDeliveries(Call& c) {
  ASSIGN_OR_RETURN(auto obligations, c.ctx.wf.deliveries().Late(c.secretariat_id));
  JsonWriter w;
  w.BeginObject().Key("obligations").BeginArray();
  for (const auto& o : obligations) WriteObligation(w, o);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

}  // namespace

std::vector<RouteSpec> SecretariatRoutes() {
  const char* kConfig =
      "template:stl|stm! name:string! place:string! time_zone:string member_types:object[] "
      "garante_member_type:string cadence:fortnightly|monthly quorum:all_seats|majority "
      "convener:garante|facilitator presider:garante|facilitator "
      "term_rule:fixed_length|administration term_months:integer max_reelections:integer "
      "administration_ends:date same_date:refuse|warn facilitator_signs_minutes:boolean "
      "ordinary_notice_business_days:integer extraordinary_notice_business_days:integer "
      "cancellation_notice_hours:integer federal_holidays:boolean agencies:object[] "
      "extra_holidays:string[] package_cosigner:none|garante|facilitator";
  return {
      {"GET", "/api/secretariats", "listSecretariats", "secretariats",
       "Every secretariat of the installation", kPublic, Scope::kNone, false, "",
       "secretariats", 200, List},
      {"POST", "/api/secretariats", "createSecretariat", "secretariats",
       "Create a secretariat from the STL or STM template with overrides", kAdmin,
       Scope::kNone, false, kConfig, "the secretariat", 201, Create},
      {"GET", "/api/secretariats/{secretariat_id}", "getSecretariat", "secretariats",
       "A secretariat's rules, agencies and added holidays", kPublic, Scope::kSecretariat,
       false, "", "the secretariat", 200, Get},
      {"POST", "/api/secretariats/{secretariat_id}/agencies", "addAgency", "secretariats",
       "Add the agency in force from a date", kAdmin, Scope::kSecretariat, false,
       "name:string! address:string effective_from:date! effective_to:date", "the secretariat",
       200, AddAgency},
      {"POST", "/api/secretariats/{secretariat_id}/holidays", "addHoliday", "secretariats",
       "Add a closed day to the secretariat's calendar", kAdmin | kFacilitator,
       Scope::kSecretariat, false, "day:date! reason:string", "the secretariat", 200,
       AddHoliday},
      {"GET", "/api/secretariats/{secretariat_id}/members", "listMembers", "people",
       "Seats with their titular and substitute today, and the facilitator", kPublic,
       Scope::kSecretariat, false, "", "seats and facilitator", 200, Members},
      {"POST", "/api/secretariats/{secretariat_id}/seats", "addSeat", "people",
       "Add a seat of a member type", kAdmin | kFacilitator, Scope::kSecretariat, false,
       "member_type:string! represents:string!", "seat_id", 201, AddSeat},
      {"POST", "/api/secretariats/{secretariat_id}/terms", "startTerm", "people",
       "Start a titular, substitute or facilitator term", kAdmin | kFacilitator,
       Scope::kSecretariat, false,
       "person_id:integer! role:titular|substitute|facilitator! seat_id:integer "
       "starts_on:date! ends_on:date",
       "the term", 201, StartTerm},
      {"GET", "/api/secretariats/{secretariat_id}/deliveries", "monthlyDeliveries",
       "deliveries", "What is due to the agency for ?month=YYYY-MM, and why not yet",
       kInsiders | kArchivist, Scope::kSecretariat, false, "", "obligations", 200, Deliveries, false, "month:month!"},
      {"GET", "/api/secretariats/{secretariat_id}/deliveries/late", "lateDeliveries",
       "deliveries", "Every late obligation as of today", kInsiders | kArchivist,
       Scope::kSecretariat, false, "", "obligations", 200, LateDeliveries},
  };
}

}  // namespace rubrica::server::api
