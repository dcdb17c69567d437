#pragma once
// What the run pipeline needs of a datapath. A datapath is a set of SystemC modules in
// models/<datapath>/ wired by one top module; the pipeline elaborates it once and then feeds it
// layer after layer (sim/run/Runner.cpp). Nothing here knows JSON or how a run is reported.
#include <cstdint>

#include "models/common/LayerInfo.h"
#include "models/common/TraceSink.h"
#include "sim/workload/Workload.h"

namespace sparsesim {

class Datapath {
 public:
  virtual ~Datapath() = default;
  // Multipliers the datapath has; utilization = macs_issued / (cycles * multipliers()).
  virtual int64_t multipliers() const = 0;
  // Runs one layer from inside the simulation's sequencer thread and returns when the layer has
  // finished in simulated time, with the real outputs, the blocks' counters and the datapath's
  // own facts about the layer.
  virtual LayerOutcome runLayer(const LayerWorkload& w) = 0;
  // Hands the run's trace to the blocks that can write one (sim/trace/TraceSchema.h lists them
  // per datapath); called once, before the simulation starts. Blocks record their own params.
  virtual void attachTracer(TraceSink& /*tracer*/) {}
};

}  // namespace sparsesim
