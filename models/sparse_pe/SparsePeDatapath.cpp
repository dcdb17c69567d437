#include "models/sparse_pe/SparsePeDatapath.h"

#include <algorithm>

#include "models/common/FoldDriver.h"
#include "models/common/FoldSchedule.h"
#include "sim/workload/plans/SparsePeLayerPlan.h"

namespace sparsesim {

SparsePeDatapath::SparsePeDatapath(sc_core::sc_module_name name, const ArchConfig& arch)
    : sc_module(name),
      arch_(arch),
      mem_(arch),
      array_("sparse_pe_array", arch.array.rows, arch.array.cols, arch.sparse_pe) {
  array_.from_buffer(mem_.to_array);
  array_.to_output(mem_.from_array);
}

WeightFootprint SparsePeDatapath::weightFootprint(const ArchConfig& a, const LayerWorkload& w) {
  return arrayWeightFootprint(a, w.geom, sparsePeStoredWeightBytes(w, a.sparse_pe));
}

uint64_t SparsePeDatapath::weightMemoryBytes(const ArchConfig& a) { return filterBufferBytes(a); }

LayerOutcome SparsePeDatapath::runLayer(const LayerWorkload& w) {
  LayerOutcome out;
  LayerStats& stats = out.stats;
  const LayerGeometry& g = w.geom;
  const int R = arch_.array.rows, C = arch_.array.cols;
  // The PEs see only the (value, index) streams; the driver keeps each GEMM's shape for the
  // accumulators.
  FoldDriver driver(w, /*operandsToo=*/false);
  SparsePeLayerPlan plan = planSparsePeLayer(w, arch_.sparse_pe);
  SparsePeLayerData data;
  for (DecodedStreams& s : plan.activations) data.activations.push_back(makeSparseOperand(std::move(s.ptr), std::move(s.k), std::move(s.val)));
  for (DecodedStreams& s : plan.weights) data.weights.push_back(makeSparseOperand(std::move(s.ptr), std::move(s.k), std::move(s.val)));
  mem_.buffer.beginLayer(g, arch_.memory, C, planStorage(plan), w.weights_at);
  array_.beginLayer(&data, buildFoldSchedule(g, R, C, Dataflow::OutputStationary));
  // No host thread may hold `data` past this function, however it is left.
  struct EndLayer {
    SparsePeArray& a;
    ~EndLayer() { a.endLayer(); }
  } endLayer{array_};

  driver.run(mem_, R, C, Dataflow::OutputStationary, stats);

  out.output = driver.output();

  const SparsePeCounters& c = array_.counters();
  stats.selector_comparisons += c.comparisons;
  stats.register_accesses += c.fifo_writes + c.entries_consumed;  // FIFO writes + pops
  stats.block_events[BlockEvent::SparsePeBusEntries] += c.bus_entries;
  stats.block_events[BlockEvent::SparsePeFifoWrites] += c.fifo_writes;
  stats.block_events[BlockEvent::SparsePeFifoPops] += c.entries_consumed;
  SparsePeInfo info;
  info.array = driver.info(mem_);
  info.pe_count = int64_t(R) * C;
  info.macs = c.macs;
  info.active_pe_cycles = c.active_pe_cycles;
  info.starved_pe_cycles = c.starved_pe_cycles;
  info.idle_pe_cycles = c.idle_pe_cycles;
  info.bus_blocked_cycles = c.bus_blocked_cycles;
  info.entries_examined = c.entries_consumed;
  info.weight_bytes_dense = uint64_t(g.weightElements());
  info.weight_bytes_compressed = plan.weight_bytes;
  info.activation_bytes_dense = uint64_t(g.inputElements());
  info.activation_bytes_compressed = plan.input.bytes();
  out.info = info;
  return out;
}

}  // namespace sparsesim
