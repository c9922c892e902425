#include "renewal_scheduler.h"

namespace rubrica::server {

RenewalScheduler::RenewalScheduler(workflows::Actas& actas, keys::LocalCa* ca, workflows::RenewalPolicy policy,
                                   const Clock& clock, Logger& logger, std::chrono::milliseconds real_period,
                                   std::chrono::milliseconds poll)
    : actas_(actas), ca_(ca), policy_(std::move(policy)), clock_(clock), logger_(logger), real_period_(real_period),
      poll_(poll) {}

RenewalScheduler::~RenewalScheduler() { Stop(); }

Result<RenewalPass> RenewalScheduler::RunOnce(std::optional<int64_t> acta_id, bool dry_run) {
  std::lock_guard pass(pass_mu_);
  RenewalPass out;
  // The successor first, so that renewals are stamped by a certificate that is not due.
  if (ca_ != nullptr && !dry_run) {
    ASSIGN_OR_RETURN(out.rotated, ca_->RotateServiceCertificates());
    if (out.rotated) {
      logger_.Info("renewal.ca_rotated",
                   {{"tsa_sha256", ca_->tsa_certificate().FingerprintSha256()},
                    {"tsa_not_after", FormatRfc3339Utc(ca_->tsa_certificate().NotAfter())}});
    }
  }
  std::vector<int64_t> ids;
  if (acta_id) {
    ids.push_back(*acta_id);
  } else {
    ASSIGN_OR_RETURN(ids, actas_.ArchivedActaIds());
  }
  for (int64_t id : ids) {
    RenewalResult r;
    r.acta_id = id;
    auto outcome = actas_.RenewArchive(id, policy_, dry_run);
    if (!outcome.ok()) {
      if (acta_id) return outcome.status();
      r.error_code = outcome.status().code();
      r.error = outcome.status().message();
      logger_.Warn("renewal.failed", {{"acta", id}, {"code", r.error_code}, {"error", r.error}});
    } else {
      r.due = outcome->due;
      r.reason = outcome->reason;
      r.blob_id = outcome->blob_id;
      r.last_timestamp = FormatRfc3339Utc(Instant(outcome->last_timestamp));
      r.tsa_not_after = FormatRfc3339Utc(Instant(outcome->tsa_not_after));
    }
    out.actas.push_back(std::move(r));
  }
  return out;
}

void RenewalScheduler::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void RenewalScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RenewalScheduler::Loop() {
  std::optional<Instant> last_pass;
  auto last_real = std::chrono::steady_clock::now();
  while (true) {
    const Instant now = clock_.Now();
    const bool clock_moved = !last_pass || now - *last_pass >= std::chrono::hours(1) || now < *last_pass;
    if (clock_moved || std::chrono::steady_clock::now() - last_real >= real_period_) {
      last_pass = now;
      last_real = std::chrono::steady_clock::now();
      auto pass = RunOnce();
      if (!pass.ok()) {
        logger_.Warn("renewal.pass_failed", {{"code", pass.status().code()}, {"error", pass.status().message()}});
      } else {
        int renewed = 0;
        for (const auto& a : pass->actas) renewed += a.blob_id.empty() ? 0 : 1;
        if (renewed > 0 || pass->rotated) {
          logger_.Info("renewal.pass", {{"actas", static_cast<int64_t>(pass->actas.size())}, {"renewed", renewed}});
        }
      }
    }
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, std::min(real_period_, poll_), [this] { return stop_; })) {
      return;
    }
  }
}

}  // namespace rubrica::server
