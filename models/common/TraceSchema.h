#pragma once
// What a golden trace contains: the traceable blocks, their events and each event's fields, in
// the order the encoders write them (the blocks' side of the trace: models/common/TraceSink.h). docs/traces.md is the user-facing copy of this table; RTL
// checkers (traces/checker) read the field lists from a trace's header, not from here.
#include <string>
#include <vector>

namespace sparsesim {

// PeState: the PE array's accumulators after every fold cycle (rows x cols values a cycle), the
// per-cycle state that lets a checker name the first cycle a PE diverges; traced only when named.
// SparsePe: the sparse-PE array, every PE's FIFO heads, fill, issue and accumulator every cycle.
// MacState: a CS lane's accumulators after every step (traced only when named, as PeState).
enum class TraceBlock { PeArray, MacArray, WeightSram, KwtaSelector, Decompressor, PeState, SparsePe, MacState };
constexpr int kTraceBlockCount = 8;

struct TraceEventSchema {
  std::string name;
  std::vector<std::string> fields;
};

// Every block, in the schema's order.
extern const TraceBlock kAllTraceBlocks[kTraceBlockCount];

const char* toString(TraceBlock b);
const std::vector<TraceEventSchema>& traceEvents(TraceBlock b);
// Index of `event` in traceEvents(b); a misspelt event is a programming error (logic_error).
int traceEventIndex(TraceBlock b, const std::string& event);

}  // namespace sparsesim
