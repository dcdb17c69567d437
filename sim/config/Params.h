#pragma once
// Parameter descriptor tables: every config parameter is declared once, as one row (key, the
// struct member it fills, range, unit, one-line doc). The row drives the reader (with the range
// check and the error message), the resolved-config dump and the parameter tables of
// docs/config.md (`sparsesim config-doc`). Defaults are the plain structs' member initialisers
// (sim/config/*Config.h), so a default is also written once; a row only overrides it where the
// default depends on other fields (a preset) or where the field is required.
//
// Implementation side of sim/config: includes the JSON reader. Reached only through
// sim/config/ConfigJson.h, never from the plain structs (so never from models/).
#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/config/JsonReader.h"
#include "sim/core/Enums.h"

namespace sparsesim {

// A reference to one member of a section struct, for both const and non-const access:
// SPARSESIM_MEMBER(sram.banks) is s -> s.sram.banks.
#define SPARSESIM_MEMBER(m) [](auto& s) -> auto& { return s.m; }

template <class S>
struct Param {
  std::string key;   // JSON key inside its section; dots walk into sub-objects ("sram.banks")
  std::string range; // the accepted values, as docs/config.md shows them
  std::string unit;
  std::string doc;
  std::string defaultDoc;  // set for required fields and defaults that depend on other fields
  bool dumped = true;      // written to resolved-config.json
  // Reads the key from the reader of its object; the member's value on entry is the default.
  std::function<void(JsonReader&, const std::string& leaf, S&)> read;
  // Writes the member's value under `leaf` into the JSON object of its parent.
  std::function<void(nlohmann::ordered_json&, const std::string& leaf, const S&)> write;

  Param&& withUnit(std::string u) && { unit = std::move(u); return std::move(*this); }
  Param&& withDoc(std::string d) && { doc = std::move(d); return std::move(*this); }
  Param&& withRangeDoc(std::string r) && { range = std::move(r); return std::move(*this); }
  Param&& withDefaultDoc(std::string d) && { defaultDoc = std::move(d); return std::move(*this); }
  Param&& notDumped() && { dumped = false; return std::move(*this); }
};

template <class S>
using ParamTable = std::vector<Param<S>>;

// When a field has no default: always, or only for some values of the fields read before it.
template <class S>
using RequiredIf = std::function<bool(const S&)>;
// Sets a member's default from the fields read before it (runs before the key is read).
template <class S>
using Preset = std::function<void(S&)>;

std::string rangeDocInteger(long long lo, long long hi);
std::string rangeDocReal(double lo, double hi, bool loOpen, bool hiOpen);
std::string rangeDocChoice(const std::vector<std::string>& names);
// A default as docs/config.md shows it: 200 rather than 200.0.
std::string docValue(const nlohmann::ordered_json& v);

template <class S>
struct ParamRules {
  RequiredIf<S> required;  // empty: optional (the member's value is the default)
  Preset<S> preset;
};
template <class S>
ParamRules<S> required() { return {[](const S&) { return true; }, nullptr}; }

namespace detail {
template <class S, class T>
std::optional<T> defaultOf(const ParamRules<S>& rules, S& s, const T& current) {
  if (rules.preset) rules.preset(s);
  if (rules.required && rules.required(s)) return std::nullopt;
  return current;
}
}  // namespace detail

// An integer member in [lo, hi].
template <class S, class Ref>
Param<S> integerParam(std::string key, Ref ref, long long lo, long long hi, ParamRules<S> rules = {}) {
  Param<S> p;
  p.key = std::move(key);
  p.range = rangeDocInteger(lo, hi);
  p.read = [ref, lo, hi, rules](JsonReader& r, const std::string& leaf, S& s) {
    auto& m = ref(s);
    auto def = detail::defaultOf(rules, s, m);
    m = r.integer(leaf, def ? std::optional<int>(static_cast<int>(*def)) : std::nullopt, lo, hi);
  };
  p.write = [ref](nlohmann::ordered_json& j, const std::string& leaf, const S& s) { j[leaf] = ref(s); };
  if (rules.required) p.defaultDoc = "required";
  return p;
}

// A real member in [lo, hi] (each end open when asked).
template <class S, class Ref>
Param<S> realParam(std::string key, Ref ref, double lo, double hi, bool loOpen, bool hiOpen, ParamRules<S> rules = {}) {
  Param<S> p;
  p.key = std::move(key);
  p.range = rangeDocReal(lo, hi, loOpen, hiOpen);
  p.read = [ref, lo, hi, loOpen, hiOpen, rules](JsonReader& r, const std::string& leaf, S& s) {
    auto& m = ref(s);
    auto def = detail::defaultOf(rules, s, m);
    m = r.real(leaf, def, lo, hi, loOpen, hiOpen);
  };
  p.write = [ref](nlohmann::ordered_json& j, const std::string& leaf, const S& s) { j[leaf] = ref(s); };
  if (rules.required) p.defaultDoc = "required";
  return p;
}

// A string member; nonEmpty refuses "".
template <class S, class Ref>
Param<S> stringParam(std::string key, Ref ref, bool nonEmpty, ParamRules<S> rules = {}) {
  Param<S> p;
  p.key = std::move(key);
  p.read = [ref, nonEmpty, rules](JsonReader& r, const std::string& leaf, S& s) {
    auto& m = ref(s);
    auto def = detail::defaultOf(rules, s, m);
    m = r.string(leaf, def);
    if (nonEmpty && m.empty()) r.fail(leaf, "must not be empty");
  };
  p.write = [ref](nlohmann::ordered_json& j, const std::string& leaf, const S& s) { j[leaf] = ref(s); };
  if (rules.required) p.defaultDoc = "required";
  return p;
}

// An enum member, spelled as its EnumTable (sim/core/Enums.h) names it.
template <class S, class Ref>
Param<S> enumParam(std::string key, Ref ref, ParamRules<S> rules = {}) {
  using E = std::decay_t<decltype(ref(std::declval<S&>()))>;
  Param<S> p;
  p.key = std::move(key);
  p.range = rangeDocChoice(enumNames<E>());
  p.read = [ref, rules](JsonReader& r, const std::string& leaf, S& s) {
    auto& m = ref(s);
    auto def = detail::defaultOf(rules, s, m);
    m = *enumFromString<E>(r.choice(leaf, def ? std::optional<std::string>(toString(*def)) : std::nullopt, enumNames<E>()));
  };
  p.write = [ref](nlohmann::ordered_json& j, const std::string& leaf, const S& s) { j[leaf] = toString(ref(s)); };
  if (rules.required) p.defaultDoc = "required";
  return p;
}

// A bool member spelled as one of two words, listed in `names` order ({word, value} pairs).
template <class S, class Ref>
Param<S> switchParam(std::string key, Ref ref, std::vector<std::pair<std::string, bool>> names) {
  Param<S> p;
  p.key = std::move(key);
  std::vector<std::string> words;
  for (const auto& n : names) words.push_back(n.first);
  p.range = rangeDocChoice(words);
  auto wordOf = [names](bool b) {
    for (const auto& n : names)
      if (n.second == b) return n.first;
    return std::string("?");
  };
  p.read = [ref, words, names, wordOf](JsonReader& r, const std::string& leaf, S& s) {
    auto& m = ref(s);
    const std::string w = r.choice(leaf, wordOf(m), words);
    for (const auto& n : names)
      if (n.first == w) m = n.second;
  };
  p.write = [ref, wordOf](nlohmann::ordered_json& j, const std::string& leaf, const S& s) { j[leaf] = wordOf(ref(s)); };
  return p;
}

namespace detail {
std::vector<std::string> splitKey(const std::string& key);
}

// Reads every row of `table` from `root` (keys relative to it) into s, in table order. The
// objects on a key's path are opened as the rows reach them and finished (unknown keys refused)
// when the rows leave them; an absent object leaves its members at their defaults unless it is
// in `requiredObjects`. `root` itself is not finished. `prefix` is prepended to every key and
// `only`, when given, restricts the rows read to those keys.
template <class S>
void readParams(JsonReader& root, const ParamTable<S>& table, S& s, const std::set<std::string>& requiredObjects = {},
                const std::string& prefix = "", const std::set<std::string>& only = {}) {
  struct Open {
    std::string name;
    std::optional<JsonReader> reader;  // nullopt: the object is absent
  };
  std::vector<Open> open;
  std::string openPath;
  auto closeTo = [&](size_t depth) {
    while (open.size() > depth) {
      if (open.back().reader) open.back().reader->finish();
      open.pop_back();
    }
  };
  for (const auto& p : table) {
    if (!only.empty() && !only.count(p.key)) continue;
    std::vector<std::string> parts = detail::splitKey(prefix + p.key);
    const std::string leaf = parts.back();
    parts.pop_back();
    size_t common = 0;
    while (common < open.size() && common < parts.size() && open[common].name == parts[common]) ++common;
    closeTo(common);
    std::string path;
    for (size_t i = 0; i < parts.size(); ++i) {
      path += (i ? "." : "") + parts[i];
      if (i < open.size()) continue;
      JsonReader* parent = open.empty() ? &root : (open.back().reader ? &*open.back().reader : nullptr);
      if (!parent) open.push_back({parts[i], std::nullopt});
      else if (requiredObjects.count(path)) open.push_back({parts[i], parent->object(parts[i])});
      else open.push_back({parts[i], parent->optionalObject(parts[i])});
    }
    JsonReader* r = open.empty() ? &root : (open.back().reader ? &*open.back().reader : nullptr);
    if (r) p.read(*r, leaf, s);
  }
  closeTo(0);
}

// Writes every dumped row of `table` into j (nested objects by key path), in table order.
template <class S>
void writeParams(nlohmann::ordered_json& j, const ParamTable<S>& table, const S& s) {
  for (const auto& p : table) {
    if (!p.dumped) continue;
    std::vector<std::string> parts = detail::splitKey(p.key);
    nlohmann::ordered_json* cur = &j;
    for (size_t i = 0; i + 1 < parts.size(); ++i) cur = &(*cur)[parts[i]];
    p.write(*cur, parts.back(), s);
  }
}

// A section read from the optional object `key` of `parent` (defaults when absent), and its dump.
template <class S>
S readSection(JsonReader& parent, const ParamTable<S>& table, const std::string& key) {
  S s;
  readParams(parent, table, s, {}, key + ".");
  return s;
}
template <class S>
nlohmann::ordered_json paramsJson(const ParamTable<S>& table, const S& s) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  writeParams(j, table, s);
  return j;
}

// One row of a generated docs/config.md table.
struct ParamDoc {
  std::string key, def, range, unit, doc;
};

// The documentation rows of a table; defaults come from a default-constructed S.
template <class S>
std::vector<ParamDoc> documentParams(const ParamTable<S>& table, const std::string& prefix = "") {
  std::vector<ParamDoc> rows;
  const S defaults{};
  for (const auto& p : table) {
    std::string def = p.defaultDoc;
    if (def.empty()) {
      nlohmann::ordered_json j = nlohmann::ordered_json::object();
      p.write(j, "v", defaults);
      def = "`" + docValue(j["v"]) + "`";
    }
    rows.push_back({prefix + p.key, def, p.range, p.unit, p.doc});
  }
  return rows;
}

}  // namespace sparsesim
