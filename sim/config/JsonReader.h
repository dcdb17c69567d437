#pragma once
// Typed, validating access to one JSON object of a config file. Each read names its key, so a
// reader knows every key the schema allows: finish() rejects the others and suggests the
// closest known key. Every error names the file and the JSON path.
#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/ConfigError.h"

namespace sparsesim {

nlohmann::json readJsonFile(const std::string& file);
// `file` names the text's origin in messages.
nlohmann::json parseJsonText(const std::string& text, const std::string& file);
// The JSON path of `key` inside the value at `parent`: "array.rows", "layers[0].stride", and
// axes["array.rows"] for a key that is not a plain name.
std::string jsonPathKey(const std::string& parent, const std::string& key);
std::string closestKey(const std::string& key, const std::vector<std::string>& known);

class JsonReader {
 public:
  JsonReader(const nlohmann::json& j, std::string file, std::string path);

  [[noreturn]] void fail(const std::string& key, const std::string& reason) const;
  std::string pathOf(const std::string& key) const;
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  bool has(const std::string& key) const;

  // Integers: must be JSON integers within [lo, hi].
  int integer(const std::string& key, std::optional<int> def, long long lo, long long hi);
  // Reals: JSON numbers within [lo, hi] (or [lo, hi) when hiOpen).
  double real(const std::string& key, std::optional<double> def, double lo, double hi,
              bool loOpen = false, bool hiOpen = false);
  std::string string(const std::string& key, std::optional<std::string> def);
  // A string from a closed set.
  std::string choice(const std::string& key, std::optional<std::string> def,
                     const std::vector<std::string>& allowed);
  JsonReader object(const std::string& key);  // required object
  std::optional<JsonReader> optionalObject(const std::string& key);
  const nlohmann::json& array(const std::string& key);  // required non-empty array
  // The raw value of an optional key (nullptr when absent), for values of more than one JSON type.
  const nlohmann::json* optionalValue(const std::string& key) { return get(key, false); }
  // true / false; absent: def.
  bool boolean(const std::string& key, bool def);
  // Rejects keys not read through this reader.
  void finish() const;
  // Keys the reader must accept without reading them (read elsewhere).
  void allow(const std::string& key) { known_.insert(key); }

 private:
  const nlohmann::json* get(const std::string& key, bool required);
  const nlohmann::json& j_;
  std::string file_, path_;
  std::set<std::string> known_;
};

}  // namespace sparsesim
