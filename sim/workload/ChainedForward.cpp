#include "sim/workload/ChainedForward.h"

#include <algorithm>
#include <cmath>

#include "sim/config/ChainedNetwork.h"
#include "sim/workload/HostOps.h"
#include "sim/workload/PostOps.h"

namespace sparsesim {

namespace {
// Image b of a [batch, ...] tensor, as a [1, ...] tensor.
Int32Tensor imageOf(const Int32Tensor& t, int64_t b) {
  std::vector<int64_t> shape = t.shape;
  const size_t per = t.size() / size_t(shape.at(0));
  shape[0] = 1;
  Int32Tensor one(shape);
  std::copy(t.data.begin() + b * per, t.data.begin() + (b + 1) * per, one.data.begin());
  return one;
}
}  // namespace

ChainedForward::ChainedForward(const NetworkConfig& n, const Int8Tensor& input) {
  Int32Tensor in(input.shape);
  for (size_t i = 0; i < input.size(); ++i) in.data[i] = input.data[i];
  // A model's own input scale, else the convention (docs/networks.md, "Tensor scales").
  const double inStep = n.input.scale > 0 ? n.input.scale : kInt8Step;
  scales_[kNetworkInputName] = BatchScales(size_t(input.shape.at(0)), TensorScale{inStep});
  values_[kNetworkInputName] = std::move(in);
  for (const auto& l : n.layers)
    for (const auto& p : l.inputs) ++readersLeft_[p];
}

std::vector<const Int32Tensor*> ChainedForward::inputsOf(const LayerConfig& l) const {
  std::vector<const Int32Tensor*> v;
  for (const auto& p : l.inputs) v.push_back(&values_.at(p));
  return v;
}

void ChainedForward::release(const LayerConfig& l) {
  // A tensor nobody reads any more is dropped: a deep network keeps only its live tensors.
  for (const auto& p : l.inputs)
    if (--readersLeft_[p] == 0) {
      values_.erase(p);
      scales_.erase(p);
    }
}

Int8Tensor ChainedForward::computeInput(const LayerConfig& l) {
  const Int32Tensor& v = values_.at(l.inputs[0]);
  Int8Tensor t({l.batch, l.in_channels, l.in_h, l.in_w});
  for (size_t i = 0; i < t.size(); ++i) t.data[i] = static_cast<int8_t>(v.data[i]);  // int8 by the chain's rules
  // An integer GEMM takes its input at one scale: a per-channel input scale counts as its largest.
  BatchScales in;
  for (const TensorScale& s : scales_.at(l.inputs[0])) in.push_back({*std::max_element(s.begin(), s.end())});
  pendingInputScale_[l.name] = std::move(in);
  release(l);
  return t;
}

size_t ChainedForward::producerKwta(const LayerConfig& l) const {
  auto it = kwtaKept_.find(l.inputs[0]);
  return it == kwtaKept_.end() ? 0 : it->second;
}

PostOpRecord ChainedForward::storeOutput(const LayerConfig& l, Int32Tensor value) {
  auto it = pendingInputScale_.find(l.name);
  BatchScales in = it != pendingInputScale_.end() ? std::move(it->second) : BatchScales(size_t(l.batch), TensorScale{kInt8Step});
  if (it != pendingInputScale_.end()) pendingInputScale_.erase(it);
  return postProcess(l, std::move(value), std::move(in));
}

PostOpRecord ChainedForward::postProcess(const LayerConfig& l, Int32Tensor value, BatchScales scales) {
  PostOpRecord r;
  r.elements = value.size();
  value.shape = {l.batch, l.out_c, l.out_h, l.out_w};
  // Each image of a batch as if it ran alone (a calibrated scale and the k-WTA are per image,
  // as the CS paper applies k-WTA per sample); the record keeps image 0's scales.
  const size_t per = value.size() / size_t(l.batch);
  for (int b = 0; b < l.batch; ++b) {
    Int32Tensor one = imageOf(value, b);
    std::vector<double> scale;
    if (isComputeLayer(l.type)) {
      // One accumulator step is an input step times a weight step (one per output channel with
      // a model's per-channel weight scale); requant by s makes one output step s of them.
      TensorScale& out = scales[size_t(b)];
      TensorScale acc;
      if (l.weight_scale.empty()) acc.push_back(out.at(0) * kInt8Step);
      for (double w : l.weight_scale) acc.push_back(out.at(0) * w);
      // relu6 keeps up to the real 6.0 of the channel with the finest step.
      const double finest = *std::min_element(acc.begin(), acc.end());
      scale = requantise(one, l.requant, l.activation == Activation::Relu6 ? 6.0 / finest : HUGE_VAL);
      out = acc;
      if (!scale.empty()) {
        out.clear();
        for (size_t c = 0; c < std::max(acc.size(), scale.size()); ++c)
          out.push_back(acc[acc.size() == 1 ? 0 : c] * scale[scale.size() == 1 ? 0 : c]);
      }
    }
    // relu6's bound is the int8 image of the real 6.0 at the output's scale.
    applyActivation(one, l.activation, scales[size_t(b)]);
    if (l.kwta.active()) r.kwta_kept += applyKwtaPostOp(one, l.kwta);
    if (b == 0) r.scale = scale;
    std::copy(one.data.begin(), one.data.end(), value.data.begin() + b * per);
  }
  if (l.kwta.active()) kwtaKept_[l.name] = r.kwta_kept;
  values_[l.name] = std::move(value);  // a graph output stays: the dump writes it
  scales_[l.name] = std::move(scales);
  return r;
}

uint64_t ChainedForward::runHostLayer(const LayerConfig& l) {
  const auto in = inputsOf(l);
  const uint64_t read = hostOpElementsRead(l, in);
  // Per image: a pooling window or a concat never mixes two images.
  Int32Tensor out({l.batch, l.out_c, l.out_h, l.out_w});
  BatchScales outScales(size_t(l.batch));
  const size_t per = out.size() / size_t(l.batch);
  for (int b = 0; b < l.batch; ++b) {
    std::vector<Int32Tensor> images;
    std::vector<TensorScale> scales;
    for (size_t k = 0; k < in.size(); ++k) {
      images.push_back(imageOf(*in[k], b));
      scales.push_back(scales_.at(l.inputs[k]).at(size_t(b)));
    }
    std::vector<const Int32Tensor*> ptrs;
    for (const Int32Tensor& t : images) ptrs.push_back(&t);
    const Int32Tensor one = runHostOp(l, ptrs, scales, outScales[size_t(b)]);
    std::copy(one.data.begin(), one.data.end(), out.data.begin() + b * per);
  }
  // A flatten keeps its producer's k-WTA selection: the values are the same.
  if (l.type == LayerType::Flatten && kwtaKept_.count(l.inputs[0]) && !l.kwta.active()) kwtaKept_[l.name] = kwtaKept_[l.inputs[0]];
  release(l);
  postProcess(l, std::move(out), std::move(outScales));
  return read;
}

}  // namespace sparsesim
