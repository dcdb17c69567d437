#include "sim/run/EngineBuffers.h"

#include <algorithm>
#include <cmath>

#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

EngineBufferSizes engineBufferSizes(const ArchConfig& e, const LayerConfig& l, const PipelineStagePlan& s, const WeightFootprint& stored) {
  const LayerGeometry g = computeGeometry(l, e.compat);
  EngineBufferSizes b;
  b.ifmap_kb = double(g.inputElements()) / 1024.0;
  b.ofmap_kb = double(2 * s.output_rows * uint64_t(l.out_c) * uint64_t(l.out_w)) / 1024.0;
  if (e.datapath == DatapathKind::Cs) {
    // The packed table's words over the banks, at least one word per bank.
    const double words = std::ceil(double(stored.stored_bytes) * 8.0 / double(e.cs.sram.word_bits));
    b.sram_depth = std::max(1, int(std::ceil(words / double(e.cs.sram.banks))));
    b.filter_kb = e.memory.filter_kb;  // cs keeps its weights in the SRAM; the partition is unused
  } else {
    b.filter_kb = double(stored.stored_bytes) / 1024.0;
  }
  return b;
}

void applyEngineBuffers(ArchConfig& e, const EngineBufferSizes& b) {
  e.memory.ifmap_kb = b.ifmap_kb;
  e.memory.filter_kb = b.filter_kb;
  e.memory.ofmap_kb = b.ofmap_kb;
  if (e.datapath == DatapathKind::Cs) e.cs.sram.depth = b.sram_depth;
}

uint64_t lineBufferBytes(const PipelineStagePlan& s, uint64_t rows) { return rows * s.input_row_elements; }

}  // namespace sparsesim
