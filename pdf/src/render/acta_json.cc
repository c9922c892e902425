#include "rubrica/pdf/acta_json.h"

#include <type_traits>

#include "render/acta_checks.h"
#include "render/json_reader.h"
#include "rubrica/pdf/signature_plan.h"

namespace rubrica::pdf {
namespace {

using render::JsonArray;
using render::JsonObject;
using render::JsonReader;
using render::JsonValue;

constexpr char kCode[] = "pdf.bad_acta_json";

size_t CharIndex(std::string_view text, size_t byte) {
  size_t chars = 0;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars;
}

class ActaParser {
 public:
  explicit ActaParser(const ActaLimits& limits)
      : limits_(limits), json_(kCode, ErrorKind::kInvalidArgument, "El contenido del acta") {}

  Result<ActaDocument> Document(std::string_view text) {
    ASSIGN_OR_RETURN(JsonValue root,
                     json_.Parse(text, limits_.max_json_bytes, limits_.max_json_depth));
    ASSIGN_OR_RETURN(JsonObject o, json_.Object(root, "$"));
    RETURN_IF_ERROR(json_.Keys(
        o, "$", {"format", "id", "kind", "secretariat", "heading", "title", "place_date", "blocks"},
        {"id", "kind", "secretariat", "title", "blocks"}));
    ActaDocument acta;
    if (o->has("format")) {
      ASSIGN_OR_RETURN(long long format, json_.Integer(o->get("format"), "format", 1, 1));
      (void)format;
    }
    ASSIGN_OR_RETURN(acta.id, Str(o, "$", "id"));
    ASSIGN_OR_RETURN(std::string kind, Str(o, "$", "kind"));
    if (kind == "instalacion")
      acta.kind = ActaKind::kInstallation;
    else if (kind == "sesion")
      acta.kind = ActaKind::kSession;
    else
      return json_.Fail("kind", "expected \"instalacion\" or \"sesion\"",
                        "se esperaba \"instalacion\" o \"sesion\"");
    ASSIGN_OR_RETURN(acta.secretariat, Str(o, "$", "secretariat"));
    ASSIGN_OR_RETURN(acta.title, Str(o, "$", "title"));
    if (o->has("place_date")) {
      ASSIGN_OR_RETURN(acta.place_date, Str(o, "$", "place_date"));
    }
    if (o->has("heading")) {
      ASSIGN_OR_RETURN(JsonArray lines, json_.Array(o->get("heading"), "heading", 64));
      for (size_t i = 0; i < lines->size(); ++i) {
        ASSIGN_OR_RETURN(std::string line,
                         json_.String(lines->get(static_cast<unsigned>(i)),
                                      JsonReader::Index("heading", i), limits_.max_text_bytes));
        acta.heading.push_back(std::move(line));
      }
    }
    ASSIGN_OR_RETURN(acta.blocks, Blocks(o->get("blocks"), "blocks"));
    RETURN_IF_ERROR(render::CheckActa(acta, limits_, kCode));
    return acta;
  }

 private:
  Result<std::string> Str(const JsonObject& o, const std::string& path, std::string_view key) {
    const std::string k(key);
    return json_.String(o->get(k), JsonReader::Member(path, k), limits_.max_text_bytes);
  }

  Result<RichText> Rich(const JsonObject& o, const std::string& path, std::string_view key) {
    ASSIGN_OR_RETURN(std::string text, Str(o, path, key));
    return ParseInlineMarkup(text, JsonReader::Member(path, key));
  }

  Result<Align> AlignOf(const JsonObject& o, const std::string& path, Align fallback) {
    if (!o->has("align")) return fallback;
    ASSIGN_OR_RETURN(std::string a, Str(o, path, "align"));
    if (a == "justify") return Align::kJustify;
    if (a == "left") return Align::kLeft;
    if (a == "center") return Align::kCenter;
    if (a == "right") return Align::kRight;
    return json_.Fail(JsonReader::Member(path, "align"),
                      "expected \"justify\", \"left\", \"center\" or \"right\"",
                      "la alineación no existe");
  }

  Result<std::vector<RichText>> RichArray(const JsonValue& v, const std::string& path,
                                          size_t max_items) {
    ASSIGN_OR_RETURN(JsonArray a, json_.Array(v, path, max_items));
    std::vector<RichText> out;
    for (size_t i = 0; i < a->size(); ++i) {
      const std::string at = JsonReader::Index(path, i);
      ASSIGN_OR_RETURN(std::string text,
                       json_.String(a->get(static_cast<unsigned>(i)), at, limits_.max_text_bytes));
      ASSIGN_OR_RETURN(RichText rich, ParseInlineMarkup(text, at));
      out.push_back(std::move(rich));
    }
    return out;
  }

  Result<std::vector<Block>> Blocks(const JsonValue& v, const std::string& path) {
    ASSIGN_OR_RETURN(JsonArray a, json_.Array(v, path, limits_.max_blocks));
    std::vector<Block> blocks;
    for (size_t i = 0; i < a->size(); ++i) {
      if (++block_count_ > limits_.max_blocks) {
        return json_.Fail(path, "more than " + std::to_string(limits_.max_blocks) + " blocks",
                          "hay demasiados bloques");
      }
      ASSIGN_OR_RETURN(Block b,
                       OneBlock(a->get(static_cast<unsigned>(i)), JsonReader::Index(path, i)));
      blocks.push_back(std::move(b));
    }
    return blocks;
  }

  Result<Block> OneBlock(const JsonValue& v, const std::string& path) {
    ASSIGN_OR_RETURN(JsonObject o, json_.Object(v, path));
    if (!o->has("type"))
      return json_.Fail(JsonReader::Member(path, "type"), "missing", "falta el tipo de bloque");
    ASSIGN_OR_RETURN(std::string type, Str(o, path, "type"));
    if (type == "heading" || type == "paragraph" || type == "closing") {
      RETURN_IF_ERROR(json_.Keys(o, path, {"type", "text", "align"}, {"text"}));
      ASSIGN_OR_RETURN(RichText text, Rich(o, path, "text"));
      if (type == "closing") {
        if (o->has("align")) {
          return json_.Fail(JsonReader::Member(path, "align"), "unknown key",
                            "la clave no existe en el formato");
        }
        return Block(Closing{std::move(text)});
      }
      const bool heading = type == "heading";
      ASSIGN_OR_RETURN(Align align, AlignOf(o, path, heading ? Align::kCenter : Align::kJustify));
      if (heading) return Block(Heading{std::move(text), align});
      return Block(Paragraph{std::move(text), align});
    }
    if (type == "section") {
      RETURN_IF_ERROR(json_.Keys(o, path, {"type", "title", "blocks"}, {"title", "blocks"}));
      Section s;
      ASSIGN_OR_RETURN(s.title, Str(o, path, "title"));
      ASSIGN_OR_RETURN(s.blocks, Blocks(o->get("blocks"), JsonReader::Member(path, "blocks")));
      return Block(std::move(s));
    }
    if (type == "list") return ListBlock(o, path);
    if (type == "table") return TableBlock(o, path);
    if (type == "signatures") return SignaturesBlock(o, path);
    return json_.Fail(JsonReader::Member(path, "type"),
                      "unknown block type \"" + type.substr(0, 40) + "\"",
                      "el tipo de bloque no existe");
  }

  Result<Block> ListBlock(const JsonObject& o, const std::string& path) {
    RETURN_IF_ERROR(json_.Keys(o, path, {"type", "style", "start", "items"}, {"items"}));
    List list;
    if (o->has("style")) {
      ASSIGN_OR_RETURN(std::string style, Str(o, path, "style"));
      if (style == "decimal")
        list.style = ListStyle::kDecimal;
      else if (style == "alpha")
        list.style = ListStyle::kLowerAlpha;
      else if (style == "bullet")
        list.style = ListStyle::kBullet;
      else
        return json_.Fail(JsonReader::Member(path, "style"),
                          "expected \"decimal\", \"alpha\" or \"bullet\"",
                          "el estilo de lista no existe");
    }
    if (o->has("start")) {
      ASSIGN_OR_RETURN(long long start,
                       json_.Integer(o->get("start"), JsonReader::Member(path, "start"), 1, 10000));
      list.start = static_cast<int>(start);
    }
    ASSIGN_OR_RETURN(list.items, RichArray(o->get("items"), JsonReader::Member(path, "items"),
                                           limits_.max_items));
    return Block(std::move(list));
  }

  Result<Block> TableBlock(const JsonObject& o, const std::string& path) {
    RETURN_IF_ERROR(json_.Keys(o, path, {"type", "header", "widths", "rows"}, {"header", "rows"}));
    Table t;
    ASSIGN_OR_RETURN(t.header, RichArray(o->get("header"), JsonReader::Member(path, "header"),
                                         limits_.max_columns));
    if (o->has("widths")) {
      const std::string wpath = JsonReader::Member(path, "widths");
      ASSIGN_OR_RETURN(JsonArray w, json_.Array(o->get("widths"), wpath, limits_.max_columns));
      for (size_t i = 0; i < w->size(); ++i) {
        ASSIGN_OR_RETURN(double width, json_.Number(w->get(static_cast<unsigned>(i)),
                                                    JsonReader::Index(wpath, i)));
        t.widths.push_back(width);
      }
    }
    const std::string rpath = JsonReader::Member(path, "rows");
    ASSIGN_OR_RETURN(JsonArray rows, json_.Array(o->get("rows"), rpath, limits_.max_items));
    for (size_t r = 0; r < rows->size(); ++r) {
      ASSIGN_OR_RETURN(std::vector<RichText> row,
                       RichArray(rows->get(static_cast<unsigned>(r)), JsonReader::Index(rpath, r),
                                 limits_.max_columns));
      t.rows.push_back(std::move(row));
    }
    return Block(std::move(t));
  }

  Result<Block> SignaturesBlock(const JsonObject& o, const std::string& path) {
    RETURN_IF_ERROR(json_.Keys(o, path, {"type", "title", "signers"}, {}));
    SignatureBlock b;
    if (o->has("title")) {
      ASSIGN_OR_RETURN(b.title, Str(o, path, "title"));
    }
    if (o->has("signers")) {
      const std::string spath = JsonReader::Member(path, "signers");
      ASSIGN_OR_RETURN(JsonArray a, json_.Array(o->get("signers"), spath, kMaxSigners));
      for (size_t i = 0; i < a->size(); ++i) {
        const std::string at = JsonReader::Index(spath, i);
        ASSIGN_OR_RETURN(JsonObject s, json_.Object(a->get(static_cast<unsigned>(i)), at));
        RETURN_IF_ERROR(json_.Keys(s, at, {"name", "representation", "role", "seat", "gender"},
                                       {"name"}));
        SignatureSlotText slot;
        ASSIGN_OR_RETURN(slot.name, Str(s, at, "name"));
        if (s->has("representation")) {
          ASSIGN_OR_RETURN(slot.representation, Str(s, at, "representation"));
        }
        if (s->has("role")) {
          ASSIGN_OR_RETURN(slot.role, Str(s, at, "role"));
        }
        if (s->has("seat")) {
          ASSIGN_OR_RETURN(slot.seat, Str(s, at, "seat"));
        }
        if (s->has("gender")) {
          ASSIGN_OR_RETURN(slot.gender, Str(s, at, "gender"));
        }
        b.preview_signers.push_back(std::move(slot));
      }
    }
    return Block(std::move(b));
  }

  const ActaLimits& limits_;
  JsonReader json_;
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
