#include "rubrica/base/time_zone.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace rubrica {

using namespace std::chrono;

namespace {

int64_t ReadBE(const std::string& d, size_t pos, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(d[pos + i]);
  if (n == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

Status BadZone(const std::string& name, const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "base.unknown_time_zone",
                       "time zone '" + name + "': " + why,
                       "Zona horaria desconocida: '" + name + "'");
}

}  // namespace

TimeZone TimeZone::Utc() {
  TimeZone tz;
  tz.name_ = "UTC";
  return tz;
}

Result<TimeZone> TimeZone::Load(const std::string& name, const std::string& zoneinfo_dir) {
  if (name.empty() || name.find("..") != std::string::npos || name[0] == '/') {
    return BadZone(name, "invalid name");
  }
  if (name == "UTC" || name == "Etc/UTC") return Utc();
  std::ifstream in(zoneinfo_dir + "/" + name, std::ios::binary);
  if (!in) {
    if (name == "America/Mexico_City") {
      // Built-in rule when tzdata is missing: UTC-6 all year (valid since 2022-10-30).
      TimeZone tz;
      tz.name_ = name;
      tz.initial_offset_ = -6 * 3600;
      return tz;
    }
    return BadZone(name, "no such file in " + zoneinfo_dir);
  }
  std::string d((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (d.size() < 44 || d.compare(0, 4, "TZif") != 0) return BadZone(name, "not a TZif file");

  // Header counts: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
  auto counts = [&](size_t base, int64_t c[6]) {
    for (int i = 0; i < 6; ++i) c[i] = ReadBE(d, base + 20 + 4 * i, 4);
  };
  int64_t c[6];
  counts(0, c);
  size_t pos = 44;
  int time_size = 4;
  const char version = d[4];
  if (version >= '2') {
    // Skip the v1 block and use the 64-bit v2 block.
    size_t v1 = static_cast<size_t>(c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
    pos = 44 + v1;
    if (d.size() < pos + 44 || d.compare(pos, 4, "TZif") != 0) return BadZone(name, "bad v2 header");
    counts(pos, c);
    pos += 44;
    time_size = 8;
  }
  const int64_t timecnt = c[3], typecnt = c[4];
  if (typecnt <= 0 || timecnt < 0 || typecnt > 256 || timecnt > 100000) {
    return BadZone(name, "implausible counts");
  }
  size_t need = pos + timecnt * time_size + timecnt + typecnt * 6;
  if (d.size() < need) return BadZone(name, "truncated");

  TimeZone tz;
  tz.name_ = name;
  std::vector<int32_t> type_offsets(typecnt);
  size_t types_pos = pos + timecnt * time_size + timecnt;
  for (int64_t i = 0; i < typecnt; ++i) {
    type_offsets[i] = static_cast<int32_t>(ReadBE(d, types_pos + 6 * i, 4));
  }
  tz.initial_offset_ = type_offsets[0];
  for (int64_t i = 0; i < timecnt; ++i) {
    int64_t at = ReadBE(d, pos + i * time_size, time_size);
    auto idx = static_cast<unsigned char>(d[pos + timecnt * time_size + i]);
    if (idx >= typecnt) return BadZone(name, "bad type index");
    tz.transitions_.push_back({at, type_offsets[idx]});
  }
  // Transitions past the table follow the POSIX TZ footer; the zones we serve (Mexico since
  // 2022) have no DST rules there, and for US-border zones the table runs to 2037.
  return tz;
}

seconds TimeZone::OffsetAt(Instant t) const {
  int64_t s = floor<seconds>(t).time_since_epoch().count();
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s,
                             [](int64_t v, const Transition& tr) { return v < tr.at; });
  if (it == transitions_.begin()) return seconds(initial_offset_);
  return seconds(std::prev(it)->offset);
}

local_seconds TimeZone::ToLocal(Instant t) const {
  auto s = floor<seconds>(t);
  return local_seconds((s + OffsetAt(t)).time_since_epoch());
}

year_month_day TimeZone::LocalDate(Instant t) const {
  return year_month_day{floor<days>(ToLocal(t))};
}

Instant TimeZone::FromLocal(local_seconds local) const {
  // Try the offsets in force around that wall time; the earlier instant wins.
  sys_seconds guess(local.time_since_epoch());
  for (auto probe : {guess - hours(36), guess, guess + hours(36)}) {
    seconds off = OffsetAt(Instant(probe));
    sys_seconds candidate = guess - off;
    if (OffsetAt(Instant(candidate)) == off) return Instant(candidate);
  }
  return Instant(guess - OffsetAt(Instant(guess)));
}

std::string TimeZone::FormatLocal(Instant t) const {
  local_seconds l = ToLocal(t);
  auto day = floor<days>(l);
  year_month_day ymd{day};
  hh_mm_ss<seconds> hms{l - day};
  int off = static_cast<int>(OffsetAt(t).count());
  char sign = off < 0 ? '-' : '+';
  off = off < 0 ? -off : off;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d %c%02d:%02d", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()), sign, off / 3600,
                (off % 3600) / 60);
  return buf;
}

}  // namespace rubrica
