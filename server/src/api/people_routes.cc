// People (installation-wide) and what happens to a term: re-election, removal, the
// end-of-term report and the hand-over.
#include "handler_util.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

Status AddPerson(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  PersonInput p;
  ASSIGN_OR_RETURN(p.full_name, j.Line("full_name", 200));
  ASSIGN_OR_RETURN(p.title, j.OptionalLine("title", "", 200));
  ASSIGN_OR_RETURN(p.email, j.OptionalLine("email", "", 254));
  if (j.Has("gender")) {
    ASSIGN_OR_RETURN(std::string gender, j.Enum("gender", {"femenino", "masculino", "neutro"}));
    p.gender = *lang::ParseGender(gender);
  }
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.people().AddPerson(c.actor(), p));
  return ReplyCreated(c, "person_id", id);
}

Status ListPeople(Call& c) {
  ASSIGN_OR_RETURN(auto people, c.ctx.wf.people().ListPeople());
  JsonWriter w;
  w.BeginObject().Key("people").BeginArray();
  for (const auto& p : people) WritePerson(w, p, true);
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status GetPerson(Call& c) {
  ASSIGN_OR_RETURN(auto p, c.ctx.wf.people().GetPerson(c.Id("person_id")));
  JsonWriter w;
  WritePerson(w, p, true);
  return Reply(c, 200, w);
}

Status ReplyTerm(Call& c, int status, int64_t id) {
  ASSIGN_OR_RETURN(auto term, c.ctx.wf.people().GetTerm(id));
  JsonWriter w;
  WriteTerm(w, term);
  return Reply(c, status, w);
}

Status GetTerm(Call& c) { return ReplyTerm(c, 200, c.Id("term_id")); }

Status Reelect(Call& c) {
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.people().Reelect(c.actor(), c.Id("term_id")));
  return ReplyTerm(c, 201, id);
}

Status ProposeRemoval(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(auto proposers, j.IntArray("proposers", 20));
  ASSIGN_OR_RETURN(std::string reason, j.String("reason", 4000));
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.people().ProposeRemoval(c.actor(), c.Id("term_id"),
                                                                proposers, reason));
  return ReplyCreated(c, "removal_id", id);
}

// The report is a PDF: checked in the sandbox before it is stored.
Status FileReport(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string summary, j.String("summary", 4000));
  ASSIGN_OR_RETURN(std::string pdf, Base64Field(j, "report_pdf", c.ctx.options.max_pdf_bytes));
  RETURN_IF_ERROR(j.Finish());
  RETURN_IF_ERROR(CheckPdf(c, pdf).status());
  ASSIGN_OR_RETURN(std::string blob, c.ctx.blobs.Put(pdf));
  ASSIGN_OR_RETURN(int64_t id,
                   c.ctx.wf.people().FileTermReport(c.actor(), c.Id("term_id"), blob, summary));
  JsonWriter w;
  w.BeginObject().Field("report_id", id).Field("blob_id", blob).EndObject();
  return Reply(c, 201, w);
}

Status Handover(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  std::vector<HandoverDocument> extra;
  if (j.Has("documents")) {
    ASSIGN_OR_RETURN(auto docs, j.ObjectArray("documents", 200));
    for (auto& d : docs) {
      HandoverDocument doc;
      ASSIGN_OR_RETURN(doc.kind, d.Enum("kind", {"acta", "term_report", "other"}));
      ASSIGN_OR_RETURN(doc.ref, d.Line("ref", 300));
      ASSIGN_OR_RETURN(doc.blob_id, d.String("blob_id", 64));
      RETURN_IF_ERROR(d.Finish());
      // Only what this installation stores can be handed over.
      if (!c.ctx.blobs.Contains(doc.blob_id)) {
        return BadField(d.path() + ".blob_id", "no such blob", "no existe ese documento");
      }
      extra.push_back(std::move(doc));
    }
  }
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(HandoverRecord h,
                   c.ctx.wf.people().RecordHandover(c.actor(), c.Id("term_id"), extra));
  JsonWriter w;
  w.BeginObject().Field("id", h.id).Field("term_id", h.term_id).Key("at").Time(h.at);
  w.IntArray("recipients", h.recipients).Key("documents").BeginArray();
  for (const auto& d : h.documents) {
    w.BeginObject().Field("kind", d.kind).Field("ref", d.ref).Field("blob_id", d.blob_id).EndObject();
  }
  w.EndArray().EndObject();
  return Reply(c, 201, w);
}

}  // namespace

std::vector<RouteSpec> PeopleRoutes() {
  return {
      {"POST", "/api/people", "addPerson", "people", "Register a person", kAdmin, Scope::kNone,
       false, "full_name:string! title:string email:string gender:femenino|masculino|neutro",
       "person_id", 201, AddPerson},
      {"GET", "/api/people", "listPeople", "people", "Every registered person", kAdmin,
       Scope::kNone, false, "", "people", 200, ListPeople},
      {"GET", "/api/people/{person_id}", "getPerson", "people", "A person (with e-mail)",
       kAdmin | kSelf, Scope::kPerson, false, "", "the person", 200, GetPerson},
      {"GET", "/api/terms/{term_id}", "getTerm", "people", "A term", kPublic, Scope::kTerm,
       false, "", "the term", 200, GetTerm},
      {"POST", "/api/terms/{term_id}/reelection", "reelect", "people",
       "Re-elect the holder for the next term", kAdmin | kFacilitator, Scope::kTerm, false, "",
       "the new term", 201, Reelect},
      {"POST", "/api/terms/{term_id}/removal", "proposeRemoval", "people",
       "Propose removing the holder (two members of distinct seats)", kInsiders, Scope::kTerm,
       false, "proposers:integer[]! reason:string!", "removal_id", 201, ProposeRemoval},
      {"POST", "/api/terms/{term_id}/report", "fileTermReport", "people",
       "File the end-of-term activity report (a PDF, base64)", kFacilitator | kSelf,
       Scope::kTerm, false, "summary:string! report_pdf:string!", "report_id and blob_id", 201,
       FileReport},
      {"POST", "/api/terms/{term_id}/handover", "recordHandover", "people",
       "Record the hand-over of the term's documents to the successor", kFacilitator | kSelf,
       Scope::kTerm, false, "documents:object[]", "the hand-over", 201, Handover},
  };
}

}  // namespace rubrica::server::api
