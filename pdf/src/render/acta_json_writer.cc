// ActaDocument back to the JSON format of docs/acta-format.md (for storage and round-trip
// tests): two-space indentation, keys in the documented order, optional keys only when
// they differ from their defaults.
#include <type_traits>

#include "render/content_stream.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/pdf/acta_json.h"

namespace rubrica::pdf {
namespace {

void RichArray(JsonWriter& w, std::string_view key, const std::vector<RichText>& values) {
  w.Key(key).BeginArray();
  for (const auto& v : values) w.String(ToInlineMarkup(v));
  w.EndArray();
}

const char* AlignName(Align a) {
  switch (a) {
    case Align::kJustify:
      return "justify";
    case Align::kLeft:
      return "left";
    case Align::kCenter:
      return "center";
    case Align::kRight:
      return "right";
  }
  return "justify";
}

void WriteBlocks(JsonWriter& w, const std::vector<Block>& blocks);

void WriteBlock(JsonWriter& w, const Block& block) {
  w.BeginObject();
  std::visit(
      [&](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, Heading> || std::is_same_v<T, Paragraph>) {
          constexpr bool kHeading = std::is_same_v<T, Heading>;
          w.Field("type", kHeading ? "heading" : "paragraph");
          w.Field("text", ToInlineMarkup(b.text));
          if (b.align != (kHeading ? Align::kCenter : Align::kJustify)) {
            w.Field("align", AlignName(b.align));
          }
        } else if constexpr (std::is_same_v<T, Closing>) {
          w.Field("type", "closing");
          w.Field("text", ToInlineMarkup(b.text));
        } else if constexpr (std::is_same_v<T, Section>) {
          w.Field("type", "section");
          w.Field("title", b.title);
          w.Key("blocks");
          WriteBlocks(w, b.blocks);
        } else if constexpr (std::is_same_v<T, List>) {
          w.Field("type", "list");
          w.Field("style", b.style == ListStyle::kBullet       ? "bullet"
                           : b.style == ListStyle::kLowerAlpha ? "alpha"
                                                               : "decimal");
          if (b.start != 1) {
            w.Field("start", b.start);
          }
          RichArray(w, "items", b.items);
        } else if constexpr (std::is_same_v<T, Table>) {
          w.Field("type", "table");
          RichArray(w, "header", b.header);
          if (!b.widths.empty()) {
            w.Key("widths").BeginArray();
            for (double v : b.widths) w.Raw(render::ContentStream::Number(v, 4));
            w.EndArray();
          }
          w.Key("rows").BeginArray();
          for (const auto& row : b.rows) {
            w.BeginArray();
            for (const auto& cell : row) w.String(ToInlineMarkup(cell));
            w.EndArray();
          }
          w.EndArray();
        } else {
          static_assert(std::is_same_v<T, SignatureBlock>);
          w.Field("type", "signatures");
          if (!b.title.empty()) w.Field("title", b.title);
          if (!b.preview_signers.empty()) {
            w.Key("signers").BeginArray();
            for (const auto& s : b.preview_signers) {
              w.BeginObject();
              w.Field("name", s.name);
              if (!s.representation.empty()) w.Field("representation", s.representation);
              if (!s.role.empty()) w.Field("role", s.role);
              if (!s.seat.empty()) w.Field("seat", s.seat);
              if (!s.gender.empty()) w.Field("gender", s.gender);
              w.EndObject();
            }
            w.EndArray();
          }
        }
      },
      block);
  w.EndObject();
}

void WriteBlocks(JsonWriter& w, const std::vector<Block>& blocks) {
  w.BeginArray();
  for (const Block& b : blocks) WriteBlock(w, b);
  w.EndArray();
}

}  // namespace

std::string ToInlineMarkup(const RichText& text) {
  // Markers toggle a style, so only the changes between runs are written: at most one "**"
  // and one "*" between two texts, which the parser reads back whatever their order.
  std::string out;
  bool bold = false, italic = false;
  for (const TextSpan& span : text) {
    if (span.text.empty()) continue;
    if (span.bold != bold) out += "**", bold = span.bold;
    if (span.italic != italic) out += "*", italic = span.italic;
    for (char c : span.text) {
      if (c == '*' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
  }
  if (bold) out += "**";
  if (italic) out += "*";
  return out;
}

std::string ActaToJson(const ActaDocument& acta) {
  JsonWriter w(2);
  w.BeginObject();
  w.Field("format", 1);
  w.Field("id", acta.id);
  w.Field("kind", ActaKindName(acta.kind));
  w.Field("secretariat", acta.secretariat);
  if (!acta.heading.empty()) w.StringArray("heading", acta.heading);
  w.Field("title", acta.title);
  if (!acta.place_date.empty()) w.Field("place_date", acta.place_date);
  w.Key("blocks");
  WriteBlocks(w, acta.blocks);
  w.EndObject();
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

}  // namespace rubrica::pdf
