// Where things go on a Letter page: the text area, the margin strip reserved for rubrics
// (right margin, 62 pt ≈ 2.2 cm wide, never entered by text), the footer, and the rubric
// slots inside the strip.
#pragma once

#include <cmath>
#include <vector>

#include "rubrica/pdf/render.h"

namespace rubrica::pdf::render {

struct PageGeometry {
  double width = 612;   // US Letter, 8.5 in
  double height = 792;  // 11 in
  Rect text_area{64, 60, 518, 752};
  Rect strip{534, 48, 596, 752};
  double footer_baseline = 34;
  double strip_label_baseline = 743;
  double strip_label_size = 6;
  double slots_top = 736;  // rubric slots fill the strip below its label
  double slot_gap = 3;
  double slot_padding = 3;  // between the strip's rule and a slot
  double max_slot_height = 96;

  /// One slot per signer, top to bottom, inside the strip. `signers` <= kMaxSigners.
  std::vector<Rect> RubricSlots(size_t signers) const;
};

inline std::vector<Rect> PageGeometry::RubricSlots(size_t signers) const {
  std::vector<Rect> slots;
  if (signers == 0) return slots;
  const double available = slots_top - strip.bottom - slot_gap * (signers - 1);
  double h = available / signers;
  if (h > max_slot_height) h = max_slot_height;
  h = std::floor(h * 100) / 100;  // exact in the two decimals PDF numbers are written with
  double top = slots_top;
  for (size_t i = 0; i < signers; ++i) {
    slots.push_back({strip.left + slot_padding, top - h, strip.right - slot_padding / 2, top});
    top -= h + slot_gap;
  }
  return slots;
}

}  // namespace rubrica::pdf::render
