#pragma once
// The forward pass of a chained network on the host side: the tensor each layer produced (after
// its post-ops), handed to its consumers and freed after the last one read it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/config/NetworkConfig.h"
#include "sim/core/Tensor.h"
#include "sim/workload/HostOps.h"

namespace sparsesim {

// What the post-ops did to one layer's output, for the report and the tensor dump.
struct PostOpRecord {
  std::vector<double> scale;  // requant scales used (empty: no requant)
  size_t kwta_kept = 0;       // winners of the kwta post-op (0: none)
  uint64_t elements = 0;      // output elements passed through the post-ops
};

// Per image of a batch, the scale of a tensor (a calibrated scale is each image's own).
using BatchScales = std::vector<TensorScale>;

class ChainedForward {
 public:
  // input: the network input [batch, C, H, W]; every tensor is [batch, ...], each image's
  // post-ops and host ops its own.
  ChainedForward(const NetworkConfig& n, const Int8Tensor& input);
  // The int8 input of a compute layer: its producer's post-processed output.
  Int8Tensor computeInput(const LayerConfig& l);
  // Winners of the producer's kwta when the layer's input is exactly that selection, else 0.
  size_t producerKwta(const LayerConfig& l) const;
  // Applies the layer's post-ops to its raw output and keeps the result for its consumers.
  PostOpRecord storeOutput(const LayerConfig& l, Int32Tensor value);
  // Runs a pooling / add / concat / flatten layer; returns the elements it read.
  uint64_t runHostLayer(const LayerConfig& l);
  // The layer's stored (post-processed) output.
  const Int32Tensor& value(const std::string& name) const { return values_.at(name); }
  // Image 0's scale of the layer's stored output (docs/networks.md, "Tensor scales").
  const TensorScale& scale(const std::string& name) const { return scales_.at(name).at(0); }

 private:
  std::vector<const Int32Tensor*> inputsOf(const LayerConfig& l) const;
  void release(const LayerConfig& l);
  // The post-ops on a value whose scale before them is `scales` (a compute layer: its input's).
  PostOpRecord postProcess(const LayerConfig& l, Int32Tensor value, BatchScales scales);
  std::map<std::string, Int32Tensor> values_;
  std::map<std::string, BatchScales> scales_;
  std::map<std::string, BatchScales> pendingInputScale_;  // a compute layer's input scale until its output is stored
  std::map<std::string, int> readersLeft_;
  std::map<std::string, size_t> kwtaKept_;
};

}  // namespace sparsesim
