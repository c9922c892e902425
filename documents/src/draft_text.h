// Pieces of text shared by the drafts the service writes (the session minute, the
// installation acta): inline markup with people's words escaped, names with their article
// and post, seat names, times and counts written out. Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "rubrica/base/clock.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/lang/posts.h"
#include "rubrica/pdf/acta_json.h"
#include "rubrica/workflows/session_minutes_record.h"

namespace rubrica::documents::draft {

/// Text as one plain span.
pdf::RichText Plain(std::string text);
/// `text` with the inline markup characters ('*', '\') escaped: people's words.
std::string Escape(std::string_view text);
/// Parsed inline markup (plain text when it does not parse).
pdf::RichText Rich(const std::string& markup);
pdf::Paragraph Para(const std::string& markup);
/// "**text**", escaped.
std::string Bold(std::string_view text);
/// "10:25 horas (diez horas con veinticinco minutos)", local time of `t` in `zone`.
std::string TimeText(Instant t, const TimeZone& zone);
/// A count before a noun: "tres asientos", "un asiento".
std::string Count(int n, std::string_view singular, std::string_view plural);
/// "la **Mtra. Lucía Mendoza Ríos**, Directora de Vinculación": the article only before an
/// honorific, capitalised at the start of a sentence; the title agreed in gender.
std::string NameAndTitle(const workflows::RecordPerson& p, bool sentence_start = false);
/// "Academia (Universidad Ficticia)"; the representation alone when it already names the
/// member type ("Organismo garante (IMAIP)").
std::string SeatName(const workflows::SeatInSession& s);
/// The slot of `p` in a draft's signature block: the post agreed with the person's gender.
pdf::SignatureSlotText SignerSlot(const workflows::RecordPerson& p, std::string representation,
                                  lang::Post post, std::string seat);

}  // namespace rubrica::documents::draft
