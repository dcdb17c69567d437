#include "sim/run/TensorDump.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>

#include "sim/io/AtomicFile.h"
#include "sim/io/NpyIo.h"

namespace sparsesim {

std::string layerDirName(const std::string& layerName) {
  std::string s = layerName;
  for (char& c : s)
    if (c == '/' || c == '\\' || c == ':' || static_cast<unsigned char>(c) < 32) c = '_';
  if (s == "." || s == "..") s = "_" + s;
  // A changed name could meet another layer's real name: a short hash of the original keeps
  // every layer in its own folder.
  if (s != layerName) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : layerName) { h ^= c; h *= 1099511628211ull; }
    char buf[20];
    std::snprintf(buf, sizeof buf, "~%08llx", static_cast<unsigned long long>(h & 0xffffffffull));
    s += buf;
  }
  return s;
}

void dumpLayerTensors(const std::string& dir, const LayerWorkload& w, const Int32Tensor& output) {
  namespace fs = std::filesystem;
  const LayerGeometry& g = w.geom;
  fs::path d = fs::path(dir) / layerDirName(w.config.name);
  fs::create_directories(d);
  if (w.config.type == LayerType::Linear) {
    // [batch x in_h rows, features]: image b's rows follow image b-1's.
    const int64_t rows = g.in_h, in = g.in_c, out = g.out_c, B = g.batch;
    Int8Tensor x({B * rows, in});
    for (int64_t b = 0; b < B; ++b)
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < in; ++c) x.data[(b * rows + r) * in + c] = w.input.data[(b * in + c) * rows + r];
    Int8Tensor wt = w.weights;
    wt.shape = {out, in / g.groups};
    Int32Tensor y({B * rows, out});
    for (int64_t b = 0; b < B; ++b)
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t o = 0; o < out; ++o) y.data[(b * rows + r) * out + o] = output.data[(b * out + o) * rows + r];
    writeNpyAtomic((d / "input.npy").string(), x);
    writeNpyAtomic((d / "weights.npy").string(), wt);
    writeNpyAtomic((d / "output.npy").string(), y);
  } else {
    writeNpyAtomic((d / "input.npy").string(), w.input);
    writeNpyAtomic((d / "weights.npy").string(), w.weights);
    writeNpyAtomic((d / "output.npy").string(), output);
  }
  nlohmann::ordered_json j;
  j["name"] = w.config.name;
  j["type"] = toString(w.config.type);
  j["stride"] = g.stride;
  j["pad_top"] = g.pad_top;
  j["pad_left"] = g.pad_left;
  j["groups"] = g.groups;
  j["batch"] = g.batch;
  j["out_h"] = g.out_h;
  j["out_w"] = g.out_w;
  j["dilation"] = g.dilation;
  writeFileAtomic((d / "layer.json").string(), j.dump(2) + "\n");
}

void dumpNetworkInput(const std::string& dir, const Int8Tensor& input) {
  std::filesystem::create_directories(dir);
  writeNpyAtomic((std::filesystem::path(dir) / "network_input.npy").string(), input);
}

void dumpNodeTensor(const std::string& dir, const LayerConfig& l, const Int32Tensor& value, const std::vector<double>& scales,
                    const std::vector<double>& tensorScale) {
  namespace fs = std::filesystem;
  fs::path d = fs::path(dir) / layerDirName(l.name);
  fs::create_directories(d);
  writeNpyAtomic((d / "value.npy").string(), value);
  nlohmann::ordered_json j;
  j["name"] = l.name;
  j["type"] = toString(l.type);
  j["inputs"] = l.inputs;
  j["kernel"] = {l.kernel_h, l.kernel_w};
  j["stride"] = l.stride;
  j["pads"] = {l.pad_top, l.pad_left, l.pad_bottom, l.pad_right};
  j["dilation"] = l.dilation;
  j["groups"] = l.groups;
  j["requant"] = l.requant.mode == RequantSpec::Mode::None ? "none" : l.requant.mode == RequantSpec::Mode::Given ? "given" : "calibrate";
  j["scales"] = scales;  // image 0's when a calibrated scale is per image of a batch
  j["tensor_scale"] = tensorScale;  // the value's scale (image 0's): one, or one per channel
  if (l.batch != 1) j["batch"] = l.batch;
  j["activation"] = toString(l.activation);
  if (l.kwta.active()) j["kwta"] = {{"k", l.kwta.k}, {"density", l.kwta.density}, {"groups", l.kwta.groups}};
  writeFileAtomic((d / "node.json").string(), j.dump(2) + "\n");
}

}  // namespace sparsesim
