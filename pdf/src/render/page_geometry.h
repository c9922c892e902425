// Where things go on a Letter page: the text area, the margin strip reserved for rubrics
// (right margin, 86 pt ≈ 3 cm wide, never entered by text), the footer band under the
// text area (folio, "Hoja X de Y", the verification QR and, on the last page, the
// "cadena"), and the rubric slots inside the strip.
#pragma once

#include <cmath>
#include <vector>

#include "rubrica/pdf/render.h"

namespace rubrica::pdf::render {

struct PageGeometry {
  double width = 612;   // US Letter, 8.5 in
  double height = 792;  // 11 in
  Rect text_area{64, 84, 498, 752};
  Rect strip{510, 48, 596, 752};
  /// Footer band, under the text area: the QR code at its left, text lines to its right.
  double footer_baseline = 34;  // "Hoja X de Y" when there is no folio (drafts)
  // 64 pt square (a module of about 1.7 pt for a version-5 symbol: zbarimg reads it from a
  // 100 dpi scan), the quiet zone in the white around it: 14 pt below, 6 pt above.
  Rect qr{64, 14, 128, 78};
  double footer_text_left = 136;
  double strip_label_baseline = 743;
  double strip_label_size = 6;
  double slots_top = 736;  // rubric slots fill the strip below its label
  double slot_gap = 3;
  double slot_padding = 3;  // between the strip's rule and a slot
  double max_slot_height = 96;
  /// One column of slots while each gets at least this height; two columns beyond.
  double min_single_column_slot = 50;

  /// Columns of rubric slots for `signers` (1 or 2).
  int RubricColumns(size_t signers) const;
  /// One slot per signer inside the strip, in plan order: one column top to bottom, or two
  /// columns filled row by row (signer 1 left, 2 right, 3 left...). `signers` <= kMaxSigners.
  std::vector<Rect> RubricSlots(size_t signers) const;
};

inline int PageGeometry::RubricColumns(size_t signers) const {
  if (signers == 0) return 1;
  const double single = (slots_top - strip.bottom - slot_gap * (signers - 1)) / signers;
  return single >= min_single_column_slot ? 1 : 2;
}

inline std::vector<Rect> PageGeometry::RubricSlots(size_t signers) const {
  std::vector<Rect> slots;
  if (signers == 0) return slots;
  const int columns = RubricColumns(signers);
  const size_t rows = (signers + columns - 1) / columns;
  const double available = slots_top - strip.bottom - slot_gap * (rows - 1);
  double h = available / rows;
  if (h > max_slot_height) h = max_slot_height;
  h = std::floor(h * 100) / 100;  // exact in the two decimals PDF numbers are written with
  const double left = strip.left + slot_padding, right = strip.right - slot_padding / 2;
  const double w = std::floor((right - left - slot_gap * (columns - 1)) / columns * 100) / 100;
  for (size_t i = 0; i < signers; ++i) {
    const size_t row = i / columns, column = i % columns;
    const double top = slots_top - row * (h + slot_gap);
    const double x = left + column * (w + slot_gap);
    slots.push_back({x, top - h, x + w, top});
  }
  return slots;
}

}  // namespace rubrica::pdf::render
