#include "sim/config/JsonReader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace sparsesim {

using nlohmann::json;

json readJsonFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file, "", "cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad() || std::filesystem::is_directory(file)) throw ConfigError(file, "", "cannot read file (is it a directory?)");
  return parseJsonText(ss.str(), file);
}

json parseJsonText(const std::string& text, const std::string& file) {
  // nlohmann keeps the last of duplicate keys silently; a config with two values for one
  // field is ambiguous, so the parser callback tracks each open object's keys and refuses.
  std::vector<std::set<std::string>> open;
  std::string duplicate;
  json::parser_callback_t cb = [&](int, json::parse_event_t ev, json& parsed) {
    if (ev == json::parse_event_t::object_start) open.emplace_back();
    else if (ev == json::parse_event_t::object_end) { if (!open.empty()) open.pop_back(); }
    else if (ev == json::parse_event_t::key && !open.empty() && duplicate.empty()) {
      std::string k = parsed.get<std::string>();
      if (!open.back().insert(k).second) duplicate = k;
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

std::string JsonReader::pathOf(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

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

void JsonReader::finish() const {
  std::vector<std::string> known(known_.begin(), known_.end());
  for (auto it = j_.begin(); it != j_.end(); ++it) {
    if (known_.count(it.key())) continue;
    std::string hint = closestKey(it.key(), known);
    fail(it.key(), "unknown key" + (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
  }
}

}  // namespace sparsesim
