// Content streams for the visible marks Rúbrica adds when signing: the foot signature
// widget and the rubric mark shown on every page. Drawn with the form's simple WinAnsi
// fonts (/RbSans, /RbSansB from the AcroForm /DR); text arrives as UTF-8 and is written as
// Windows-1252. Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "rubrica/pdf/cos/acroform.h"

namespace rubrica::pdf::cos {

/// A box `w` x `h` (points) with a thin frame; `lines[0]` small (a label), `lines[1]` bold
/// (the signer's name), the rest small. Sizes shrink to fit.
std::string DrawFootAppearance(const FontMetrics& regular, const FontMetrics& bold, double w,
                               double h, const std::vector<std::string>& lines);

/// A rubric mark in a `w` x `h` margin slot: `initials` large and bold in ink blue, then the
/// small `lines` (name, date) under it.
std::string DrawRubricMark(const FontMetrics& regular, const FontMetrics& bold, double w, double h,
                           const std::string& initials, const std::vector<std::string>& lines);

/// Escapes Windows-1252 bytes for a literal string in a content stream: "(...)".
std::string ContentString(const std::string& cp1252);

}  // namespace rubrica::pdf::cos
