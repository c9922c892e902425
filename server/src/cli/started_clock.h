// A clock that starts at a given instant and then runs at the wall clock's pace: the
// `--clock-start` option of the package and agency commands, so a demo or a test can
// deliver the packages of a past month "on" a chosen day. Real instants otherwise.
#pragma once

#include <chrono>

#include "rubrica/base/clock.h"

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

}  // namespace rubrica::server::cli
