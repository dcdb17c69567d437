#pragma once
// The layer-pipelined elaboration of a chained network (docs/pipelined.md), as plain values: one
// engine per compute layer, the host layers between two engines in the producer's output path,
// and for every engine the rows of its input each output row needs. The granularity is the
// output row of a layer (a linear layer's whole output vector is one row).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"

namespace sparsesim {

// The rows a producer's output path emits towards its consumer (or DRAM), after its host ops.
struct OutputPathPlan {
  std::vector<std::string> ops;     // host layers (and "kwta") the rows pass through, in order
  std::vector<size_t> host_layers;  // their indices in the network
  uint64_t rows = 0;                // rows emitted per inference
  uint64_t row_elements = 0;        // elements of one emitted row
  // For emitted row j: producer rows that must be complete before it leaves (a k-WTA or a
  // flatten needs all of them), and producer rows it frees afterwards.
  std::vector<uint64_t> needs, frees;
  bool whole_inference = false;     // a k-WTA or a global op: nothing leaves before the last row
  bool to_dram = false;             // the final output
};

struct PipelineStagePlan {
  size_t layer = 0;  // index in the network
  std::string name;
  uint64_t output_rows = 0;         // per inference
  uint64_t input_rows = 0;          // rows of its input per inference
  uint64_t input_row_elements = 0;
  uint64_t window_rows = 0;         // input rows the first output row needs
  uint64_t fifo_rows = 0;           // its input line buffer: window + pipeline.slack_rows
  // For output row r: input rows that must have arrived, and input rows it frees when done.
  std::vector<uint64_t> needs, frees;
  OutputPathPlan out;
};

struct PipelinePlan {
  uint64_t input_rows = 0;          // the network input, read from DRAM a row at a time
  uint64_t input_row_bytes = 0;
  std::vector<PipelineStagePlan> stages;
};

// A layer list (not "chain": true) as the chained network it streams as: each layer reads the
// one before it (the first the network input, its shape the first layer's), the chained defaults
// applied (requant to int8 where a layer feeds another). Throws ConfigError naming the first pair
// of consecutive layers whose shapes do not chain. A chained network is returned as it is.
NetworkConfig chainLayerList(const NetworkConfig& n, const ArchConfig& a);

// Builds the plan, or throws ConfigError: a network that is not chained (naming the first pair
// of layers whose shapes do not chain), a layer with several inputs or consumers.
PipelinePlan planPipeline(const ArchConfig& a, const NetworkConfig& n);

}  // namespace sparsesim
