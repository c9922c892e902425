// The public's questions, complaints and suggestions, and requests to take part (seed
// III.12 f, g): filed without an account from the microsite (limited per client address),
// looked up by folio (the misses of an address are limited too, so folios cannot be
// guessed by trying), listed and answered by the facilitator.
#include "handler_util.h"
#include "rubrica/base/text.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

void WriteAnsweredAt(JsonWriter& w, const Submission& s) {
  w.Key("answered_at");
  if (s.answered_at) {
    w.Time(*s.answered_at);
  } else {
    w.Null();
  }
  w.EndObject();
}

// What the public sees: never the name or contact given.
void WritePublic(JsonWriter& w, const Submission& s, const std::string& secretariat_name) {
  w.BeginObject()
      .Field("folio", s.folio)
      .Field("kind", s.kind)
      .Field("secretariat_id", s.secretariat_id)
      .Field("secretariat_name", secretariat_name)
      .Key("filed_at")
      .Time(s.filed_at)
      .Field("status", s.status)
      .Field("text", s.text)
      .Field("answer", s.answer);
  WriteAnsweredAt(w, s);
}

// What the facilitator sees: everything.
void WriteFull(JsonWriter& w, const Submission& s) {
  w.BeginObject()
      .Field("id", s.id)
      .Field("folio", s.folio)
      .Field("kind", s.kind)
      .Field("name", s.name)
      .Field("contact", s.contact)
      .Field("organisation", s.organisation)
      .Field("text", s.text)
      .Key("filed_at")
      .Time(s.filed_at)
      .Field("status", s.status)
      .Field("answer", s.answer);
  WriteAnsweredAt(w, s);
}

Status Missing(std::string en, std::string es) {
  return Status::Error(ErrorKind::kInvalidArgument, "api.missing_field", std::move(en),
                       std::move(es));
}

Result<NewSubmission> ReadSubmission(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  NewSubmission in;
  in.secretariat_id = c.secretariat_id;
  ASSIGN_OR_RETURN(in.kind, j.Enum("kind", SubmissionKinds()));
  ASSIGN_OR_RETURN(in.name, j.OptionalLine("name", "", 200));
  ASSIGN_OR_RETURN(in.contact, j.OptionalLine("contact", "", 254));
  ASSIGN_OR_RETURN(in.organisation, j.OptionalLine("organisation", "", 300));
  ASSIGN_OR_RETURN(std::string text, j.String("text", 16000));
  RETURN_IF_ERROR(j.Finish());
  // The body's texts are already NFC and free of control characters (JsonReader); the
  // message keeps its paragraphs and is held to 4,000 characters.
  auto normal = NormalizeText(text, TextRules{4000, /*multiline=*/true});
  if (!normal.ok()) {
    return Status::Error(ErrorKind::kInvalidArgument, "api.bad_text",
                         "text: " + normal.status().message(),
                         "El mensaje no se admite: " + normal.status().message_es() + ".");
  }
  in.text = *normal;
  if (in.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Missing("text is blank", "Escriba su mensaje.");
  }
  if (in.kind == "participation" && (in.name.empty() || in.contact.empty())) {
    return Missing("a participation request needs a name and a contact",
                   "Para solicitar participar, indique su nombre y un medio de contacto.");
  }
  return in;
}

Status File(Call& c) {
  // Counted before anything is read: a burst of parallel posts counts as many (limits.h).
  const std::string address = ClientAddress(c.ex);
  if (auto wait = c.ctx.public_submissions.TryBegin(address)) {
    return Status::Error(ErrorKind::kRateLimited, "api.too_many_submissions",
                         "submissions from " + address + " over the limit",
                         "Ha enviado varios mensajes seguidos. Espere " +
                             std::to_string(wait->count()) + " segundos e intente de nuevo.")
        .WithRetryAfter(*wait);
  }
  auto in = ReadSubmission(c);
  auto filed = in.ok() ? c.ctx.submissions.File(*in) : Result<Submission>(in.status());
  c.ctx.public_submissions.End(address, /*failed=*/true);
  if (!filed.ok()) return filed.status();
  JsonWriter w;
  w.BeginObject()
      .Field("folio", filed->folio)
      .Field("kind", filed->kind)
      .Field("status", filed->status)
      .Key("filed_at")
      .Time(filed->filed_at)
      .EndObject();
  return Reply(c, 201, w);
}

Status Lookup(Call& c) {
  const std::string address = ClientAddress(c.ex);
  if (auto wait = c.ctx.folio_lookups.RetryAfter(address)) {
    return Status::Error(ErrorKind::kRateLimited, "api.too_many_lookups",
                         "folio lookups from " + address + " over the limit",
                         "Ha consultado demasiados folios que no existen. Espere " +
                             std::to_string(wait->count()) + " segundos e intente de nuevo.")
        .WithRetryAfter(*wait);
  }
  auto s = c.ctx.submissions.ByFolio(c.ex.PathParam("folio"));
  if (!s.ok()) {
    if (s.status().code() == "api.folio_not_found") c.ctx.folio_lookups.RecordFailure(address);
    return s.status();
  }
  ASSIGN_OR_RETURN(SecretariatRecord sec, c.ctx.wf.secretariats().Get(s->secretariat_id));
  JsonWriter w;
  WritePublic(w, *s, sec.config.name);
  return Reply(c, 200, w);
}

Status List(Call& c) {
  ASSIGN_OR_RETURN(auto list, c.ctx.submissions.List(c.secretariat_id));
  JsonWriter w;
  w.BeginObject().Key("submissions").BeginArray();
  for (const auto& s : list) WriteFull(w, s);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status Answer(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string answer, j.String("answer", 16000));
  RETURN_IF_ERROR(j.Finish());
  auto normal = NormalizeText(answer, TextRules{4000, /*multiline=*/true});
  if (!normal.ok()) {
    return Status::Error(ErrorKind::kInvalidArgument, "api.bad_text",
                         "answer: " + normal.status().message(),
                         "La respuesta no se admite: " + normal.status().message_es() + ".");
  }
  ASSIGN_OR_RETURN(Submission s, c.ctx.submissions.Answer(c.audit_actor(), c.secretariat_id,
                                                          c.Id("submission_id"), *normal));
  JsonWriter w;
  WriteFull(w, s);
  return Reply(c, 200, w);
}

}  // namespace

std::vector<RouteSpec> ComplaintRoutes() {
  std::vector<RouteSpec> routes = {
      {"POST", "/api/secretariats/{secretariat_id}/submissions", "fileSubmission",
       "submissions",
       "File a question, complaint, suggestion or request to take part (no account; limited "
       "per client address); returns its tracking folio",
       kPublic, Scope::kSecretariat, false,
       "kind:question|complaint|suggestion|participation! name:string contact:string "
       "organisation:string text:string!",
       "the folio", 201, File},
      {"GET", "/api/submissions/{folio}", "lookupSubmission", "submissions",
       "A submission's status and answer by its folio (never the name or contact given); "
       "misses are limited per client address",
       kPublic, Scope::kNone, false, "", "the submission's status", 200, Lookup},
      {"GET", "/api/secretariats/{secretariat_id}/submissions", "listSubmissions",
       "submissions", "Every submission to the secretariat, newest first", kFacilitator,
       Scope::kSecretariat, false, "", "submissions", 200, List},
      {"POST", "/api/secretariats/{secretariat_id}/submissions/{submission_id}/answer",
       "answerSubmission", "submissions", "Answer a submission (again replaces the answer)",
       kFacilitator, Scope::kSecretariat, false, "answer:string!", "the submission", 200,
       Answer},
  };
  // Anonymous by design: a browser's session is neither needed nor used.
  routes[0].ignores_session = true;
  return routes;
}

}  // namespace rubrica::server::api
