// FlowLayout's tables: bordered cells, a shaded bold header repeated on every page the
// table spans, rows kept whole unless a row is taller than a page.
#include <algorithm>
#include <cmath>

#include "render/flow_layout.h"

namespace rubrica::pdf::render {
namespace {

constexpr double kSize = TextStyle::kSmallSize;
constexpr double kLeading = TextStyle::kSmallLeading;
constexpr double kPad = 3.5;

struct TableRow {
  std::vector<std::vector<TextLine>> cells;
  size_t LineCount() const {
    size_t n = 1;
    for (const auto& c : cells) n = std::max(n, c.size());
    return n;
  }
};

// Draws lines [from, from + count) of every cell as one band starting at `top`.
void DrawBand(ContentStream& page, const TableRow& row, const std::vector<double>& xs, size_t from,
              size_t count, double top, bool header) {
  const double height = count * kLeading + 2 * kPad;
  for (size_t c = 0; c < row.cells.size(); ++c) {
    const Rect cell{xs[c], top - height, xs[c + 1], top};
    if (header) page.FillRect(cell, 0.9);
    page.StrokeRect(cell, 0.5, 0.3);
    const auto& lines = row.cells[c];
    for (size_t i = from; i < from + count && i < lines.size(); ++i) {
      const double line_top = top - kPad - (i - from) * kLeading;
      page.ShowLine(lines[i], xs[c] + kPad, line_top - 0.8 * kLeading, kSize);
    }
  }
}

}  // namespace

Status FlowLayout::TableBlock(const Table& table, const std::string& where) {
  const Rect& area = geometry_.text_area;
  const size_t columns = table.header.size();
  if (columns == 0) return Status::Ok();
  double total = 0;
  for (size_t c = 0; c < columns; ++c) total += table.widths.empty() ? 1.0 : table.widths[c];
  std::vector<double> xs{area.left};
  for (size_t c = 0; c < columns; ++c) {
    const double w = table.widths.empty() ? 1.0 : table.widths[c];
    xs.push_back(c + 1 == columns ? area.right : xs.back() + area.width() * w / total);
  }
  auto lay_row = [&](const std::vector<RichText>& cells, const std::string& row_where,
                     bool header) {
    TableRow row;
    for (size_t c = 0; c < columns; ++c) {
      auto runs = converter_.Convert(cells[c], row_where + "[" + std::to_string(c) + "]", header);
      row.cells.push_back(BreakLines(runs, xs[c + 1] - xs[c] - 2 * kPad, kSize, fonts_));
    }
    return row;
  };
  const TableRow header = lay_row(table.header, where + ".header", true);
  const double header_height = header.LineCount() * kLeading + 2 * kPad;
  const double page_capacity = area.height() - header_height - 2 * kPad;
  if (page_capacity < kLeading) {
    return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_acta",
                         where + ": the table header is taller than a page",
                         "El encabezado de una tabla del acta no cabe en una hoja.");
  }
  const size_t lines_per_page = static_cast<size_t>(std::floor(page_capacity / kLeading));

  auto draw_header = [&]() {
    DrawBand(page(), header, xs, 0, header.LineCount(), y_, true);
    y_ -= header_height;
  };
  std::vector<TableRow> rows;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    rows.push_back(lay_row(table.rows[r], where + ".rows[" + std::to_string(r) + "]", false));
  }
  y_ -= 2;
  const size_t first_lines = rows.empty() ? 0 : rows[0].LineCount();
  RETURN_IF_ERROR(Reserve(header_height + std::min<size_t>(first_lines, 2) * kLeading + 2 * kPad));
  draw_header();
  for (const TableRow& row : rows) {
    const size_t lines = row.LineCount();
    size_t done = 0;
    while (done < lines) {
      const size_t remaining = lines - done;
      const double needed = remaining * kLeading + 2 * kPad;
      if (needed <= SpaceLeft() + 1e-6) {
        DrawBand(page(), row, xs, done, remaining, y_, false);
        y_ -= needed;
        break;
      }
      // A row that fits on a fresh page moves there whole; a taller one is split here.
      if (remaining > lines_per_page) {
        const double fit = std::floor((SpaceLeft() - 2 * kPad) / kLeading);
        if (fit >= 1) {
          const size_t count = static_cast<size_t>(fit);
          DrawBand(page(), row, xs, done, count, y_, false);
          done += count;
        }
      }
      RETURN_IF_ERROR(NewPage());
      draw_header();
    }
  }
  y_ -= TextStyle::kParagraphGap + 2;
  return Status::Ok();
}

}  // namespace rubrica::pdf::render
