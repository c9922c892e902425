#include "render/json_reader.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <cstdio>

#include "render/json_syntax.h"
#include "render/winansi.h"

namespace rubrica::pdf::render {
namespace {

// A key as it may appear in a message: printable ASCII, at most 64 characters.
std::string Printable(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, 64)) out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
  if (key.size() > 64) out += "...";
  return out;
}

}  // namespace

JsonReader::JsonReader(std::string code, ErrorKind kind, std::string subject_es)
    : code_(std::move(code)), kind_(kind), subject_es_(std::move(subject_es)) {}

Status JsonReader::Fail(const std::string& path, const std::string& en,
                        const std::string& es) const {
  return Status::Error(kind_, code_, path + ": " + en,
                       subject_es_ + " no es válido (" + path + "): " + es + ".");
}

Result<JsonValue> JsonReader::Parse(std::string_view text, size_t max_bytes,
                                    size_t max_depth) const {
  if (text.size() > max_bytes) {
    Status s = Fail("$", "JSON text larger than " + std::to_string(max_bytes) + " bytes",
                    "el texto excede " + std::to_string(max_bytes) + " bytes");
    return Status::Error(ErrorKind::kTooLarge, s.code(), s.message(), s.message_es());
  }
  const JsonSyntaxError syntax = CheckJsonSyntax(text, max_depth);
  if (!syntax.ok()) {
    const std::string where =
        "line " + std::to_string(syntax.line) + ", column " + std::to_string(syntax.column);
    return Fail("$", syntax.what + " at " + where,
                "el texto no es JSON válido (línea " + std::to_string(syntax.line) + ", columna " +
                    std::to_string(syntax.column) + ")");
  }
  try {
    Poco::JSON::Parser parser;
    parser.setAllowComments(false);
    parser.setDepth(max_depth + 1);
    return parser.parse(std::string(text));
  } catch (const Poco::Exception& e) {
    return Fail("$", "not valid JSON: " + e.displayText(), "no es JSON válido");
  } catch (const std::exception& e) {
    return Fail("$", std::string("not valid JSON: ") + e.what(), "no es JSON válido");
  }
}

Status JsonReader::WrongType(const JsonValue& v, const std::string& path, const char* expected_en,
                             const char* expected_es) const {
  const char* found = "something else";
  if (v.isEmpty())
    found = "null";
  else if (v.type() == typeid(JsonObject))
    found = "an object";
  else if (v.type() == typeid(JsonArray))
    found = "an array";
  else if (v.isString())
    found = "a string";
  else if (v.isBoolean())
    found = "a boolean";
  else if (v.isNumeric())
    found = "a number";
  return Fail(path, std::string("expected ") + expected_en + ", found " + found,
              std::string("se esperaba ") + expected_es);
}

Result<JsonObject> JsonReader::Object(const JsonValue& v, const std::string& path) const {
  if (v.isEmpty() || v.type() != typeid(JsonObject)) {
    return WrongType(v, path, "an object", "un objeto");
  }
  return v.extract<JsonObject>();
}

Result<JsonArray> JsonReader::Array(const JsonValue& v, const std::string& path,
                                    size_t max_items) const {
  if (v.isEmpty() || v.type() != typeid(JsonArray)) {
    return WrongType(v, path, "an array", "un arreglo");
  }
  JsonArray a = v.extract<JsonArray>();
  if (a->size() > max_items) {
    return Fail(path, "more than " + std::to_string(max_items) + " elements",
                "hay más de " + std::to_string(max_items) + " elementos");
  }
  return a;
}

Result<std::string> JsonReader::String(const JsonValue& v, const std::string& path,
                                       size_t max_bytes) const {
  if (v.isEmpty() || !v.isString()) return WrongType(v, path, "a string", "un texto");
  std::string s = v.extract<std::string>();
  if (s.size() > max_bytes) {
    return Fail(path, "string longer than " + std::to_string(max_bytes) + " bytes",
                "el texto excede " + std::to_string(max_bytes) + " bytes");
  }
  if (!IsValidUtf8(s)) return Fail(path, "invalid UTF-8", "el texto no es UTF-8 válido");
  return s;
}

Result<long long> JsonReader::Integer(const JsonValue& v, const std::string& path, long long min,
                                      long long max) const {
  if (v.isEmpty() || !v.isInteger() || v.isBoolean()) {
    return WrongType(v, path, "an integer", "un número entero");
  }
  long long n = 0;
  try {
    n = v.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    return Fail(path, "integer out of range", "el número está fuera de rango");
  }
  if (n < min || n > max) {
    return Fail(path, "must be between " + std::to_string(min) + " and " + std::to_string(max),
                "debe estar entre " + std::to_string(min) + " y " + std::to_string(max));
  }
  return n;
}

Result<double> JsonReader::Number(const JsonValue& v, const std::string& path) const {
  if (v.isEmpty() || !v.isNumeric() || v.isBoolean()) {
    return WrongType(v, path, "a number", "un número");
  }
  double d = 0;
  try {
    d = v.convert<double>();
  } catch (const Poco::Exception&) {
    return Fail(path, "number out of range", "el número está fuera de rango");
  }
  if (!std::isfinite(d)) return Fail(path, "number out of range", "el número está fuera de rango");
  return d;
}

Result<bool> JsonReader::Bool(const JsonValue& v, const std::string& path) const {
  if (v.isEmpty() || !v.isBoolean()) return WrongType(v, path, "true or false", "true o false");
  return v.extract<bool>();
}

Status JsonReader::Keys(const JsonObject& o, const std::string& path,
                        std::initializer_list<std::string_view> allowed,
                        std::initializer_list<std::string_view> required) const {
  for (const auto& [key, value] : *o) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (!known) {
      return Fail(Member(path, Printable(key)), "unknown key", "la clave no existe en el formato");
    }
  }
  for (std::string_view r : required) {
    if (!o->has(std::string(r))) {
      return Fail(Member(path, r), "missing", "falta este dato");
    }
  }
  return Status::Ok();
}

std::string JsonReader::Member(const std::string& path, std::string_view key) {
  return path == "$" ? std::string(key) : path + "." + std::string(key);
}

std::string JsonReader::Index(const std::string& path, size_t i) {
  return (path == "$" ? std::string() : path) + "[" + std::to_string(i) + "]";
}

void AppendJsonString(std::string& out, std::string_view utf8) {
  out.push_back('"');
  for (char c : utf8) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace rubrica::pdf::render
