// Content streams for the visible marks Rúbrica adds when signing: the foot signature
// widget and the rubric mark shown on every page. Drawn with the form's simple WinAnsi
// fonts (/RbSans, /RbSansB from the AcroForm /DR); text arrives as UTF-8 and is written as
// Windows-1252. Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "rubrica/pdf/cos/acroform.h"

namespace rubrica::pdf::cos {

/// Smallest text size of a foot box and of a rubric mark: nothing is drawn smaller.
inline constexpr double kMinFootTextSize = 7;
inline constexpr double kMinRubricTextSize = 6;

/// A box `w` x `h` (points) with a thin frame; `lines[0]` a 7 pt label, `lines[1]` the
/// signer's name in bold (11 pt down to 7 pt to fit on one line, else wrapped on two),
/// `lines[2]` (the post) wrapped on up to three lines, further lines (the date) on up to
/// two, all 7 pt. Text that does not fit is cut with "…" (the label goes first when the
/// box is short); no text is smaller than kMinFootTextSize.
std::string DrawFootAppearance(const FontMetrics& regular, const FontMetrics& bold, double w,
                               double h, const std::vector<std::string>& lines);

/// A rubric mark in a `w` x `h` margin slot: `initials` large and bold in ink blue, then the
/// `lines` (name, then date and time) at 6 pt, the name wrapped on up to three lines, the
/// last line (date and time) on up to four. When they
/// do not fit, the initials get smaller (not under 10 pt), then the name (lines[0]) is
/// abbreviated ("V. I. Paredes Núñez"), then left out. Nothing smaller than
/// kMinRubricTextSize.
std::string DrawRubricMark(const FontMetrics& regular, const FontMetrics& bold, double w, double h,
                           const std::string& initials, const std::vector<std::string>& lines);

/// Escapes Windows-1252 bytes for a literal string in a content stream: "(...)".
std::string ContentString(const std::string& cp1252);

}  // namespace rubrica::pdf::cos
