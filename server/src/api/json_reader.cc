#include "json_reader.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/text.h"
#include "rubrica/base/time_zone.h"

namespace rubrica::server::api {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

Status BadJson(std::string_view en) {
  return Status::Error(ErrorKind::kInvalidArgument, "api.bad_json",
                       "request body: " + std::string(en),
                       "El cuerpo de la solicitud no es un objeto JSON válido.");
}

std::string Join(const std::vector<std::string_view>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + std::string(items[i]);
  return out;
}

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

bool IsObject(const Var& v) { return !v.isEmpty() && v.type() == typeid(Object::Ptr); }
bool IsArray(const Var& v) { return !v.isEmpty() && v.type() == typeid(Array::Ptr); }

// Values kept exactly as sent: secrets nobody reads (passwords are hashed as typed).
bool IsSecretKey(const std::string& key) {
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

// A plain-text read of a secret is a bug in the handler.
Status SecretReadAsText(std::string_view key) {
  return Status::Error(ErrorKind::kInternal, "api.internal",
                       "the secret '" + std::string(key) + "' must be read with Secret()");
}

Status BadText(const std::string& path, const Status& why) {
  std::string es = why.message_es();
  return Status::Error(ErrorKind::kInvalidArgument, "api.bad_text", path + ": " + why.message(),
                       "Texto no admitido en «" + path + "»: " + es + ".");
}

// Every text of the body, checked and put in NFC in place (see json_reader.h).
Status NormalizeStrings(Var& v, const std::string& path) {
  const TextRules any{1u << 22, /*multiline=*/true};
  if (v.isString()) {
    auto normal = NormalizeText(v.extract<std::string>(), any);
    if (!normal.ok()) return BadText(path, normal.status());
    v = *normal;
    return Status::Ok();
  }
  if (IsObject(v)) {
    Object::Ptr o = v.extract<Object::Ptr>();
    std::vector<std::string> names;
    o->getNames(names);
    for (const std::string& name : names) {
      const std::string child = (path == "$" ? std::string() : path + ".") + name;
      Status key_ok = CheckText(name, TextRules{200, false});
      if (!key_ok.ok()) return BadText(child, key_ok);
      Var value = o->get(name);
      if (value.isString() && IsSecretKey(name)) continue;
      if (!value.isString() && !IsObject(value) && !IsArray(value)) continue;
      RETURN_IF_ERROR(NormalizeStrings(value, child));
      if (value.isString()) o->set(name, value);
    }
    return Status::Ok();
  }
  if (IsArray(v)) {
    Array::Ptr a = v.extract<Array::Ptr>();
    for (unsigned i = 0; i < a->size(); ++i) {
      Var item = a->get(i);
      if (!item.isString() && !IsObject(item) && !IsArray(item)) continue;
      RETURN_IF_ERROR(NormalizeStrings(item, path + "[" + std::to_string(i) + "]"));
      if (item.isString()) a->set(i, item);
    }
  }
  return Status::Ok();
}

}  // namespace

Status BadField(std::string_view path, std::string_view what_en, std::string_view what_es) {
  return Status::Error(ErrorKind::kInvalidArgument, "api.bad_field",
                       std::string(path) + ": " + std::string(what_en),
                       "Dato inválido en «" + std::string(path) + "»: " + std::string(what_es) + ".");
}

struct JsonReader::Impl {
  Object::Ptr object;
  std::string path;
  std::set<std::string> read;
  bool root = false;  // the whole document: its secrets are wiped when it goes

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (root && object) WipeSecrets(object);
  }

  std::string PathOf(std::string_view key) const {
    return (path == "$" ? std::string() : path + ".") + std::string(key);
  }
  // The value of `key`; empty Var when absent or null.
  Var Get(std::string_view key) {
    read.insert(std::string(key));
    if (!object->has(std::string(key))) return Var();
    return object->get(std::string(key));
  }
  Status Missing(std::string_view key) const {
    return BadField(PathOf(key), "required", "es obligatorio");
  }
  Status WrongType(std::string_view key, std::string_view expected_en,
                   std::string_view expected_es) const {
    return BadField(PathOf(key), "expected " + std::string(expected_en),
                    "se esperaba " + std::string(expected_es));
  }
};

JsonReader::JsonReader(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonReader::JsonReader(const JsonReader&) = default;
JsonReader& JsonReader::operator=(const JsonReader&) = default;
JsonReader::~JsonReader() = default;

Result<JsonReader> JsonReader::Parse(std::string_view body, const JsonLimits& limits) {
  if (body.size() > limits.max_bytes) {
    return Status::Error(ErrorKind::kTooLarge, "api.bad_json",
                         "request body of " + std::to_string(body.size()) + " bytes exceeds " +
                             std::to_string(limits.max_bytes),
                         "El cuerpo de la solicitud excede el tamaño máximo permitido.");
  }
  if (!IsValidUtf8(body)) return BadJson("not UTF-8");
  // Nesting is bounded before parsing: the parser recurses per level.
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limits.max_depth) {
        return BadJson("nested deeper than " + std::to_string(limits.max_depth) + " levels");
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  try {
    // Key order is kept so that stored content reads back as it was written.
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    std::string text(body);
    struct WipeOnExit {
      std::string& s;
      ~WipeOnExit() { SecureWipe(s); }
    } wipe_text{text};
    Var v = parser.parse(text);
    if (!IsObject(v)) return BadJson("expected a JSON object");
    auto impl = std::make_shared<Impl>();
    impl->object = v.extract<Object::Ptr>();
    impl->path = "$";
    impl->root = true;  // from here a refusal still wipes the secrets
    RETURN_IF_ERROR(NormalizeStrings(v, "$"));
    return JsonReader(impl);
  } catch (const Poco::Exception& e) {
    return BadJson(e.displayText());
  } catch (const std::exception& e) {
    return BadJson(e.what());
  }
}

bool JsonReader::Has(std::string_view key) {
  impl_->read.insert(std::string(key));
  return impl_->object->has(std::string(key)) && !impl_->object->isNull(std::string(key));
}

Result<std::string> JsonReader::String(std::string_view key, size_t max_len) {
  if (IsSecretKey(std::string(key))) return SecretReadAsText(key);
  Var v = impl_->Get(key);
  if (v.isEmpty()) return impl_->Missing(key);
  if (!v.isString()) return impl_->WrongType(key, "a string", "un texto");
  std::string s = v.extract<std::string>();
  if (s.empty()) return BadField(impl_->PathOf(key), "must not be empty", "no puede estar vacío");
  if (s.size() > max_len) {
    return BadField(impl_->PathOf(key), "longer than " + std::to_string(max_len) + " bytes",
                    "es demasiado largo");
  }
  return s;
}

Result<std::string> JsonReader::Line(std::string_view key, size_t max_chars) {
  ASSIGN_OR_RETURN(std::string s, OptionalLine(key, "", max_chars));
  if (s.empty()) {
    if (!impl_->object->has(std::string(key)) || impl_->object->isNull(std::string(key))) {
      return impl_->Missing(key);
    }
    return BadField(impl_->PathOf(key), "must not be empty", "no puede estar vacío");
  }
  return s;
}

Result<std::string> JsonReader::OptionalLine(std::string_view key, std::string fallback,
                                             size_t max_chars) {
  Var v = impl_->Get(key);
  if (v.isEmpty()) return fallback;
  if (!v.isString()) return impl_->WrongType(key, "a string", "un texto");
  std::string s = v.extract<std::string>();
  RETURN_IF_ERROR(CheckLine(s, impl_->PathOf(key), max_chars));
  return s;
}

Status JsonReader::CheckLine(const std::string& s, const std::string& path, size_t max_chars) {
  Status ok = CheckText(s, TextRules{max_chars, /*multiline=*/false});
  if (!ok.ok()) return BadText(path, ok);
  if (!s.empty() && (s.front() == ' ' || s.back() == ' ')) {
    return Status::Error(ErrorKind::kInvalidArgument, "api.bad_text",
                         path + ": starts or ends with a space",
                         "Texto no admitido en «" + path + "»: empieza o termina con un espacio.");
  }
  return Status::Ok();
}

Result<std::string> JsonReader::OptionalString(std::string_view key, std::string fallback,
                                               size_t max_len) {
  if (IsSecretKey(std::string(key))) return SecretReadAsText(key);
  Var v = impl_->Get(key);
  if (v.isEmpty()) return fallback;
  if (!v.isString()) return impl_->WrongType(key, "a string", "un texto");
  std::string s = v.extract<std::string>();
  if (s.size() > max_len) {
    return BadField(impl_->PathOf(key), "longer than " + std::to_string(max_len) + " bytes",
                    "es demasiado largo");
  }
  return s;
}

Result<SecretString> JsonReader::OptionalSecret(std::string_view key, size_t max_len) {
  impl_->read.insert(std::string(key));
  for (auto it = impl_->object->begin(); it != impl_->object->end(); ++it) {
    if (it->first != key) continue;
    Var& v = it->second;
    if (v.isEmpty()) return SecretString();
    if (!v.isString()) return impl_->WrongType(key, "a string", "un texto");
    const std::string& held = v.extract<std::string>();
    if (held.size() > max_len) {
      WipeHeld(v);
      return BadField(impl_->PathOf(key), "longer than " + std::to_string(max_len) + " bytes",
                      "es demasiado largo");
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
  if (secret.empty()) {
    return BadField(impl_->PathOf(key), "must not be empty", "no puede estar vacío");
  }
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
  if (!v.isInteger() || v.isBoolean()) return impl_->WrongType(key, "an integer", "un número entero");
  int64_t n = 0;
  try {
    n = v.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    return BadField(impl_->PathOf(key), "out of range", "está fuera de rango");
  }
  if (n < min || n > max) {
    return BadField(impl_->PathOf(key),
                    "must be between " + std::to_string(min) + " and " + std::to_string(max),
                    "debe estar entre " + std::to_string(min) + " y " + std::to_string(max));
  }
  return std::optional<int64_t>(n);
}

Result<bool> JsonReader::Bool(std::string_view key, bool fallback) {
  Var v = impl_->Get(key);
  if (v.isEmpty()) return fallback;
  if (!v.isBoolean()) return impl_->WrongType(key, "true or false", "true o false");
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
  if (!d) {
    return BadField(impl_->PathOf(key), "expected a date YYYY-MM-DD",
                    "se esperaba una fecha AAAA-MM-DD");
  }
  return d;
}

Result<std::vector<std::chrono::year_month_day>> JsonReader::DateArray(std::string_view key,
                                                                       size_t max_items) {
  ASSIGN_OR_RETURN(auto texts, StringArray(key, max_items, 10));
  std::vector<std::chrono::year_month_day> out;
  for (size_t i = 0; i < texts.size(); ++i) {
    auto d = ParseIsoDate(texts[i]);
    if (!d) {
      return BadField(impl_->PathOf(key) + "[" + std::to_string(i) + "]",
                      "expected a date YYYY-MM-DD", "se esperaba una fecha AAAA-MM-DD");
    }
    out.push_back(*d);
  }
  return out;
}

Result<Instant> JsonReader::Time(std::string_view key) {
  ASSIGN_OR_RETURN(std::string s, String(key, 40));
  // A bare date would silently mean midnight UTC: a time needs its offset.
  if (s.size() < 20 || s[10] != 'T') {
    return BadField(impl_->PathOf(key), "expected an RFC 3339 time with offset",
                    "se esperaba fecha y hora con zona (RFC 3339)");
  }
  auto t = ParseRfc3339(s);
  if (!t.ok()) {
    return BadField(impl_->PathOf(key), "expected an RFC 3339 time with offset",
                    "se esperaba fecha y hora con zona (RFC 3339)");
  }
  return *t;
}

Result<std::string> JsonReader::Enum(std::string_view key,
                                     const std::vector<std::string_view>& allowed) {
  ASSIGN_OR_RETURN(std::string s, String(key, 100));
  for (auto a : allowed) {
    if (s == a) return s;
  }
  return BadField(impl_->PathOf(key), "expected one of " + Join(allowed),
                  "se esperaba uno de: " + Join(allowed));
}

Result<std::vector<std::string>> JsonReader::StringArray(std::string_view key, size_t max_items,
                                                         size_t max_len) {
  Var v = impl_->Get(key);
  if (v.isEmpty()) return impl_->Missing(key);
  if (!IsArray(v)) return impl_->WrongType(key, "an array of strings", "una lista de textos");
  Array::Ptr a = v.extract<Array::Ptr>();
  if (a->size() > max_items) {
    return BadField(impl_->PathOf(key), "more than " + std::to_string(max_items) + " items",
                    "tiene demasiados elementos");
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < a->size(); ++i) {
    Var item = a->get(static_cast<unsigned>(i));
    const std::string path = impl_->PathOf(key) + "[" + std::to_string(i) + "]";
    if (item.isEmpty() || !item.isString()) return BadField(path, "expected a string", "se esperaba un texto");
    std::string s = item.extract<std::string>();
    if (s.empty() || s.size() > max_len) {
      return BadField(path, "empty or too long", "está vacío o es demasiado largo");
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<std::string>> JsonReader::LineArray(std::string_view key, size_t max_items,
                                                       size_t max_chars) {
  ASSIGN_OR_RETURN(auto lines, StringArray(key, max_items, max_chars * 4));
  for (size_t i = 0; i < lines.size(); ++i) {
    RETURN_IF_ERROR(CheckLine(lines[i], impl_->PathOf(key) + "[" + std::to_string(i) + "]", max_chars));
  }
  return lines;
}

Result<std::vector<int64_t>> JsonReader::IntArray(std::string_view key, size_t max_items) {
  Var v = impl_->Get(key);
  if (v.isEmpty()) return impl_->Missing(key);
  if (!IsArray(v)) return impl_->WrongType(key, "an array of integers", "una lista de números");
  Array::Ptr a = v.extract<Array::Ptr>();
  if (a->size() > max_items) {
    return BadField(impl_->PathOf(key), "more than " + std::to_string(max_items) + " items",
                    "tiene demasiados elementos");
  }
  std::vector<int64_t> out;
  for (size_t i = 0; i < a->size(); ++i) {
    Var item = a->get(static_cast<unsigned>(i));
    const std::string path = impl_->PathOf(key) + "[" + std::to_string(i) + "]";
    if (item.isEmpty() || !item.isInteger() || item.isBoolean()) {
      return BadField(path, "expected an integer", "se esperaba un número entero");
    }
    try {
      out.push_back(item.convert<Poco::Int64>());
    } catch (const Poco::Exception&) {
      return BadField(path, "out of range", "está fuera de rango");
    }
  }
  return out;
}

Result<JsonReader> JsonReader::Object(std::string_view key) {
  Var v = impl_->Get(key);
  if (v.isEmpty()) return impl_->Missing(key);
  if (!IsObject(v)) return impl_->WrongType(key, "an object", "un objeto");
  auto impl = std::make_shared<Impl>();
  impl->object = v.extract<Object::Ptr>();
  impl->path = impl_->PathOf(key);
  return JsonReader(impl);
}

Result<std::vector<JsonReader>> JsonReader::ObjectArray(std::string_view key, size_t max_items) {
  Var v = impl_->Get(key);
  if (v.isEmpty()) return impl_->Missing(key);
  if (!IsArray(v)) return impl_->WrongType(key, "an array of objects", "una lista de objetos");
  Array::Ptr a = v.extract<Array::Ptr>();
  if (a->size() > max_items) {
    return BadField(impl_->PathOf(key), "more than " + std::to_string(max_items) + " items",
                    "tiene demasiados elementos");
  }
  std::vector<JsonReader> out;
  for (size_t i = 0; i < a->size(); ++i) {
    Var item = a->get(static_cast<unsigned>(i));
    const std::string path = impl_->PathOf(key) + "[" + std::to_string(i) + "]";
    if (!IsObject(item)) return BadField(path, "expected an object", "se esperaba un objeto");
    auto impl = std::make_shared<Impl>();
    impl->object = item.extract<Object::Ptr>();
    impl->path = path;
    out.push_back(JsonReader(impl));
  }
  return out;
}

Result<std::string> JsonReader::RawObject(std::string_view key) {
  Var v = impl_->Get(key);
  if (v.isEmpty()) return impl_->Missing(key);
  if (!IsObject(v)) return impl_->WrongType(key, "an object", "un objeto");
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(v, out, 0, -1, Poco::JSON_PRESERVE_KEY_ORDER);
  return out.str();
}

Status JsonReader::Finish() const {
  for (const auto& [k, v] : *impl_->object) {
    if (!impl_->read.count(k)) {
      return BadField(impl_->PathOf(k), "unknown field", "no es un campo conocido");
    }
  }
  return Status::Ok();
}

const std::string& JsonReader::path() const { return impl_->path; }

}  // namespace rubrica::server::api
