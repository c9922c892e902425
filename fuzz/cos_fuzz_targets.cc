#include "cos_fuzz_targets.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "rubrica/pdf/cos/acroform.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/cos/revision_analysis.h"

namespace rubrica::fuzzing {

namespace {

using pdf::cos::PdfFile;

// Reads every object of every revision, and the form and revision analysis on top.
size_t ReadAll(const std::string& pdf) {
  auto file = PdfFile::Open(pdf);
  if (!file.ok()) return 0;
  size_t read = 0;
  for (size_t r = 0; r < file->revisions().size(); ++r) {
    for (const auto& [num, e] : file->revisions()[r].entries) {
      if (!e.in_use) continue;
      auto obj = file->Get({num, e.gen}, r);
      if (!obj.ok()) continue;
      ++read;
      if (obj->is_stream()) (void)pdf::cos::DecodedSize(*obj, 1u << 20);
    }
  }
  (void)pdf::cos::ReadFields(*file, file->last());
  (void)pdf::cos::AnalyzeRevisions(*file);
  return read;
}

std::string Stream(int num, const std::string& dict, std::string_view data) {
  return std::to_string(num) + " 0 obj\n<<" + dict + "/Length " + std::to_string(data.size()) + ">>\nstream\n" +
         std::string(data) + "\nendstream\nendobj\n";
}

const char kHeader[] = "%PDF-1.7\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n";

}  // namespace

size_t FuzzXrefStream(std::string_view data) {
  if (data.size() < 2) return 0;
  const unsigned char b0 = static_cast<unsigned char>(data[0]);
  const int w0 = b0 & 3, w1 = std::min((b0 >> 2) & 7, 4), w2 = (b0 >> 5) & 3;
  const bool predictor = (data[1] & 1) != 0;
  std::string_view rows = data.substr(2);
  const int row = w0 + w1 + w2;
  const size_t size = row > 0 ? rows.size() / static_cast<size_t>(row + (predictor ? 1 : 0)) : 0;
  std::string pdf = kHeader;
  const size_t at = pdf.size();
  std::string dict = "/Type/XRef/Root 1 0 R/Size " + std::to_string(size) + "/W[" + std::to_string(w0) + " " +
                     std::to_string(w1) + " " + std::to_string(w2) + "]";
  if (predictor) dict += "/DecodeParms<</Predictor 12/Columns " + std::to_string(row) + ">>";
  // Predictors apply to decoded Flate data; an uncompressed stream with /DecodeParms is
  // refused, so predicted rows are compressed first.
  std::string payload(rows);
  if (predictor) {
    // Store-only zlib (no compression): header, one stored block, Adler-32.
    std::string z = "\x78\x01";
    size_t left = payload.size(), pos = 0;
    do {
      const size_t n = std::min<size_t>(left, 65535);
      z.push_back(left == n ? 1 : 0);
      z.push_back(static_cast<char>(n & 0xff));
      z.push_back(static_cast<char>(n >> 8));
      z.push_back(static_cast<char>(~n & 0xff));
      z.push_back(static_cast<char>((~n >> 8) & 0xff));
      z += payload.substr(pos, n);
      pos += n;
      left -= n;
    } while (left > 0);
    uint32_t a = 1, b = 0;
    for (unsigned char c : payload) {
      a = (a + c) % 65521;
      b = (b + a) % 65521;
    }
    const uint32_t adler = (b << 16) | a;
    for (int i = 3; i >= 0; --i) z.push_back(static_cast<char>((adler >> (8 * i)) & 0xff));
    payload = z;
    dict += "/Filter/FlateDecode";
  }
  pdf += Stream(3, dict, payload);
  pdf += "startxref\n" + std::to_string(at) + "\n%%EOF\n";
  return ReadAll(pdf);
}

size_t FuzzObjectStream(std::string_view data) {
  const size_t nul = data.find('\0');
  const size_t first = nul == std::string_view::npos ? 0 : nul + 1;
  // The header's numbers, as the stream would list them.
  std::vector<long> numbers;
  for (size_t i = 0; i < first && numbers.size() < 2000;) {
    if (data[i] >= '0' && data[i] <= '9') {
      long v = 0;
      while (i < first && data[i] >= '0' && data[i] <= '9' && v < 100000000) v = v * 10 + (data[i++] - '0');
      numbers.push_back(v);
    } else {
      ++i;
    }
  }
  const size_t n = numbers.size() / 2;
  std::string pdf = kHeader;
  const size_t objstm_at = pdf.size();
  pdf += Stream(3, "/Type/ObjStm/N " + std::to_string(n) + "/First " + std::to_string(first), data);
  const size_t xref_at = pdf.size();
  // Type 1 rows for objects 1-4 are not listed: 1 and 2 are plain, 3 is the stream, 4 the
  // xref stream; every listed number becomes a type 2 entry at its index.
  std::string rows;
  auto row = [&](int type, uint32_t f2, uint16_t f3) {
    rows.push_back(static_cast<char>(type));
    for (int i = 3; i >= 0; --i) rows.push_back(static_cast<char>((f2 >> (8 * i)) & 0xff));
    rows.push_back(static_cast<char>(f3 >> 8));
    rows.push_back(static_cast<char>(f3 & 0xff));
  };
  std::string index = "1 4";
  row(1, 9, 0);
  row(1, static_cast<uint32_t>(pdf.find("2 0 obj")), 0);
  row(1, static_cast<uint32_t>(objstm_at), 0);
  row(1, static_cast<uint32_t>(xref_at), 0);
  long max_num = 4;
  for (size_t i = 0; i < n; ++i) {
    const long num = numbers[2 * i];
    if (num <= 4 || num > 100000) continue;
    index += " " + std::to_string(num) + " 1";
    row(2, 3, static_cast<uint16_t>(i));
    max_num = std::max(max_num, num);
  }
  pdf += Stream(4, "/Type/XRef/Root 1 0 R/Size " + std::to_string(max_num + 1) + "/W[1 4 2]/Index[" + index + "]", rows);
  pdf += "startxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
  return ReadAll(pdf);
}

size_t FuzzDecryption(std::string_view data) { return ReadAll(std::string(data)); }

}  // namespace rubrica::fuzzing
