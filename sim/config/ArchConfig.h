#pragma once
// Plain structs for an architecture file. The member initialisers are the defaults; each field's
// key, range, unit and meaning is declared once, in its descriptor table (archParams() in
// ConfigLoader.cpp), which generates the tables of docs/config.md.
#include <string>
#include <vector>

#include "sim/config/CsConfig.h"
#include "sim/config/SodConfig.h"
#include "sim/config/SparsePeConfig.h"
#include "sim/core/Enums.h"

namespace sparsesim {

struct ArrayConfig {
  int rows = 0;
  int cols = 0;
};

struct MemoryConfig {
  // The range a partition's capacity may take (KiB): from one byte up. Configs outside it are
  // refused; whatever sizes a partition (iso sizing) stays inside it, so what it writes loads.
  static constexpr double kMinBufferKb = 0.001, kMaxBufferKb = 1e7;
  double ifmap_kb = 256;              // input-activation partition of the global buffer
  double filter_kb = 256;             // weight partition of the global buffer
  double ofmap_kb = 128;              // output / partial-sum partition of the global buffer
  double dram_gbps = 3.2;             // DRAM bandwidth in GB/s (1e9 bytes/s): what the file gives
  double dram_bytes_per_cycle = 16;   // the same per array clock cycle (derived: gbps x 1000 / clock_mhz); the models read this
  int prefetch_depth = 2;             // fold tiles the buffer holds ahead of the array
  int output_bytes = 4;               // bytes per output element written back to DRAM
  // "weights": "preload" (the network's stored weights are on chip from configuration, as far as
  // the weight memory holds them; sim/workload/plans/WeightResidency.h) | "stream" (every
  // layer's weights are read from DRAM on every inference).
  bool preload_weights = false;
};

// Layer-pipelined execution (docs/pipelined.md): one engine per compute layer, connected by
// line buffers; read only when ArchConfig::pipelined.
struct PipelineConfig {
  int slack_rows = 1;   // rows every input line buffer holds beyond its engine's window
  int inferences = 3;   // inputs streamed through the pipeline (steady state needs at least 3)
  // How parallel each engine is (sim/run/PipelineFolding.h): "whole" (every engine the
  // architecture's array), "balanced" (chosen within the budget so engines take about equal
  // cycles), "explicit" (`arrays`).
  std::string folding = "whole";
  // Per compute layer its engine's array, "conv1=8x16,conv2=16x16": given for explicit folding,
  // written with the chosen folding for balanced (a given list must then equal the choice).
  std::string arrays;
  // The balanced folding's resource budget: a fraction of the part, and caps (0 = none).
  double budget_part_fraction = 1.0;
  double budget_dsp = 0, budget_lut = 0, budget_bram36 = 0;
};

struct SimulationConfig {
  FoldEngine fold_engine = FoldEngine::Bulk;
};

struct ArchConfig {
  std::string source_file;
  std::string name;
  std::string description;
  DatapathKind datapath = DatapathKind::Dense;
  double clock_mhz = 200;
  Dataflow dataflow = Dataflow::OutputStationary;
  ArrayConfig array;
  MemoryConfig memory;
  Compat compat = Compat::None;
  SimulationConfig simulation;
  // "execution": "layer_sequential" (false: one engine runs the layers one after another, every
  // layer's output through DRAM) | "layer_pipelined" (true: docs/pipelined.md).
  bool pipelined = false;
  PipelineConfig pipeline;
  CsConfig cs;              // used when datapath == DatapathKind::Cs
  SodConfig sod;            // used when datapath == DatapathKind::Sod
  SparsePeConfig sparse_pe; // used when datapath == DatapathKind::SparsePe
  std::string fpga_part = "u250";                    // configs/fpga/<part>.json (docs/resources.md)
  std::string energy_table = "fpga-ultrascale-plus"; // configs/energy/<table>.json (docs/resources.md)
  // FPGA static power per inference: false = the whole part's, charged to one copy of the design;
  // true = shared between the copies of the design that fit the part, running in parallel.
  bool static_power_shared = false;
  // What the file left to the datapath registry (sim/run applyDatapathDefaults): false when it
  // gives no "dataflow" (the datapath's only dataflow, or an error where it has several).
  bool dataflow_given = true;
  // Sections the file holds for a datapath other than its own ("sod" in a cs architecture): read
  // and checked, then ignored; the command line warns about them (an error with --strict).
  std::vector<std::string> foreign_sections;
};

}  // namespace sparsesim
