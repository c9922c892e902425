// FlowLayout's signature block: two columns of foot-signature slots, each an empty area
// (where firma_k's widget goes) above a line, with the signer's name, representation and
// role printed under the line. A row of slots never splits across pages; the first row
// stays on the page of the text before the block (keep-with-next, in flow_layout.cc); a
// page the block continues on opens with a legend naming the acta, so no page ever
// carries signature boxes alone.
#include <algorithm>
#include <cmath>

#include "render/flow_layout.h"
#include "rubrica/lang/posts.h"
#include "rubrica/lang/text.h"

namespace rubrica::pdf::render {
namespace {

constexpr double kColumnGap = 24;
constexpr double kSignHeight = 72;  // the area a drawn signature box gets
constexpr double kLineInset = 8;
constexpr double kNameSize = 9, kTextSize = 8.5, kTextLeading = 10.5;
constexpr double kSlotGap = 16;
constexpr double kBlockGap = 6;  // above the first row
constexpr double kLegendSize = 9, kLegendLeading = 11.5;

double Round2(double v) { return std::round(v * 100) / 100; }

lang::Gender GenderOf(const SignatureSlotText& s) {
  return lang::ParseGender(s.gender).value_or(lang::Gender::kNeutral);
}

// "Titular — Gobierno municipal", "Facilitadora": the role agreed with the signer's
// gender and capitalised (lang/text.h), then the seat.
std::string RoleLabel(const SignatureSlotText& s) {
  const std::string role = lang::CapitalizeFirst(lang::AgreePost(s.role, GenderOf(s)));
  if (s.seat.empty()) return role;
  if (role.empty()) return s.seat;
  return role + " — " + s.seat;
}

}  // namespace

double FlowLayout::SignatureRowHeight(size_t first) const {
  double h = 0;
  for (size_t j = first; j < std::min(first + 2, slot_texts_.size()); ++j) {
    const SlotText& t = slot_texts_[j];
    const double text = (t.name.size() + t.representation.size() + t.role.size()) * kTextLeading;
    h = std::max(h, kSignHeight + 4 + text + kSlotGap);
  }
  return h;
}

double FlowLayout::SignatureTitleHeight() const {
  if (signature_title_.empty()) return 0;
  return 12 + signature_title_.size() * TextStyle::kHeadingSize * 1.3 + 4;
}

void FlowLayout::PrepareSignatures(const SignatureBlock& block,
                                   const std::vector<SignatureSlotText>& signers,
                                   const std::string& where) {
  const Rect& area = geometry_.text_area;
  const double column = (area.width() - kColumnGap) / 2;
  const double text_width = column - 2 * kLineInset;
  signature_title_.clear();
  if (!block.title.empty()) {
    signature_title_ =
        BreakLines(converter_.ConvertPlain(block.title, FontStyle::kBold, where + ".title"),
                   area.width(), TextStyle::kHeadingSize, fonts_);
  }
  slot_texts_.clear();
  for (size_t i = 0; i < signers.size(); ++i) {
    const SignatureSlotText& s = signers[i];
    const std::string at = where + ".signers[" + std::to_string(i) + "]";
    SlotText t;
    t.name = BreakLines(converter_.ConvertPlain(s.name, FontStyle::kBold, at), text_width,
                        kNameSize, fonts_);
    t.representation = BreakLines(
        converter_.ConvertPlain(lang::AgreePost(s.representation, GenderOf(s)), FontStyle::kRegular,
                                at),
        text_width, kTextSize, fonts_);
    t.role = BreakLines(converter_.ConvertPlain(RoleLabel(s), FontStyle::kItalic, at), text_width,
                        kTextSize, fonts_);
    slot_texts_.push_back(std::move(t));
  }
  signatures_prepared_ = true;
}

double FlowLayout::SignatureLeadHeight() const {
  return SignatureTitleHeight() + kBlockGap + (slot_texts_.empty() ? 0 : SignatureRowHeight(0));
}

Status FlowLayout::ContinuationLegend() {
  if (continuation_legend_.empty()) return Status::Ok();
  const Rect& area = geometry_.text_area;
  auto lines = BreakLines(converter_.ConvertPlain(continuation_legend_, FontStyle::kItalic,
                                                  "signature legend"),
                          area.width(), kLegendSize, fonts_);
  RETURN_IF_ERROR(Lines(lines, area.left, area.width(), kLegendSize, kLegendLeading,
                        Align::kCenter, 1));
  y_ -= kBlockGap;
  return Status::Ok();
}

Status FlowLayout::SignatureBlockLayout(const SignatureBlock& block,
                                        const std::vector<SignatureSlotText>& signers,
                                        const std::string& where) {
  signature_block_done_ = true;
  if (!signatures_prepared_) PrepareSignatures(block, signers, where);
  const Rect& area = geometry_.text_area;
  // Title and first row together; on a fresh page the legend says whose signatures these are.
  const size_t before = pages_.size();
  RETURN_IF_ERROR(Reserve(SignatureLeadHeight()));
  if (pages_.size() != before) RETURN_IF_ERROR(ContinuationLegend());
  if (!signature_title_.empty()) {
    if (y_ < area.top) y_ -= 12;
    RETURN_IF_ERROR(Lines(signature_title_, area.left, area.width(), TextStyle::kHeadingSize,
                          TextStyle::kHeadingSize * 1.3, Align::kCenter, 1));
    y_ -= 4;
  }
  const double column = (area.width() - kColumnGap) / 2;
  foot_slots_.assign(signers.size(), PageRect{});
  y_ -= kBlockGap;
  for (size_t first = 0; first < signers.size(); first += 2) {
    const size_t count = std::min<size_t>(2, signers.size() - first);
    const double row_height = SignatureRowHeight(first);
    const size_t pages_before = pages_.size();
    RETURN_IF_ERROR(Reserve(row_height));
    if (pages_.size() != pages_before) {
      RETURN_IF_ERROR(ContinuationLegend());
      RETURN_IF_ERROR(Reserve(row_height));
    }
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
      const SlotText& t = slot_texts_[first + j];
      show(t.name, kNameSize);
      show(t.representation, kTextSize);
      show(t.role, kTextSize);
    }
    y_ -= row_height;
  }
  return Status::Ok();
}

}  // namespace rubrica::pdf::render
