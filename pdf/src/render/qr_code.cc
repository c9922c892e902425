#include "render/qr_code.h"

#include <qrencode.h>

#include <memory>
#include <mutex>

namespace rubrica::pdf::render {

Result<QrCode> EncodeQr(std::string_view text) {
  auto failed = [&](const std::string& why) {
    return Status::Error(
        ErrorKind::kInvalidArgument, "pdf.qr_failed",
        "cannot encode a QR code of " + std::to_string(text.size()) + " bytes: " + why,
        "La dirección de verificación no cabe en un código QR.");
  };
  if (text.empty()) return failed("empty text");
  const std::string copy(text);
  // libqrencode builds shared Reed-Solomon tables lazily; one encoder at a time keeps
  // that safe whatever threading it was built with. Mode-optimised, case-sensitive: runs of
  // digits, capitals and ":/.-" (the folio and the upper-case hash of the verification
  // address) go in the numeric and alphanumeric modes (3.3 and 5.5 bits a character instead
  // of 8), which keeps the symbol small and its modules large on paper.
  static std::mutex mu;
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(nullptr, &QRcode_free);
  {
    std::lock_guard<std::mutex> lock(mu);
    code.reset(QRcode_encodeString(copy.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  }
  if (!code) return failed("libqrencode refused it (too long?)");
  QrCode qr;
  qr.size = code->width;
  qr.dark.resize(static_cast<size_t>(qr.size) * qr.size);
  for (size_t i = 0; i < qr.dark.size(); ++i) qr.dark[i] = (code->data[i] & 1) != 0;
  return qr;
}

std::string QrOperators(const QrCode& qr) {
  std::string out = "0 g\n";
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size;) {
      if (!qr.at(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < qr.size && qr.at(x + run, y)) ++run;
      out += std::to_string(x) + " " + std::to_string(qr.size - 1 - y) + " " + std::to_string(run) +
             " 1 re\n";
      x += run;
    }
  }
  return out + "f\n";
}

}  // namespace rubrica::pdf::render
