#include "json_syntax.h"

#include <vector>

#include "rubrica/base/text.h"


namespace rubrica::json_internal {
namespace {

class Checker {
 public:
  Checker(std::string_view text, size_t max_depth) : t_(text), max_depth_(max_depth) {}

  JsonSyntaxError Run() {
    if (size_t bad = rubrica::FirstInvalidUtf8(t_); bad != std::string_view::npos) {
      return ErrorAt(bad, "invalid UTF-8");
    }
    enum class Next { kValue, kKey, kAfterValue } next = Next::kValue;
    while (true) {
      SkipSpace();
      if (next == Next::kKey) {
        if (!String()) return error_;
        SkipSpace();
        if (!Take(':')) return ErrorAt(pos_, "expected ':' after an object key");
        next = Next::kValue;
        continue;
      }
      if (next == Next::kValue) {
        if (pos_ >= t_.size()) return ErrorAt(pos_, "unexpected end of text, expected a value");
        const char c = t_[pos_];
        if (c == '{' || c == '[') {
          if (stack_.size() >= max_depth_) {
            return ErrorAt(pos_, "nested deeper than " + std::to_string(max_depth_) + " levels");
          }
          stack_.push_back(c);
          ++pos_;
          SkipSpace();
          if (Take(c == '{' ? '}' : ']')) {
            stack_.pop_back();
            next = Next::kAfterValue;
          } else {
            next = c == '{' ? Next::kKey : Next::kValue;
          }
          continue;
        }
        if (c == '"') {
          if (!String()) return error_;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          if (!Number()) return error_;
        } else if (!Literal("true") && !Literal("false") && !Literal("null")) {
          return ErrorAt(pos_, "expected a value");
        }
        next = Next::kAfterValue;
        continue;
      }
      // After a value.
      if (stack_.empty()) {
        if (pos_ != t_.size()) return ErrorAt(pos_, "unexpected text after the JSON value");
        return {};
      }
      const char close = stack_.back() == '{' ? '}' : ']';
      if (Take(',')) {
        next = stack_.back() == '{' ? Next::kKey : Next::kValue;
      } else if (Take(close)) {
        stack_.pop_back();
      } else {
        return ErrorAt(pos_, std::string("expected ',' or '") + close + "'");
      }
    }
  }

 private:
  JsonSyntaxError ErrorAt(size_t at, std::string what) {
    error_ = {1, 1, std::move(what)};
    for (size_t i = 0; i < at && i < t_.size(); ++i) {
      if (t_[i] == '\n') {
        ++error_.line, error_.column = 1;
      } else if ((static_cast<unsigned char>(t_[i]) & 0xC0) != 0x80) {
        ++error_.column;
      }
    }
    return error_;
  }
  void SkipSpace() {
    while (pos_ < t_.size() &&
           (t_[pos_] == ' ' || t_[pos_] == '\t' || t_[pos_] == '\n' || t_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Take(char c) {
    if (pos_ < t_.size() && t_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Literal(std::string_view word) {
    if (t_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool Digits() {
    const size_t start = pos_;
    while (pos_ < t_.size() && t_[pos_] >= '0' && t_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }
  bool Number() {
    Take('-');
    if (Take('0')) {
      // no leading zeros
    } else if (!Digits()) {
      ErrorAt(pos_, "expected a digit");
      return false;
    }
    if (Take('.') && !Digits()) {
      ErrorAt(pos_, "expected a digit after '.'");
      return false;
    }
    if (Take('e') || Take('E')) {
      if (!Take('+')) Take('-');
      if (!Digits()) {
        ErrorAt(pos_, "expected a digit in the exponent");
        return false;
      }
    }
    return true;
  }
  bool String() {
    if (!Take('"')) {
      ErrorAt(pos_, "expected a string");
      return false;
    }
    while (pos_ < t_.size()) {
      const auto c = static_cast<unsigned char>(t_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) {
        ErrorAt(pos_, "control character in a string (use an escape such as \\n)");
        return false;
      }
      if (c == '\\') {
        ++pos_;
        if (pos_ >= t_.size()) break;
        const char e = t_[pos_];
        if (e == 'u') {
          for (int i = 1; i <= 4; ++i) {
            const char h = pos_ + i < t_.size() ? t_[pos_ + i] : '\0';
            if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
              ErrorAt(pos_ - 1, "bad \\u escape");
              return false;
            }
          }
          pos_ += 4;
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          ErrorAt(pos_ - 1, "bad escape");
          return false;
        }
      }
      ++pos_;
    }
    ErrorAt(pos_, "unterminated string");
    return false;
  }

  std::string_view t_;
  size_t max_depth_;
  size_t pos_ = 0;
  std::vector<char> stack_;
  JsonSyntaxError error_;
};

}  // namespace

JsonSyntaxError CheckJsonSyntax(std::string_view text, size_t max_depth) {
  return Checker(text, max_depth).Run();
}

}  // namespace rubrica::json_internal
