#include "rubrica/pdf/acta_json.h"

#include <type_traits>

#include "render/acta_checks.h"
#include "rubrica/base/json_reader.h"
#include "rubrica/pdf/signature_plan.h"

namespace rubrica::pdf {
namespace {

constexpr char kCode[] = "pdf.bad_acta_json";

size_t CharIndex(std::string_view text, size_t byte) {
  size_t chars = 0;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars;
}

// The acta format read with base's JsonReader: every refusal is pdf.bad_acta_json with the
// JSON path, text is taken as written (the API normalised it before it was stored).
JsonReaderOptions ReaderOptions(const ActaLimits& limits) {
  JsonReaderOptions o;
  o.max_bytes = limits.max_json_bytes;
  o.max_depth = static_cast<int>(limits.max_json_depth);
  o.code = kCode;
  o.subject_es = "El contenido del acta";
  o.normalize_text = false;
  return o;
}

std::string Member(const std::string& path, std::string_view key) {
  return path == "$" ? std::string(key) : path + "." + std::string(key);
}

class ActaParser {
 public:
  explicit ActaParser(const ActaLimits& limits) : limits_(limits) {}

  Result<ActaDocument> Document(std::string_view text) {
    ASSIGN_OR_RETURN(JsonReader o, JsonReader::Parse(text, ReaderOptions(limits_)));
    RETURN_IF_ERROR(o.Keys(
        {"format", "id", "kind", "secretariat", "heading", "title", "place_date", "blocks"},
        {"id", "kind", "secretariat", "title", "blocks"}));
    ActaDocument acta;
    if (o.Contains("format")) {
      ASSIGN_OR_RETURN(int64_t format, o.Int("format", 1, 1));
      (void)format;
    }
    ASSIGN_OR_RETURN(acta.id, Str(o, "id"));
    ASSIGN_OR_RETURN(std::string kind, Str(o, "kind"));
    if (kind == "instalacion")
      acta.kind = ActaKind::kInstallation;
    else if (kind == "sesion")
      acta.kind = ActaKind::kSession;
    else
      return o.Fail("kind", "expected \"instalacion\" or \"sesion\"",
                    "se esperaba \"instalacion\" o \"sesion\"");
    ASSIGN_OR_RETURN(acta.secretariat, Str(o, "secretariat"));
    ASSIGN_OR_RETURN(acta.title, Str(o, "title"));
    if (o.Contains("place_date")) {
      ASSIGN_OR_RETURN(acta.place_date, Str(o, "place_date"));
    }
    if (o.Contains("heading")) {
      ASSIGN_OR_RETURN(JsonArrayReader lines, o.Array("heading", 64));
      for (size_t i = 0; i < lines.size(); ++i) {
        ASSIGN_OR_RETURN(std::string line, lines.Text(i, limits_.max_text_bytes));
        acta.heading.push_back(std::move(line));
      }
    }
    ASSIGN_OR_RETURN(JsonArrayReader blocks, o.Array("blocks", limits_.max_blocks));
    ASSIGN_OR_RETURN(acta.blocks, Blocks(blocks));
    RETURN_IF_ERROR(render::CheckActa(acta, limits_, kCode));
    return acta;
  }

 private:
  Result<std::string> Str(JsonReader& o, std::string_view key) {
    return o.Text(key, limits_.max_text_bytes);
  }

  Result<RichText> Rich(JsonReader& o, std::string_view key) {
    ASSIGN_OR_RETURN(std::string text, Str(o, key));
    return ParseInlineMarkup(text, Member(o.path(), key));
  }

  Result<Align> AlignOf(JsonReader& o, Align fallback) {
    if (!o.Contains("align")) return fallback;
    ASSIGN_OR_RETURN(std::string a, Str(o, "align"));
    if (a == "justify") return Align::kJustify;
    if (a == "left") return Align::kLeft;
    if (a == "center") return Align::kCenter;
    if (a == "right") return Align::kRight;
    return o.Fail("align", "expected \"justify\", \"left\", \"center\" or \"right\"",
                  "la alineación no existe");
  }

  Result<std::vector<RichText>> RichArray(const JsonArrayReader& a) {
    std::vector<RichText> out;
    for (size_t i = 0; i < a.size(); ++i) {
      ASSIGN_OR_RETURN(std::string text, a.Text(i, limits_.max_text_bytes));
      ASSIGN_OR_RETURN(RichText rich, ParseInlineMarkup(text, a.path() + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(rich));
    }
    return out;
  }

  Result<std::vector<Block>> Blocks(const JsonArrayReader& a) {
    std::vector<Block> blocks;
    for (size_t i = 0; i < a.size(); ++i) {
      if (++block_count_ > limits_.max_blocks) {
        return a.Fail("more than " + std::to_string(limits_.max_blocks) + " blocks",
                      "hay demasiados bloques");
      }
      ASSIGN_OR_RETURN(JsonReader o, a.Object(i));
      ASSIGN_OR_RETURN(Block b, OneBlock(o));
      blocks.push_back(std::move(b));
    }
    return blocks;
  }

  Result<Block> OneBlock(JsonReader& o) {
    if (!o.Contains("type")) return o.Fail("type", "missing", "falta el tipo de bloque");
    ASSIGN_OR_RETURN(std::string type, Str(o, "type"));
    if (type == "heading" || type == "paragraph" || type == "closing") {
      RETURN_IF_ERROR(o.Keys({"type", "text", "align"}, {"text"}));
      ASSIGN_OR_RETURN(RichText text, Rich(o, "text"));
      if (type == "closing") {
        if (o.Contains("align")) return o.Fail("align", "unknown key", "la clave no existe en el formato");
        return Block(Closing{std::move(text)});
      }
      const bool heading = type == "heading";
      ASSIGN_OR_RETURN(Align align, AlignOf(o, heading ? Align::kCenter : Align::kJustify));
      if (heading) return Block(Heading{std::move(text), align});
      return Block(Paragraph{std::move(text), align});
    }
    if (type == "section") {
      RETURN_IF_ERROR(o.Keys({"type", "title", "blocks"}, {"title", "blocks"}));
      Section s;
      ASSIGN_OR_RETURN(s.title, Str(o, "title"));
      ASSIGN_OR_RETURN(JsonArrayReader blocks, o.Array("blocks", limits_.max_blocks));
      ASSIGN_OR_RETURN(s.blocks, Blocks(blocks));
      return Block(std::move(s));
    }
    if (type == "list") return ListBlock(o);
    if (type == "table") return TableBlock(o);
    if (type == "signatures") return SignaturesBlock(o);
    return o.Fail("type", "unknown block type \"" + type.substr(0, 40) + "\"",
                  "el tipo de bloque no existe");
  }

  Result<Block> ListBlock(JsonReader& o) {
    RETURN_IF_ERROR(o.Keys({"type", "style", "start", "items"}, {"items"}));
    List list;
    if (o.Contains("style")) {
      ASSIGN_OR_RETURN(std::string style, Str(o, "style"));
      if (style == "decimal")
        list.style = ListStyle::kDecimal;
      else if (style == "alpha")
        list.style = ListStyle::kLowerAlpha;
      else if (style == "bullet")
        list.style = ListStyle::kBullet;
      else
        return o.Fail("style", "expected \"decimal\", \"alpha\" or \"bullet\"",
                      "el estilo de lista no existe");
    }
    if (o.Contains("start")) {
      ASSIGN_OR_RETURN(int64_t start, o.Int("start", 1, 10000));
      list.start = static_cast<int>(start);
    }
    ASSIGN_OR_RETURN(JsonArrayReader items, o.Array("items", limits_.max_items));
    ASSIGN_OR_RETURN(list.items, RichArray(items));
    return Block(std::move(list));
  }

  Result<Block> TableBlock(JsonReader& o) {
    RETURN_IF_ERROR(o.Keys({"type", "header", "widths", "rows"}, {"header", "rows"}));
    Table t;
    ASSIGN_OR_RETURN(JsonArrayReader header, o.Array("header", limits_.max_columns));
    ASSIGN_OR_RETURN(t.header, RichArray(header));
    if (o.Contains("widths")) {
      ASSIGN_OR_RETURN(JsonArrayReader w, o.Array("widths", limits_.max_columns));
      for (size_t i = 0; i < w.size(); ++i) {
        ASSIGN_OR_RETURN(double width, w.Number(i));
        t.widths.push_back(width);
      }
    }
    ASSIGN_OR_RETURN(JsonArrayReader rows, o.Array("rows", limits_.max_items));
    for (size_t r = 0; r < rows.size(); ++r) {
      ASSIGN_OR_RETURN(JsonArrayReader cells, rows.Array(r, limits_.max_columns));
      ASSIGN_OR_RETURN(std::vector<RichText> row, RichArray(cells));
      t.rows.push_back(std::move(row));
    }
    return Block(std::move(t));
  }

  Result<Block> SignaturesBlock(JsonReader& o) {
    RETURN_IF_ERROR(o.Keys({"type", "title", "signers"}, {}));
    SignatureBlock b;
    if (o.Contains("title")) {
      ASSIGN_OR_RETURN(b.title, Str(o, "title"));
    }
    if (o.Contains("signers")) {
      ASSIGN_OR_RETURN(JsonArrayReader a, o.Array("signers", kMaxSigners));
      for (size_t i = 0; i < a.size(); ++i) {
        ASSIGN_OR_RETURN(JsonReader s, a.Object(i));
        RETURN_IF_ERROR(s.Keys({"name", "representation", "role", "seat", "gender"}, {"name"}));
        SignatureSlotText slot;
        ASSIGN_OR_RETURN(slot.name, Str(s, "name"));
        for (auto [key, field] : {std::pair<const char*, std::string*>{"representation", &slot.representation},
                                  {"role", &slot.role},
                                  {"seat", &slot.seat},
                                  {"gender", &slot.gender}}) {
          if (s.Contains(key)) {
            ASSIGN_OR_RETURN(*field, Str(s, key));
          }
        }
        b.preview_signers.push_back(std::move(slot));
      }
    }
    return Block(std::move(b));
  }

  const ActaLimits& limits_;
  size_t block_count_ = 0;
};

}  // namespace

Result<ActaDocument> ParseActaJson(std::string_view json, const ActaLimits& limits) {
  return ActaParser(limits).Document(json);
}

Result<RichText> ParseInlineMarkup(std::string_view text, std::string_view path) {
  RichText out;
  std::string current;
  bool bold = false, italic = false;
  size_t bold_at = 0, italic_at = 0;
  auto flush = [&]() {
    if (current.empty()) return;
    if (!out.empty() && out.back().bold == bold && out.back().italic == italic) {
      out.back().text += current;
    } else {
      out.push_back({current, bold, italic});
    }
    current.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '*' || text[i + 1] == '\\')) {
      current.push_back(text[++i]);
    } else if (c == '*') {
      flush();
      if (i + 1 < text.size() && text[i + 1] == '*') {
        bold = !bold, bold_at = i++;
      } else {
        italic = !italic, italic_at = i;
      }
    } else {
      current.push_back(c);
    }
  }
  flush();
  if (bold || italic) {
    const bool b = bold && (!italic || bold_at < italic_at);
    const size_t at = CharIndex(text, b ? bold_at : italic_at);
    const std::string marker = b ? "**" : "*";
    return Status::Error(
        ErrorKind::kInvalidArgument, kCode,
        std::string(path) + ": unclosed " + marker + " at character " + std::to_string(at),
        "El contenido del acta no es válido (" + std::string(path) + "): falta cerrar " + marker +
            " (carácter " + std::to_string(at) + ").");
  }
  return out;
}

}  // namespace rubrica::pdf
