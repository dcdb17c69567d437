#pragma once
// Which blocks a run traces: the --trace-blocks request checked against what the datapath can
// trace (its registry entry) and what the trace schema defines (models/common/TraceSchema.h).
#include <string>
#include <vector>

#include "models/common/TraceSchema.h"

namespace sparsesim {

struct ArchConfig;

// "--trace-blocks" names (empty: every block in `have` but pe_state, the blocks the datapath can trace in its
// data-flow order: sim/run/DatapathRegistry). Unknown names, blocks the datapath does not have
// and unsupported configurations are ConfigErrors on `option`.
std::vector<TraceBlock> resolveTraceBlocks(const std::vector<TraceBlock>& have, const ArchConfig& a,
                                           const std::vector<std::string>& names, const std::string& option);

}  // namespace sparsesim
