#pragma once
// The decompression units of the sod datapath, between the global buffer and the edges of the
// dense systolic array: one unit per operand (weights, activations), bypassed when that operand
// is stored dense.
//
// A unit handles one array-edge vector at a time (the R or C values the array takes in one
// cycle at that edge). Each cycle it receives up to port_bytes of the vector's stored bits from
// the global buffer (the vector's pointers or mask first, then its entries) and scatters up to
// nnz_per_cycle received non-zeros into the dense output lanes; lanes no entry names stay zero.
// A vector takes at least one cycle (one vector per cycle at most, the array's own rate).
//
// Timing against the array: the array consumes edge vector i of a fold at a fixed offset from
// the fold's start (OS: vector k at cycle k on both edges; WS: weight row r at cycle R-1-r while
// the tile shifts in, input row m at cycle R+m). A unit works through the fold's vectors back to
// back from the moment it has the fold; when a vector would be complete only after the array
// needs it, the array has to stall. Holding the fold back until no vector is late gives the
// same completion time as stalling the array whenever a vector is late, and it lets the
// foundation's SystolicArray run unchanged; that wait is the "decompressor" stall.
#include <systemc>

#include <cstdint>
#include <vector>

#include "models/common/FoldSchedule.h"
#include "models/common/GlobalBuffer.h"
#include "models/common/LayerStats.h"
#include "sim/config/ArchConfig.h"
#include "sim/workload/CompressedTensor.h"
#include "sim/workload/Lowering.h"
#include "sim/workload/plans/SodLayerPlan.h"

namespace sparsesim { class TraceSink; }

namespace sparsesim {

struct DecompressorParams {
  int nnz_per_cycle = SodConfig{}.nnz_per_cycle;  // non-zeros scattered per cycle ("sod" config default)
  int port_bytes = SodConfig{}.port_bytes;        // global-buffer read port, bytes per cycle
};

// One decompression unit, plain C++.
class DecompressorUnit {
 public:
  explicit DecompressorUnit(DecompressorParams p) : p_(p) {}
  // Reads vector v of t and writes the dense vector to out[e * stride], e < t.length().
  // Returns the cycles the vector occupied the unit (>= 1).
  uint64_t emit(const CompressedTensor& t, int64_t v, int8_t* out, int64_t stride);
  const DecompressorParams& params() const { return p_; }
  uint64_t vectors() const { return vectors_; }
  uint64_t entries() const { return entries_; }
  uint64_t cycles() const { return cycles_; }
  uint64_t bitsRead() const { return bits_; }
  uint64_t laneWrites() const { return laneWrites_; }  // dense elements written, zeros included

 private:
  DecompressorParams p_;
  uint64_t vectors_ = 0, entries_ = 0, cycles_ = 0, bits_ = 0, laneWrites_ = 0;
};

// The two units working on one fold, plain C++.
class DecompressStage {
 public:
  DecompressStage(DecompressorParams weights, DecompressorParams activations) : w_(weights), a_(activations) {}
  struct FoldTiming {
    uint64_t ready_delay = 0;  // cycles after the fold arrives before the array may start it
    uint64_t busy = 0;         // cycles until both units are free for the next fold
  };
  // Decompresses the fold's vectors into the staging operands and times them; t0 is the cycle
  // the stage got the fold (trace timestamps only).
  FoldTiming run(const SodLayerData& d, const Fold& f, uint64_t t0 = 0);
  // decompressor trace: every dense vector a unit writes.
  void attachTracer(TraceSink* t) { tracer_ = t; }
  // Bytes of operands stored dense that went around the units straight from the buffer.
  uint64_t bypassBytes() const { return bypassBytes_; }
  const DecompressorUnit& weightUnit() const { return w_; }
  const DecompressorUnit& activationUnit() const { return a_; }

 private:
  DecompressorUnit w_, a_;
  TraceSink* tracer_ = nullptr;
  uint64_t bypassBytes_ = 0;
};

// Per-fold timestamps the module keeps, for stall attribution.
struct DecompressRecord {
  uint64_t requested = 0;  // the module asked the buffer for the fold
  uint64_t received = 0;   // the buffer handed it over (operands fetched)
  uint64_t released = 0;   // the array got it
};

// The FIFO from the decompression stage to the array: an sc_fifo that also records, for each
// fold the array reads, when the array asked for it and when it got it.
struct ArrayWait {
  uint64_t begin = 0, end = 0;
};
class MonitoredFoldFifo : public sc_core::sc_fifo<FoldTask> {
 public:
  MonitoredFoldFifo(const char* name, int size) : sc_core::sc_fifo<FoldTask>(name, size) {}
  void read(FoldTask& t) override;
  FoldTask read() override {
    FoldTask t;
    read(t);
    return t;
  }
  std::vector<ArrayWait>& waits() { return waits_; }

 private:
  std::vector<ArrayWait> waits_;
};

// The array counts every wait for a fold as "dram_operands". The part of fold i's wait during
// which the decompression stage held the fold or was still busy with earlier folds is moved to
// "decompressor"; the part during which the stage itself waited on the buffer stays.
void attributeDecompressorStalls(const std::vector<ArrayWait>& waits, const std::vector<DecompressRecord>& records,
                                 LayerStats& stats);

class Decompressor : public sc_core::sc_module {
 public:
  sc_core::sc_port<sc_core::sc_fifo_in_if<FoldTask>> from_buffer;
  sc_core::sc_port<sc_core::sc_fifo_out_if<FoldTask>> to_array;

  Decompressor(sc_core::sc_module_name name, DecompressorParams weights, DecompressorParams activations);
  // Before the layer's folds are queued.
  void beginLayer(const SodLayerData* d) { data_ = d; records_.clear(); }
  const std::vector<DecompressRecord>& records() const { return records_; }
  const DecompressStage& stage() const { return stage_; }
  void attachTracer(TraceSink& t);

 private:
  void run();
  DecompressStage stage_;
  const SodLayerData* data_ = nullptr;
  std::vector<DecompressRecord> records_;
};

}  // namespace sparsesim
