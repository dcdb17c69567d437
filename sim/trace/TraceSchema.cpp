#include "sim/trace/TraceSchema.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "sim/config/ArchConfig.h"
#include "sim/config/ConfigError.h"

namespace sparsesim {

namespace {
const TraceBlock kAll[kTraceBlockCount] = {TraceBlock::PeArray, TraceBlock::MacArray, TraceBlock::WeightSram,
                                           TraceBlock::KwtaSelector, TraceBlock::Decompressor, TraceBlock::PeState};
}

const char* toString(TraceBlock b) {
  switch (b) {
    case TraceBlock::PeArray: return "pe_array";
    case TraceBlock::MacArray: return "mac_array";
    case TraceBlock::WeightSram: return "weight_sram";
    case TraceBlock::KwtaSelector: return "kwta_selector";
    case TraceBlock::Decompressor: return "decompressor";
    case TraceBlock::PeState: return "pe_state";
  }
  return "?";
}

const std::vector<TraceEventSchema>& traceEvents(TraceBlock b) {
  static const std::vector<TraceEventSchema> pe = {
      {"fold", {"layer", "group", "fold", "m0", "n0", "k0", "mlen", "nlen", "klen", "cycles"}},
      {"edge", {"fold", "a", "b"}},
      {"drain", {"fold", "row", "acc"}}};
  static const std::vector<TraceEventSchema> mac = {
      {"pass", {"layer", "group", "pass", "slots_used", "lanes", "split"}},
      {"mac", {"pass", "lane", "pixel", "col", "act", "w", "kid"}},
      {"drain", {"pass", "lane", "pixel", "acc"}}};
  static const std::vector<TraceEventSchema> sram = {{"read", {"pass", "cols", "cycles", "wpc"}}};
  static const std::vector<TraceEventSchema> kwta = {
      {"group", {"layer", "group", "base", "n", "k"}},
      {"in", {"idx", "v"}},
      {"out", {"idx", "v"}}};
  static const std::vector<TraceEventSchema> dec = {
      {"vector", {"layer", "group", "operand", "tile", "index", "cycles", "v", "ptr", "nz_v", "nz_idx"}}};
  static const std::vector<TraceEventSchema> state = {{"acc", {"fold", "cycle", "acc"}}};
  switch (b) {
    case TraceBlock::PeArray: return pe;
    case TraceBlock::MacArray: return mac;
    case TraceBlock::WeightSram: return sram;
    case TraceBlock::KwtaSelector: return kwta;
    case TraceBlock::Decompressor: return dec;
    case TraceBlock::PeState: return state;
  }
  throw std::logic_error("unknown trace block");
}

int traceEventIndex(TraceBlock b, const std::string& event) {
  const auto& ev = traceEvents(b);
  for (size_t i = 0; i < ev.size(); ++i)
    if (ev[i].name == event) return static_cast<int>(i);
  throw std::logic_error(std::string("trace block ") + toString(b) + " has no event \"" + event + "\"");
}

std::vector<TraceBlock> resolveTraceBlocks(const std::vector<TraceBlock>& have, const ArchConfig& a,
                                           const std::vector<std::string>& names, const std::string& option) {
  std::string haveList;
  for (TraceBlock b : have) haveList += (haveList.empty() ? "" : ", ") + std::string(toString(b));
  if (have.empty())
    throw ConfigError("", option, "the " + std::string(toString(a.datapath)) + " datapath has no traceable blocks (traced: dense, sod, cs)");
  std::vector<TraceBlock> out;
  // pe_state is rows x cols values a cycle: only when asked for.
  if (names.empty())
    std::copy_if(have.begin(), have.end(), std::back_inserter(out), [](TraceBlock b) { return b != TraceBlock::PeState; });
  for (const std::string& n : names) {
    const TraceBlock* b = std::find_if(std::begin(kAll), std::end(kAll), [&](TraceBlock x) { return n == toString(x); });
    if (b == std::end(kAll)) {
      std::string all;
      for (TraceBlock x : kAll) all += (all.empty() ? "" : ", ") + std::string(toString(x));
      throw ConfigError("", option, "unknown block \"" + n + "\" (blocks: " + all + ")");
    }
    if (std::find(have.begin(), have.end(), *b) == have.end())
      throw ConfigError("", option, "block \"" + n + "\" is not part of the " + std::string(toString(a.datapath)) + " datapath (it has: " + haveList + ")");
    if (std::find(out.begin(), out.end(), *b) == out.end()) out.push_back(*b);
  }
  for (TraceBlock b : {TraceBlock::PeArray, TraceBlock::PeState})
    if (std::find(out.begin(), out.end(), b) != out.end() && a.dataflow != Dataflow::OutputStationary)
      throw ConfigError("", option, std::string(toString(b)) + " traces are defined for the output-stationary array only (this architecture's dataflow is ws)");
  return out;
}

}  // namespace sparsesim
