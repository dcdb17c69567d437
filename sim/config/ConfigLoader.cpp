#include "sim/config/ConfigLoader.h"

#include <filesystem>
#include <limits>
#include <set>

#include "sim/config/ConfigJson.h"
#include "sim/config/JsonReader.h"

namespace sparsesim {

using nlohmann::json;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

// Upper bound on any one dimension: large enough for any real layer, small enough that
// products of a few dimensions stay far from integer overflow.
constexpr long long kMaxDim = 1 << 20;

struct LayerDefaults {
  double weight_sparsity = 0.0;
  double activation_density = 1.0;
  std::string weight_pattern = "unstructured";
};

LayerDefaults readDefaults(JsonReader& top) {
  LayerDefaults d;
  auto r = top.optionalObject("defaults");
  if (!r) return d;
  d.weight_sparsity = r->real("weight_sparsity", 0.0, 0.0, 1.0, false, true);
  d.activation_density = r->real("activation_density", 1.0, 0.0, 1.0, true, false);
  d.weight_pattern = r->choice("weight_pattern", std::string("unstructured"), {"unstructured", "complementary"});
  r->finish();
  return d;
}

LayerConfig readLayer(JsonReader& r, const LayerDefaults& d, const fs::path& baseDir) {
  LayerConfig l;
  l.name = r.string("name", std::nullopt);
  if (l.name.empty()) r.fail("name", "must not be empty");
  std::string type = r.choice("type", std::nullopt, {"conv2d", "depthwise_conv2d", "linear"});
  l.type = type == "conv2d" ? LayerType::Conv2d : type == "linear" ? LayerType::Linear : LayerType::DepthwiseConv2d;
  bool linear = l.type == LayerType::Linear;
  l.in_channels = r.integer("in_channels", std::nullopt, 1, kMaxDim);
  l.out_channels = r.integer("out_channels", std::nullopt, 1, kMaxDim);
  // A linear layer is a 1x1 convolution over in_h rows (tokens or batch).
  l.in_h = r.integer("in_h", linear ? std::optional<int>(1) : std::nullopt, 1, kMaxDim);
  l.in_w = r.integer("in_w", linear ? std::optional<int>(1) : std::nullopt, 1, kMaxDim);
  l.kernel_h = r.integer("kernel_h", linear ? std::optional<int>(1) : std::nullopt, 1, 4096);
  l.kernel_w = r.integer("kernel_w", linear ? std::optional<int>(1) : std::nullopt, 1, 4096);
  l.stride = r.integer("stride", 1, 1, 4096);
  l.padding = r.integer("padding", 0, 0, 4096);
  int defGroups = l.type == LayerType::DepthwiseConv2d ? l.in_channels : 1;
  l.groups = r.integer("groups", defGroups, 1, kMaxDim);
  l.weight_sparsity = r.real("weight_sparsity", d.weight_sparsity, 0.0, 1.0, false, true);
  l.activation_density = r.real("activation_density", d.activation_density, 0.0, 1.0, true, false);
  std::string pat = r.choice("weight_pattern", d.weight_pattern, {"unstructured", "complementary"});
  l.weight_pattern = pat == "complementary" ? WeightPattern::Complementary : WeightPattern::Unstructured;
  if (r.has("weights")) {
    std::string w = r.string("weights", std::nullopt);
    if (w.empty()) r.fail("weights", "must not be empty");
    if (r.has("weight_sparsity"))
      r.fail("weight_sparsity", "contradicts \"weights\": the sparsity of a weights file is what the file holds");
    fs::path p(w);
    l.weights_file = (p.is_absolute() ? p : baseDir / p).lexically_normal().string();
  }
  r.finish();

  if (linear) {
    if (l.kernel_h != 1 || l.kernel_w != 1) r.fail("kernel_h", "a linear layer has a 1x1 kernel");
    if (l.in_w != 1) r.fail("in_w", "a linear layer has in_w = 1 (rows go in in_h)");
    if (l.stride != 1) r.fail("stride", "a linear layer has stride 1");
    if (l.padding != 0) r.fail("padding", "a linear layer has no padding");
  }
  if (l.type == LayerType::DepthwiseConv2d && l.groups != l.in_channels)
    r.fail("groups", "a depthwise_conv2d layer has groups = in_channels (" + std::to_string(l.in_channels) + ")");
  if (l.in_channels % l.groups != 0)
    r.fail("groups", "in_channels (" + std::to_string(l.in_channels) + ") is not divisible by groups (" + std::to_string(l.groups) + ")");
  if (l.out_channels % l.groups != 0)
    r.fail("groups", "out_channels (" + std::to_string(l.out_channels) + ") is not divisible by groups (" + std::to_string(l.groups) + ")");
  if (l.kernel_h > l.in_h + 2 * l.padding)
    r.fail("kernel_h", "kernel_h " + std::to_string(l.kernel_h) + " exceeds the padded input height " + std::to_string(l.in_h + 2 * l.padding));
  if (l.kernel_w > l.in_w + 2 * l.padding)
    r.fail("kernel_w", "kernel_w " + std::to_string(l.kernel_w) + " exceeds the padded input width " + std::to_string(l.in_w + 2 * l.padding));
  if (l.padding >= l.kernel_h || l.padding >= l.kernel_w)
    r.fail("padding", "padding " + std::to_string(l.padding) + " must be smaller than the kernel, or some outputs see only padding");
  return l;
}

}  // namespace

NetworkConfig loadNetwork(const std::string& file) { return networkFromJson(readJsonFile(file), file); }

NetworkConfig networkFromJson(const json& j, const std::string& file) {
  JsonReader top(j, file, "");
  NetworkConfig n;
  n.source_file = file;
  n.name = top.string("name", std::nullopt);
  if (n.name.empty()) top.fail("name", "must not be empty");
  n.description = top.string("description", std::string());
  if (auto in = top.optionalObject("input")) {
    // Documentation of the network's own input; layers carry their full shapes.
    in->integer("channels", std::nullopt, 1, kMaxDim);
    in->integer("height", std::nullopt, 1, kMaxDim);
    in->integer("width", std::nullopt, 1, kMaxDim);
    in->finish();
  }
  LayerDefaults d = readDefaults(top);
  const json& layers = top.array("layers");
  fs::path baseDir = fs::path(file).parent_path();
  std::set<std::string> names;
  for (size_t i = 0; i < layers.size(); ++i) {
    JsonReader lr(layers[i], file, "layers[" + std::to_string(i) + "]");
    LayerConfig l = readLayer(lr, d, baseDir);
    if (!names.insert(l.name).second) lr.fail("name", "duplicate layer name \"" + l.name + "\"");
    n.layers.push_back(std::move(l));
  }
  top.finish();
  return n;
}

namespace {
// "path=value": the value parsed as JSON, or taken as a string when it is not valid JSON.
std::pair<std::string, json> splitAssignment(const std::string& file, const std::string& assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(file, "--set " + assignment, "expected path=value");
  const std::string text = assignment.substr(eq + 1);
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded()) value = text;
  return {assignment.substr(0, eq), value};
}
}  // namespace

void applyOverride(json& j, const std::string& file, const std::string& assignment) {
  const auto [path, value] = splitAssignment(file, assignment);
  json* cur = &j;
  size_t start = 0;
  for (;;) {
    size_t dot = path.find('.', start);
    std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (key.empty()) throw ConfigError(file, "--set " + path, "empty component in path");
    if (!cur->is_object()) throw ConfigError(file, path.substr(0, start ? start - 1 : 0), "--set " + path + ": not an object");
    if (dot == std::string::npos) { (*cur)[key] = value; return; }
    if (!cur->contains(key)) (*cur)[key] = json::object();
    cur = &(*cur)[key];
    start = dot + 1;
  }
}

bool isNetworkPath(const std::string& path) { return path.compare(0, 7, "layers[") == 0 || path == "layers"; }

void applyNetworkOverride(json& j, const std::string& file, const std::string& assignment) {
  const auto [path, value] = splitAssignment(file, assignment);
  auto close = path.find(']');
  if (!isNetworkPath(path) || close == std::string::npos || close + 1 >= path.size() || path[close + 1] != '.')
    throw ConfigError(file, path, "a network path has the form layers[*].key, layers[INDEX].key or layers[NAME].key");
  const std::string sel = path.substr(7, close - 7);
  const std::string key = path.substr(close + 2);
  if (key.empty() || key.find_first_of(".[]") != std::string::npos)
    throw ConfigError(file, path, "\"" + key + "\" is not a layer field (layer fields are plain keys, e.g. weight_sparsity)");
  if (!j.is_object() || !j.contains("layers") || !j["layers"].is_array())
    throw ConfigError(file, "layers", "expected an array of layers to apply " + path + " to");
  json& layers = j["layers"];
  std::vector<size_t> hit;
  if (sel == "*") {
    for (size_t i = 0; i < layers.size(); ++i) hit.push_back(i);
  } else if (!sel.empty() && sel.find_first_not_of("0123456789") == std::string::npos) {
    size_t i = sel.size() > 9 ? layers.size() : std::stoul(sel);
    if (i >= layers.size())
      throw ConfigError(file, path, "layer index " + sel + " is out of range: the network has " + std::to_string(layers.size()) + " layers (0.." + std::to_string(layers.size() - 1) + ")");
    hit.push_back(i);
  } else {
    std::vector<std::string> names;
    for (size_t i = 0; i < layers.size(); ++i) {
      const json& l = layers[i];
      if (l.is_object() && l.contains("name") && l["name"].is_string()) {
        names.push_back(l["name"].get<std::string>());
        if (names.back() == sel) hit.push_back(i);
      }
    }
    if (hit.empty()) {
      std::string hint = closestKey(sel, names);
      throw ConfigError(file, path, "no layer named \"" + sel + "\"" + (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
    }
  }
  for (size_t i : hit) {
    if (!layers[i].is_object()) throw ConfigError(file, "layers[" + std::to_string(i) + "]", "expected a JSON object, got " + std::string(layers[i].type_name()));
    layers[i][key] = value;
  }
}

ArchConfig loadArch(const std::string& file, const std::vector<std::string>& overrides) {
  json j = readJsonFile(file);
  for (const auto& o : overrides) applyOverride(j, file, o);
  return archFromJson(j, file);
}

ArchConfig archFromJson(const json& j, const std::string& file) {
  JsonReader top(j, file, "");
  ArchConfig a;
  a.source_file = file;
  a.name = top.string("name", std::nullopt);
  if (a.name.empty()) top.fail("name", "must not be empty");
  a.description = top.string("description", std::string());
  a.datapath = *enumFromString<DatapathKind>(top.choice("datapath", std::nullopt, enumNames<DatapathKind>()));
  a.clock_mhz = top.real("clock_mhz", 200.0, 0.0, 1e5, true, false);
  a.dataflow = top.choice("dataflow", std::nullopt, {"ws", "os"}) == "ws" ? Dataflow::WeightStationary : Dataflow::OutputStationary;
  {
    JsonReader ar = top.object("array");
    a.array.rows = ar.integer("rows", std::nullopt, 1, 4096);
    a.array.cols = ar.integer("cols", std::nullopt, 1, 4096);
    ar.finish();
  }
  {
    auto mr = top.optionalObject("memory");
    json empty = json::object();
    JsonReader m = mr ? *mr : JsonReader(empty, file, "memory");
    a.memory.ifmap_kb = m.real("ifmap_kb", 256.0, 0.0, 1e7, true, false);
    a.memory.filter_kb = m.real("filter_kb", 256.0, 0.0, 1e7, true, false);
    a.memory.ofmap_kb = m.real("ofmap_kb", 128.0, 0.0, 1e7, true, false);
    a.memory.dram_bytes_per_cycle = m.real("dram_bytes_per_cycle", 16.0, 0.0, 1e6, true, false);
    a.memory.prefetch_depth = m.integer("prefetch_depth", 2, 1, 64);
    a.memory.output_bytes = m.integer("output_bytes", 4, 1, 8);
    m.finish();
  }
  a.compat = top.choice("compat", std::string("none"), {"none", "scalesim"}) == "scalesim" ? Compat::ScaleSim : Compat::None;
  if (auto s = top.optionalObject("simulation")) {
    a.simulation.fold_engine = s->choice("fold_engine", std::string("bulk"), {"bulk", "stepped"}) == "stepped" ? FoldEngine::Stepped : FoldEngine::Bulk;
    s->finish();
  }
  // Each datapath's own section lives in its own file; a section for another datapath is
  // accepted (so one file can be switched between datapaths by a sweep) but ignored.
  a.cs = readCsConfig(top);
  a.sod = readSodConfig(top);
  a.sparse_pe = readSparsePeConfig(top);
  // Resource / energy tables: plain names, resolved by sim/resources (docs/resources.md).
  a.fpga_part = top.string("fpga_part", std::string("u250"));
  a.energy_table = top.string("energy_table", std::string("fpga-ultrascale-plus"));
  top.finish();
  return a;
}

ordered_json toJson(const NetworkConfig& n) {
  ordered_json j;
  j["name"] = n.name;
  j["description"] = n.description;
  j["source_file"] = n.source_file;
  ordered_json layers = ordered_json::array();
  for (const auto& l : n.layers) {
    ordered_json x;
    x["name"] = l.name;
    x["type"] = toString(l.type);
    x["in_channels"] = l.in_channels;
    x["out_channels"] = l.out_channels;
    x["in_h"] = l.in_h;
    x["in_w"] = l.in_w;
    x["kernel_h"] = l.kernel_h;
    x["kernel_w"] = l.kernel_w;
    x["stride"] = l.stride;
    x["padding"] = l.padding;
    x["groups"] = l.groups;
    x["weight_sparsity"] = l.weight_sparsity;
    x["activation_density"] = l.activation_density;
    x["weight_pattern"] = toString(l.weight_pattern);
    if (!l.weights_file.empty()) x["weights"] = l.weights_file;
    layers.push_back(x);
  }
  j["layers"] = layers;
  return j;
}

ordered_json toJson(const ArchConfig& a) {
  ordered_json j;
  j["name"] = a.name;
  j["description"] = a.description;
  j["source_file"] = a.source_file;
  j["datapath"] = toString(a.datapath);
  j["clock_mhz"] = a.clock_mhz;
  j["dataflow"] = toString(a.dataflow);
  j["array"] = {{"rows", a.array.rows}, {"cols", a.array.cols}};
  j["memory"] = {{"ifmap_kb", a.memory.ifmap_kb},
                 {"filter_kb", a.memory.filter_kb},
                 {"ofmap_kb", a.memory.ofmap_kb},
                 {"dram_bytes_per_cycle", a.memory.dram_bytes_per_cycle},
                 {"prefetch_depth", a.memory.prefetch_depth},
                 {"output_bytes", a.memory.output_bytes}};
  j["compat"] = toString(a.compat);
  j["simulation"] = {{"fold_engine", toString(a.simulation.fold_engine)}};
  if (a.datapath == DatapathKind::Cs) j["cs"] = toJson(a.cs);
  if (a.datapath == DatapathKind::Sod) j["sod"] = toJson(a.sod);
  if (a.datapath == DatapathKind::SparsePe) j["sparse_pe"] = toJson(a.sparse_pe);
  j["fpga_part"] = a.fpga_part;
  j["energy_table"] = a.energy_table;
  return j;
}

}  // namespace sparsesim
