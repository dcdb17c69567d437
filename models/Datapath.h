#pragma once
// What the run pipeline needs of a datapath. A datapath is a set of SystemC modules in models/
// wired by one top module; the pipeline elaborates it once and then feeds it layer after layer.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>

#include "models/common/LayerStats.h"
#include "sim/config/ArchConfig.h"
#include "sim/workload/Workload.h"

namespace sparsesim { class TraceSink; }

namespace sparsesim {

class Datapath {
 public:
  virtual ~Datapath() = default;
  // Multipliers the datapath has; utilization = macs_issued / (cycles * multipliers()).
  virtual int64_t multipliers() const = 0;
  // Runs one layer from inside the simulation's sequencer thread and returns when the layer has
  // finished in simulated time. Fills the real outputs ([1, O, out_h, out_w] int32), the event
  // counters, and any datapath-specific report fields in `extra`.
  virtual void runLayer(const LayerWorkload& w, LayerStats& stats, Int32Tensor& output,
                        nlohmann::ordered_json& extra) = 0;
  // Hands the run's trace to the blocks that can write one (sim/trace/TraceSchema.h lists them
  // per datapath); called once, before the simulation starts. Blocks record their own params.
  virtual void attachTracer(TraceSink& /*tracer*/) {}
};

// Elaborates the datapath an architecture names. One line per datapath in Datapaths.cpp.
std::unique_ptr<Datapath> makeDatapath(const ArchConfig& arch);

}  // namespace sparsesim
