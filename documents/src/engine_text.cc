#include "engine_text.h"

#include <cstdio>
#include <set>
#include <sstream>

#include "rubrica/base/crypto_util.h"
#include "rubrica/lang/posts.h"
#include "rubrica/lang/text.h"

namespace rubrica::documents {

using namespace std::chrono;

Status EngineError(ErrorKind kind, const std::string& code, const std::string& en, const std::string& es) {
  return Status::Error(kind, "engine." + code, en, es);
}

std::string DateText(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
  return buf;
}

std::string PdfDate(const TimeZone& zone, Instant t) {
  local_seconds l = zone.ToLocal(t);
  auto day = floor<days>(l);
  year_month_day ymd{day};
  hh_mm_ss<seconds> hms{l - day};
  int off = static_cast<int>(zone.OffsetAt(t).count());
  char sign = off < 0 ? '-' : '+';
  off = off < 0 ? -off : off;
  char buf[48];
  std::snprintf(buf, sizeof buf, "D:%04d%02u%02u%02d%02d%02d%c%02d'%02d'", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()), sign, off / 3600,
                (off % 3600) / 60);
  return buf;
}

std::string Initials(const std::string& full_name) {
  static const std::set<std::string> kParticles = {"de", "del", "la", "las", "los", "y", "e", "da", "van", "von"};
  std::istringstream in(full_name);
  std::string word, out;
  while (in >> word && out.size() < 8) {
    if (kParticles.count(word)) continue;
    if (word.back() == '.') continue;  // titles such as "Lic." or "C."
    // The first character, whole (UTF-8 sequences for Á, Ñ, ...).
    size_t n = 1;
    unsigned char c = static_cast<unsigned char>(word[0]);
    if (c >= 0xf0) n = 4;
    else if (c >= 0xe0) n = 3;
    else if (c >= 0xc0) n = 2;
    out += word.substr(0, n);
  }
  // Upper-case the ASCII letters (accented capitals arrive as written).
  for (char& ch : out) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return out;
}

std::string RoleOf(const std::string& capacity, lang::Gender gender) {
  const std::optional<lang::Post> post = lang::PostFromName(capacity);
  return post ? lang::PostName(*post, gender) : capacity;
}

std::string AppearanceTime(const std::string& date_time) {
  static constexpr char kNoBreakSpace[] = "\u00A0";
  std::string out = date_time;
  const size_t comma = out.rfind(", ");
  for (size_t at = out.find(' ', comma == std::string::npos ? 0 : comma + 2); at != std::string::npos;
       at = out.find(' ', at)) {
    out.replace(at, 1, kNoBreakSpace);
  }
  return out;
}

std::string RoleLine(const std::string& role, const std::string& post) {
  const std::string first = lang::CapitalizeFirst(role);
  if (post.empty()) return first;
  return first.empty() ? post : first + " — " + post;
}

std::string SerializeExternalState(const ExternalState& s) {
  std::string text = "v1|" + s.input_blob_id + "|" + std::to_string(s.kind) + "|" +
                     std::to_string(s.person_id) + "|" + std::to_string(s.credential_id) + "|" +
                     std::to_string(duration_cast<seconds>(s.at.time_since_epoch()).count());
  return Base64UrlEncode(text);
}

Result<ExternalState> ParseExternalState(std::string_view state) {
  auto bad = [] {
    return Status::Error(ErrorKind::kInvalidArgument, "engine.bad_credential",
                         "malformed external signature state",
                         "La firma enviada por el dispositivo no tiene el formato esperado.");
  };
  if (state.empty() || state.size() > 4096) return bad();
  std::string b64(state);
  for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (b64.size() % 4) b64.push_back('=');
  auto text = Base64Decode(b64);
  if (!text.ok()) return bad();
  std::vector<std::string> parts;
  std::istringstream in(*text);
  for (std::string p; std::getline(in, p, '|');) parts.push_back(p);
  if (parts.size() != 6 || parts[0] != "v1") return bad();
  ExternalState s;
  try {
    s.input_blob_id = parts[1];
    s.kind = std::stoi(parts[2]);
    s.person_id = std::stoll(parts[3]);
    s.credential_id = std::stoll(parts[4]);
    s.at = Instant(seconds(std::stoll(parts[5])));
  } catch (...) {
    return bad();
  }
  return s;
}

}  // namespace rubrica::documents
