#include "rubrica/pdf/acta_document.h"

#include <cmath>
#include <type_traits>

#include "render/acta_checks.h"
#include "render/winansi.h"
#include "rubrica/pdf/signature_plan.h"
#include "rubrica/lang/gender.h"

namespace rubrica::pdf {

std::string PlainText(const RichText& text) {
  std::string out;
  for (const TextSpan& span : text) out += span.text;
  return out;
}

std::string_view ActaKindName(ActaKind kind) {
  return kind == ActaKind::kInstallation ? "instalacion" : "sesion";
}

namespace render {
namespace {

constexpr size_t kMaxHeadingLines = 8;
constexpr size_t kMaxSignerTextBytes = 300;
constexpr size_t kMaxIdBytes = 200;

class Checker {
 public:
  Checker(const ActaLimits& limits, std::string code) : limits_(limits), code_(std::move(code)) {}

  Status Fail(const std::string& path, const std::string& en, const std::string& es) const {
    return Status::Error(ErrorKind::kInvalidArgument, code_, path + ": " + en,
                         "El contenido del acta no es válido (" + path + "): " + es + ".");
  }

  Status Text(std::string_view text, const std::string& path, size_t max_bytes = 0) {
    if (max_bytes == 0) max_bytes = limits_.max_text_bytes;
    total_ += text.size();
    if (text.size() > max_bytes) {
      return Fail(path, "text longer than " + std::to_string(max_bytes) + " bytes",
                  "el texto excede " + std::to_string(max_bytes) + " bytes");
    }
    if (total_ > limits_.max_total_text_bytes) {
      return Fail(
          path,
          "the acta's text exceeds " + std::to_string(limits_.max_total_text_bytes) + " bytes",
          "el texto del acta es demasiado largo");
    }
    if (!IsValidUtf8(text)) return Fail(path, "invalid UTF-8", "el texto no es UTF-8 válido");
    return Status::Ok();
  }

  Status Rich(const RichText& text, const std::string& path) {
    size_t bytes = 0;
    for (const TextSpan& span : text) {
      bytes += span.text.size();
      RETURN_IF_ERROR(Text(span.text, path));
    }
    if (bytes <= limits_.max_text_bytes) return Status::Ok();
    return Fail(path, "text longer than " + std::to_string(limits_.max_text_bytes) + " bytes",
                "el texto excede " + std::to_string(limits_.max_text_bytes) + " bytes");
  }

  Status Count(size_t n, size_t max, const std::string& path, const char* what_en,
               const char* what_es) const {
    if (n <= max) return Status::Ok();
    return Fail(path, "more than " + std::to_string(max) + " " + what_en,
                std::string("hay más de ") + std::to_string(max) + " " + what_es);
  }

  Status Blocks(const std::vector<Block>& blocks, const std::string& prefix, bool in_section) {
    blocks_ += blocks.size();
    RETURN_IF_ERROR(Count(blocks_, limits_.max_blocks, prefix.empty() ? "blocks" : prefix, "blocks",
                          "bloques"));
    for (size_t i = 0; i < blocks.size(); ++i) {
      const std::string path =
          (prefix.empty() ? "" : prefix + ".") + "blocks[" + std::to_string(i) + "]";
      RETURN_IF_ERROR(
          std::visit([&](const auto& b) { return One(b, path, in_section); }, blocks[i]));
    }
    return Status::Ok();
  }

 private:
  Status One(const Heading& b, const std::string& path, bool) {
    return Rich(b.text, path + ".text");
  }
  Status One(const Paragraph& b, const std::string& path, bool) {
    return Rich(b.text, path + ".text");
  }
  Status One(const Closing& b, const std::string& path, bool) {
    return Rich(b.text, path + ".text");
  }
  Status One(const Section& b, const std::string& path, bool in_section) {
    if (in_section) {
      return Fail(path, "sections cannot nest", "una sección no puede contener otra sección");
    }
    if (b.title.empty()) return Fail(path + ".title", "empty section title", "falta el título");
    RETURN_IF_ERROR(Text(b.title, path + ".title"));
    return Blocks(b.blocks, path, true);
  }
  Status One(const List& b, const std::string& path, bool) {
    if (b.start < 1 || b.start > 10000) {
      return Fail(path + ".start", "must be between 1 and 10000", "debe estar entre 1 y 10000");
    }
    RETURN_IF_ERROR(
        Count(b.items.size(), limits_.max_items, path + ".items", "items", "elementos"));
    for (size_t i = 0; i < b.items.size(); ++i) {
      RETURN_IF_ERROR(Rich(b.items[i], path + ".items[" + std::to_string(i) + "]"));
    }
    return Status::Ok();
  }
  Status One(const Table& b, const std::string& path, bool) {
    if (b.header.empty())
      return Fail(path + ".header", "a table needs a header row", "falta el encabezado");
    const size_t columns = b.header.size();
    RETURN_IF_ERROR(Count(columns, limits_.max_columns, path + ".header", "columns", "columnas"));
    RETURN_IF_ERROR(Count(b.rows.size(), limits_.max_items, path + ".rows", "rows", "renglones"));
    for (size_t c = 0; c < columns; ++c) {
      RETURN_IF_ERROR(Rich(b.header[c], path + ".header[" + std::to_string(c) + "]"));
    }
    if (!b.widths.empty() && b.widths.size() != columns) {
      return Fail(path + ".widths",
                  "expected " + std::to_string(columns) + " widths, found " +
                      std::to_string(b.widths.size()),
                  "el número de anchos no coincide con el de columnas");
    }
    for (size_t c = 0; c < b.widths.size(); ++c) {
      if (!std::isfinite(b.widths[c]) || b.widths[c] <= 0 || b.widths[c] > 1000) {
        return Fail(path + ".widths[" + std::to_string(c) + "]", "must be in (0, 1000]",
                    "el ancho debe ser positivo");
      }
    }
    for (size_t r = 0; r < b.rows.size(); ++r) {
      const std::string row = path + ".rows[" + std::to_string(r) + "]";
      if (b.rows[r].size() != columns) {
        return Fail(row,
                    "expected " + std::to_string(columns) + " cells, found " +
                        std::to_string(b.rows[r].size()),
                    "se esperaban " + std::to_string(columns) + " celdas");
      }
      for (size_t c = 0; c < columns; ++c) {
        RETURN_IF_ERROR(Rich(b.rows[r][c], row + "[" + std::to_string(c) + "]"));
      }
    }
    return Status::Ok();
  }
  Status One(const SignatureBlock& b, const std::string& path, bool) {
    if (++signature_blocks_ > 1) {
      return Fail(path, "only one signature block is allowed",
                  "solo puede haber un bloque de firmas");
    }
    RETURN_IF_ERROR(Text(b.title, path + ".title", 1000));
    RETURN_IF_ERROR(
        Count(b.preview_signers.size(), kMaxSigners, path + ".signers", "signers", "firmantes"));
    for (size_t i = 0; i < b.preview_signers.size(); ++i) {
      const std::string at = path + ".signers[" + std::to_string(i) + "]";
      const SignatureSlotText& s = b.preview_signers[i];
      RETURN_IF_ERROR(Text(s.name, at + ".name", kMaxSignerTextBytes));
      RETURN_IF_ERROR(Text(s.representation, at + ".representation", kMaxSignerTextBytes));
      RETURN_IF_ERROR(Text(s.role, at + ".role", kMaxSignerTextBytes));
      RETURN_IF_ERROR(Text(s.seat, at + ".seat", kMaxSignerTextBytes));
      if (!s.gender.empty() && !lang::ParseGender(s.gender)) {
        return Fail(at + ".gender", "must be \"femenino\", \"masculino\" or \"neutro\"",
                    "el género debe ser «femenino», «masculino» o «neutro»");
      }
    }
    return Status::Ok();
  }

  const ActaLimits& limits_;
  std::string code_;
  size_t total_ = 0;
  size_t blocks_ = 0;
  int signature_blocks_ = 0;
};

}  // namespace

Status CheckActa(const ActaDocument& acta, const ActaLimits& limits, const std::string& code) {
  Checker check(limits, code);
  if (acta.id.empty()) return check.Fail("id", "missing", "falta el identificador");
  RETURN_IF_ERROR(check.Text(acta.id, "id", kMaxIdBytes));
  if (acta.title.empty()) return check.Fail("title", "missing", "falta el título");
  RETURN_IF_ERROR(check.Text(acta.title, "title", 2000));
  RETURN_IF_ERROR(check.Text(acta.secretariat, "secretariat", 1000));
  RETURN_IF_ERROR(check.Text(acta.place_date, "place_date", 1000));
  RETURN_IF_ERROR(check.Count(acta.heading.size(), kMaxHeadingLines, "heading", "lines", "líneas"));
  for (size_t i = 0; i < acta.heading.size(); ++i) {
    RETURN_IF_ERROR(check.Text(acta.heading[i], "heading[" + std::to_string(i) + "]", 1000));
  }
  return check.Blocks(acta.blocks, "", false);
}

}  // namespace render

Status ValidateActa(const ActaDocument& acta, const ActaLimits& limits) {
  return render::CheckActa(acta, limits, "pdf.bad_acta");
}

}  // namespace rubrica::pdf
