#include "sim/io/NpyHeader.h"

#include <cctype>
#include <map>
#include <memory>

namespace sparsesim {

namespace {

// The part of Python's literal syntax a .npy header uses: strings, integers, True/False and
// tuples inside one dict. Anything else is parsed only far enough to name it in the message.
struct PyValue {
  enum Kind { Str, Int, Bool, Tuple, Float, Other } kind = Other;
  std::string text;  // Str: the value; otherwise the source text
  bool negative = false;
  uint64_t magnitude = 0;  // Int
  bool boolean = false;
  std::vector<PyValue> items;  // Tuple
};

class PyLiteralParser {
 public:
  PyLiteralParser(const std::string& s, bool python2Longs) : s_(s), longs_(python2Longs) {}

  std::map<std::string, PyValue> dict() {
    skipSpace();
    expect('{');
    std::map<std::string, PyValue> d;
    skipSpace();
    while (peek() != '}') {
      PyValue k = value();
      if (k.kind != PyValue::Str) fail("a header key must be a string, got " + k.text);
      skipSpace();
      expect(':');
      d[k.text] = value();  // a repeated key keeps its last value, as in Python
      skipSpace();
      if (peek() == ',') { ++i_; skipSpace(); continue; }
      if (peek() != '}') fail("expected ',' or '}'");
    }
    ++i_;
    skipSpace();
    if (i_ != s_.size()) fail("text after the header dictionary");
    return d;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw NpyFormatError("not a valid .npy file: cannot parse the header at offset " + std::to_string(i_) + ": " + why);
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\f')) ++i_;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }

  PyValue value() {
    skipSpace();
    const size_t start = i_;
    char c = peek();
    PyValue v;
    if (c == '\'' || c == '"') {
      v.kind = PyValue::Str;
      v.text = string(c);
    } else if (c == '(') {
      ++i_;
      skipSpace();
      bool comma = false;
      std::vector<PyValue> items;
      while (peek() != ')') {
        items.push_back(value());
        skipSpace();
        if (peek() == ',') { ++i_; comma = true; skipSpace(); continue; }
        if (peek() != ')') fail("expected ',' or ')' in a tuple");
      }
      ++i_;
      // "(x)" is x in parentheses; only "()" and a comma make a tuple.
      if (items.size() == 1 && !comma) return items.front();
      v.kind = PyValue::Tuple;
      v.items = std::move(items);
      v.text = s_.substr(start, i_ - start);
    } else if (c == '-' || c == '+' || std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      number(v);
      v.text = s_.substr(start, i_ - start);
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_') ++i_;
      v.text = s_.substr(start, i_ - start);
      if (v.text == "True" || v.text == "False") {
        v.kind = PyValue::Bool;
        v.boolean = v.text == "True";
      } else if (v.text != "None") {
        fail("unexpected name " + v.text);
      }
    } else if (c == '[' || c == '{') {
      // Lists and dicts are valid Python but never a valid header value: skip them whole.
      int depth = 0;
      do {
        if (peek() == '\'' || peek() == '"') { string(peek()); continue; }
        if (peek() == '[' || peek() == '{' || peek() == '(') ++depth;
        if (peek() == ']' || peek() == '}' || peek() == ')') --depth;
        if (i_ >= s_.size()) fail("unterminated bracket");
        ++i_;
      } while (depth > 0);
      v.text = s_.substr(start, i_ - start);
    } else {
      fail(i_ >= s_.size() ? std::string("unexpected end of the header") : "unexpected character");
    }
    return v;
  }

  std::string string(char quote) {
    ++i_;
    std::string out;
    for (;;) {
      if (i_ >= s_.size() || s_[i_] == '\n') fail("unterminated string");
      char c = s_[i_++];
      if (c == quote) return out;
      if (c == '\\') {
        if (i_ >= s_.size()) fail("unterminated string");
        char e = s_[i_++];
        switch (e) {
          case '\\': case '\'': case '"': out += e; break;
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          default: fail(std::string("unsupported escape \\") + e + " in a string");
        }
        continue;
      }
      out += c;
    }
  }

  // Python's decimal integer (a sign, digits with single '_' between them, no leading zeros
  // unless every digit is 0; in format 1.0 and 2.0 a Python 2 'L' suffix, which numpy filters out),
  // or a float, which is only named in the message.
  void number(PyValue& v) {
    if (peek() == '-' || peek() == '+') {
      v.negative = peek() == '-';
      ++i_;
      skipSpace();
    }
    const size_t digits0 = i_;
    std::string digits;
    while (std::isdigit(static_cast<unsigned char>(peek())) || (peek() == '_' && !digits.empty() && i_ + 1 < s_.size() &&
                                                                std::isdigit(static_cast<unsigned char>(s_[i_ + 1])))) {
      if (peek() != '_') digits += peek();
      ++i_;
    }
    if (peek() == '.' || peek() == 'e' || peek() == 'E') {
      ++i_;
      while (std::isdigit(static_cast<unsigned char>(peek())) || peek() == 'e' || peek() == 'E' || peek() == '-' || peek() == '+') ++i_;
      v.kind = PyValue::Float;
      return;
    }
    if (digits.empty()) { i_ = digits0; fail("expected a number"); }
    if (digits.size() > 1 && digits[0] == '0' && digits.find_first_not_of('0') != std::string::npos)
      fail("leading zeros in the integer " + digits);
    if (std::isalpha(static_cast<unsigned char>(peek()))) {
      if (longs_ && (peek() == 'L' || peek() == 'l')) ++i_;
      else fail("unexpected character after the integer " + digits);
    }
    v.kind = PyValue::Int;
    uint64_t m = 0;
    for (char d : digits) {
      if (m > (UINT64_MAX - 9) / 10) fail("the integer " + digits + " does not fit in 64 bits");
      m = m * 10 + uint64_t(d - '0');
    }
    v.magnitude = m;
  }

  const std::string& s_;
  bool longs_;
  size_t i_ = 0;
};

uint32_t le(const std::string& b, size_t at, int n) {
  uint32_t v = 0;
  for (int k = n - 1; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<size_t>(k)]);
  return v;
}

bool validUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += n;
  }
  return true;
}

}  // namespace

bool isInt8Descr(const std::string& d) {
  if (d == "int8" || d == "byte") return true;
  std::string rest = (!d.empty() && (d[0] == '|' || d[0] == '<' || d[0] == '>' || d[0] == '=')) ? d.substr(1) : d;
  return rest == "i1" || rest == "b";
}

NpyHeader parseNpyHeader(const std::string& b) {
  NpyHeader h;
  if (b.size() < 6 || b.compare(0, 6, "\x93NUMPY") != 0) throw NpyFormatError("not a valid .npy file: no .npy magic string");
  if (b.size() < 8) throw NpyFormatError("not a valid .npy file: only " + std::to_string(b.size()) + " bytes");
  h.major = static_cast<unsigned char>(b[6]);
  h.minor = static_cast<unsigned char>(b[7]);
  if (!(h.minor == 0 && (h.major == 1 || h.major == 2 || h.major == 3)))
    throw NpyFormatError("unsupported .npy format version " + std::to_string(h.major) + "." + std::to_string(h.minor) +
                         " (numpy reads 1.0, 2.0 and 3.0)");
  const int lenBytes = h.major == 1 ? 2 : 4;
  if (b.size() < size_t(8 + lenBytes)) throw NpyFormatError("not a valid .npy file: truncated before the header length");
  const uint64_t hlen = le(b, 8, lenBytes);
  const uint64_t start = 8 + uint64_t(lenBytes);
  if (start + hlen > b.size())
    throw NpyFormatError("not a valid .npy file: its header claims " + std::to_string(hlen) + " bytes but the file has " +
                         std::to_string(b.size() - start) + " after the header length");
  if (hlen > kMaxNpyHeaderBytes)
    throw NpyFormatError("not a valid .npy file: a header of " + std::to_string(hlen) + " bytes, more than numpy's limit of " +
                         std::to_string(kMaxNpyHeaderBytes));
  h.data_offset = start + hlen;
  const std::string text = b.substr(start, hlen);
  // Format 3.0 headers are UTF-8; 1.0 and 2.0 are latin-1, where every byte is a character.
  if (h.major == 3 && !validUtf8(text)) throw NpyFormatError("not a valid .npy file: a format 3.0 header that is not UTF-8");
  auto d = PyLiteralParser(text, h.major < 3).dict();
  if (d.size() != 3 || !d.count("descr") || !d.count("fortran_order") || !d.count("shape")) {
    std::string keys;
    for (const auto& kv : d) keys += (keys.empty() ? "" : ", ") + ("'" + kv.first + "'");
    throw NpyFormatError("not a valid .npy file: the header has the keys {" + keys + "}, not exactly 'descr', 'fortran_order', 'shape'");
  }
  const PyValue& shape = d["shape"];
  if (shape.kind != PyValue::Tuple) throw NpyFormatError("not a valid .npy file: shape " + shape.text + " is not a tuple of integers");
  for (const PyValue& x : shape.items) {
    // True/False pass numpy's header check (a Python bool is an int) but its reader then refuses them.
    if (x.kind == PyValue::Float || x.kind == PyValue::Bool) throw NpyFormatError("not a valid .npy file: shape dimension " + x.text + " is not an integer");
    if (x.kind != PyValue::Int) throw NpyFormatError("not a valid .npy file: shape " + shape.text + " is not a tuple of integers");
    if (x.negative && x.magnitude != 0) throw NpyFormatError("not a valid .npy file: negative shape dimension " + x.text);
    h.shape.push_back(x.magnitude);
  }
  const PyValue& fo = d["fortran_order"];
  if (fo.kind != PyValue::Bool) throw NpyFormatError("not a valid .npy file: fortran_order " + fo.text + " is not True or False");
  h.fortran_order = fo.boolean;
  const PyValue& descr = d["descr"];
  h.descr = descr.text;  // a string's value, or the source text of anything else (a structured dtype's list)
  return h;
}

}  // namespace sparsesim
