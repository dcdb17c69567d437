#include "sim/trace/TraceRequest.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "sim/config/ArchConfig.h"
#include "sim/core/ConfigError.h"

namespace sparsesim {

std::vector<TraceBlock> resolveTraceBlocks(const std::vector<TraceBlock>& have, const ArchConfig& a,
                                           const std::vector<std::string>& names, const std::string& option) {
  std::string haveList;
  for (TraceBlock b : have) haveList += (haveList.empty() ? "" : ", ") + std::string(toString(b));
  if (have.empty())
    throw ConfigError("", option, "the " + std::string(toString(a.datapath)) + " datapath has no traceable blocks (traced: dense, sod, cs)");
  std::vector<TraceBlock> out;
  // pe_state is rows x cols values a cycle, mac_state a lane's accumulators a step: only when asked for.
  if (names.empty())
    std::copy_if(have.begin(), have.end(), std::back_inserter(out),
                 [](TraceBlock b) { return b != TraceBlock::PeState && b != TraceBlock::MacState; });
  for (const std::string& n : names) {
    const TraceBlock* b = std::find_if(std::begin(kAllTraceBlocks), std::end(kAllTraceBlocks), [&](TraceBlock x) { return n == toString(x); });
    if (b == std::end(kAllTraceBlocks)) {
      std::string all;
      for (TraceBlock x : kAllTraceBlocks) all += (all.empty() ? "" : ", ") + std::string(toString(x));
      throw ConfigError("", option, "unknown block \"" + n + "\" (blocks: " + all + ")");
    }
    if (std::find(have.begin(), have.end(), *b) == have.end())
      throw ConfigError("", option, "block \"" + n + "\" is not part of the " + std::string(toString(a.datapath)) + " datapath (it has: " + haveList + ")");
    if (std::find(out.begin(), out.end(), *b) == out.end()) out.push_back(*b);
  }
  return out;
}

}  // namespace sparsesim
