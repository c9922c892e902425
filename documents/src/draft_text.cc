#include "draft_text.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "rubrica/lang/articles.h"
#include "rubrica/lang/dates.h"
#include "rubrica/lang/numbers.h"
#include "rubrica/lang/posts.h"
#include "rubrica/lang/text.h"

namespace rubrica::documents::draft {

using namespace std::chrono;
using workflows::RecordPerson;
using workflows::SeatInSession;

pdf::RichText Plain(std::string text) { return {pdf::TextSpan{std::move(text)}}; }

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '*' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

pdf::RichText Rich(const std::string& markup) {
  auto parsed = pdf::ParseInlineMarkup(markup, "generated");
  return parsed.ok() ? *parsed : Plain(markup);
}

pdf::Paragraph Para(const std::string& markup) { return pdf::Paragraph{Rich(markup)}; }

std::string Bold(std::string_view text) { return "**" + Escape(text) + "**"; }

std::string TimeText(Instant t, const TimeZone& zone) {
  const local_seconds local = zone.ToLocal(t);
  const hh_mm_ss hms(local - floor<days>(local));
  const int h = static_cast<int>(hms.hours().count());
  const int m = static_cast<int>(hms.minutes().count());
  char digits[16];
  std::snprintf(digits, sizeof digits, "%d:%02d", h, m);
  return std::string(digits) + " horas (" + lang::TimeInWords(h, m) + ")";
}

std::string Count(int n, std::string_view singular, std::string_view plural) {
  return lang::NumberInWordsBeforeNoun(n) + " " + std::string(n == 1 ? singular : plural);
}

std::string NameAndTitle(const RecordPerson& p, bool sentence_start) {
  const std::string with = lang::PersonWithArticle(lang::Preposition::kNone, p.full_name, p.gender);
  std::string article = with.substr(0, with.size() - std::min(with.size(), p.full_name.size()));
  if (sentence_start) article = lang::CapitalizeFirst(article);
  std::string out = article + Bold(p.full_name);
  if (!p.title.empty()) out += ", " + Escape(lang::AgreePost(p.title, p.gender));
  return out;
}

std::string SeatName(const SeatInSession& s) {
  const std::string label = s.member_type_label.empty() ? s.member_type : s.member_type_label;
  if (s.represents.empty()) return label;
  if (s.represents.rfind(label, 0) == 0) return s.represents;
  return label + " (" + s.represents + ")";
}

pdf::SignatureSlotText SignerSlot(const RecordPerson& p, std::string representation,
                                  lang::Post post, std::string seat) {
  return {p.full_name, std::move(representation), lang::PostName(post, p.gender), std::move(seat),
          std::string(lang::GenderName(p.gender))};
}

}  // namespace rubrica::documents::draft
