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

// Post-ops of a layer in a chained network, applied to its output in this order (docs/networks.md).
struct RequantSpec {
  enum class Mode { None, Given, Calibrate };
  Mode mode = Mode::None;     // None: the output stays int32 (a graph output without consumers)
  std::vector<double> scale;  // Given: one per tensor, or one per output channel
  int zero_point = 0;
};
struct KwtaSpec {
  int64_t k = 0;         // winners per group; 0: from density
  double density = 0.0;  // fraction kept per group; 0: not given (no k-WTA when k is 0 too)
  int groups = 1;        // channel groups, each its own k-WTA
  bool active() const { return k > 0 || density > 0.0; }
};

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
  std::string weights_file;  // optional .npy (OIHW int8 or float32), resolved against the network file
  // Chained networks (docs/networks.md).
  std::vector<std::string> inputs;  // producers by name ("input": the network input); filled when chained
  bool has_pads = false;            // "pads" given: [top, left, bottom, right] instead of padding
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int dilation = 1;
  bool global_pool = false;  // avgpool2d / maxpool2d over the whole input
  RequantSpec requant;
  bool requant_given = false;  // "requant" written in the file (else the chained default applies)
  Activation activation = Activation::None;
  KwtaSpec kwta;
  // A model's own scales (docs/networks.md, "Tensor scales"); empty / 0: the simulator's
  // convention. weight_scale: the real value of one int8 weight step, one or one per output
  // channel. output_scale: an add's or concat's output step (else calibrated / the largest input's).
  std::vector<double> weight_scale;
  double output_scale = 0.0;
  int out_c = 0, out_h = 0, out_w = 0;  // the layer's output shape, filled when chained
  int batch = 1;  // images per inference: the network's `batch`, copied to every layer
};

// The network's own input: documentation only in an independent-layer file (every layer carries
// its full input shape); the shape of the first tensor in a chained file.
struct NetworkInput {
  int channels = 0;
  int height = 0;
  int width = 0;
  double scale = 0.0;  // chained: the real value of one int8 input step; 0: the convention 1/127
};

struct NetworkConfig {
  std::string source_file;  // the file it was read from, for messages and the report
  std::string name;
  std::string description;
  NetworkInput input;
  bool chain = false;  // true: each layer's input is a producer's output (docs/networks.md)
  int batch = 1;
  std::vector<LayerConfig> layers;
};

}  // namespace sparsesim
