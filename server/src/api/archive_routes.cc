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

// Ends an attempt FailureLimiter::TryBegin admitted, counted as a use unless `made` is
// false when it ends (the copy was not made for this caller).
class LimiterAttempt {
 public:
  LimiterAttempt(FailureLimiter* limiter, std::string key) : limiter_(limiter), key_(std::move(key)) {}
  LimiterAttempt(const LimiterAttempt&) = delete;
  LimiterAttempt& operator=(const LimiterAttempt&) = delete;
  ~LimiterAttempt() {
    if (limiter_) limiter_->End(key_, made);
  }
  bool made = false;

 private:
  FailureLimiter* limiter_;
  std::string key_;
};

// Making a copy takes seconds (the sealed acta verified, the report and the constancia
// rendered and sealed, a timestamp), so it is admitted before it starts: an anonymous
// address may have only so many made per window (429, counted with the attempts in flight,
// limits.h); one request per acta makes it, the others answer 503 api.busy with
// Retry-After and find it made when they come back; and only so many are made at once
// service-wide (503 again). Nothing is recorded until a copy is whole (Actas::CertifiedCopy).
Result<std::string> MakeCertifiedCopy(Call& c, const ActaRecord& a) {
  std::optional<LimiterAttempt> attempt;
  if (!c.principal) {
    const std::string address = ClientAddress(c.ex);
    if (auto wait = c.ctx.public_copies.TryBegin(address)) {
      return Status::Error(ErrorKind::kRateLimited, "api.too_many_certified_copies",
                           "certified copies made for " + address + " over the limit",
                           "Ha solicitado demasiadas copias certificadas nuevas. Espere " +
                               std::to_string(wait->count()) + " segundos e intente de nuevo.")
          .WithRetryAfter(*wait);
    }
    attempt.emplace(&c.ctx.public_copies, address);
  }
  auto hold = c.ctx.copying.TryTake("acta:" + std::to_string(a.id));
  if (!hold) return Busy("certified copy of acta " + std::to_string(a.id));
  // Whoever held the acta before may have recorded its copy meanwhile.
  ASSIGN_OR_RETURN(std::optional<std::string> recorded, c.ctx.wf.actas().RecordedCertifiedCopy(a.id));
  if (recorded) return *recorded;
  auto admitted = c.ctx.copies.TryEnter();
  if (!admitted) return Busy("certified copies");
  if (attempt) attempt->made = true;
  return c.ctx.wf.actas().CertifiedCopy(a.id, c.audit_actor());
}

// The certified copy of the sealed acta, made the first time it is asked for, then served
// as recorded.
Status CertifiedCopy(Call& c) {
  const ActaRecord& a = *c.acta;
  ASSIGN_OR_RETURN(std::optional<std::string> recorded, c.ctx.wf.actas().RecordedCertifiedCopy(a.id));
  std::string blob;
  if (recorded) {
    blob = *recorded;
  } else {
    ASSIGN_OR_RETURN(blob, MakeCertifiedCopy(c, a));
  }
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
       "XML and the constancia de verificación, both signed by the seal); 409 before archiving. "
       "Made on the first request, then served as recorded; while it is being made other "
       "requests get 503 api.busy (Retry-After), and anonymous addresses may have only a few "
       "made per window (429 api.too_many_certified_copies)",
       kPublic, Scope::kActa, true, "", "application/zip", 200, CertifiedCopy},
  };
}

}  // namespace rubrica::server::api
