#include "signing_readiness.h"

#include "handler_util.h"
#include "rubrica/documents/holder_id.h"

namespace rubrica::server::api {

Result<SigningReadiness> SigningReadinessOf(ApiContext& ctx, int64_t person_id) {
  ASSIGN_OR_RETURN(auto credentials, ctx.keys.ListByHolder(documents::HolderIdFor(person_id)));
  const Instant now = ctx.clock.Now();
  bool pin = false, device = false;
  for (const auto& c : credentials) {
    if (!c.active() || now < c.certificate.NotBefore() || now > c.certificate.NotAfter()) continue;
    (c.external ? device : pin) = true;
  }
  SigningReadiness r;
  if (pin) r.methods.push_back("pin");
  if (device) r.methods.push_back("device");
  r.can_sign = pin || device;
  return r;
}

namespace {

// Everyone holding a term in the secretariat today, with their account and how they sign:
// the facilitator sees at once who still cannot sign, and asks for a re-enrolment link.
Status List(Call& c) {
  ASSIGN_OR_RETURN(TimeZone zone, c.ctx.wf.secretariats().Zone(c.secretariat_id));
  ASSIGN_OR_RETURN(auto terms, c.ctx.wf.people().TermsInForce(c.secretariat_id, zone.LocalDate(c.ctx.clock.Now())));
  ASSIGN_OR_RETURN(auto accounts, c.ctx.accounts.List());
  JsonWriter w;
  w.BeginObject().Key("people").BeginArray();
  for (const auto& t : terms) {
    ASSIGN_OR_RETURN(auto person, c.ctx.wf.people().GetPerson(t.person_id));
    ASSIGN_OR_RETURN(SigningReadiness r, SigningReadinessOf(c.ctx, t.person_id));
    std::string account = "none";
    for (const auto& a : accounts) {
      if (a.person_id == t.person_id) account = a.active ? "active" : "invited";
    }
    w.BeginObject()
        .Field("person_id", t.person_id)
        .Field("full_name", person.full_name)
        .Field("term_id", t.id)
        .Field("role", workflows::TermRoleName(t.role))
        .Field("seat_id", t.seat_id)
        .Field("account", account)
        .Field("can_sign", r.can_sign)
        .StringArray("signing_methods", r.methods)
        .EndObject();
  }
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

}  // namespace

std::vector<RouteSpec> SigningReadinessRoutes() {
  return {
      {"GET", "/api/secretariats/{secretariat_id}/signing-readiness", "listSigningReadiness",
       "credentials",
       "Who holds a term today, whether they have an account and how they can sign (those "
       "who cannot need a re-enrolment link)",
       kAdmin | kFacilitator, Scope::kSecretariat, false, "",
       "people with account state, can_sign and signing_methods", 200, List},
  };
}

}  // namespace rubrica::server::api
