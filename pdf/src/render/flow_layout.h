// Flows an acta's blocks onto pages: the first-page heading and title, paragraphs,
// numbered sections, lists, tables (header repeated on every page they span) and the
// signature block, keeping headings with what follows, avoiding lone first lines at a
// page's foot, and keeping the signature block's first row with the last lines of the
// text before it (so signature boxes never stand alone on a page). Produces each page's
// body content; page decorations (footer, strip, watermark) are added afterwards, once
// the page count is known (page_decorations.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "render/content_stream.h"
#include "render/font_set.h"
#include "render/page_geometry.h"
#include "render/text_convert.h"
#include "render/text_layout.h"
#include "rubrica/pdf/acta_document.h"
#include "rubrica/pdf/render.h"

namespace rubrica::pdf::render {

class FlowLayout {
 public:
  /// `fonts`, `converter` and `geometry` must outlive the layout.
  FlowLayout(const FontSet& fonts, WinAnsiConverter& converter, const PageGeometry& geometry,
             int max_pages);

  /// Lays out `acta`. For an approved version `plan_signers` are the signers whose slots
  /// the signature block prints (a block is appended at the end when the document has
  /// none); when null (drafts), the block prints its preview signers.
  /// `continuation_legend` opens every page the signature block continues on. Fails with
  /// pdf.too_many_pages.
  Status Run(const ActaDocument& acta, const std::vector<SignatureSlotText>* plan_signers,
             const std::string& continuation_legend);

  /// The pages' content streams, in order.
  const std::vector<ContentStream>& pages() const { return pages_; }
  /// Signer k's foot-signature area (index k-1): page and rectangle.
  const std::vector<PageRect>& foot_slots() const { return foot_slots_; }

 private:
  // Page management (flow_layout.cc).
  Status NewPage();
  /// Starts a new page unless `height` fits above the bottom of the text area.
  Status Reserve(double height);
  double SpaceLeft() const { return y_ - geometry_.text_area.bottom; }
  ContentStream& page() { return pages_.back(); }

  // Blocks (flow_layout.cc).
  Status TitleBlock(const ActaDocument& acta);
  Status Block(const pdf::Block& block, const std::string& where);
  Status HeadingText(const std::vector<StyledRun>& runs, Align align, double size,
                     double space_before, double space_after);
  /// Shows `lines`, the first `keep_first` together; when `keep_tail` > 0, the last two
  /// lines (or all, when fewer) stay on one page with `keep_tail` points after them.
  Status Lines(const std::vector<TextLine>& lines, double x, double width, double size,
               double leading, Align align, int keep_first = 2, double keep_tail = 0);
  Status ParagraphText(const RichText& text, const std::string& where, Align align);
  Status ListBlock(const List& list, const std::string& where);

  // Tables (table_layout.cc).
  Status TableBlock(const Table& table, const std::string& where);

  /// Lays out `blocks` in order; the one before a signature block (or the last one, when
  /// `signatures_follow`) keeps with the block's first row.
  Status BlockSequence(const std::vector<pdf::Block>& blocks, const std::string& where,
                       bool signatures_follow);

  // Signature block (signature_layout.cc).
  struct SlotText {
    std::vector<TextLine> name, representation, role;
  };
  /// Breaks the block's title and slot texts (once, before the layout needs their heights).
  void PrepareSignatures(const SignatureBlock& block, const std::vector<SignatureSlotText>& signers,
                         const std::string& where);
  double SignatureRowHeight(size_t first) const;
  double SignatureTitleHeight() const;
  /// Title, gap and first row: what the text before the block keeps with.
  double SignatureLeadHeight() const;
  Status ContinuationLegend();
  Status SignatureBlockLayout(const SignatureBlock& block,
                              const std::vector<SignatureSlotText>& signers,
                              const std::string& where);

  const FontSet& fonts_;
  WinAnsiConverter& converter_;
  const PageGeometry& geometry_;
  int max_pages_;
  std::vector<ContentStream> pages_;
  double y_ = 0;  // top of the free space on the current page
  int sections_ = 0;
  const std::vector<SignatureSlotText>* plan_signers_ = nullptr;
  bool signature_block_done_ = false;
  std::vector<PageRect> foot_slots_;
  // The signature block, prepared before the layout reaches it.
  bool signatures_prepared_ = false;
  std::vector<TextLine> signature_title_;
  std::vector<SlotText> slot_texts_;
  std::string continuation_legend_;
  /// Height the block being laid out keeps with its last lines (0: none).
  double keep_with_next_ = 0;
};

/// Body text sizes shared by the layout files.
struct TextStyle {
  static constexpr double kBodySize = 10.5;
  static constexpr double kBodyLeading = 14;
  static constexpr double kParagraphGap = 7;
  static constexpr double kHeadingSize = 11;
  static constexpr double kSmallSize = 9;
  static constexpr double kSmallLeading = 11.5;
};

}  // namespace rubrica::pdf::render
