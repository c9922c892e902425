// How the keys tables store instants: microseconds since the Unix epoch, as INTEGER.
#pragma once

#include <cstdint>

#include "rubrica/base/clock.h"

namespace rubrica::keys {

inline int64_t Micros(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromMicros(int64_t us) { return Instant(std::chrono::microseconds(us)); }

}  // namespace rubrica::keys
