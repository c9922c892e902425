// What the package and agency commands share: the `--clock-start` option (a clock that
// starts at a given instant and then runs at the wall clock's pace, so a demo or a test can
// deliver the packages of a past month "on" a chosen day; real instants otherwise), and the
// name of a verifier's exit code in receipts and reports.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "rubrica/base/clock.h"
#include "rubrica/delivery/package_check.h"

namespace rubrica::server::cli {

class StartedClock final : public Clock {
 public:
  explicit StartedClock(Instant start) : start_(start), began_(std::chrono::steady_clock::now()) {}
  Instant Now() const override {
    return start_ + std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - began_);
  }

 private:
  Instant start_;
  std::chrono::steady_clock::time_point began_;
};

/// The clock of `--clock-start T` when given, else the system clock; null with `status`
/// set when T is not RFC 3339.
inline std::unique_ptr<Clock> ClockFrom(const Args& args, Status& status) {
  if (!args.Has("--clock-start")) return std::make_unique<SystemClock>();
  auto start = ParseRfc3339(args.Get("--clock-start"));
  if (!start.ok()) {
    status = start.status();
    return nullptr;
  }
  return std::make_unique<StartedClock>(*start);
}

/// `rubrica verify`'s exit code as a receipt names it.
inline std::string VerdictName(int exit_code) {
  switch (exit_code) {
    case 0: return "valida_y_completa";
    case 1: return "invalida";
    case 3: return "incompleta";
    default: return "no_procesada";
  }
}

/// The sealed actas of a package verified in one sandboxed worker that trusts the anchors in
/// `trust_file` (each acta in full and on its own, the anchors loaded once): what
/// `rubrica package verify` and the agency's inbox give delivery::PackageCheckOptions::
/// verify_actas. The i-th verdict is the i-th acta's; all are "no_procesada" when the worker
/// cannot be started.
std::vector<delivery::ActaVerdict> VerifyActasInSandbox(const std::vector<const std::string*>& pdfs,
                                                        const std::string& trust_file);

}  // namespace rubrica::server::cli
