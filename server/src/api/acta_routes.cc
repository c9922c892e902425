// Actas: drafts and versions, review and comments, required signers, approval and
// certification, archive and delivery.
#include "draft_render.h"
#include "handler_util.h"
#include "rubrica/base/crypto_util.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

int64_t ActaId(const Call& c) { return c.acta->id; }

// Content is checked against the acta format (docs/acta-format.md) before it is stored:
// the engine renders exactly this at approval, and a draft that cannot render would only
// fail then.
Result<std::string> Content(Call& c, JsonReader& j) {
  ASSIGN_OR_RETURN(std::string content, j.RawObject("content"));
  Status checked = c.ctx.engine.CheckContent(content);
  if (!checked.ok()) {
    // The acta format's own code, path and Spanish message, under the field "content".
    return Status::Error(checked.kind(), checked.code(), "content: " + checked.message(),
                         checked.message_es());
  }
  return content;
}

Status List(Call& c) {
  ASSIGN_OR_RETURN(auto actas, c.ctx.wf.actas().List(c.secretariat_id));
  JsonWriter w;
  w.BeginObject().Key("actas").BeginArray();
  for (const auto& a : actas) {
    if (ActaVisible(c.roles, a.state)) WriteActa(w, a, SignerNames(c.ctx, a));
  }
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status Create(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  NewActa in;
  ASSIGN_OR_RETURN(std::string kind, j.Enum("kind", {"installation", "session_minute"}));
  in.kind = kind == "installation" ? ActaKind::kInstallation : ActaKind::kSessionMinute;
  in.secretariat_id = c.secretariat_id;
  ASSIGN_OR_RETURN(in.session_id, j.OptionalInt("session_id"));
  ASSIGN_OR_RETURN(in.title, j.Line("title", 500));
  ASSIGN_OR_RETURN(in.content_json, Content(c, j));
  ASSIGN_OR_RETURN(in.acta_date, j.OptionalDate("acta_date"));
  RETURN_IF_ERROR(j.Finish());
  if (in.session_id) {
    ASSIGN_OR_RETURN(SessionRecord s, c.ctx.wf.sessions().Get(*in.session_id));
    if (s.secretariat_id != c.secretariat_id) {
      return BadField("session_id", "session of another secretariat",
                      "la sesión es de otro secretariado");
    }
  }
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.actas().CreateDraft(c.actor(), in));
  return ReplyActa(c, 201, id);
}

Status Get(Call& c) {
  JsonWriter w;
  WriteActa(w, *c.acta, SignerNames(c.ctx, *c.acta));
  return Reply(c, 200, w);
}

Status AddVersion(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string content, Content(c, j));
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(int version, c.ctx.wf.actas().AddVersion(c.actor(), ActaId(c), content));
  JsonWriter w;
  w.BeginObject().Field("version", version).EndObject();
  return Reply(c, 201, w);
}

Status GetVersion(Call& c) {
  const int64_t n = c.Id("version");
  if (n <= 0 || n > 1000000) {
    return Status::Error(ErrorKind::kNotFound, "api.not_found", "no such version",
                         "No existe esa versión del acta.");
  }
  ASSIGN_OR_RETURN(std::string content, c.ctx.wf.actas().Version(ActaId(c), static_cast<int>(n)));
  JsonWriter w;
  w.BeginObject().Field("version", n).Key("content").Raw(content).EndObject();
  return Reply(c, 200, w);
}

Status SubmitForReview(Call& c) {
  RETURN_IF_ERROR(c.ctx.wf.actas().SubmitForReview(c.actor(), ActaId(c)));
  return ReplyActa(c, 200, ActaId(c));
}

Status ListComments(Call& c) {
  ASSIGN_OR_RETURN(auto comments, c.ctx.wf.actas().Comments(ActaId(c)));
  auto wide = [](const std::optional<int>& v) {
    return v ? std::optional<int64_t>(*v) : std::optional<int64_t>();
  };
  JsonWriter w;
  w.BeginObject().Key("comments").BeginArray();
  for (const auto& cm : comments) {
    w.BeginObject()
        .Field("id", cm.id)
        .Field("version", cm.version)
        .Field("person_id", cm.person_id)
        .Key("at")
        .Time(cm.at)
        .Field("text", cm.text)
        .Field("page", wide(cm.anchor.page))
        .Field("paragraph", wide(cm.anchor.paragraph))
        .EndObject();
  }
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

// A comment may point at a page of the version in review (checked against the pages of
// its rendering: one draft render, only when a page is given) and a paragraph.
Status AddComment(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string text, j.String("text", 16 * 1024));
  ASSIGN_OR_RETURN(auto page, j.OptionalInt("page", 1, CommentAnchor::kMaxPage));
  ASSIGN_OR_RETURN(auto paragraph, j.OptionalInt("paragraph", 1, CommentAnchor::kMaxParagraph));
  RETURN_IF_ERROR(j.Finish());
  CommentAnchor anchor;
  if (page) anchor.page = static_cast<int>(*page);
  if (paragraph) anchor.paragraph = static_cast<int>(*paragraph);
  if (anchor.page && c.acta->state == ActaState::kReview) {
    ASSIGN_OR_RETURN(DraftDocument draft, RenderCurrentDraft(c.ctx, *c.acta));
    if (*anchor.page > draft.pages) {
      return Status::Error(ErrorKind::kInvalidArgument, "api.comment_page_out_of_range",
                           "page " + std::to_string(*anchor.page) + " of a version of " +
                               std::to_string(draft.pages) + " pages",
                           "La versión en revisión tiene " + std::to_string(draft.pages) +
                               (draft.pages == 1 ? " hoja" : " hojas") + "; no existe la hoja " +
                               std::to_string(*anchor.page) + ".");
    }
  }
  ASSIGN_OR_RETURN(int64_t id, c.ctx.wf.actas().Comment(c.actor(), ActaId(c), text, anchor));
  return ReplyCreated(c, "comment_id", id);
}

Status AddSigner(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(int64_t person, j.Int("person_id"));
  ASSIGN_OR_RETURN(std::string capacity, j.Line("capacity", 100));
  RETURN_IF_ERROR(j.Finish());
  RETURN_IF_ERROR(c.ctx.wf.actas().AddRequiredSigner(c.actor(), ActaId(c), person, capacity));
  return ReplyActa(c, 200, ActaId(c));
}

Status RemoveSigner(Call& c) {
  RETURN_IF_ERROR(
      c.ctx.wf.actas().RemoveRequiredSigner(c.actor(), ActaId(c), c.Id("person_id")));
  return ReplyActa(c, 200, ActaId(c));
}

Status ReplyApproval(Call& c, const Result<ActaApproval>& r) {
  if (!r.ok()) return r.status();
  return ReplyActa(c, 200, ActaId(c));
}

Status Approve(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(auto votes, ReadVotes(j, "votes"));
  RETURN_IF_ERROR(j.Finish());
  return ReplyApproval(c, c.ctx.wf.actas().Approve(c.actor(), ActaId(c), votes));
}

Status Certify(Call& c) {
  RETURN_IF_ERROR(c.ctx.wf.actas().Certify(c.actor(), ActaId(c)));
  return ReplyActa(c, 200, ActaId(c));
}

Status Reapprove(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(auto votes, ReadVotes(j, "votes"));
  RETURN_IF_ERROR(j.Finish());
  return ReplyApproval(c, c.ctx.wf.actas().Reapprove(c.actor(), ActaId(c), votes));
}

Status Archive(Call& c) {
  RETURN_IF_ERROR(c.ctx.wf.actas().Archive(c.actor(), ActaId(c)));
  return ReplyActa(c, 200, ActaId(c));
}

// The agency's receipt: a PDF (checked in the sandbox) or a plain-text/e-mail receipt.
Status Deliver(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  ASSIGN_OR_RETURN(std::string type,
                   j.Enum("media_type", {"application/pdf", "text/plain", "message/rfc822"}));
  ASSIGN_OR_RETURN(std::string receipt, Base64Field(j, "receipt", c.ctx.options.max_pdf_bytes));
  RETURN_IF_ERROR(j.Finish());
  if (type == "application/pdf") {
    RETURN_IF_ERROR(CheckPdf(c, receipt).status());
  } else if (receipt.empty() || receipt.find('\0') != std::string::npos) {
    return BadField("receipt", "empty or not text", "está vacío o no es texto");
  }
  // An acta that cannot take a delivery refuses before the receipt is stored: the workflow
  // is asked first with the receipt's id (its SHA-256), and the bytes stored only when it
  // accepts. Should it accept here (archived meanwhile), the receipt is stored right away.
  {
    ASSIGN_OR_RETURN(ActaRecord now, c.ctx.wf.actas().Get(ActaId(c)));
    if (now.state != ActaState::kArchived) {
      RETURN_IF_ERROR(c.ctx.wf.actas().MarkDelivered(c.actor(), ActaId(c), Sha256Hex(receipt)));
      RETURN_IF_ERROR(c.ctx.blobs.Put(receipt).status());
      return ReplyActa(c, 200, ActaId(c));
    }
  }
  ASSIGN_OR_RETURN(std::string blob, c.ctx.blobs.Put(receipt));
  RETURN_IF_ERROR(c.ctx.wf.actas().MarkDelivered(c.actor(), ActaId(c), blob));
  return ReplyActa(c, 200, ActaId(c));
}

}  // namespace

std::vector<RouteSpec> ActaRoutes() {
  return {
      {"GET", "/api/secretariats/{secretariat_id}/actas", "listActas", "actas",
       "The secretariat's actas the caller may see", kPublic, Scope::kSecretariat, false, "",
       "actas", 200, List},
      {"POST", "/api/secretariats/{secretariat_id}/actas", "createActa", "actas",
       "Draft an acta (installation, or the minute of a closed session)", kFacilitator,
       Scope::kSecretariat, false,
       "kind:installation|session_minute! session_id:integer title:string! content:object! "
       "acta_date:date",
       "the acta", 201, Create},
      {"GET", "/api/actas/{acta_id}", "getActa", "actas",
       "An acta: state, versions, signers, approvals, signatures", kPublic, Scope::kActa, true,
       "", "the acta", 200, Get},
      {"POST", "/api/actas/{acta_id}/versions", "addActaVersion", "actas",
       "Publish a new version of the content (draft or review)", kFacilitator, Scope::kActa,
       false, "content:object!", "version", 201, AddVersion},
      {"GET", "/api/actas/{acta_id}/versions/{version}", "getActaVersion", "actas",
       "The content of one version", kInsiders | kObserver, Scope::kActa, true, "",
       "version and content", 200, GetVersion},
      {"POST", "/api/actas/{acta_id}/review", "submitForReview", "actas",
       "Move a draft to review", kFacilitator, Scope::kActa, false, "", "the acta", 200,
       SubmitForReview},
      {"GET", "/api/actas/{acta_id}/comments", "listComments", "actas", "Review comments",
       kInsiders | kSelf, Scope::kActa, false, "", "comments", 200, ListComments},
      {"POST", "/api/actas/{acta_id}/comments", "addComment", "actas",
       "Comment on the version in review", kInsiders | kSelf, Scope::kActa, false,
       "text:string! page:integer paragraph:integer", "comment_id", 201, AddComment},
      {"POST", "/api/actas/{acta_id}/signers", "addRequiredSigner", "actas",
       "Add a required signer before approval (audited)", kFacilitator, Scope::kActa, false,
       "person_id:integer! capacity:string!", "the acta", 200, AddSigner},
      {"DELETE", "/api/actas/{acta_id}/signers/{person_id}", "removeRequiredSigner", "actas",
       "Remove a required signer before approval (audited)", kFacilitator, Scope::kActa, false,
       "", "the acta", 200, RemoveSigner},
      {"POST", "/api/actas/{acta_id}/approval", "approveActa", "actas",
       "Record the members' votes approving the latest version; certifies it", kFacilitator,
       Scope::kActa, false, "votes:object[]!", "the acta", 200, Approve},
      {"POST", "/api/actas/{acta_id}/certification", "certifyActa", "actas",
       "Retry rendering and certifying an approved acta", kFacilitator, Scope::kActa, false,
       "", "the acta", 200, Certify},
      {"POST", "/api/actas/{acta_id}/reapproval", "reapproveActa", "actas",
       "Approve again today when the signing date passed incomplete", kFacilitator,
       Scope::kActa, false, "votes:object[]!", "the acta", 200, Reapprove},
      {"POST", "/api/actas/{acta_id}/archive", "archiveActa", "actas",
       "Seal a complete acta for the archive", kFacilitator | kGarante, Scope::kActa, false, "",
       "the acta", 200, Archive},
      {"POST", "/api/actas/{acta_id}/delivery", "recordDelivery", "actas",
       "Record the delivery to the agency with its receipt (base64)", kFacilitator | kGarante,
       Scope::kActa, false, "media_type:application/pdf|text/plain|message/rfc822! receipt:string!",
       "the acta", 200, Deliver},
  };
}

}  // namespace rubrica::server::api
