#pragma once
// DIR/report.html for `sparsesim report DIR`: one self-contained page (no script, no external
// file: CSS inline, plots inline as SVG) for a run folder, a compare folder or a sweep folder.
// Every string taken from a config file or a result is HTML-escaped (sim/io/Escape.h); the page
// carries no <script> at all, so nothing in a config can run in a browser (docs/report.md).
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

class HtmlReport {
 public:
  static std::string render(const ReportFolder& f);
};

// An SVG from a plotting tool, stripped of its XML prologue; empty if it is not a plain
// matplotlib drawing (anything with script, event-handler attributes or external references).
std::string inlineSvg(const std::string& svgFile);

}  // namespace sparsesim
