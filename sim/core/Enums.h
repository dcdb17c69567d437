#pragma once
// Every enumerated config value, each declared once with its names. One table per enum drives
// the string a config file spells (toString), the parse at load time (enumFromString) and the
// list of allowed values in error messages and in docs/config.md (enumNames). The table order
// is the order values are listed in messages and docs.
//
// Leaf layer: no JSON, no SystemC; models/ may include it.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sparsesim {

// Which set of models runs a network (the architecture file's "datapath").
enum class DatapathKind { Dense, Cs, Sod, SparsePe };
// Systolic mapping (docs/dense.md). Auto: each layer runs the mapping the per-layer estimate
// finds faster (models/common/DataflowChoice.h).
enum class Dataflow { WeightStationary, OutputStationary, Auto };
// Bit-exact compatibility with another simulator's conventions.
enum class Compat { None, ScaleSim };
// How a dense fold is timed: directly from the wavefront, or by stepping every PE register.
enum class FoldEngine { Bulk, Stepped };
// How a layer runs on the CS datapath (the key "cs.mode").
enum class CsMode { Auto, DenseDense, SparseDense, SparseSparse };
// The k-WTA circuit of the CS datapath.
enum class SelectorCircuit { Threshold, Bitonic };
// Block type the CS weight-packing SRAM banks are built from (resource report).
enum class SramMemory { Bram36, Uram };
// How an operand is stored in the SoD global buffer and in DRAM.
enum class SparseFormat { Dense, Csc, Bitmap };
// The format an SoD operand is configured with: one of SparseFormat's, or Auto (per layer and
// operand, the one that stores fewer bytes; sim/workload/plans/SodLayerPlan.cpp).
enum class SodFormat { Auto, Csc, Bitmap, Dense };
// Compute layers run on the datapath; the others (chained networks only) run on the host and are
// modelled in the output path (docs/networks.md).
enum class LayerType { Conv2d, DepthwiseConv2d, Linear, MaxPool2d, AvgPool2d, Add, Concat, Flatten };
// A compute layer's activation post-op (docs/networks.md).
enum class Activation { None, Relu, Relu6 };
// How the generator places a layer's zero weights.
enum class WeightPattern { Unstructured, Complementary };

template <class E>
struct EnumName {
  E value;
  const char* name;
};

// Specialised once per enum below: `names` lists every value with its config spelling.
template <class E>
struct EnumTable;

#define SPARSESIM_ENUM_TABLE(E, ...)                       \
  template <>                                              \
  struct EnumTable<E> {                                    \
    static constexpr EnumName<E> names[] = {__VA_ARGS__};  \
  };

SPARSESIM_ENUM_TABLE(DatapathKind, {DatapathKind::Dense, "dense"}, {DatapathKind::Cs, "cs"},
                     {DatapathKind::Sod, "sod"}, {DatapathKind::SparsePe, "sparse_pe"})
SPARSESIM_ENUM_TABLE(Dataflow, {Dataflow::WeightStationary, "ws"}, {Dataflow::OutputStationary, "os"},
                     {Dataflow::Auto, "auto"})
SPARSESIM_ENUM_TABLE(Compat, {Compat::None, "none"}, {Compat::ScaleSim, "scalesim"})
SPARSESIM_ENUM_TABLE(FoldEngine, {FoldEngine::Bulk, "bulk"}, {FoldEngine::Stepped, "stepped"})
SPARSESIM_ENUM_TABLE(CsMode, {CsMode::Auto, "auto"}, {CsMode::DenseDense, "dense_dense"},
                     {CsMode::SparseDense, "sparse_dense"}, {CsMode::SparseSparse, "sparse_sparse"})
SPARSESIM_ENUM_TABLE(SelectorCircuit, {SelectorCircuit::Threshold, "threshold"}, {SelectorCircuit::Bitonic, "bitonic"})
SPARSESIM_ENUM_TABLE(SramMemory, {SramMemory::Bram36, "bram36"}, {SramMemory::Uram, "uram"})
SPARSESIM_ENUM_TABLE(SparseFormat, {SparseFormat::Csc, "csc"}, {SparseFormat::Bitmap, "bitmap"},
                     {SparseFormat::Dense, "dense"})
SPARSESIM_ENUM_TABLE(SodFormat, {SodFormat::Auto, "auto"}, {SodFormat::Csc, "csc"}, {SodFormat::Bitmap, "bitmap"},
                     {SodFormat::Dense, "dense"})
SPARSESIM_ENUM_TABLE(LayerType, {LayerType::Conv2d, "conv2d"}, {LayerType::DepthwiseConv2d, "depthwise_conv2d"},
                     {LayerType::Linear, "linear"}, {LayerType::MaxPool2d, "maxpool2d"},
                     {LayerType::AvgPool2d, "avgpool2d"}, {LayerType::Add, "add"}, {LayerType::Concat, "concat"},
                     {LayerType::Flatten, "flatten"})
SPARSESIM_ENUM_TABLE(Activation, {Activation::None, "none"}, {Activation::Relu, "relu"}, {Activation::Relu6, "relu6"})
SPARSESIM_ENUM_TABLE(WeightPattern, {WeightPattern::Unstructured, "unstructured"},
                     {WeightPattern::Complementary, "complementary"})

#undef SPARSESIM_ENUM_TABLE

// True for the layer types that run on the datapath (a GEMM).
inline bool isComputeLayer(LayerType t) {
  return t == LayerType::Conv2d || t == LayerType::DepthwiseConv2d || t == LayerType::Linear;
}

template <class E, class = void>
struct HasEnumTable : std::false_type {};
template <class E>
struct HasEnumTable<E, std::void_t<decltype(EnumTable<E>::names)>> : std::true_type {};

// The config spelling of e ("?" only for a value outside the enum, which a cast can make).
template <class E, std::enable_if_t<HasEnumTable<E>::value, int> = 0>
const char* toString(E e) {
  for (const auto& n : EnumTable<E>::names)
    if (n.value == e) return n.name;
  return "?";
}

template <class E>
std::optional<E> enumFromString(std::string_view s) {
  for (const auto& n : EnumTable<E>::names)
    if (s == n.name) return n.value;
  return std::nullopt;
}

// Every spelling, in table order (the order of error messages and docs).
template <class E>
std::vector<std::string> enumNames() {
  std::vector<std::string> v;
  for (const auto& n : EnumTable<E>::names) v.emplace_back(n.name);
  return v;
}

}  // namespace sparsesim
