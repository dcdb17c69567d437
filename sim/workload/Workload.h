#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"
#include "sim/workload/LayerGeometry.h"
#include "sim/workload/WeightPlacement.h"
#include "sim/core/Tensor.h"

namespace sparsesim {

// One layer's real operands: what every datapath computes on and the reference checks.
struct LayerWorkload {
  LayerConfig config;
  LayerGeometry geom;
  Int8Tensor input;    // [batch, C, H, W] (after k-WTA, per image)
  Int8Tensor weights;  // [O, C/groups, kh, kw] (zeros included)
  size_t kwta_k = 0;   // activations kept, the whole batch's
  int64_t weight_nonzeros = 0;
  int64_t input_nonzeros = 0;
  WeightPlacement weights_at;  // resident or streamed (the run's residency plan sets it)
  // The cycle its engine starts the layer: an array's wait before it is not the layer's stall
  // (a pipeline's folded engine idles while the other engines run). 0: the array's wait counts
  // from its previous fold (layer-sequential: one engine runs every layer).
  uint64_t time_origin = 0;
};

// The layer's weights file (layer.weights_file, an int8 or float32 .npy: WeightFile.h), read and checked against the
// layer's OIHW shape (a linear layer's may also be [out, in]); returned in OIHW. A bad file is a
// ConfigError naming the file (or the network file and `layers[layerIndex].weights`).
Int8Tensor loadLayerWeights(const LayerConfig& layer, const LayerGeometry& g, const std::string& networkFile, int layerIndex);

// Deterministic operands from a seed: weights are non-zero int8 with exactly
// round(s * count) zeros (unstructured: selection sampling; complementary: disjoint masks in
// runs of floor(1/(1-s)) kernels); activations are int8 with all but the k = round(d * L)
// largest magnitudes zeroed (k-WTA over the whole input, ties to the lower index).
// `weights`: the layer's weights file as loadLayerWeights returned it, or nullptr to generate them.
LayerWorkload makeWorkload(const LayerConfig& layer, Compat compat, uint64_t seed, const Int8Tensor* weights);
// The same, reading the layer's weights file itself (a run reads each file once, in resolveRun).
LayerWorkload makeWorkload(const LayerConfig& layer, Compat compat, uint64_t seed,
                           const std::string& networkFile, int layerIndex);
// The same on a given input [1, C, H, W] (a chained layer's producer output, or --input). The
// layer's activation_density k-WTA applies to it unless `selected` > 0: then a producer's kwta
// already kept that many winners, and k = selected.
LayerWorkload makeWorkloadOn(const LayerConfig& layer, Compat compat, uint64_t seed, const Int8Tensor* weights,
                             Int8Tensor input, size_t selected);
// The same weights (file or seed), geometry and kwta_k as makeWorkload, without generating the
// input: `input` has the layer's shape but holds zeros (input_nonzeros 0). For what reads only the
// weights and the input's size, e.g. a datapath's stored-weight footprint before the run.
LayerWorkload makeWeightsWorkload(const LayerConfig& layer, Compat compat, uint64_t seed, const Int8Tensor* weights);
// The generated weights' fill: true (the default) the AVX-512 build of the loop where the CPU has
// AVX-512 DQ/BW/VL, false the baseline build (tests run both; integer arithmetic, the same
// weights either way).
void setWeightGeneratorWide(bool wide);
// The documented synthetic input: int8 uniform in [-127, 127] from the seed and a stream name
// (a layer's name; "input" for a chained network's input).
Int8Tensor syntheticInput(const std::vector<int64_t>& shape, uint64_t seed, const std::string& stream);

}  // namespace sparsesim
