#pragma once
// What `sparsesim report DIR` read from a run, compare or sweep folder, and the plots drawn for it.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace sparsesim {

struct ReportPlot {
  std::string title;
  std::string svg;  // an <svg> element written by tools/plot_*.py (matplotlib), already checked
};

struct ReportFolder {
  enum class Kind { Run, Compare, Sweep } kind = Kind::Run;
  std::string dir;
  // Run: one entry; Compare: one per variant folder (labels = folder names); Sweep: empty.
  std::vector<std::string> labels;
  std::vector<nlohmann::ordered_json> reports;
  std::vector<nlohmann::ordered_json> resolved;  // resolved-config.json of each (null if absent)
  // Sweep: results.json ({"sweep", "columns", "rows"}) and the plan record sweep.json.
  nlohmann::ordered_json results;
  nlohmann::ordered_json record;
  std::vector<ReportPlot> plots;
  std::string plot_note;  // why plots are missing, if they are
};

}  // namespace sparsesim
