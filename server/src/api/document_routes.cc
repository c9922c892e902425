// Documents: the acta's PDF and every revision of it, verification of an uploaded PDF,
// and the OpenAPI document itself.

#include "acta_revisions.h"
#include "draft_render.h"
#include "handler_util.h"
#include "rubrica/server/api.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

Status SendPdf(Call& c, const std::string& blob_id, const std::string& filename) {
  ASSIGN_OR_RETURN(std::string bytes, c.ctx.blobs.Get(blob_id));
  c.ex.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  c.ex.SendBytes(200, "application/pdf", bytes);
  return Status::Ok();
}

Status NoPdf(int64_t id) {
  return Status::Error(ErrorKind::kNotFound, "api.no_pdf",
                       "acta " + std::to_string(id) + " has no PDF yet (not certified)",
                       "El acta aún no tiene PDF: se genera al aprobarse.");
}

// A draft or a version under review, rendered on demand with the mark "BORRADOR — sin
// validez" on every page and no signature fields; never stored.
Status DraftPdf(Call& c) {
  const ActaRecord& a = *c.acta;
  ASSIGN_OR_RETURN(DraftDocument draft, RenderCurrentDraft(c.ctx, a));
  c.ex.SetHeader("Content-Disposition", "attachment; filename=\"acta-" + std::to_string(a.id) +
                                            "-borrador-v" + std::to_string(a.current_version) +
                                            ".pdf\"");
  c.ex.SetHeader("Cache-Control", "no-store");
  c.ex.SendBytes(200, "application/pdf", draft.pdf);
  return Status::Ok();
}

// The sealed acta once archived, the latest signed revision after approval, and in draft
// and review the rendered draft.
Status CurrentPdf(Call& c) {
  const ActaRecord& a = *c.acta;
  if (a.state == ActaState::kDraft || a.state == ActaState::kReview) return DraftPdf(c);
  const std::string blob = !a.archived_blob_id.empty() ? a.archived_blob_id : a.current_blob_id;
  if (blob.empty()) return NoPdf(a.id);
  return SendPdf(c, blob, "acta-" + std::to_string(a.id) + ".pdf");
}

Status ListRevisions(Call& c) {
  JsonWriter w;
  w.BeginObject().Key("revisions").BeginArray();
  for (const auto& r : Revisions(*c.acta)) {
    w.BeginObject()
        .Field("blob_id", r.blob_id)
        .Field("what", r.what)
        .Field("round", r.round)
        .Field("person_id", r.person_id)
        .EndObject();
  }
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

Status GetRevision(Call& c) {
  const std::string id = c.ex.PathParam("blob_id");
  for (const auto& r : Revisions(*c.acta)) {
    if (r.blob_id == id) {
      return SendPdf(c, id, "acta-" + std::to_string(c.acta->id) + "-" + id.substr(0, 12) + ".pdf");
    }
  }
  return Status::Error(ErrorKind::kNotFound, "api.not_found",
                       "blob " + id + " is not a revision of acta " + std::to_string(c.acta->id),
                       "Esa revisión no pertenece al acta.");
}

// The upload is verified in the sandbox and nothing is stored.
Status Verify(Call& c) {
  std::string type = c.ex.Header("Content-Type");
  type = type.substr(0, type.find(';'));
  if (type != "application/pdf") {
    return Status::Error(ErrorKind::kInvalidArgument, "api.bad_content_type",
                         "POST /api/verify wants Content-Type application/pdf, got '" + type + "'",
                         "Envíe el PDF con el tipo de contenido application/pdf.");
  }
  // Anyone may verify (the public page /verificar); an anonymous address a limited number
  // of times per window, counted before the costly sandbox runs.
  if (!c.principal) {
    std::string address = c.ex.RemoteAddress();
    address = address.substr(0, address.rfind(':'));
    if (auto wait = c.ctx.public_verifications.RetryAfter(address)) {
      return Status::Error(ErrorKind::kRateLimited, "api.too_many_verifications",
                           "anonymous verifications from " + address + " over the limit",
                           "Ha verificado demasiados archivos seguidos. Espere " +
                               std::to_string(wait->count()) + " segundos e intente de nuevo.")
          .WithRetryAfter(*wait);
    }
    c.ctx.public_verifications.RecordFailure(address);
  }
  ASSIGN_OR_RETURN(std::string pdf, c.ex.Body());
  if (pdf.empty()) {
    return Status::Error(ErrorKind::kInvalidArgument, "api.empty_body", "empty PDF upload",
                         "No se recibió ningún archivo.");
  }
  ASSIGN_OR_RETURN(SandboxResult r, VerifyUpload(c, pdf));
  // The report is embedded as JSON when the worker produced JSON (a crashed or killed
  // worker's output is passed on as text).
  JsonReaderOptions report;
  report.max_bytes = r.output.size();
  report.normalize_text = false;
  const bool is_json = JsonReader::Parse(r.output, report).ok();
  JsonWriter w;
  w.BeginObject().Field("exit_code", r.exit_code).Key("report");
  if (is_json) {
    w.Raw(r.output);
  } else {
    w.String(r.output);
  }
  w.EndObject();
  return Reply(c, 200, w);
}

Status OpenApi(Call& c) {
  c.Reply(200, OpenApiDocument());
  return Status::Ok();
}

}  // namespace

std::vector<RouteSpec> DocumentRoutes() {
  return {
      {"GET", "/api/actas/{acta_id}/pdf", "downloadActaPdf", "documents",
       "The acta's PDF: sealed once archived, the latest signed revision after approval, the "
       "rendered draft (marked BORRADOR, no signature fields) in draft and review", kPublic,
       Scope::kActa, true, "", "application/pdf", 200, CurrentPdf},
      {"GET", "/api/actas/{acta_id}/revisions", "listActaRevisions", "documents",
       "Every stored revision: certification, each signature, the seal", kPublic, Scope::kActa,
       true, "", "revisions", 200, ListRevisions},
      {"GET", "/api/actas/{acta_id}/revisions/{blob_id}", "downloadActaRevision", "documents",
       "One revision's PDF", kPublic, Scope::kActa, true, "", "application/pdf", 200,
       GetRevision},
      {"POST", "/api/verify", "verifyPdf", "documents",
       "Verify an uploaded signed PDF in the sandbox (nothing is stored); anonymous callers "
       "are rate-limited per address",
       kPublic,
       Scope::kNone, false, "pdf", "exit_code and the verifier's JSON report", 200, Verify},
      {"GET", "/api/openapi.json", "getOpenApi", "documents", "This API's OpenAPI 3 document",
       kPublic, Scope::kNone, false, "", "the OpenAPI document", 200, OpenApi},
  };
}

}  // namespace rubrica::server::api
