// From the document's UTF-8 rich text to the CP1252 runs the fonts can show, remembering
// what could not be shown (printed as '?') so RenderActa can report it.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "render/font_set.h"
#include "rubrica/pdf/acta_document.h"

namespace rubrica::pdf::render {

/// Text in one face, CP1252 bytes. A '\n' byte is a forced line break.
struct StyledRun {
  FontStyle style = FontStyle::kRegular;
  std::string text;
};

class WinAnsiConverter {
 public:
  /// Converts `text`; `where` names its place in the document ("blocks[3].items[1]") for
  /// warnings. Tabs become spaces, soft hyphens vanish, other control characters and
  /// characters outside CP1252 become '?'. `force_bold` prints every run bold.
  std::vector<StyledRun> Convert(const RichText& text, std::string_view where,
                                 bool force_bold = false);
  /// Converts plain text in one face.
  std::vector<StyledRun> ConvertPlain(std::string_view text, FontStyle style,
                                      std::string_view where);
  /// One sentence per character that could not be shown, in code point order.
  std::vector<std::string> Warnings() const;

 private:
  std::string ToWinAnsi(std::string_view utf8, std::string_view where);
  struct Unmapped {
    std::string first_place;
    int count = 0;
  };
  std::map<char32_t, Unmapped> unmapped_;
};

}  // namespace rubrica::pdf::render
