#include "sim/report/LayersCsv.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include "sim/io/Escape.h"

namespace sparsesim {

using nlohmann::ordered_json;

namespace {

void flatten(const ordered_json& v, const std::string& prefix, std::vector<std::pair<std::string, ordered_json>>& out) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) flatten(v[i], prefix + "[" + std::to_string(i) + "]", out);
  } else {
    out.emplace_back(prefix, v);
  }
}

}  // namespace

std::string layersCsv(const ordered_json& report) {
  std::vector<std::string> columns;
  std::vector<std::map<std::string, ordered_json>> rows;
  if (report.contains("layers") && report["layers"].is_array()) {
    for (const auto& layer : report["layers"]) {
      std::vector<std::pair<std::string, ordered_json>> cells;
      flatten(layer, "", cells);
      std::map<std::string, ordered_json> row;
      for (auto& [k, v] : cells) {
        if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
        row[k] = v;
      }
      rows.push_back(std::move(row));
    }
  }
  std::ostringstream csv;
  for (size_t c = 0; c < columns.size(); ++c) csv << (c ? "," : "") << csvCell(columns[c]);
  csv << "\n";
  for (const auto& row : rows) {
    for (size_t c = 0; c < columns.size(); ++c) {
      auto it = row.find(columns[c]);
      csv << (c ? "," : "") << (it == row.end() ? std::string() : csvCell(it->second));
    }
    csv << "\n";
  }
  return csv.str();
}

}  // namespace sparsesim
