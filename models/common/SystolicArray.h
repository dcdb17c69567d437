#pragma once
// The dense systolic array: R x C int8 x int8 -> int32 MAC PEs, weight- or output-stationary.
//
// Timing convention (SCALE-Sim's): operands enter skewed at the array's left and top edges and
// a fold is complete when its wavefront has crossed the whole physical array, idle rows and
// columns of a partial tile included (they carry zero-valued slots).
//   OS fold: K operand pairs stream through every PE: the last one enters at cycle K-1 and
//            reaches the far corner R-1 + C-1 cycles later: K + R + C - 2 cycles.
//   WS fold: R cycles to shift the weight tile in from the top, then M input rows stream right
//            while partial sums flow down; the last sum leaves the bottom of column C-1 at
//            cycle R + (M-1) + (R-1) + (C-1): 2R + M + C - 2 cycles.
// Two engines compute a fold: Stepped moves every register every cycle and counts cycles until
// the array is empty; Bulk computes the tile's dot products directly and takes the cycle count
// from the wavefront above. Tests require both to agree exactly, in cycles and in outputs.
#include <systemc>

#include <cstdint>
#include <vector>

#include "models/common/GlobalBuffer.h"
#include "models/common/LayerStats.h"
#include "models/common/Tasks.h"
#include "sim/config/ArchConfig.h"
#include "sim/workload/Lowering.h"

namespace sparsesim { class TraceSink; }

namespace sparsesim {

class SystolicArrayCore {
 public:
  SystolicArrayCore(int rows, int cols, Dataflow df) : R_(rows), C_(cols), df_(df) {}
  // Accumulates the fold into C (M x N of the group) and returns the cycles it occupies.
  uint64_t runBulk(const GroupGemm& g, const Fold& f, int32_t* C) const;
  uint64_t runStepped(const GroupGemm& g, const Fold& f, int32_t* C) const;
  uint64_t wavefrontCycles(const Fold& f) const;
  // MACs with real operands (zeros included), not the padded slots.
  static uint64_t macsIssued(const Fold& f) { return uint64_t(f.mlen) * f.nlen * f.klen; }
  int rows() const { return R_; }
  int cols() const { return C_; }
  Dataflow dataflow() const { return df_; }
  // Between layers only (dataflow "auto" picks per layer).
  void setDataflow(Dataflow df) { df_ = df; }

 private:
  uint64_t steppedOS(const GroupGemm& g, const Fold& f, int32_t* C) const;
  uint64_t steppedWS(const GroupGemm& g, const Fold& f, int32_t* C) const;
  int R_, C_;
  Dataflow df_;
};


class SystolicArray : public sc_core::sc_module {
 public:
  sc_core::sc_port<sc_core::sc_fifo_in_if<FoldTask>> from_buffer;
  sc_core::sc_port<sc_core::sc_fifo_out_if<WritebackTask>> to_output;

  SystolicArray(sc_core::sc_module_name name, int rows, int cols, Dataflow df, FoldEngine engine);
  const SystolicArrayCore& core() const { return core_; }
  // The mapping of the folds queued from now on; called between layers, when the array is idle.
  void setDataflow(Dataflow df) { core_.setDataflow(df); }
  // pe_array trace: per fold its edge operands cycle by cycle and the accumulators it drains.
  void attachTracer(TraceSink& t);

 private:
  void run();
  void traceFold(uint64_t t0, const FoldTask& t, uint64_t cycles, const std::vector<int32_t>& before);
  void traceFoldWS(uint64_t t0, const FoldTask& t, uint64_t cycles);
  void traceState(uint64_t t0, uint64_t seq, const Fold& f, const GroupGemm& g, uint64_t cycles);
  void traceStateWS(uint64_t t0, uint64_t seq, const Fold& f, const GroupGemm& g, uint64_t cycles);
  SystolicArrayCore core_;
  FoldEngine engine_;
  TraceSink* tracer_ = nullptr;
  uint64_t foldSeq_ = 0;
};

}  // namespace sparsesim
