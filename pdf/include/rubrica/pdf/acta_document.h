// The structured content of an acta (an installation act or a session minute): what the
// facilitator writes and what RenderActa (render.h) turns into a PDF. Built in code by
// workflows/, or parsed from the JSON format of docs/acta-format.md (acta_json.h).
//
// All text is UTF-8. Printed text goes through WinAnsi (CP1252), which covers Spanish
// completely (á é í ó ú ü ñ ¿ ¡ « » — “ ” ...); other characters print as '?' and are
// reported as render warnings, never as errors.
//
// Plain value types: copyable, thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::pdf {

/// A run of text in one style. Bold and italic together print bold.
struct TextSpan {
  std::string text;
  bool bold = false;
  bool italic = false;
  bool operator==(const TextSpan&) const = default;
};

/// A piece of text made of styled runs. A '\n' inside a run forces a line break.
using RichText = std::vector<TextSpan>;

/// Concatenation of the runs' text, without styles.
std::string PlainText(const RichText& text);

enum class Align { kJustify, kLeft, kCenter, kRight };

/// A centred bold heading ("CIERRE Y FIRMAS").
struct Heading {
  RichText text;
  Align align = Align::kCenter;
  bool operator==(const Heading&) const = default;
};

/// A paragraph of running text, justified by default.
struct Paragraph {
  RichText text;
  Align align = Align::kJustify;
  bool operator==(const Paragraph&) const = default;
};

enum class ListStyle { kDecimal, kLowerAlpha, kBullet };

/// An ordered ("1.", "a.") or unordered ("•") list of items.
struct List {
  ListStyle style = ListStyle::kDecimal;
  int start = 1;  // number of the first item (ordered lists)
  std::vector<RichText> items;
  bool operator==(const List&) const = default;
};

/// A table with a header row (printed bold, repeated on every page the table spans).
/// Every row has as many cells as the header. `widths` are relative column widths
/// (empty: equal widths).
struct Table {
  std::vector<RichText> header;
  std::vector<double> widths;
  std::vector<std::vector<RichText>> rows;
  bool operator==(const Table&) const = default;
};

/// The closing text ("Los que suscriben, reconocen..."), printed as a justified paragraph
/// set a little apart from what precedes it.
struct Closing {
  RichText text;
  bool operator==(const Closing&) const = default;
};

/// A name printed under a foot-signature line.
struct SignatureSlotText {
  std::string name;
  std::string representation;  // "Secretaría del Ayuntamiento de Zamora"
  std::string role;            // "titular", "suplente", "facilitador", or free text
  std::string seat;            // "Gobierno municipal", "Sociedad civil", ...
  /// "femenino", "masculino", "neutro" or empty (neutro): the role and representation are
  /// printed agreeing with it (lang::AgreePost: "facilitador" -> "Facilitadora").
  std::string gender;
  bool operator==(const SignatureSlotText&) const = default;
};

/// Where the foot signatures go. For an approved version the slots come from the
/// SignaturePlan (signature_plan.h) and `preview_signers` is ignored; drafts print
/// `preview_signers` (possibly none) without form fields. At most one per document; when
/// an approved version has none, one is appended at the end.
struct SignatureBlock {
  std::string title;  // printed as a heading when not empty
  std::vector<SignatureSlotText> preview_signers;
  bool operator==(const SignatureBlock&) const = default;
};

struct Section;
/// One block of the body.
using Block = std::variant<Heading, Paragraph, Section, List, Table, Closing, SignatureBlock>;

/// A numbered section ("I. ELECCIÓN DE INTEGRANTES"): numbered I, II, III... in order of
/// appearance; its content is any blocks except sections (sections do not nest).
struct Section {
  std::string title;
  std::vector<Block> blocks;
  bool operator==(const Section&) const;
};

enum class ActaKind { kInstallation, kSession };
/// "instalacion" / "sesion" (the names used in JSON and in firmantes.json).
std::string_view ActaKindName(ActaKind kind);

struct ActaDocument {
  std::string id;  // stable identifier, e.g. "stm-zamora-2022-11-14-instalacion"
  ActaKind kind = ActaKind::kSession;
  std::string secretariat;  // "Secretariado Técnico Municipal de Gobierno Abierto de Zamora"
  std::vector<std::string> heading;  // bold lines at the top of page 1 (empty: secretariat)
  std::string title;
  std::string place_date;  // "Zamora, Michoacán, a 14 de noviembre de 2022" (may be empty)
  std::vector<Block> blocks;
  bool operator==(const ActaDocument&) const = default;
};

/// Limits that keep hostile or accidental input from exhausting memory or time. The JSON
/// parser and RenderActa both enforce them. The defaults allow minutes of several hundred
/// pages. (Fixed limits: 8 heading lines, 24 preview signers, 300 bytes per signer text.)
struct ActaLimits {
  size_t max_json_bytes = 4u << 20;   // whole JSON text
  size_t max_json_depth = 24;         // nesting of arrays/objects in the JSON text
  size_t max_text_bytes = 64u << 10;  // one text (paragraph, cell, item, title...)
  size_t max_blocks = 5000;           // all blocks, sections' content included
  size_t max_items = 2000;            // items of one list, rows of one table
  size_t max_columns = 12;            // columns of one table
  size_t max_total_text_bytes = 3u << 20;
};

/// Checks structure and limits of a document built in code: non-empty id and title, no nested
/// sections, at most one signature block, table rows as wide as the header, positive
/// widths, list start in 1..10000, valid UTF-8 everywhere, limits. Fails with
/// pdf.bad_acta (kInvalidArgument) naming the place ("blocks[3].rows[1]: ...").
Status ValidateActa(const ActaDocument& acta, const ActaLimits& limits = {});

}  // namespace rubrica::pdf
