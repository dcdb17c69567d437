#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"
#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

struct LayerResult {
  std::string name;
  LayerType type = LayerType::Conv2d;
  LayerGeometry geom;
  uint64_t cycles = 0;            // reported; in SCALE-Sim compat mode, simulated_cycles - 1
  uint64_t simulated_cycles = 0;  // cycles from the layer's start to its last write-back
  uint64_t macs_dense = 0;
  uint64_t macs_issued = 0;
  uint64_t macs_useful = 0;
  double utilization = 0;
  std::map<std::string, uint64_t> stall_cycles;
  uint64_t dram_read_bytes = 0;
  uint64_t dram_write_bytes = 0;
  uint64_t folds = 0;
  // Energy events (models/common/LayerStats.h); the energy model estimates those a datapath leaves at 0.
  uint64_t sram_read_bytes = 0, sram_write_bytes = 0, register_accesses = 0, routing_hops = 0, selector_comparisons = 0;
  std::map<std::string, uint64_t> block_events;  // LayerStats::block_events
  nlohmann::ordered_json energy = nlohmann::ordered_json::object();  // filled by the run pipeline
  int64_t weight_nonzeros = 0;
  int64_t input_nonzeros = 0;
  size_t kwta_k = 0;
  bool verified = false;
  int64_t mismatches = 0;
  std::string first_mismatch;
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();
};

struct RunResult {
  ArchConfig arch;
  NetworkConfig network;  // only the layers that ran
  uint64_t seed = 0;
  int64_t multipliers = 0;  // of the datapath that ran
  std::vector<LayerResult> layers;
  uint64_t total_cycles = 0;
  double seconds = 0;
  bool verified = false;
  double wall_seconds = 0;
  // Resource and energy estimates (sim/resources, docs/resources.md), report top-level objects.
  nlohmann::ordered_json resources = nlohmann::ordered_json::object();
  nlohmann::ordered_json energy = nlohmann::ordered_json::object();
  std::exception_ptr error;  // set when the simulation thread failed
};

}  // namespace sparsesim
