#include "rubrica/pdf/cos/object.h"

#include <cmath>
#include <cstdio>

#include "render/winansi.h"

namespace rubrica::pdf::cos {

Object Object::Bool(bool v) {
  Object o;
  o.type_ = Type::kBool;
  o.int_ = v ? 1 : 0;
  return o;
}
Object Object::Int(int64_t v) {
  Object o;
  o.type_ = Type::kInt;
  o.int_ = v;
  return o;
}
Object Object::Real(double v) {
  Object o;
  o.type_ = Type::kReal;
  o.real_ = v;
  return o;
}
Object Object::String(std::string bytes, bool hex) {
  Object o;
  o.type_ = Type::kString;
  o.text_ = std::move(bytes);
  o.hex_ = hex;
  return o;
}
Object Object::Name(std::string name) {
  Object o;
  o.type_ = Type::kName;
  o.text_ = std::move(name);
  return o;
}
Object Object::MakeRef(Ref r) {
  Object o;
  o.type_ = Type::kRef;
  o.ref_ = r;
  return o;
}
Object Object::MakeArray(Array items) {
  Object o;
  o.type_ = Type::kArray;
  o.array_ = std::move(items);
  return o;
}
Object Object::MakeDict(Dict entries) {
  Object o;
  o.type_ = Type::kDict;
  o.dict_ = std::move(entries);
  return o;
}
Object Object::Stream(Dict dict, std::string data) {
  Object o;
  o.type_ = Type::kStream;
  o.dict_ = std::move(dict);
  o.text_ = std::move(data);
  return o;
}

const Object* Object::Get(std::string_view key) const {
  if (!is_dict()) return nullptr;
  for (const auto& [k, v] : dict_) {
    if (k == key) return &v;
  }
  return nullptr;
}

Object* Object::GetMutable(std::string_view key) {
  if (!is_dict()) return nullptr;
  for (auto& [k, v] : dict_) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Object::Set(std::string_view key, Object value) {
  if (Object* existing = GetMutable(key)) {
    *existing = std::move(value);
    return;
  }
  dict_.emplace_back(std::string(key), std::move(value));
}

bool Object::Remove(std::string_view key) {
  for (auto it = dict_.begin(); it != dict_.end(); ++it) {
    if (it->first == key) {
      dict_.erase(it);
      return true;
    }
  }
  return false;
}

bool Object::operator==(const Object& o) const {
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::kNull: return true;
    case Type::kBool:
    case Type::kInt: return int_ == o.int_;
    case Type::kReal: return real_ == o.real_;
    case Type::kString:
    case Type::kName: return text_ == o.text_;
    case Type::kRef: return ref_ == o.ref_;
    case Type::kArray: return array_ == o.array_;
    case Type::kDict: return dict_ == o.dict_;
    case Type::kStream: return dict_ == o.dict_ && text_ == o.text_;
  }
  return false;
}

namespace {

bool IsRegularNameChar(unsigned char c) {
  if (c < 0x21 || c > 0x7e) return false;
  switch (c) {
    case '(': case ')': case '<': case '>': case '[': case ']':
    case '{': case '}': case '/': case '%': case '#':
      return false;
    default:
      return true;
  }
}

void SerializeName(const std::string& name, std::string& out) {
  out.push_back('/');
  for (unsigned char c : name) {
    if (IsRegularNameChar(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "#%02X", c);
      out += buf;
    }
  }
}

void SerializeString(const Object& o, std::string& out) {
  const std::string& s = o.text();
  bool printable = !o.hex();
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) {
      printable = false;
      break;
    }
  }
  if (!printable) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out.push_back('<');
    for (unsigned char c : s) {
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
    out.push_back('>');
    return;
  }
  out.push_back('(');
  for (char c : s) {
    if (c == '(' || c == ')' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back(')');
}

void SerializeReal(double v, std::string& out) {
  if (!std::isfinite(v)) v = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5f", v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  out += s;
}

}  // namespace

void Serialize(const Object& o, std::string& out) {
  switch (o.type()) {
    case Object::Type::kNull: out += "null"; break;
    case Object::Type::kBool: out += o.as_bool() ? "true" : "false"; break;
    case Object::Type::kInt: out += std::to_string(o.as_int()); break;
    case Object::Type::kReal: SerializeReal(o.as_number(), out); break;
    case Object::Type::kString: SerializeString(o, out); break;
    case Object::Type::kName: SerializeName(o.text(), out); break;
    case Object::Type::kRef:
      out += std::to_string(o.ref().num) + " " + std::to_string(o.ref().gen) + " R";
      break;
    case Object::Type::kArray: {
      out.push_back('[');
      bool first = true;
      for (const Object& item : o.array()) {
        if (!first) out.push_back(' ');
        first = false;
        Serialize(item, out);
      }
      out.push_back(']');
      break;
    }
    case Object::Type::kDict:
    case Object::Type::kStream: {
      out += "<<";
      for (const auto& [k, v] : o.dict()) {
        if (o.is_stream() && k == "Length") continue;
        SerializeName(k, out);
        out.push_back(' ');
        Serialize(v, out);
      }
      if (o.is_stream()) {
        out += "/Length " + std::to_string(o.stream_data().size());
      }
      out += ">>";
      if (o.is_stream()) {
        out += "\nstream\n";
        out += o.stream_data();
        out += "\nendstream";
      }
      break;
    }
  }
}

std::string Serialize(const Object& obj) {
  std::string out;
  Serialize(obj, out);
  return out;
}

namespace {

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

}  // namespace

std::string TextStringFromUtf8(std::string_view utf8) {
  bool ascii = true;
  for (unsigned char c : utf8) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return std::string(utf8);
  std::string out = "\xfe\xff";
  for (size_t i = 0; i < utf8.size();) {
    char32_t cp = rubrica::NextCodePoint(utf8, i);
    auto put16 = [&](char32_t u) {
      out.push_back(static_cast<char>(u >> 8));
      out.push_back(static_cast<char>(u & 0xff));
    };
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put16(0xd800 + (cp >> 10));
      put16(0xdc00 + (cp & 0x3ff));
    } else {
      put16(cp);
    }
  }
  return out;
}

std::string Utf8FromTextString(std::string_view s) {
  std::string out;
  if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xfe &&
      static_cast<unsigned char>(s[1]) == 0xff) {
    for (size_t i = 2; i + 1 < s.size(); i += 2) {
      char32_t u = (static_cast<unsigned char>(s[i]) << 8) | static_cast<unsigned char>(s[i + 1]);
      if (u >= 0xd800 && u < 0xdc00 && i + 3 < s.size()) {
        char32_t lo = (static_cast<unsigned char>(s[i + 2]) << 8) | static_cast<unsigned char>(s[i + 3]);
        u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        i += 2;
      }
      AppendUtf8(u, out);
    }
    return out;
  }
  // PDFDocEncoding agrees with Latin-1 for the characters that matter here.
  for (unsigned char c : s) AppendUtf8(c, out);
  return out;
}

std::string Cp1252FromUtf8(std::string_view utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char b = render::WinAnsiByte(rubrica::NextCodePoint(utf8, i));
    out.push_back(b == 0 ? '?' : static_cast<char>(b));
  }
  return out;
}

}  // namespace rubrica::pdf::cos
