// FlowLayout's signature block: two columns of foot-signature slots, each an empty area
// (where firma_k's widget goes) above a line, with the signer's name, representation and
// role printed under the line.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "render/flow_layout.h"

namespace rubrica::pdf::render {
namespace {

constexpr double kColumnGap = 24;
constexpr double kSignHeight = 58;  // the area a drawn signature gets
constexpr double kLineInset = 8;
constexpr double kNameSize = 9, kTextSize = 8.5, kTextLeading = 10.5;
constexpr double kSlotGap = 16;

double Round2(double v) { return std::round(v * 100) / 100; }

std::string RoleLabel(const SignatureSlotText& s) {
  std::string role = s.role;
  std::string lower;
  for (char c : role)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "titular")
    role = "Titular";
  else if (lower == "suplente")
    role = "Suplente";
  else if (lower == "facilitador")
    role = "Facilitador";
  if (s.seat.empty()) return role;
  if (role.empty()) return s.seat;
  return role + " — " + s.seat;
}

struct SlotText {
  std::vector<TextLine> name, representation, role;
  double Height() const {
    return (name.size() + representation.size() + role.size()) * kTextLeading;
  }
};

}  // namespace

Status FlowLayout::SignatureBlockLayout(const SignatureBlock& block,
                                        const std::vector<SignatureSlotText>& signers,
                                        const std::string& where) {
  signature_block_done_ = true;
  const Rect& area = geometry_.text_area;
  if (!block.title.empty()) {
    RETURN_IF_ERROR(
        HeadingText(converter_.ConvertPlain(block.title, FontStyle::kBold, where + ".title"),
                    Align::kCenter, TextStyle::kHeadingSize, 12, 4));
  }
  const double column = (area.width() - kColumnGap) / 2;
  const double text_width = column - 2 * kLineInset;
  std::vector<SlotText> texts;
  for (size_t i = 0; i < signers.size(); ++i) {
    const SignatureSlotText& s = signers[i];
    const std::string at = where + ".signers[" + std::to_string(i) + "]";
    SlotText t;
    t.name = BreakLines(converter_.ConvertPlain(s.name, FontStyle::kBold, at), text_width,
                        kNameSize, fonts_);
    t.representation =
        BreakLines(converter_.ConvertPlain(s.representation, FontStyle::kRegular, at), text_width,
                   kTextSize, fonts_);
    t.role = BreakLines(converter_.ConvertPlain(RoleLabel(s), FontStyle::kItalic, at), text_width,
                        kTextSize, fonts_);
    texts.push_back(std::move(t));
  }
  foot_slots_.assign(signers.size(), PageRect{});
  y_ -= 6;
  for (size_t first = 0; first < signers.size(); first += 2) {
    const size_t count = std::min<size_t>(2, signers.size() - first);
    double row_height = 0;
    for (size_t j = 0; j < count; ++j) {
      row_height = std::max(row_height, kSignHeight + 4 + texts[first + j].Height() + kSlotGap);
    }
    RETURN_IF_ERROR(Reserve(row_height));
    for (size_t j = 0; j < count; ++j) {
      const double x = count == 1 ? area.left + (area.width() - column) / 2
                                  : area.left + j * (column + kColumnGap);
      const double line_y = y_ - kSignHeight;
      page().Rule(x + kLineInset, line_y, x + column - kLineInset, line_y, 0.6, 0);
      foot_slots_[first + j] = {static_cast<int>(pages_.size()),
                                {Round2(x + kLineInset), Round2(line_y + 1),
                                 Round2(x + column - kLineInset), Round2(y_ - 2)}};
      double top = line_y - 4;
      auto show = [&](const std::vector<TextLine>& lines, double size) {
        for (const TextLine& line : lines) {
          const double dx = std::max(0.0, (column - line.width) / 2);
          page().ShowLine(line, x + dx, top - 0.8 * kTextLeading, size);
          top -= kTextLeading;
        }
      };
      const SlotText& t = texts[first + j];
      show(t.name, kNameSize);
      show(t.representation, kTextSize);
      show(t.role, kTextSize);
    }
    y_ -= row_height;
  }
  return Status::Ok();
}

}  // namespace rubrica::pdf::render
