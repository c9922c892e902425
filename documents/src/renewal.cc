#include "renewal.h"

#include <algorithm>

#include "rubrica/signing/renewal.h"

namespace rubrica::documents {

namespace {

using workflows::RenewalOutcome;
using workflows::RenewalPolicy;

std::chrono::sys_seconds Seconds(Instant t) { return std::chrono::floor<std::chrono::seconds>(t); }

// Why `stamp` is due under `policy` at `now` ("" when it is not).
std::string DueReason(const signing::ArchiveTimestamp& stamp, const RenewalPolicy& policy, Instant now) {
  const auto& deprecated = policy.deprecated_digests;
  if (stamp.status.code() == "signing.weak_algorithm" ||
      std::find(deprecated.begin(), deprecated.end(), stamp.digest_algorithm) != deprecated.end()) {
    return "deprecated_digest";
  }
  if (stamp.tsa_certificate && stamp.tsa_certificate->NotAfter() - now <= policy.margin) {
    return "tsa_certificate_expiring";
  }
  return "";
}

}  // namespace

Result<RenewalOutcome> RenewArchivedActa(const workflows::RenewRequest& req, const RenewalContext& ctx) {
  ASSIGN_OR_RETURN(std::string input, ctx.blobs.Get(req.input_blob_id));
  ASSIGN_OR_RETURN(std::vector<signing::ArchiveTimestamp> stamps, signing::ReadArchiveTimestamps(input));
  if (stamps.empty()) {
    return Status::Error(ErrorKind::kConflict, "engine.not_sealed",
                         "acta " + std::to_string(req.acta_id) + " has no archive seal to renew",
                         "El acta no tiene sello de archivo que renovar.");
  }
  const signing::ArchiveTimestamp& last = stamps.back();
  if (!last.status.ok() && last.status.code() != "signing.weak_algorithm") {
    return Status::Error(ErrorKind::kDataLoss, "engine.bad_archive_seal",
                         "the last document timestamp '" + last.field + "' of acta " + std::to_string(req.acta_id) +
                             " does not check out: " + last.status.ToString(),
                         "El sello de archivo del acta está dañado.");
  }
  const Instant now = ctx.clock.Now();
  RenewalOutcome out;
  out.timestamps = stamps.size();
  out.last_timestamp = Seconds(last.time);
  if (last.tsa_certificate) out.tsa_not_after = Seconds(last.tsa_certificate->NotAfter());
  out.reason = DueReason(last, req.policy, now);
  out.due = !out.reason.empty();
  if (!out.due || req.dry_run) return out;

  // The validation material a verifier needs for the last timestamp, decades from now: the
  // chain to the root, the current TSA and seal certificates, and CRLs of both CAs issued
  // now (they show the last timestamp's TSA certificate unrevoked at the new time).
  std::vector<std::string> certs;
  for (const auto& c : ctx.ca.Chain()) certs.push_back(c.der());
  certs.push_back(ctx.ca.tsa_certificate().der());
  certs.push_back(ctx.ca.seal_certificate().der());
  ASSIGN_OR_RETURN(std::vector<std::string> crls, ctx.ca.CrlsIssuedSince(now));
  ASSIGN_OR_RETURN(std::string renewed, signing::RenewPdf(input, certs, crls, ctx.tsa));

  ASSIGN_OR_RETURN(std::vector<signing::ArchiveTimestamp> after, signing::ReadArchiveTimestamps(renewed));
  if (after.size() != stamps.size() + 1 || !after.back().status.ok()) {
    return Status::Error(ErrorKind::kInternal, "engine.self_check_failed",
                         "the renewed acta " + std::to_string(req.acta_id) + " does not check out");
  }
  if (!DueReason(after.back(), req.policy, now).empty()) {
    const std::string end = FormatRfc3339Utc(after.back().tsa_certificate->NotAfter());
    return Status::Error(ErrorKind::kConflict, "engine.tsa_certificate_expiring",
                         "the TSA's current certificate ends on " + end +
                             ", within the renewal margin: a renewal now would be due again at once (rotate the "
                             "TSA certificate first)",
                         "El certificado actual del sellado de tiempo vence pronto: hay que renovarlo antes de "
                         "renovar el sello de archivo.");
  }
  ASSIGN_OR_RETURN(out.blob_id, ctx.blobs.Put(renewed));
  ctx.logger.Info("engine.renewed", {{"acta_id", std::to_string(req.acta_id)},
                                     {"blob", out.blob_id},
                                     {"reason", out.reason},
                                     {"timestamps", std::to_string(after.size())}});
  return out;
}

}  // namespace rubrica::documents
