// The archive: search over every acta the caller may see, and the delivery receipt.
#include "archive_query.h"
#include "handler_util.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

// What the caller may see, as ActaVisible decides for one acta: insiders of a secretariat
// every state there, its observers from approval on, everyone archived and delivered actas.
Result<ArchiveVisibility> VisibilityOf(Call& c) {
  ArchiveVisibility v;
  if (!c.principal) return v;
  ASSIGN_OR_RETURN(auto secretariats, c.ctx.wf.secretariats().List());
  for (const auto& s : secretariats) {
    const unsigned roles = RolesIn(c.ctx, *c.principal, s.id);
    if (roles & kInsiders) {
      v.all_states.push_back(s.id);
    } else if (roles & kObserver) {
      v.from_approval.push_back(s.id);
    }
  }
  return v;
}

Status Search(Call& c) {
  std::map<std::string, std::string> params;
  for (const auto& name : c.ex.QueryNames()) params[name] = c.ex.Query(name);
  ASSIGN_OR_RETURN(ArchiveQuery q, ParseArchiveQuery(params, c.ctx.keys));
  ASSIGN_OR_RETURN(q.visibility, VisibilityOf(c));
  ASSIGN_OR_RETURN(ArchivePage page, c.ctx.wf.archive().Search(q));
  JsonWriter w;
  WriteArchivePage(w, page, c.ctx.wf.people());
  return Reply(c, 200, w);
}

// The agency's receipt as recorded: a PDF, or the text or e-mail the agency answered with.
Status Receipt(Call& c) {
  const ActaRecord& a = *c.acta;
  if (a.receipt_blob_id.empty()) {
    return Status::Error(ErrorKind::kNotFound, "api.no_receipt",
                         "acta " + std::to_string(a.id) + " has no delivery receipt",
                         "El acta no tiene acuse de entrega: aún no se registra su entrega.");
  }
  ASSIGN_OR_RETURN(std::string bytes, c.ctx.blobs.Get(a.receipt_blob_id));
  const bool pdf = bytes.rfind("%PDF-", 0) == 0;
  c.ex.SetHeader("Content-Disposition", "attachment; filename=\"acta-" + std::to_string(a.id) +
                                            "-acuse." + (pdf ? "pdf" : "txt") + "\"");
  c.ex.SendBytes(200, pdf ? "application/pdf" : "text/plain; charset=utf-8", bytes);
  return Status::Ok();
}

// The certified copy of the sealed acta, made the first time it is asked for.
Status CertifiedCopy(Call& c) {
  const ActaRecord& a = *c.acta;
  ASSIGN_OR_RETURN(std::string blob, c.ctx.wf.actas().CertifiedCopy(a.id, c.audit_actor()));
  ASSIGN_OR_RETURN(std::string bytes, c.ctx.blobs.Get(blob));
  c.ex.SetHeader("Content-Disposition", "attachment; filename=\"" + CertifiedCopyFileName(a) + "\"");
  c.ex.SendBytes(200, "application/zip", bytes);
  return Status::Ok();
}

}  // namespace

std::vector<RouteSpec> ArchiveRoutes() {
  return {
      {"GET", "/api/archive", "searchArchive", "archive",
       "Search the actas the caller may see: by secretariat, kind, state, date range, session, "
       "signer (name, RFC or CURP) and words of the title; newest first, a page at a time",
       kPublic, Scope::kNone, false, "", "a page of actas and the next page's cursor", 200,
       Search, false, kArchiveQueryParams},
      {"GET", "/api/actas/{acta_id}/receipt", "downloadDeliveryReceipt", "archive",
       "The agency's receipt of the acta's delivery (PDF, or text)", kPublic, Scope::kActa, true,
       "", "application/pdf", 200, Receipt},
      {"GET", "/api/actas/{acta_id}/certified-copy", "downloadCertifiedCopy", "archive",
       "The certified copy of the sealed acta (ZIP: the sealed PDF, the verification report in "
       "XML and the constancia de verificación, both signed by the seal); 409 before archiving",
       kPublic, Scope::kActa, true, "", "application/zip", 200, CertifiedCopy},
  };
}

}  // namespace rubrica::server::api
