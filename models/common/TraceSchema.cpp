#include "models/common/TraceSchema.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>


namespace sparsesim {

const TraceBlock kAllTraceBlocks[kTraceBlockCount] = {TraceBlock::PeArray, TraceBlock::MacArray, TraceBlock::WeightSram,
                                           TraceBlock::KwtaSelector, TraceBlock::Decompressor, TraceBlock::PeState, TraceBlock::SparsePe,
                                                      TraceBlock::MacState};

const char* toString(TraceBlock b) {
  switch (b) {
    case TraceBlock::PeArray: return "pe_array";
    case TraceBlock::MacArray: return "mac_array";
    case TraceBlock::WeightSram: return "weight_sram";
    case TraceBlock::KwtaSelector: return "kwta_selector";
    case TraceBlock::Decompressor: return "decompressor";
    case TraceBlock::PeState: return "pe_state";
    case TraceBlock::SparsePe: return "sparse_pe";
    case TraceBlock::MacState: return "mac_state";
  }
  return "?";
}

const std::vector<TraceEventSchema>& traceEvents(TraceBlock b) {
  static const std::vector<TraceEventSchema> pe = {
      {"fold", {"layer", "group", "fold", "m0", "n0", "k0", "mlen", "nlen", "klen", "cycles"}},
      {"edge", {"fold", "a", "b"}},
      {"drain", {"fold", "row", "acc"}},
      // Weight-stationary only: the partial sums leaving the bottom row this cycle (m[j] = the
      // tile's input row whose sum leaves column j, -1 for none).
      {"psum_out", {"fold", "m", "psum"}}};
  static const std::vector<TraceEventSchema> mac = {
      {"pass", {"layer", "group", "pass", "slots_used", "lanes", "split"}},
      {"mac", {"pass", "lane", "pixel", "col", "act", "w", "kid"}},
      {"drain", {"pass", "lane", "pixel", "acc"}}};
  // table: a pass's slice as the SRAM holds it (K columns x R entries, column-major), so an RTL
  // SRAM can be loaded with it and its read data compared with what the MAC lanes multiply.
  static const std::vector<TraceEventSchema> sram = {{"read", {"pass", "cols", "cycles", "wpc"}},
                                                      {"table", {"pass", "columns", "slots", "entry_bits", "wpc", "w", "kid"}}};
  static const std::vector<TraceEventSchema> kwta = {
      {"group", {"layer", "group", "base", "n", "k"}},
      {"in", {"idx", "v"}},
      {"out", {"idx", "v"}},
      // Bitonic circuit only: the network's keys after each compare stage.
      {"stage", {"stage", "mag", "idx"}},
      // Threshold circuit only: the search's outcome (threshold bin, count of larger magnitudes,
      // tie budget) and, per pass-2 row, which lanes hold a winner.
      {"threshold", {"thr", "above", "budget"}},
      {"flag", {"row", "win"}}};
  static const std::vector<TraceEventSchema> dec = {
      {"vector", {"layer", "group", "operand", "tile", "index", "cycles", "v", "ptr", "nz_v", "nz_idx"}}};
  static const std::vector<TraceEventSchema> state = {{"acc", {"fold", "cycle", "acc"}}};
  static const std::vector<TraceEventSchema> macState = {{"acc", {"pass", "lane", "pixel", "acc"}}};
  static const std::vector<TraceEventSchema> spe = {
      {"fold", {"layer", "group", "fold", "m0", "n0", "mlen", "nlen", "cycles", "a_len", "w_len"}},
      {"bus", {"fold", "cycle", "a_n", "a_k", "a_v", "w_n", "w_k", "w_v"}},
      {"pe", {"fold", "cycle", "x", "y", "a_fill", "w_fill", "issue", "done", "acc"}}};
  switch (b) {
    case TraceBlock::PeArray: return pe;
    case TraceBlock::MacArray: return mac;
    case TraceBlock::WeightSram: return sram;
    case TraceBlock::KwtaSelector: return kwta;
    case TraceBlock::Decompressor: return dec;
    case TraceBlock::PeState: return state;
    case TraceBlock::SparsePe: return spe;
    case TraceBlock::MacState: return macState;
  }
  throw std::logic_error("unknown trace block");
}

int traceEventIndex(TraceBlock b, const std::string& event) {
  const auto& ev = traceEvents(b);
  for (size_t i = 0; i < ev.size(); ++i)
    if (ev[i].name == event) return static_cast<int>(i);
  throw std::logic_error(std::string("trace block ") + toString(b) + " has no event \"" + event + "\"");
}

}  // namespace sparsesim
