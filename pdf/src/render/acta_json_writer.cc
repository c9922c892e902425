// ActaDocument back to the JSON format of docs/acta-format.md (for storage and round-trip
// tests): two-space indentation, keys in the documented order, optional keys only when
// they differ from their defaults.
#include <type_traits>

#include "render/content_stream.h"
#include "render/json_reader.h"
#include "rubrica/pdf/acta_json.h"

namespace rubrica::pdf {
namespace {

using render::AppendJsonString;

class Writer {
 public:
  std::string Take() { return std::move(out_); }

  void Open(char bracket) {
    out_.push_back(bracket);
    ++depth_;
    first_ = true;
  }
  void Close(char bracket) {
    --depth_;
    if (!first_) NewLine();
    out_.push_back(bracket);
    first_ = false;
  }
  void Key(std::string_view key) {
    Item();
    AppendJsonString(out_, key);
    out_ += ": ";
  }
  void Item() {
    if (!first_) out_.push_back(',');
    NewLine();
    first_ = false;
  }
  void String(std::string_view s) { AppendJsonString(out_, s); }
  void Raw(std::string_view s) { out_ += s; }
  void Field(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void StringArray(std::string_view key, const std::vector<std::string>& values) {
    Key(key);
    Open('[');
    for (const auto& v : values) {
      Item();
      String(v);
    }
    Close(']');
  }
  void RichArray(std::string_view key, const std::vector<RichText>& values) {
    std::vector<std::string> markup;
    for (const auto& v : values) markup.push_back(ToInlineMarkup(v));
    StringArray(key, markup);
  }

 private:
  void NewLine() {
    out_.push_back('\n');
    out_.append(2 * depth_, ' ');
  }
  std::string out_;
  int depth_ = 0;
  bool first_ = true;
};

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

void WriteBlocks(Writer& w, const std::vector<Block>& blocks);

void WriteBlock(Writer& w, const Block& block) {
  w.Item();
  w.Open('{');
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
            w.Key("start");
            w.Raw(std::to_string(b.start));
          }
          w.RichArray("items", b.items);
        } else if constexpr (std::is_same_v<T, Table>) {
          w.Field("type", "table");
          w.RichArray("header", b.header);
          if (!b.widths.empty()) {
            w.Key("widths");
            w.Open('[');
            for (double v : b.widths) {
              w.Item();
              w.Raw(render::ContentStream::Number(v, 4));
            }
            w.Close(']');
          }
          w.Key("rows");
          w.Open('[');
          for (const auto& row : b.rows) {
            w.Item();
            w.Open('[');
            for (const auto& cell : row) {
              w.Item();
              w.String(ToInlineMarkup(cell));
            }
            w.Close(']');
          }
          w.Close(']');
        } else {
          static_assert(std::is_same_v<T, SignatureBlock>);
          w.Field("type", "signatures");
          if (!b.title.empty()) w.Field("title", b.title);
          if (!b.preview_signers.empty()) {
            w.Key("signers");
            w.Open('[');
            for (const auto& s : b.preview_signers) {
              w.Item();
              w.Open('{');
              w.Field("name", s.name);
              if (!s.representation.empty()) w.Field("representation", s.representation);
              if (!s.role.empty()) w.Field("role", s.role);
              if (!s.seat.empty()) w.Field("seat", s.seat);
              if (!s.gender.empty()) w.Field("gender", s.gender);
              w.Close('}');
            }
            w.Close(']');
          }
        }
      },
      block);
  w.Close('}');
}

void WriteBlocks(Writer& w, const std::vector<Block>& blocks) {
  w.Open('[');
  for (const Block& b : blocks) WriteBlock(w, b);
  w.Close(']');
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
  Writer w;
  w.Open('{');
  w.Key("format");
  w.Raw("1");
  w.Field("id", acta.id);
  w.Field("kind", ActaKindName(acta.kind));
  w.Field("secretariat", acta.secretariat);
  if (!acta.heading.empty()) w.StringArray("heading", acta.heading);
  w.Field("title", acta.title);
  if (!acta.place_date.empty()) w.Field("place_date", acta.place_date);
  w.Key("blocks");
  WriteBlocks(w, acta.blocks);
  w.Close('}');
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

}  // namespace rubrica::pdf
