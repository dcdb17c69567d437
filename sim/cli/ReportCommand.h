#pragma once
#include <string>
#include <vector>

namespace sparsesim {

// sparsesim report DIR [--no-plots]: DIR/report.html from a run folder (report.json), a compare
// folder (one sub-folder per design, each with report.json) or a sweep folder (results.json,
// sweep.json). Exit 0 written, 2 DIR is none of these or holds malformed JSON (nothing written).
int cmdReport(const std::vector<std::string>& args);

}  // namespace sparsesim
