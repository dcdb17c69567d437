#pragma once
// The run pipeline, each step in one place:
//   1. config    loadArch / loadNetwork (sim/config), selectLayers + validateRun here
//   2. workload  makeWorkload per layer (sim/workload), generated as the layer starts
//   3. elaborate makeDatapath (sim/run/Datapaths.cpp) builds the modules once
//   4. simulate  one SystemC thread feeds the layers in order through the datapath
//   5. verify    every layer's outputs against referenceConv (sim/reference)
//   6. report    writeReports (sim/report) after the simulation
// SystemC allows one elaboration per process: runSimulation may be called once per process.
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/run/RunResult.h"
#include "sim/trace/Tracer.h"
#include "sim/workload/Workload.h"

namespace sparsesim {

constexpr uint64_t kDefaultSeed = 1;

struct RunOptions {
  uint64_t seed = kDefaultSeed;
  std::vector<std::string> layers;  // empty: all
  std::string dump_tensors_dir;     // empty: none
  bool progress = false;            // one line per finished layer on stderr
  TraceOptions trace;               // golden trace (docs/traces.md); dir empty: none
};

// Keeps only the named layers (in network order); unknown names are a ConfigError.
NetworkConfig selectLayers(const NetworkConfig& n, const std::vector<std::string>& names);
// What the registry decides for a file that leaves it out, and the file's sections for other
// datapaths. A missing "dataflow" becomes the datapath's only dataflow (an error where it has
// several). Each foreign section is a warning on `warnings` (none when null), or with `strict` a
// ConfigError naming the file and the section.
void applyDatapathDefaults(ArchConfig& a, bool strict = false, std::ostream* warnings = nullptr);
// The clock against the timing limit of the architecture's FPGA part for its datapath (the part
// file's timing.fmax_mhz). Applies to FPGA designs (an energy table of kind "fpga"); a clock above
// the limit is a ConfigError at clock_mhz unless allowOverclock.
void checkTiming(const ArchConfig& a, bool allowOverclock);
// The architecture's datapath-dependent rules (its registry entry: supported dataflows).
void checkDatapathRules(const ArchConfig& a);
// Checks what needs both files together (shapes under the arch's compat mode, weights files).
void validateRun(const ArchConfig& a, const NetworkConfig& n);
RunResult runSimulation(const ArchConfig& a, const NetworkConfig& n, const RunOptions& opt);

}  // namespace sparsesim
