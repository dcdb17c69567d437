#include "sim/config/JsonReader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/io/InputFile.h"

namespace sparsesim {

using nlohmann::json;

json readJsonFile(const std::string& file) { return parseJsonText(readInputFile(file, kMaxJsonFileBytes), file); }

std::string jsonPathKey(const std::string& parent, const std::string& key) {
  // A key that is not a plain name (a dot, a bracket, a quote, empty) is quoted: axes["array.rows"].
  const bool plain = !key.empty() && key.find_first_of(".[]\"\\ ") == std::string::npos;
  if (plain) return parent.empty() ? key : parent + "." + key;
  return parent + "[" + nlohmann::json(key).dump() + "]";
}

namespace {

// Line and column (1-based, columns in bytes) of byte `at` of `text`.
std::string lineColumn(const std::string& text, size_t at) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') { ++line; col = 1; } else ++col;
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

// Where the parser is in the document, for the path of a duplicate key.
struct Frame {
  bool object = true;
  std::set<std::string> keys;
  std::string key;   // object: the key whose value is being parsed
  size_t index = 0;  // array: the element being parsed
};

std::string pathOf(const std::vector<Frame>& open, size_t depth) {
  std::string p;
  for (size_t i = 0; i < depth; ++i)
    p = open[i].object ? jsonPathKey(p, open[i].key) : p + "[" + std::to_string(open[i].index) + "]";
  return p;
}

}  // namespace

json parseJsonText(const std::string& text, const std::string& file) {
  // nlohmann's lexer takes a NUL byte for the end of the input, so whatever follows one would be
  // ignored; NUL is never valid JSON (not even inside a string), so the first one is refused.
  const size_t nul = text.find('\0');
  if (nul != std::string::npos)
    throw ConfigError(file, "", "malformed JSON: NUL byte at " + lineColumn(text, nul) + " (only whitespace may follow the document)");
  // nlohmann keeps the last of duplicate keys silently; a config with two values for one
  // field is ambiguous, so the parser callback tracks the open containers and refuses.
  std::vector<Frame> open;
  std::string duplicate;
  auto elementDone = [&] { if (!open.empty() && !open.back().object) ++open.back().index; };
  json::parser_callback_t cb = [&](int, json::parse_event_t ev, json& parsed) {
    switch (ev) {
      case json::parse_event_t::object_start: open.push_back(Frame{true, {}, {}, 0}); break;
      case json::parse_event_t::array_start: open.push_back(Frame{false, {}, {}, 0}); break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!open.empty()) open.pop_back();
        elementDone();
        break;
      case json::parse_event_t::key:
        if (!open.empty()) {
          Frame& f = open.back();
          f.key = parsed.get<std::string>();
          if (!f.keys.insert(f.key).second && duplicate.empty()) duplicate = pathOf(open, open.size());
        }
        break;
      case json::parse_event_t::value: elementDone(); break;
    }
    return true;
  };
  try {
    json j = json::parse(text, cb);
    if (!duplicate.empty()) throw ConfigError(file, duplicate, "key appears twice in one object");
    return j;
  } catch (const json::parse_error& e) {
    std::string msg = e.what();
    // nlohmann prefixes its own error id; the position in the text is what a user needs.
    auto pos = msg.find("parse error");
    throw ConfigError(file, "", "malformed JSON: " + (pos == std::string::npos ? msg : msg.substr(pos)));
  } catch (const json::exception& e) {
    // Found by the fuzzer: a number literal too large for a double is out_of_range, not a parse error.
    std::string msg = e.what();
    auto pos = msg.find("] ");
    throw ConfigError(file, "", "malformed JSON: " + (pos == std::string::npos ? msg : msg.substr(pos + 2)));
  }
}

static size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closestKey(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  size_t bestD = std::string::npos;
  for (const auto& k : known) {
    size_t d = editDistance(key, k);
    if (d < bestD) { bestD = d; best = k; }
  }
  // A suggestion far from the typo misleads more than it helps.
  if (bestD <= std::max<size_t>(2, key.size() / 3)) return best;
  return "";
}

JsonReader::JsonReader(const json& j, std::string file, std::string path)
    : j_(j), file_(std::move(file)), path_(std::move(path)) {
  if (!j_.is_object())
    throw ConfigError(file_, path_.empty() ? "(top level)" : path_, "expected a JSON object, got " + std::string(j_.type_name()));
}

std::string JsonReader::pathOf(const std::string& key) const { return jsonPathKey(path_, key); }

void JsonReader::fail(const std::string& key, const std::string& reason) const {
  throw ConfigError(file_, key.empty() ? path_ : pathOf(key), reason);
}

bool JsonReader::has(const std::string& key) const { return j_.contains(key); }

const json* JsonReader::get(const std::string& key, bool required) {
  known_.insert(key);
  auto it = j_.find(key);
  if (it == j_.end()) {
    if (required) fail(key, "required field is missing");
    return nullptr;
  }
  if (it->is_null()) fail(key, "null is not a valid value");
  return &*it;
}

int JsonReader::integer(const std::string& key, std::optional<int> def, long long lo, long long hi) {
  const json* v = get(key, !def.has_value());
  if (!v) return *def;
  long long x;
  if (v->is_number_integer() && !v->is_number_unsigned()) {
    x = v->get<long long>();
  } else if (v->is_number_unsigned()) {
    auto u = v->get<unsigned long long>();
    if (u > static_cast<unsigned long long>(hi)) fail(key, "value " + v->dump() + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    x = static_cast<long long>(u);
  } else if (v->is_number_float()) {
    fail(key, "expected an integer, got " + v->dump());
  } else {
    fail(key, std::string("expected an integer, got ") + v->type_name());
  }
  if (x < lo || x > hi)
    fail(key, "value " + std::to_string(x) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return static_cast<int>(x);
}

double JsonReader::real(const std::string& key, std::optional<double> def, double lo, double hi, bool loOpen, bool hiOpen) {
  const json* v = get(key, !def.has_value());
  if (!v) return *def;
  if (!v->is_number()) fail(key, std::string("expected a number, got ") + v->type_name());
  double x = v->get<double>();
  bool bad = !std::isfinite(x) || (loOpen ? x <= lo : x < lo) || (hiOpen ? x >= hi : x > hi);
  if (bad) {
    std::ostringstream os;
    os << "value " << v->dump() << " is out of range " << (loOpen ? "(" : "[") << lo << ", " << hi << (hiOpen ? ")" : "]");
    fail(key, os.str());
  }
  return x;
}

std::string JsonReader::string(const std::string& key, std::optional<std::string> def) {
  const json* v = get(key, !def.has_value());
  if (!v) return *def;
  if (!v->is_string()) fail(key, std::string("expected a string, got ") + v->type_name());
  return v->get<std::string>();
}

std::string JsonReader::choice(const std::string& key, std::optional<std::string> def, const std::vector<std::string>& allowed) {
  std::string s = string(key, def);
  if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
    fail(key, "\"" + s + "\" is not one of " + list);
  }
  return s;
}

JsonReader JsonReader::object(const std::string& key) {
  const json* v = get(key, true);
  if (!v->is_object()) fail(key, std::string("expected an object, got ") + v->type_name());
  return JsonReader(*v, file_, pathOf(key));
}

std::optional<JsonReader> JsonReader::optionalObject(const std::string& key) {
  const json* v = get(key, false);
  if (!v) return std::nullopt;
  if (!v->is_object()) fail(key, std::string("expected an object, got ") + v->type_name());
  return JsonReader(*v, file_, pathOf(key));
}

const json& JsonReader::array(const std::string& key) {
  const json* v = get(key, true);
  if (!v->is_array()) fail(key, std::string("expected an array, got ") + v->type_name());
  if (v->empty()) fail(key, "must not be empty");
  return *v;
}

bool JsonReader::boolean(const std::string& key, bool def) {
  const json* v = get(key, false);
  if (!v) return def;
  if (!v->is_boolean()) fail(key, std::string("expected true or false, got ") + v->type_name());
  return v->get<bool>();
}

void JsonReader::finish() const {
  std::vector<std::string> known(known_.begin(), known_.end());
  for (auto it = j_.begin(); it != j_.end(); ++it) {
    if (known_.count(it.key())) continue;
    std::string hint = closestKey(it.key(), known);
    fail(it.key(), "unknown key" + (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
  }
}

}  // namespace sparsesim
