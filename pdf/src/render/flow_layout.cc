#include "render/flow_layout.h"

#include <algorithm>
#include <type_traits>

namespace rubrica::pdf::render {
namespace {

// Baseline of a line whose box starts at `top`: room above for capitals and accents,
// below for descenders.
double Baseline(double top, double leading) { return top - 0.8 * leading; }

std::string Roman(int n) {
  static constexpr std::pair<int, const char*> kNumerals[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string out;
  for (const auto& [value, text] : kNumerals) {
    while (n >= value) out += text, n -= value;
  }
  return out;
}

// a, b, ..., z, aa, ab, ... (bijective base 26).
std::string Letters(int n) {
  std::string out;
  while (n > 0) {
    --n;
    out.insert(out.begin(), static_cast<char>('a' + n % 26));
    n /= 26;
  }
  return out;
}

}  // namespace

FlowLayout::FlowLayout(const FontSet& fonts, WinAnsiConverter& converter,
                       const PageGeometry& geometry, int max_pages)
    : fonts_(fonts), converter_(converter), geometry_(geometry), max_pages_(max_pages) {}

Status FlowLayout::NewPage() {
  if (static_cast<int>(pages_.size()) >= max_pages_) {
    return Status::Error(ErrorKind::kTooLarge, "pdf.too_many_pages",
                         "the acta needs more than " + std::to_string(max_pages_) + " pages",
                         "El acta excede el máximo de " + std::to_string(max_pages_) + " hojas.");
  }
  pages_.emplace_back();
  y_ = geometry_.text_area.top;
  return Status::Ok();
}

Status FlowLayout::Reserve(double height) {
  if (height <= SpaceLeft() + 1e-6 || y_ >= geometry_.text_area.top) return Status::Ok();
  return NewPage();
}

Status FlowLayout::Run(const ActaDocument& acta,
                       const std::vector<SignatureSlotText>* plan_signers,
                       const std::string& continuation_legend) {
  plan_signers_ = plan_signers;
  continuation_legend_ = continuation_legend;
  // The signature block's heights are needed before it is reached (keep-with-next).
  bool found = false;
  auto prepare = [&](const pdf::Block& b, const std::string& where) {
    if (const auto* s = std::get_if<SignatureBlock>(&b); s != nullptr && !found) {
      PrepareSignatures(*s, plan_signers != nullptr ? *plan_signers : s->preview_signers, where);
      found = true;
    }
  };
  for (size_t i = 0; i < acta.blocks.size(); ++i) {
    const std::string where = "blocks[" + std::to_string(i) + "]";
    prepare(acta.blocks[i], where);
    if (const auto* section = std::get_if<Section>(&acta.blocks[i])) {
      for (size_t j = 0; j < section->blocks.size(); ++j) {
        prepare(section->blocks[j], where + ".blocks[" + std::to_string(j) + "]");
      }
    }
  }
  const bool append = !found && plan_signers != nullptr;
  if (append) PrepareSignatures(SignatureBlock{}, *plan_signers, "signature block");

  RETURN_IF_ERROR(NewPage());
  RETURN_IF_ERROR(TitleBlock(acta));
  RETURN_IF_ERROR(BlockSequence(acta.blocks, "blocks", append));
  if (append) {
    RETURN_IF_ERROR(SignatureBlockLayout(SignatureBlock{}, *plan_signers, "signature block"));
  }
  return Status::Ok();
}

Status FlowLayout::BlockSequence(const std::vector<pdf::Block>& blocks, const std::string& where,
                                 bool signatures_follow) {
  for (size_t i = 0; i < blocks.size(); ++i) {
    const bool next_signs = i + 1 < blocks.size()
                                ? std::holds_alternative<SignatureBlock>(blocks[i + 1])
                                : signatures_follow;
    keep_with_next_ = next_signs ? SignatureLeadHeight() : 0;
    const Status s = Block(blocks[i], where + "[" + std::to_string(i) + "]");
    keep_with_next_ = 0;
    RETURN_IF_ERROR(s);
  }
  return Status::Ok();
}

Status FlowLayout::Lines(const std::vector<TextLine>& lines, double x, double width, double size,
                         double leading, Align align, int keep_first, double keep_tail) {
  if (lines.empty()) return Status::Ok();
  const size_t keep = std::min(lines.size(), static_cast<size_t>(std::max(keep_first, 1)));
  const size_t tail = keep_tail > 0 ? std::min<size_t>(lines.size(), 2) : 0;
  // A text short enough to be all tail moves whole with what it keeps with.
  if (tail == lines.size()) {
    RETURN_IF_ERROR(Reserve(tail * leading + keep_tail));
  } else {
    RETURN_IF_ERROR(Reserve(keep * leading));
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const TextLine& line = lines[i];
    if (tail > 0 && i == lines.size() - tail && i > 0) {
      // The last lines go to the next page together with what follows them when both do
      // not fit here (the lines before stay: at least one line is left behind).
      if (tail * leading + keep_tail > SpaceLeft() + 1e-6) RETURN_IF_ERROR(NewPage());
    }
    if (leading > SpaceLeft() + 1e-6) RETURN_IF_ERROR(NewPage());
    double dx = 0, spacing = 0;
    switch (align) {
      case Align::kCenter:
        dx = (width - line.width) / 2;
        break;
      case Align::kRight:
        dx = width - line.width;
        break;
      case Align::kJustify:
        if (!line.last && line.spaces > 0) spacing = (width - line.width) / line.spaces;
        break;
      case Align::kLeft:
        break;
    }
    page().ShowLine(line, x + std::max(dx, 0.0), Baseline(y_, leading), size, spacing);
    y_ -= leading;
  }
  return Status::Ok();
}

Status FlowLayout::HeadingText(const std::vector<StyledRun>& runs, Align align, double size,
                               double space_before, double space_after) {
  const Rect& area = geometry_.text_area;
  const double leading = size * 1.3;
  std::vector<TextLine> lines = BreakLines(runs, area.width(), size, fonts_);
  if (lines.empty()) return Status::Ok();
  // Keep the heading with the first two lines of what follows (the signature block's
  // first row when that follows).
  const double after = keep_with_next_ > 0 ? keep_with_next_ : 2 * TextStyle::kBodyLeading;
  const double needed = space_before + lines.size() * leading + after;
  if (needed <= area.height()) RETURN_IF_ERROR(Reserve(needed));
  if (y_ < area.top) y_ -= space_before;
  RETURN_IF_ERROR(Lines(lines, area.left, area.width(), size, leading, align, 1));
  y_ -= space_after;
  return Status::Ok();
}

Status FlowLayout::TitleBlock(const ActaDocument& acta) {
  std::vector<std::string> heading = acta.heading;
  if (heading.empty()) heading.push_back(acta.secretariat);
  for (size_t i = 0; i < heading.size(); ++i) {
    auto runs =
        converter_.ConvertPlain(heading[i], FontStyle::kBold, "heading[" + std::to_string(i) + "]");
    RETURN_IF_ERROR(HeadingText(runs, Align::kCenter, 10, 0, 3));
  }
  y_ -= 8;
  RETURN_IF_ERROR(HeadingText(converter_.ConvertPlain(acta.title, FontStyle::kBold, "title"),
                              Align::kCenter, 12, 0, 8));
  if (!acta.place_date.empty()) {
    const Rect& area = geometry_.text_area;
    auto lines =
        BreakLines(converter_.ConvertPlain(acta.place_date, FontStyle::kRegular, "place_date"),
                   area.width(), TextStyle::kBodySize, fonts_);
    RETURN_IF_ERROR(Lines(lines, area.left, area.width(), TextStyle::kBodySize,
                          TextStyle::kBodyLeading, Align::kRight, 1));
  }
  y_ -= 12;
  return Status::Ok();
}

Status FlowLayout::ParagraphText(const RichText& text, const std::string& where, Align align) {
  const Rect& area = geometry_.text_area;
  auto lines =
      BreakLines(converter_.Convert(text, where), area.width(), TextStyle::kBodySize, fonts_);
  const double keep_tail = keep_with_next_ > 0 ? keep_with_next_ + TextStyle::kParagraphGap : 0;
  RETURN_IF_ERROR(Lines(lines, area.left, area.width(), TextStyle::kBodySize,
                        TextStyle::kBodyLeading, align, 2, keep_tail));
  y_ -= TextStyle::kParagraphGap;
  return Status::Ok();
}

Status FlowLayout::ListBlock(const List& list, const std::string& where) {
  const Rect& area = geometry_.text_area;
  constexpr double kIndent = 24, kLabelGap = 5;
  const double size = TextStyle::kBodySize, leading = TextStyle::kBodyLeading;
  for (size_t i = 0; i < list.items.size(); ++i) {
    const int number = list.start + static_cast<int>(i);
    std::string label = list.style == ListStyle::kBullet       ? std::string("\x95")
                        : list.style == ListStyle::kLowerAlpha ? Letters(number) + "."
                                                               : std::to_string(number) + ".";
    const std::string item_where = where + ".items[" + std::to_string(i) + "]";
    auto lines = BreakLines(converter_.Convert(list.items[i], item_where), area.width() - kIndent,
                            size, fonts_);
    if (lines.empty()) continue;
    const bool last = i + 1 == list.items.size();
    const double keep_tail =
        last && keep_with_next_ > 0 ? keep_with_next_ + TextStyle::kParagraphGap : 0;
    // A short last item moves whole with what it keeps with, label included.
    const size_t first = std::min<size_t>(lines.size(), 2);
    RETURN_IF_ERROR(Reserve(first * leading + (keep_tail > 0 && lines.size() <= 2 ? keep_tail : 0)));
    const double label_width = fonts_.Width(FontStyle::kRegular, label, size);
    page().ShowText(FontStyle::kRegular, size, label, area.left + kIndent - kLabelGap - label_width,
                    Baseline(y_, leading));
    RETURN_IF_ERROR(Lines(lines, area.left + kIndent, area.width() - kIndent, size, leading,
                          Align::kJustify, 1, keep_tail));
    y_ -= 3;
  }
  y_ -= TextStyle::kParagraphGap - 3;
  return Status::Ok();
}

Status FlowLayout::Block(const pdf::Block& block, const std::string& where) {
  return std::visit(
      [&](const auto& b) -> Status {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, Heading>) {
          return HeadingText(converter_.Convert(b.text, where, true), b.align,
                             TextStyle::kHeadingSize, 10, 6);
        } else if constexpr (std::is_same_v<T, Paragraph>) {
          return ParagraphText(b.text, where, b.align);
        } else if constexpr (std::is_same_v<T, Section>) {
          ++sections_;
          auto runs = converter_.ConvertPlain(Roman(sections_) + ". " + b.title, FontStyle::kBold,
                                              where + ".title");
          const double keep = keep_with_next_;
          keep_with_next_ = !b.blocks.empty() && std::holds_alternative<SignatureBlock>(b.blocks[0])
                                ? SignatureLeadHeight()
                                : 0;
          const Status heading = HeadingText(runs, Align::kLeft, TextStyle::kHeadingSize, 10, 5);
          keep_with_next_ = 0;
          RETURN_IF_ERROR(heading);
          // The section's last block keeps with a signature block that follows the section.
          return BlockSequence(b.blocks, where + ".blocks", keep > 0);
        } else if constexpr (std::is_same_v<T, List>) {
          return ListBlock(b, where);
        } else if constexpr (std::is_same_v<T, Table>) {
          return TableBlock(b, where);
        } else if constexpr (std::is_same_v<T, Closing>) {
          y_ -= 4;
          return ParagraphText(b.text, where, Align::kJustify);
        } else {
          static_assert(std::is_same_v<T, SignatureBlock>);
          return SignatureBlockLayout(
              b, plan_signers_ != nullptr ? *plan_signers_ : b.preview_signers, where);
        }
      },
      block);
}

}  // namespace rubrica::pdf::render
