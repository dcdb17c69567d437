#pragma once
// DIR/report.html for `sparsesim report DIR`: one self-contained page (no script, no external
// file: CSS inline, plots inline as SVG) for a run folder, a compare folder or a sweep folder.
// Every string taken from a config file or a result is HTML-escaped (sim/io/Escape.h); the page
// carries no <script> at all, so nothing in a config can run in a browser (docs/report.md).
#include <string>

#include "sim/report/ReportFolder.h"

namespace sparsesim {

class HtmlReport {
 public:
  static std::string render(const ReportFolder& f);
};

// An SVG from a plotting tool, stripped of its XML prologue; empty if it is not a plain
// matplotlib drawing (anything with script, event-handler attributes or external references).
std::string inlineSvg(const std::string& svgFile);

}  // namespace sparsesim
