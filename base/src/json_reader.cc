#include "rubrica/base/json_reader.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cmath>
#include <set>
#include <sstream>

#include "json_syntax.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/text.h"
#include "rubrica/base/time_zone.h"

namespace rubrica {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Options = std::shared_ptr<const JsonReaderOptions>;

std::string Join(const std::vector<std::string_view>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + std::string(items[i]);
  return out;
}

std::string CodeOf(const JsonReaderOptions& o, std::string_view what) {
  return o.code.empty() ? o.module + "." + std::string(what) : o.code;
}

// "key" at the top level, else "path.key"; and "path[i]".
std::string Member(const std::string& path, std::string_view key) {
  return path == "$" ? std::string(key) : path + "." + std::string(key);
}
std::string Index(const std::string& path, size_t i) {
  return (path == "$" ? std::string() : path) + "[" + std::to_string(i) + "]";
}

// A key as it may appear in a message: printable ASCII, at most 64 characters.
std::string Printable(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, 64)) out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
  if (key.size() > 64) out += "...";
  return out;
}

// A refusal of the document as a whole (at "$").
Status BadJson(const JsonReaderOptions& o, std::string_view en, std::string_view es,
               ErrorKind kind) {
  std::string message_es =
      o.subject_es.empty()
          ? (kind == ErrorKind::kTooLarge
                 ? "El cuerpo de la solicitud excede el tamaño máximo permitido."
                 : "El cuerpo de la solicitud no es un objeto JSON válido.")
          : o.subject_es + " no es válido ($): " + std::string(es) + ".";
  return Status::Error(kind, CodeOf(o, "bad_json"), "$: " + std::string(en), message_es);
}
Status BadJson(const JsonReaderOptions& o, std::string_view en, std::string_view es) {
  return BadJson(o, en, es, o.kind);
}

Status FieldError(const JsonReaderOptions& o, std::string_view path, std::string_view en,
                  std::string_view es) {
  std::string message_es =
      o.subject_es.empty()
          ? "Dato inválido en «" + std::string(path) + "»: " + std::string(es) + "."
          : o.subject_es + " no es válido (" + std::string(path) + "): " + std::string(es) + ".";
  return Status::Error(o.kind, CodeOf(o, "bad_field"), std::string(path) + ": " + std::string(en),
                       message_es);
}

Status TextError(const JsonReaderOptions& o, const std::string& path, const std::string& en,
                 const std::string& es) {
  std::string message_es = o.subject_es.empty()
                               ? "Texto no admitido en «" + path + "»: " + es + "."
                               : o.subject_es + " no es válido (" + path + "): " + es + ".";
  return Status::Error(o.kind, CodeOf(o, "bad_text"), path + ": " + en, message_es);
}

bool IsObject(const Var& v) { return !v.isEmpty() && v.type() == typeid(Object::Ptr); }
bool IsArray(const Var& v) { return !v.isEmpty() && v.type() == typeid(Array::Ptr); }

// "a string", "null", ... for "expected X, found Y".
const char* Found(const Var& v) {
  if (v.isEmpty()) return "null";
  if (IsObject(v)) return "an object";
  if (IsArray(v)) return "an array";
  if (v.isString()) return "a string";
  if (v.isBoolean()) return "a boolean";
  if (v.isNumeric()) return "a number";
  return "something else";
}

Status WrongType(const JsonReaderOptions& o, const std::string& path, const Var& v,
                 std::string_view expected_en, std::string_view expected_es) {
  return FieldError(o, path, "expected " + std::string(expected_en) + ", found " + Found(v),
                    "se esperaba " + std::string(expected_es));
}

Status TooLong(const JsonReaderOptions& o, const std::string& path, size_t max_len) {
  return FieldError(o, path, "string longer than " + std::to_string(max_len) + " bytes",
                    "el texto excede " + std::to_string(max_len) + " bytes");
}

Status TooMany(const JsonReaderOptions& o, const std::string& path, size_t max_items) {
  return FieldError(o, path, "more than " + std::to_string(max_items) + " elements",
                    "hay más de " + std::to_string(max_items) + " elementos");
}

// Values kept exactly as sent: secrets nobody reads (passwords are hashed as typed).
bool IsSecretKey(std::string_view key) {
  return key == "password" || key == "pin" || key == "current_pin" || key == "new_pin";
}

// The string `v` holds, wiped where Poco keeps it (in the parsed tree).
void WipeHeld(Var& v) {
  if (v.isString()) SecureWipe(const_cast<std::string&>(v.extract<std::string>()));
}

// Every secret's value in the tree under `o`, wiped in place.
void WipeSecrets(Object::Ptr o) {
  for (auto it = o->begin(); it != o->end(); ++it) {
    Var& v = it->second;
    if (v.isString()) {
      if (IsSecretKey(it->first)) WipeHeld(v);
    } else if (IsObject(v)) {
      WipeSecrets(v.extract<Object::Ptr>());
    } else if (IsArray(v)) {
      Array::Ptr a = v.extract<Array::Ptr>();
      for (unsigned i = 0; i < a->size(); ++i) {
        const Var item = a->get(i);  // shares the nested object
        if (IsObject(item)) WipeSecrets(item.extract<Object::Ptr>());
      }
    }
  }
}

// A plain-text read of a secret is a bug in the caller.
Status SecretReadAsText(const JsonReaderOptions& o, std::string_view key) {
  return Status::Error(ErrorKind::kInternal, CodeOf(o, "internal"),
                       "the secret '" + std::string(key) + "' must be read with Secret()");
}

Status BadText(const JsonReaderOptions& o, const std::string& path, const Status& why) {
  return TextError(o, path, why.message(), why.message_es());
}

// Every text of the document, checked and put in NFC in place (see json_reader.h).
Status NormalizeStrings(const JsonReaderOptions& o, Var& v, const std::string& path) {
  const TextRules any{1u << 22, /*multiline=*/true};
  if (v.isString()) {
    auto normal = NormalizeText(v.extract<std::string>(), any);
    if (!normal.ok()) return BadText(o, path, normal.status());
    v = *normal;
    return Status::Ok();
  }
  if (IsObject(v)) {
    Object::Ptr obj = v.extract<Object::Ptr>();
    std::vector<std::string> names;
    obj->getNames(names);
    for (const std::string& name : names) {
      const std::string child = Member(path, name);
      Status key_ok = CheckText(name, TextRules{200, false});
      if (!key_ok.ok()) return BadText(o, child, key_ok);
      Var value = obj->get(name);
      if (value.isString() && IsSecretKey(name)) continue;
      if (!value.isString() && !IsObject(value) && !IsArray(value)) continue;
      RETURN_IF_ERROR(NormalizeStrings(o, value, child));
      if (value.isString()) obj->set(name, value);
    }
    return Status::Ok();
  }
  if (IsArray(v)) {
    Array::Ptr a = v.extract<Array::Ptr>();
    for (unsigned i = 0; i < a->size(); ++i) {
      Var item = a->get(i);
      if (!item.isString() && !IsObject(item) && !IsArray(item)) continue;
      RETURN_IF_ERROR(NormalizeStrings(o, item, Index(path, i)));
      if (item.isString()) a->set(i, item);
    }
  }
  return Status::Ok();
}

// The checks every string read shares: type, length, and UTF-8 when Parse did not
// normalise (a \u escape can still spell a lone surrogate).
Result<std::string> TextOf(const JsonReaderOptions& o, const std::string& path, const Var& v,
                           size_t max_len) {
  if (v.isEmpty() || !v.isString()) return WrongType(o, path, v, "a string", "un texto");
  std::string s = v.extract<std::string>();
  if (s.size() > max_len) return TooLong(o, path, max_len);
  if (!o.normalize_text && !IsValidUtf8(s)) {
    return FieldError(o, path, "invalid UTF-8", "el texto no es UTF-8 válido");
  }
  return s;
}

Result<int64_t> IntOf(const JsonReaderOptions& o, const std::string& path, const Var& v,
                      int64_t min, int64_t max) {
  if (v.isEmpty() || !v.isInteger() || v.isBoolean()) {
    return WrongType(o, path, v, "an integer", "un número entero");
  }
  int64_t n = 0;
  try {
    n = v.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    return FieldError(o, path, "integer out of range", "el número está fuera de rango");
  }
  if (n < min || n > max) {
    return FieldError(o, path,
                      "must be between " + std::to_string(min) + " and " + std::to_string(max),
                      "debe estar entre " + std::to_string(min) + " y " + std::to_string(max));
  }
  return n;
}

Result<double> NumberOf(const JsonReaderOptions& o, const std::string& path, const Var& v) {
  if (v.isEmpty() || !v.isNumeric() || v.isBoolean()) {
    return WrongType(o, path, v, "a number", "un número");
  }
  double d = 0;
  try {
    d = v.convert<double>();
  } catch (const Poco::Exception&) {
    return FieldError(o, path, "number out of range", "el número está fuera de rango");
  }
  if (!std::isfinite(d)) {
    return FieldError(o, path, "number out of range", "el número está fuera de rango");
  }
  return d;
}

}  // namespace

std::optional<std::chrono::year_month_day> ParseIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day d{year(std::stoi(s.substr(0, 4))), month(std::stoul(s.substr(5, 2))),
                   day(std::stoul(s.substr(8, 2)))};
  if (!d.ok()) return std::nullopt;
  return d;
}

Status BadField(std::string_view path, std::string_view what_en, std::string_view what_es) {
  return FieldError(JsonReaderOptions{}, path, what_en, what_es);
}

struct JsonReader::Impl {
  Options options;
  Object::Ptr object;
  std::string path;
  std::set<std::string, std::less<>> read;
  bool root = false;  // the whole document: its secrets are wiped when it goes

  Impl(Options o, Object::Ptr obj, std::string p)
      : options(std::move(o)), object(std::move(obj)), path(std::move(p)) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (root && object) WipeSecrets(object);
  }

  const JsonReaderOptions& o() const { return *options; }
  std::string PathOf(std::string_view key) const { return Member(path, key); }
  // The value of `key`; empty Var when absent or null.
  Var Get(std::string_view key) {
    read.insert(std::string(key));
    if (!object->has(std::string(key))) return Var();
    return object->get(std::string(key));
  }
  bool Present(std::string_view key) const {
    return object->has(std::string(key)) && !object->isNull(std::string(key));
  }
  Status Missing(std::string_view key) const {
    return FieldError(o(), PathOf(key), "missing", "falta este dato");
  }
  Status Wrong(std::string_view key, const Var& v, std::string_view expected_en,
               std::string_view expected_es) const {
    return WrongType(o(), PathOf(key), v, expected_en, expected_es);
  }
  Status Field(std::string_view key, std::string_view en, std::string_view es) const {
    return FieldError(o(), PathOf(key), en, es);
  }
};

struct JsonArrayReader::Impl {
  Options options;
  Array::Ptr array;
  std::string path;
  const JsonReaderOptions& o() const { return *options; }
  Var At(size_t i) const { return array->get(static_cast<unsigned>(i)); }
};

JsonReader::JsonReader(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonReader::JsonReader(const JsonReader&) = default;
JsonReader& JsonReader::operator=(const JsonReader&) = default;
JsonReader::~JsonReader() = default;

Result<JsonReader> JsonReader::Parse(std::string_view text, const JsonReaderOptions& options) {
  auto opts = std::make_shared<const JsonReaderOptions>(options);
  const JsonReaderOptions& o = *opts;
  if (text.size() > o.max_bytes) {
    const std::string n = std::to_string(o.max_bytes);
    return BadJson(o, "JSON text larger than " + n + " bytes", "el texto excede " + n + " bytes",
                   ErrorKind::kTooLarge);
  }
  // Syntax, UTF-8 and depth first, without recursion: Poco's parser recurses per level.
  const json_internal::JsonSyntaxError syntax =
      json_internal::CheckJsonSyntax(text, static_cast<size_t>(std::max(o.max_depth, 0)));
  if (!syntax.ok()) {
    const std::string line = std::to_string(syntax.line), column = std::to_string(syntax.column);
    return BadJson(o, syntax.what + " at line " + line + ", column " + column,
                   "el texto no es JSON válido (línea " + line + ", columna " + column + ")");
  }
  // The top level is looked at here: Poco's order-keeping handler cannot hold a scalar.
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (text[first] != '{') {
    const char c = text[first];
    const char* found = c == '[' ? "an array"
                        : c == '"' ? "a string"
                        : c == 't' || c == 'f' ? "a boolean"
                        : c == 'n' ? "null"
                                   : "a number";
    return BadJson(o, std::string("expected an object, found ") + found, "se esperaba un objeto");
  }
  try {
    // Key order is kept so that stored content reads back as it was written.
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    parser.setAllowComments(false);
    parser.setDepth(o.max_depth + 1);
    std::string copy(text);
    struct WipeOnExit {
      std::string& s;
      ~WipeOnExit() { SecureWipe(s); }
    } wipe_text{copy};
    Var v = parser.parse(copy);
    if (!IsObject(v)) {
      return BadJson(o, std::string("expected an object, found ") + Found(v),
                     "se esperaba un objeto");
    }
    auto impl = std::make_shared<Impl>(opts, v.extract<Object::Ptr>(), "$");
    impl->root = true;  // from here a refusal still wipes the secrets
    if (o.normalize_text) RETURN_IF_ERROR(NormalizeStrings(o, v, "$"));
    return JsonReader(impl);
  } catch (const Poco::Exception& e) {
    return BadJson(o, "not valid JSON: " + e.displayText(), "no es JSON válido");
  } catch (const std::exception& e) {
    return BadJson(o, std::string("not valid JSON: ") + e.what(), "no es JSON válido");
  }
}

bool JsonReader::Has(std::string_view key) {
  impl_->read.insert(std::string(key));
  return impl_->Present(key);
}

bool JsonReader::Contains(std::string_view key) const {
  return impl_->object->has(std::string(key));
}

Status JsonReader::Keys(std::initializer_list<std::string_view> allowed,
                        std::initializer_list<std::string_view> required) {
  for (const auto& [key, value] : *impl_->object) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (!known) return impl_->Field(Printable(key), "unknown key", "la clave no existe en el formato");
  }
  for (std::string_view r : required) {
    if (!impl_->object->has(std::string(r))) return impl_->Missing(r);
  }
  for (std::string_view a : allowed) impl_->read.insert(std::string(a));
  return Status::Ok();
}

Result<std::string> JsonReader::String(std::string_view key, size_t max_len) {
  if (IsSecretKey(key)) return SecretReadAsText(impl_->o(), key);
  Var v = impl_->Get(key);
  if (v.isEmpty()) return impl_->Missing(key);
  ASSIGN_OR_RETURN(std::string s, TextOf(impl_->o(), impl_->PathOf(key), v, max_len));
  if (s.empty()) return impl_->Field(key, "must not be empty", "no puede estar vacío");
  return s;
}

Result<std::string> JsonReader::Text(std::string_view key, size_t max_len) {
  if (IsSecretKey(key)) return SecretReadAsText(impl_->o(), key);
  if (!impl_->object->has(std::string(key))) {
    impl_->read.insert(std::string(key));
    return impl_->Missing(key);
  }
  return TextOf(impl_->o(), impl_->PathOf(key), impl_->Get(key), max_len);
}

Result<std::string> JsonReader::Line(std::string_view key, size_t max_chars) {
  ASSIGN_OR_RETURN(std::string s, OptionalLine(key, "", max_chars));
  if (s.empty()) {
    if (!impl_->Present(key)) return impl_->Missing(key);
    return impl_->Field(key, "must not be empty", "no puede estar vacío");
  }
  return s;
}

namespace {

Status CheckLine(const JsonReaderOptions& o, const std::string& s, const std::string& path,
                 size_t max_chars) {
  Status ok = CheckText(s, TextRules{max_chars, /*multiline=*/false});
  if (!ok.ok()) return BadText(o, path, ok);
  if (!s.empty() && (s.front() == ' ' || s.back() == ' ')) {
    return TextError(o, path, "starts or ends with a space", "empieza o termina con un espacio");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> JsonReader::OptionalLine(std::string_view key, std::string fallback,
                                             size_t max_chars) {
  Var v = impl_->Get(key);
  if (v.isEmpty()) return fallback;
  if (!v.isString()) return impl_->Wrong(key, v, "a string", "un texto");
  std::string s = v.extract<std::string>();
  RETURN_IF_ERROR(CheckLine(impl_->o(), s, impl_->PathOf(key), max_chars));
  return s;
}

Result<std::string> JsonReader::OptionalString(std::string_view key, std::string fallback,
                                               size_t max_len) {
  if (IsSecretKey(key)) return SecretReadAsText(impl_->o(), key);
  Var v = impl_->Get(key);
  if (v.isEmpty()) return fallback;
  return TextOf(impl_->o(), impl_->PathOf(key), v, max_len);
}

Result<SecretString> JsonReader::OptionalSecret(std::string_view key, size_t max_len) {
  impl_->read.insert(std::string(key));
  for (auto it = impl_->object->begin(); it != impl_->object->end(); ++it) {
    if (it->first != key) continue;
    Var& v = it->second;
    if (v.isEmpty()) return SecretString();
    if (!v.isString()) return impl_->Wrong(key, v, "a string", "un texto");
    const std::string& held = v.extract<std::string>();
    if (held.size() > max_len) {
      WipeHeld(v);
      return TooLong(impl_->o(), impl_->PathOf(key), max_len);
    }
    SecretString secret = SecretString::Copy(held);
    WipeHeld(v);
    return secret;
  }
  return SecretString();
}

Result<SecretString> JsonReader::Secret(std::string_view key, size_t max_len) {
  if (!Has(key)) return impl_->Missing(key);
  ASSIGN_OR_RETURN(SecretString secret, OptionalSecret(key, max_len));
  if (secret.empty()) return impl_->Field(key, "must not be empty", "no puede estar vacío");
  return secret;
}

Result<int64_t> JsonReader::Int(std::string_view key, int64_t min, int64_t max) {
  ASSIGN_OR_RETURN(std::optional<int64_t> v, OptionalInt(key, min, max));
  if (!v) return impl_->Missing(key);
  return *v;
}

Result<std::optional<int64_t>> JsonReader::OptionalInt(std::string_view key, int64_t min,
                                                       int64_t max) {
  Var v = impl_->Get(key);
  if (v.isEmpty()) return std::optional<int64_t>();
  ASSIGN_OR_RETURN(int64_t n, IntOf(impl_->o(), impl_->PathOf(key), v, min, max));
  return std::optional<int64_t>(n);
}

Result<double> JsonReader::Number(std::string_view key) {
  Var v = impl_->Get(key);
  if (v.isEmpty() && !impl_->object->has(std::string(key))) return impl_->Missing(key);
  return NumberOf(impl_->o(), impl_->PathOf(key), v);
}

Result<bool> JsonReader::Bool(std::string_view key, bool fallback) {
  Var v = impl_->Get(key);
  if (v.isEmpty()) return fallback;
  if (!v.isBoolean()) return impl_->Wrong(key, v, "true or false", "true o false");
  return v.extract<bool>();
}

Result<std::chrono::year_month_day> JsonReader::Date(std::string_view key) {
  ASSIGN_OR_RETURN(auto d, OptionalDate(key));
  if (!d) return impl_->Missing(key);
  return *d;
}

Result<std::optional<std::chrono::year_month_day>> JsonReader::OptionalDate(std::string_view key) {
  ASSIGN_OR_RETURN(std::string s, OptionalString(key, "", 10));
  if (s.empty()) return std::optional<std::chrono::year_month_day>();
  auto d = ParseIsoDate(s);
  if (!d) return impl_->Field(key, "expected a date YYYY-MM-DD", "se esperaba una fecha AAAA-MM-DD");
  return d;
}

Result<std::vector<std::chrono::year_month_day>> JsonReader::DateArray(std::string_view key,
                                                                       size_t max_items) {
  ASSIGN_OR_RETURN(auto texts, StringArray(key, max_items, 10));
  std::vector<std::chrono::year_month_day> out;
  for (size_t i = 0; i < texts.size(); ++i) {
    auto d = ParseIsoDate(texts[i]);
    if (!d) {
      return FieldError(impl_->o(), Index(impl_->PathOf(key), i), "expected a date YYYY-MM-DD",
                        "se esperaba una fecha AAAA-MM-DD");
    }
    out.push_back(*d);
  }
  return out;
}

Result<Instant> JsonReader::Time(std::string_view key) {
  ASSIGN_OR_RETURN(std::string s, String(key, 40));
  // A bare date would silently mean midnight UTC: a time needs its offset.
  if (s.size() >= 20 && s[10] == 'T') {
    auto t = ParseRfc3339(s);
    if (t.ok()) return *t;
  }
  return impl_->Field(key, "expected an RFC 3339 time with offset",
                      "se esperaba fecha y hora con zona (RFC 3339)");
}

Result<std::string> JsonReader::Enum(std::string_view key,
                                     const std::vector<std::string_view>& allowed) {
  ASSIGN_OR_RETURN(std::string s, String(key, 100));
  for (auto a : allowed) {
    if (s == a) return s;
  }
  return impl_->Field(key, "expected one of " + Join(allowed),
                      "se esperaba uno de: " + Join(allowed));
}

Result<JsonArrayReader> JsonReader::Array(std::string_view key, size_t max_items) {
  Var v = impl_->Get(key);
  if (v.isEmpty() && !impl_->object->has(std::string(key))) return impl_->Missing(key);
  if (!IsArray(v)) return impl_->Wrong(key, v, "an array", "un arreglo");
  Array::Ptr a = v.extract<Array::Ptr>();
  if (a->size() > max_items) return TooMany(impl_->o(), impl_->PathOf(key), max_items);
  return JsonArrayReader(std::make_shared<JsonArrayReader::Impl>(
      JsonArrayReader::Impl{impl_->options, a, impl_->PathOf(key)}));
}

Result<std::vector<std::string>> JsonReader::StringArray(std::string_view key, size_t max_items,
                                                         size_t max_len) {
  ASSIGN_OR_RETURN(JsonArrayReader a, Array(key, max_items));
  std::vector<std::string> out;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSIGN_OR_RETURN(std::string s, a.Text(i, max_len));
    if (s.empty()) return a.Fail(i, "must not be empty", "no puede estar vacío");
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<std::string>> JsonReader::LineArray(std::string_view key, size_t max_items,
                                                       size_t max_chars) {
  ASSIGN_OR_RETURN(auto lines, StringArray(key, max_items, max_chars * 4));
  for (size_t i = 0; i < lines.size(); ++i) {
    RETURN_IF_ERROR(CheckLine(impl_->o(), lines[i], Index(impl_->PathOf(key), i), max_chars));
  }
  return lines;
}

Result<std::vector<int64_t>> JsonReader::IntArray(std::string_view key, size_t max_items) {
  ASSIGN_OR_RETURN(JsonArrayReader a, Array(key, max_items));
  std::vector<int64_t> out;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSIGN_OR_RETURN(int64_t n, IntOf(impl_->o(), Index(a.path(), i), a.impl_->At(i), INT64_MIN,
                                      INT64_MAX));
    out.push_back(n);
  }
  return out;
}

Result<JsonReader> JsonReader::Object(std::string_view key) {
  Var v = impl_->Get(key);
  if (v.isEmpty() && !impl_->object->has(std::string(key))) return impl_->Missing(key);
  if (!IsObject(v)) return impl_->Wrong(key, v, "an object", "un objeto");
  return JsonReader(
      std::make_shared<Impl>(impl_->options, v.extract<Object::Ptr>(), impl_->PathOf(key)));
}

Result<std::vector<JsonReader>> JsonReader::ObjectArray(std::string_view key, size_t max_items) {
  ASSIGN_OR_RETURN(JsonArrayReader a, Array(key, max_items));
  std::vector<JsonReader> out;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSIGN_OR_RETURN(JsonReader o, a.Object(i));
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::string> JsonReader::RawObject(std::string_view key) {
  Var v = impl_->Get(key);
  if (v.isEmpty() && !impl_->object->has(std::string(key))) return impl_->Missing(key);
  if (!IsObject(v)) return impl_->Wrong(key, v, "an object", "un objeto");
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(v, out, 0, -1, Poco::JSON_PRESERVE_KEY_ORDER);
  return out.str();
}

Status JsonReader::Finish() const {
  for (const auto& [k, v] : *impl_->object) {
    if (!impl_->read.count(k)) {
      return impl_->Field(Printable(k), "unknown key", "la clave no existe en el formato");
    }
  }
  return Status::Ok();
}

Status JsonReader::Fail(std::string_view key, std::string_view what_en,
                        std::string_view what_es) const {
  return FieldError(impl_->o(), key.empty() ? impl_->path : impl_->PathOf(key), what_en, what_es);
}

const std::string& JsonReader::path() const { return impl_->path; }

JsonArrayReader::JsonArrayReader(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonArrayReader::JsonArrayReader(const JsonArrayReader&) = default;
JsonArrayReader& JsonArrayReader::operator=(const JsonArrayReader&) = default;
JsonArrayReader::~JsonArrayReader() = default;

size_t JsonArrayReader::size() const { return impl_->array->size(); }

Result<std::string> JsonArrayReader::Text(size_t i, size_t max_len) const {
  return TextOf(impl_->o(), Index(impl_->path, i), impl_->At(i), max_len);
}

Result<double> JsonArrayReader::Number(size_t i) const {
  return NumberOf(impl_->o(), Index(impl_->path, i), impl_->At(i));
}

Result<JsonReader> JsonArrayReader::Object(size_t i) const {
  const Var v = impl_->At(i);
  const std::string path = Index(impl_->path, i);
  if (!IsObject(v)) return WrongType(impl_->o(), path, v, "an object", "un objeto");
  return JsonReader(std::make_shared<JsonReader::Impl>(impl_->options, v.extract<Object::Ptr>(), path));
}

Result<JsonArrayReader> JsonArrayReader::Array(size_t i, size_t max_items) const {
  const Var v = impl_->At(i);
  const std::string path = Index(impl_->path, i);
  if (!IsArray(v)) return WrongType(impl_->o(), path, v, "an array", "un arreglo");
  Array::Ptr a = v.extract<Array::Ptr>();
  if (a->size() > max_items) return TooMany(impl_->o(), path, max_items);
  return JsonArrayReader(std::make_shared<Impl>(Impl{impl_->options, a, path}));
}

Status JsonArrayReader::Fail(size_t i, std::string_view what_en, std::string_view what_es) const {
  return FieldError(impl_->o(), Index(impl_->path, i), what_en, what_es);
}

Status JsonArrayReader::Fail(std::string_view what_en, std::string_view what_es) const {
  return FieldError(impl_->o(), impl_->path, what_en, what_es);
}

const std::string& JsonArrayReader::path() const { return impl_->path; }

}  // namespace rubrica
