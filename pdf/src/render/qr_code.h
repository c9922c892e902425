// A QR code (ISO/IEC 18004, error correction level M) for the verification address
// printed on every page, encoded by libqrencode and drawn as filled rectangles: no image,
// nothing PDF/A could object to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::pdf::render {

struct QrCode {
  int size = 0;            // modules per side (21 for version 1, +4 per version)
  std::vector<bool> dark;  // size * size, row by row from the top-left module
  bool at(int x, int y) const { return dark[static_cast<size_t>(y) * size + x]; }
};

/// Encodes `text` (byte mode, level M, the smallest version that holds it). Fails with
/// pdf.qr_failed (kInvalidArgument) when it is empty or too long for a QR code.
Result<QrCode> EncodeQr(std::string_view text);

/// PDF operators that fill the dark modules of `qr` in module units, [0 size] x [0 size]
/// with the origin at the bottom-left (scale with `cm` to place it): one path of
/// rectangles, one fill, black, so abutting modules leave no seams.
std::string QrOperators(const QrCode& qr);

}  // namespace rubrica::pdf::render
