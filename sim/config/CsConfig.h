#pragma once
// Parameters of the "cs" datapath: the "cs" object of an architecture file. The MAC array's
// shape comes from the common "array" object: array.rows = activation lanes, array.cols =
// packed-group slots (multipliers = rows x cols). The member initialisers are the defaults; keys,
// ranges, units and meanings are declared once in csParams() (CsConfig.cpp, docs/config.md "cs").
#include <cstdint>
#include <string>

#include "sim/core/Enums.h"

namespace sparsesim {

struct CsPackingConfig {
  int max_n = 16;  // most kernels one packed group may hold (kernel-ID width ceil(log2 N))
};

struct CsSramConfig {
  int banks = 16;         // independently addressed banks of the weight-packing SRAM
  int word_bits = 72;     // bits one bank port delivers per cycle
  int ports = 2;          // read ports per bank (2: true dual-port BRAM/URAM)
  int depth = 1024;       // words per bank (capacity = banks x depth x word_bits)
  int read_latency = 2;   // cycles from address to data; paid once per pass (pipelined)
  SramMemory memory = SramMemory::Bram36;  // block type the banks are built from (resource report)
};

struct CsSelectorConfig {
  SelectorCircuit circuit = SelectorCircuit::Threshold;  // k-WTA circuit
  int lanes = 16;          // activations the selector reads per cycle
  int out_width = 8;       // winners the compactor / read-out emits per cycle
  int bins_per_cycle = 8;  // threshold circuit: histogram bins the threshold search scans per cycle
  int comparators = 64;    // bitonic circuit: compare-exchange units the network's stages share
  int64_t group_size = 0;  // 0: one k-WTA over the whole input; else per group of this many elements
  bool fused = false;      // "placement": "fused": threshold pass 1 runs on the producer's output stream
};

struct CsMacConfig {
  int pipeline_depth = 3;     // multiply + route + accumulate stages (fill/drain once per pass)
  int writeback_pixels = 16;  // finished output pixels per write-back burst
  bool replicate = true;      // "replication": "on": a pass of R < slots/2 groups is replicated over the slots
};

struct CsConfig {
  CsMode mode = CsMode::Auto;
  CsPackingConfig packing;
  CsSramConfig sram;
  CsSelectorConfig selector;
  CsMacConfig mac;
};

}  // namespace sparsesim
