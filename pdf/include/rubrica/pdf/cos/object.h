// The COS object model: what a PDF file is made of (ISO 32000-1 §7.3), with no PoDoFo.
// Used by the strict parser (parser.h), the revision reader (pdf_file.h) and the
// incremental writer (incremental_update.h).
//
// Objects are plain values; copying copies the whole tree. Strings hold raw bytes (already
// unescaped); names hold the decoded name without the leading '/'. A stream object is a
// dictionary plus its raw (still encoded) data. Dictionaries keep insertion order, which
// keeps serialisation deterministic.
//
// Not thread-safe for mutation; const use from many threads is fine.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rubrica::pdf::cos {

struct Ref {
  int num = 0;
  int gen = 0;
  bool operator==(const Ref& o) const { return num == o.num && gen == o.gen; }
  bool operator<(const Ref& o) const { return num < o.num || (num == o.num && gen < o.gen); }
};

class Object;
using Array = std::vector<Object>;
using DictEntry = std::pair<std::string, Object>;
using Dict = std::vector<DictEntry>;

class Object {
 public:
  enum class Type : uint8_t { kNull, kBool, kInt, kReal, kString, kName, kArray, kDict, kRef, kStream };

  Object() = default;
  static Object Bool(bool v);
  static Object Int(int64_t v);
  static Object Real(double v);
  /// `hex` only affects serialisation (written as <...> instead of (...)).
  static Object String(std::string bytes, bool hex = false);
  static Object Name(std::string name);
  static Object MakeRef(Ref r);
  static Object MakeArray(Array items = {});
  static Object MakeDict(Dict entries = {});
  /// A stream: `dict` (its /Length is set on serialisation) and raw encoded `data`.
  static Object Stream(Dict dict, std::string data);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_int() const { return type_ == Type::kInt; }
  bool is_number() const { return type_ == Type::kInt || type_ == Type::kReal; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_name() const { return type_ == Type::kName; }
  bool is_name(std::string_view n) const { return type_ == Type::kName && text_ == n; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_dict() const { return type_ == Type::kDict || type_ == Type::kStream; }
  bool is_ref() const { return type_ == Type::kRef; }
  bool is_stream() const { return type_ == Type::kStream; }

  bool as_bool() const { return int_ != 0; }
  int64_t as_int() const { return type_ == Type::kReal ? static_cast<int64_t>(real_) : int_; }
  double as_number() const { return type_ == Type::kReal ? real_ : static_cast<double>(int_); }
  /// String bytes or name text ("" for other types).
  const std::string& text() const { return text_; }
  bool hex() const { return hex_; }
  Ref ref() const { return ref_; }
  const Array& array() const { return array_; }
  Array& array() { return array_; }
  /// Dictionary entries (also of a stream).
  const Dict& dict() const { return dict_; }
  Dict& dict() { return dict_; }
  /// Raw stream data (encoded).
  const std::string& stream_data() const { return text_; }

  /// Dictionary lookup; nullptr when absent (or not a dictionary).
  const Object* Get(std::string_view key) const;
  Object* GetMutable(std::string_view key);
  /// Sets (replacing an existing entry in place, else appending).
  void Set(std::string_view key, Object value);
  bool Remove(std::string_view key);

  /// Structural equality (same type and value; streams compare dictionary and raw data;
  /// int 1 and real 1.0 are different; string hex flag ignored).
  bool operator==(const Object& o) const;
  bool operator!=(const Object& o) const { return !(*this == o); }

 private:
  Type type_ = Type::kNull;
  bool hex_ = false;
  int64_t int_ = 0;
  double real_ = 0;
  Ref ref_;
  std::string text_;  // string bytes, name, or stream data
  Array array_;
  Dict dict_;
};

/// Appends the PDF syntax of `obj` to `out` (streams: dictionary with the right /Length,
/// then "stream\n", data, "\nendstream").
void Serialize(const Object& obj, std::string& out);
std::string Serialize(const Object& obj);

/// A PDF text string from UTF-8: PDFDocEncoding-compatible ASCII stays as is, anything else
/// becomes UTF-16BE with a BOM (ISO 32000-1 §7.9.2.2).
std::string TextStringFromUtf8(std::string_view utf8);
/// The inverse: UTF-16BE (with BOM) or PDFDocEncoding bytes to UTF-8.
std::string Utf8FromTextString(std::string_view pdf_text);
/// UTF-8 to Windows-1252 bytes (for simple fonts with WinAnsiEncoding); characters outside
/// the code page become '?'.
std::string Cp1252FromUtf8(std::string_view utf8);

}  // namespace rubrica::pdf::cos
