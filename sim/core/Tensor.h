#pragma once
#include <cstdint>
#include <vector>

namespace sparsesim {

// A dense row-major tensor with its shape; the layout (NCHW, OIHW) is the caller's contract.
template <class T>
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<T> data;
  Tensor() = default;
  explicit Tensor(std::vector<int64_t> s) : shape(std::move(s)), data(count(shape), T{}) {}
  static size_t count(const std::vector<int64_t>& s) {
    size_t n = 1;
    for (auto d : s) n *= static_cast<size_t>(d);
    return n;
  }
  size_t size() const { return data.size(); }
};

using Int8Tensor = Tensor<int8_t>;
using Int32Tensor = Tensor<int32_t>;
using FloatTensor = Tensor<float>;

}  // namespace sparsesim
