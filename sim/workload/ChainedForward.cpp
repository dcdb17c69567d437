#include "sim/workload/ChainedForward.h"

#include "sim/config/ChainedNetwork.h"
#include "sim/workload/HostOps.h"
#include "sim/workload/PostOps.h"

namespace sparsesim {

ChainedForward::ChainedForward(const NetworkConfig& n, const Int8Tensor& input) {
  Int32Tensor in(input.shape);
  for (size_t i = 0; i < input.size(); ++i) in.data[i] = input.data[i];
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
    if (--readersLeft_[p] == 0) values_.erase(p);
}

Int8Tensor ChainedForward::computeInput(const LayerConfig& l) {
  const Int32Tensor& v = values_.at(l.inputs[0]);
  Int8Tensor t({1, l.in_channels, l.in_h, l.in_w});
  for (size_t i = 0; i < t.size(); ++i) t.data[i] = static_cast<int8_t>(v.data[i]);  // int8 by the chain's rules
  release(l);
  return t;
}

size_t ChainedForward::producerKwta(const LayerConfig& l) const {
  auto it = kwtaKept_.find(l.inputs[0]);
  return it == kwtaKept_.end() ? 0 : it->second;
}

PostOpRecord ChainedForward::storeOutput(const LayerConfig& l, Int32Tensor value) {
  PostOpRecord r;
  r.elements = value.size();
  value.shape = {1, l.out_c, l.out_h, l.out_w};
  if (isComputeLayer(l.type)) r.scale = requantise(value, l.requant);
  applyActivation(value, l.activation, r.scale);
  if (l.kwta.active()) {
    r.kwta_kept = applyKwtaPostOp(value, l.kwta);
    kwtaKept_[l.name] = r.kwta_kept;
  }
  values_[l.name] = std::move(value);  // a graph output stays: the dump writes it
  return r;
}

uint64_t ChainedForward::runHostLayer(const LayerConfig& l) {
  const auto in = inputsOf(l);
  const uint64_t read = hostOpElementsRead(l, in);
  Int32Tensor out = runHostOp(l, in);
  // A flatten keeps its producer's k-WTA selection: the values are the same.
  if (l.type == LayerType::Flatten && kwtaKept_.count(l.inputs[0]) && !l.kwta.active()) kwtaKept_[l.name] = kwtaKept_[l.inputs[0]];
  release(l);
  storeOutput(l, std::move(out));
  return read;
}

}  // namespace sparsesim
