#pragma once
// The graph of a chained network file ("chain": true, docs/networks.md): which producer feeds
// each layer, the shapes derived through the graph, and the rules a layer's keys must keep
// against the shapes. Used by ConfigLoader while it reads the file; every problem is a
// ConfigError naming the file and the JSON path.
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "sim/config/JsonReader.h"
#include "sim/config/NetworkConfig.h"

namespace sparsesim {

struct TensorShape {
  int c = 0, h = 0, w = 0;
  bool operator==(const TensorShape& o) const { return c == o.c && h == o.h && w == o.w; }
  std::string text() const;  // "C x H x W"
};

// The reserved producer name of the network's own input.
inline constexpr const char* kNetworkInputName = "input";

class ChainShapes {
 public:
  ChainShapes(const NetworkInput& input, std::set<std::string> allNames);
  // The layer's JSON with the keys its input determines filled in where absent (in_channels,
  // in_h, in_w; for non-compute layers also out_channels and the kernel), its producers resolved.
  nlohmann::json prepare(const nlohmann::json& raw, JsonReader& r, const std::string& selfName);
  // After the layer was read: given shapes must match the derived ones; records its output shape.
  void admit(JsonReader& r, LayerConfig& l);

 private:
  TensorShape shapeOf(JsonReader& r, size_t at, const std::string& producer, const std::string& self) const;
  NetworkInput input_;
  std::set<std::string> allNames_;
  std::map<std::string, TensorShape> shapes_;
  std::string previous_;
  std::vector<std::string> inputs_;  // of the layer being read
  TensorShape in_;                   // its derived input shape
};

// A layer's output shape from its (derived) input shape and keys.
TensorShape layerOutputShape(const LayerConfig& l);
// The kernel window of a conv or pooling layer against its padded input.
void checkWindow(JsonReader& r, const LayerConfig& l);
// Keys a pooling / add / concat / flatten layer may not have.
void checkHostLayer(JsonReader& r, const LayerConfig& l);
// Rules over the whole chained network once every layer is read: the requant default, int8
// inputs, k-WTA sizes, per-channel scales, activation_density against a producer's k-WTA.
void finishChain(NetworkConfig& n);
// Post-ops and producers belong to chained files only.
void refuseChainKeys(JsonReader& r, const LayerConfig& l);

}  // namespace sparsesim
