#pragma once
// The run pipeline, each step in one place:
//   1. config    loadArch / loadNetwork (sim/config), selectLayers here
//   2. resolve   resolveRun (sim/run/ResolvedRun): tables, weights files, trace request loaded
//                once, every cross-field rule checked
//   3. workload  makeWorkload per layer (sim/workload), generated as the layer starts
//   4. elaborate makeDatapath (sim/run/DatapathRegistry) builds the modules once
//   5. simulate  one SystemC thread feeds the layers in order through the datapath
//   6. verify    every layer's outputs against referenceConv (sim/run/Verify, sim/reference)
//   7. report    writeReports (sim/report) after the simulation
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
  std::string input_file;           // int8 .npy (N, C, H, W) for the first layer; empty: synthetic
  bool allow_overclock = false;     // --allow-overclock: a clock above the part's timing limit runs
};

struct ResolvedRun;  // sim/run/ResolvedRun.h

// Keeps only the named layers (in network order); unknown names are a ConfigError.
NetworkConfig selectLayers(const NetworkConfig& n, const std::vector<std::string>& names);
// What the registry decides for a file that leaves it out, and the file's sections for other
// datapaths. A missing "dataflow" becomes the datapath's only dataflow (an error where it has
// several). Each foreign section is a warning on `warnings` (none when null), or with `strict` a
// ConfigError naming the file and the section.
void applyDatapathDefaults(ArchConfig& a, bool strict = false, std::ostream* warnings = nullptr);
// The architecture's datapath-dependent rules (its registry entry: supported dataflows); one of
// the rules resolveRun applies (both are defined in ResolvedRun.cpp).
void checkDatapathRules(const ArchConfig& a);
// resolveRun without keeping what it loaded: checks what needs both files together
// (allowOverclock: --allow-overclock, the clock may exceed the part's timing limit).
void validateRun(const ArchConfig& a, const NetworkConfig& n, bool allowOverclock = false);
// Simulates, verifies and estimates a resolved run (nothing is read from files any more).
RunResult runSimulation(const ResolvedRun& run);
// Simulated time is read through double seconds (models/common/Cycles.h, nowCycles): exact up to
// 2^53 cycles. Physical ranges on every parameter keep real runs far below it (docs/errors.md);
// a run that reaches it anyway is refused rather than reported with an inexact, saturating figure.
constexpr uint64_t kMaxExactCycles = uint64_t(1) << 53;
// A ConfigError at `layers[layerIndex]` of the network file when a layer ends past kMaxExactCycles.
void checkSimulatedTime(uint64_t endCycle, const std::string& networkFile, size_t layerIndex, const std::string& layerName);
// The run's weight-residency plan (memory.weights; docs/memory.md) over the network's layers, from
// each layer's stored weights in the datapath's format: what runSimulation decides before the
// first layer runs.
WeightResidencyPlan planRunWeightResidency(const ResolvedRun& run);
// resolveRun, then runSimulation.
RunResult runSimulation(const ArchConfig& a, const NetworkConfig& n, const RunOptions& opt);

}  // namespace sparsesim
