#pragma once
// Plain structs for a network file. Parsed once by ConfigLoader; models never see JSON. The
// member initialisers are the defaults; keys, ranges and meanings are in the descriptor tables
// (networkParams(), layerParams() in ConfigLoader.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/Enums.h"

namespace sparsesim {

struct LayerConfig {
  std::string name;
  LayerType type = LayerType::Conv2d;
  int in_channels = 0;
  int out_channels = 0;
  int in_h = 0;  // linear layers: rows of the GEMM (tokens or batch), 1 for one image
  int in_w = 0;  // linear layers: 1
  int kernel_h = 1;
  int kernel_w = 1;
  int stride = 1;
  int padding = 0;
  int groups = 1;
  double weight_sparsity = 0.0;     // fraction of zero weights, 0 <= s < 1
  double activation_density = 1.0;  // fraction of input activations kept by k-WTA, 0 < d <= 1
  WeightPattern weight_pattern = WeightPattern::Unstructured;
  std::string weights_file;  // optional .npy (OIHW int8), resolved against the network file
};

// The network's own input, documentation only: every layer carries its full input shape.
struct NetworkInput {
  int channels = 0;
  int height = 0;
  int width = 0;
};

struct NetworkConfig {
  std::string source_file;  // the file it was read from, for messages and the report
  std::string name;
  std::string description;
  NetworkInput input;
  std::vector<LayerConfig> layers;
};

}  // namespace sparsesim
