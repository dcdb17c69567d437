#include "sim/config/ConfigLoader.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <set>

#include "sim/config/ChainedNetwork.h"
#include "sim/config/ConfigJson.h"
#include "sim/core/ConfigError.h"
#include "sim/config/JsonReader.h"
#include "sim/config/ModelScaleParams.h"
#include "sim/config/Names.h"
#include "sim/config/ScaleSimTopology.h"
#include "sim/core/ConfigError.h"

namespace sparsesim {

using nlohmann::json;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

// Upper bound on any one dimension: large enough for any real layer, small enough that
// products of a few dimensions stay far from integer overflow.
constexpr long long kMaxDim = 1 << 20;

bool notLinear(const LayerConfig& l) { return l.type != LayerType::Linear; }
// A linear layer is a 1x1 convolution over in_h rows (tokens or batch): its spatial keys default to 1.
ParamRules<LayerConfig> requiredUnlessLinear(int LayerConfig::*m) {
  return {notLinear, [m](LayerConfig& l) { l.*m = 1; }};
}

// "requant": "calibrate" | "none" | {"scale": s | [s per output channel], "zero_point": 0}.
Param<LayerConfig> requantParam() {
  using L = LayerConfig;
  Param<L> p;
  p.key = "requant";
  p.range = "`\"calibrate\"`, `\"none\"`, `{\"scale\": s or [s...], \"zero_point\": 0}`";
  p.defaultDoc = "chained: `calibrate` when the output has a consumer or a k-WTA, else `none`";
  p.doc = "int32 -> int8 post-op: q = clamp(round_half_even(acc / scale), -128, 127); scale per tensor or per "
          "output channel; `calibrate`: scale = max|acc| / 127 over the actual output (docs/networks.md)";
  p.read = [](JsonReader& r, const std::string& leaf, L& l) {
    const nlohmann::json* v = r.optionalValue(leaf);
    if (!v) return;
    l.requant_given = true;
    if (v->is_string()) {
      const std::string s = v->get<std::string>();
      if (s == "calibrate") l.requant.mode = RequantSpec::Mode::Calibrate;
      else if (s == "none") l.requant.mode = RequantSpec::Mode::None;
      else r.fail(leaf, "expected \"calibrate\", \"none\" or an object with \"scale\", got \"" + s + "\"");
      return;
    }
    if (!v->is_object()) r.fail(leaf, std::string("expected \"calibrate\", \"none\" or an object, got ") + v->type_name());
    JsonReader o = r.object(leaf);
    l.requant.mode = RequantSpec::Mode::Given;
    l.requant.zero_point = o.integer("zero_point", 0, 0, 0);
    const nlohmann::json* sc = o.optionalValue("scale");
    if (!sc) o.fail("scale", "required field is missing");
    std::vector<nlohmann::json> items = sc->is_array() ? std::vector<nlohmann::json>(sc->begin(), sc->end()) : std::vector<nlohmann::json>{*sc};
    if (items.empty()) o.fail("scale", "must not be empty");
    // q = round(acc / scale) of an int32 accumulator: below 2^-8 every nonzero accumulator
    // saturates (|acc| / scale >= 256), above 2^32 every one rounds to 0; neither is a requantiser.
    constexpr double kMinScale = 1.0 / 256, kMaxScale = 4294967296.0;
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string where = sc->is_array() ? o.pathOf("scale") + "[" + std::to_string(i) + "]" : o.pathOf("scale");
      if (!items[i].is_number() || !(items[i].get<double>() > 0) || !std::isfinite(items[i].get<double>()))
        throw ConfigError(o.file(), where, "expected a finite number > 0");
      const double s = items[i].get<double>();
      if (s < kMinScale || s > kMaxScale)
        throw ConfigError(o.file(), where, "value " + items[i].dump() + " is out of range [2^-8, 2^32]: below it every nonzero int32 "
                                           "accumulator saturates, above it every one rounds to 0");
      l.requant.scale.push_back(s);
    }
    o.finish();
  };
  p.write = [](nlohmann::ordered_json& j, const std::string& leaf, const L& l) {
    if (l.requant.mode == RequantSpec::Mode::Calibrate) j[leaf] = "calibrate";
    else if (l.requant.mode == RequantSpec::Mode::Given)
      j[leaf] = {{"scale", l.requant.scale.size() == 1 ? nlohmann::ordered_json(l.requant.scale[0]) : nlohmann::ordered_json(l.requant.scale)},
                 {"zero_point", l.requant.zero_point}};
    else if (l.requant_given) j[leaf] = "none";
  };
  return p;
}

// "kwta": {"k": K} or {"density": d}, optional "groups": G.
Param<LayerConfig> kwtaParam() {
  using L = LayerConfig;
  Param<L> p;
  p.key = "kwta";
  p.range = "`{\"k\": K}` or `{\"density\": d}`, optional `\"groups\": G`";
  p.defaultDoc = "none";
  p.doc = "k-WTA post-op on the layer's output: keeps the k largest magnitudes (ties to the lower flat index) in each of "
          "G channel groups (k or round(d x group size) per group), zeroes the rest";
  p.read = [](JsonReader& r, const std::string& leaf, L& l) {
    std::optional<JsonReader> o = r.optionalObject(leaf);
    if (!o) return;
    if (o->has("k") == o->has("density")) o->fail("", "give exactly one of \"k\" and \"density\"");
    if (o->has("k")) l.kwta.k = o->integer("k", std::nullopt, 1, std::numeric_limits<int>::max());
    else l.kwta.density = o->real("density", std::nullopt, 0.0, 1.0, true, false);
    l.kwta.groups = o->integer("groups", 1, 1, kMaxDim);
    o->finish();
  };
  p.write = [](nlohmann::ordered_json& j, const std::string& leaf, const L& l) {
    if (!l.kwta.active()) return;
    nlohmann::ordered_json k;
    if (l.kwta.k > 0) k["k"] = l.kwta.k;
    else k["density"] = l.kwta.density;
    k["groups"] = l.kwta.groups;
    j[leaf] = k;
  };
  return p;
}

}  // namespace

const ParamTable<NetworkConfig>& networkParams() {
  using N = NetworkConfig;
  static const ParamTable<N> table = [] {
    ParamTable<N> t;
    t.push_back(stringParam<N>("name", SPARSESIM_MEMBER(name), true, required<N>()).withDoc("network name (in reports)"));
    t.push_back(stringParam<N>("description", SPARSESIM_MEMBER(description), false)
                    .withDoc("free text; where the shapes and sparsities come from"));
    // The optional "input" object documents the network's own input; layers carry full shapes.
    t.push_back(integerParam<N>("input.channels", SPARSESIM_MEMBER(input.channels), 1, kMaxDim, required<N>())
                    .withDefaultDoc("required in `input`").withUnit("channels").withDoc("input channels (chained: the network input; else documentation only)").notDumped());
    t.push_back(integerParam<N>("input.height", SPARSESIM_MEMBER(input.height), 1, kMaxDim, required<N>())
                    .withDefaultDoc("required in `input`").withUnit("pixels").withDoc("input height (chained: the network input; else documentation only)").notDumped());
    t.push_back(integerParam<N>("input.width", SPARSESIM_MEMBER(input.width), 1, kMaxDim, required<N>())
                    .withDefaultDoc("required in `input`").withUnit("pixels").withDoc("input width (chained: the network input; else documentation only)").notDumped());
    t.push_back(inputScaleParam());
    Param<N> chain;
    chain.key = "chain";
    chain.range = "`true`, `false`";
    chain.defaultDoc = "`false`";
    chain.doc = "`true`: a chained network, each layer's input is its producer's output (docs/networks.md); "
                "`false`: independent layers, each with its own synthetic input";
    chain.read = [](JsonReader& r, const std::string& leaf, N& n) { n.chain = r.boolean(leaf, false); };
    // Written only for chained files: an independent-layer file's resolved config stays as it was.
    chain.write = [](nlohmann::ordered_json& j, const std::string& leaf, const N& n) {
      if (n.chain) j[leaf] = true;
    };
    t.push_back(std::move(chain));
    Param<N> batch = integerParam<N>("batch", SPARSESIM_MEMBER(batch), 1, kMaxDim)
                         .withUnit("images").withDefaultDoc("`1`")
                         .withDoc("images per inference: every layer's input is [batch, C, H, W] and its GEMM has batch x output pixels "
                                  "rows, so the weights are read once for the whole batch (docs/networks.md)");
    batch.write = [](nlohmann::ordered_json& j, const std::string& leaf, const N& n) {
      if (n.chain || n.batch != 1) j[leaf] = n.batch;
    };
    t.push_back(std::move(batch));
    return t;
  }();
  return table;
}

const ParamTable<LayerConfig>& layerParams() {
  using L = LayerConfig;
  static const ParamTable<L> table = [] {
    ParamTable<L> t;
    t.push_back(stringParam<L>("name", SPARSESIM_MEMBER(name), true, required<L>())
                    .withRangeDoc("unique").withDoc("layer name; `--layers` selects by it; tensors dump under it"));
    t.push_back(enumParam<L>("type", SPARSESIM_MEMBER(type), required<L>()).withDoc("what the layer computes"));
    t.push_back(integerParam<L>("in_channels", SPARSESIM_MEMBER(in_channels), 1, kMaxDim, required<L>())
                    .withUnit("channels").withDoc("input channels"));
    t.push_back(integerParam<L>("out_channels", SPARSESIM_MEMBER(out_channels), 1, kMaxDim, required<L>())
                    .withUnit("channels").withDoc("output channels (kernels)"));
    t.push_back(integerParam<L>("in_h", SPARSESIM_MEMBER(in_h), 1, kMaxDim, requiredUnlessLinear(&L::in_h))
                    .withDefaultDoc("required (linear: 1)").withUnit("pixels")
                    .withDoc("input height; a linear layer is a 1x1 convolution over `in_h` rows (tokens or batch)"));
    t.push_back(integerParam<L>("in_w", SPARSESIM_MEMBER(in_w), 1, kMaxDim, requiredUnlessLinear(&L::in_w))
                    .withDefaultDoc("required (linear: 1)").withUnit("pixels").withDoc("input width (linear: 1)"));
    t.push_back(integerParam<L>("kernel_h", SPARSESIM_MEMBER(kernel_h), 1, 4096, requiredUnlessLinear(&L::kernel_h))
                    .withDefaultDoc("required (linear: 1)").withRangeDoc("1..4096, fits the padded input")
                    .withUnit("pixels").withDoc("kernel height"));
    t.push_back(integerParam<L>("kernel_w", SPARSESIM_MEMBER(kernel_w), 1, 4096, requiredUnlessLinear(&L::kernel_w))
                    .withDefaultDoc("required (linear: 1)").withRangeDoc("1..4096, fits the padded input")
                    .withUnit("pixels").withDoc("kernel width"));
    t.push_back(integerParam<L>("stride", SPARSESIM_MEMBER(stride), 1, 4096).withUnit("pixels").withDoc("stride in both dimensions"));
    t.push_back(integerParam<L>("padding", SPARSESIM_MEMBER(padding), 0, 4096)
                    .withRangeDoc("0..kernel-1").withUnit("pixels").withDoc("zero padding on every side"));
    t.push_back(integerParam<L>("groups", SPARSESIM_MEMBER(groups), 1, kMaxDim,
                                ParamRules<L>{nullptr, [](L& l) { l.groups = l.type == LayerType::DepthwiseConv2d ? l.in_channels : 1; }})
                    .withDefaultDoc("1 (depthwise: in_channels)").withRangeDoc("divides both channel counts")
                    .withDoc("each group is its own GEMM"));
    t.push_back(realParam<L>("weight_sparsity", SPARSESIM_MEMBER(weight_sparsity), 0.0, 1.0, false, true)
                    .withDoc("fraction of zero weights; exactly round(s x count) zeros"));
    t.push_back(realParam<L>("activation_density", SPARSESIM_MEMBER(activation_density), 0.0, 1.0, true, false)
                    .withDoc("fraction of the input kept by k-WTA: k = max(1, round(d x C x H x W)) largest magnitudes, "
                             "ties to the lower flat index"));
    t.push_back(enumParam<L>("weight_pattern", SPARSESIM_MEMBER(weight_pattern))
                    .withDoc("`complementary`: runs of floor(1/(1-s)) kernels get disjoint masks (what Complementary "
                             "Sparsity packs perfectly)"));
    Param<L> weights;
    weights.key = "weights";
    weights.range = "path";
    weights.defaultDoc = "none";
    weights.doc = "int8 .npy in OIHW order (linear: [out, in] too), or float32 quantised per output channel keeping every "
                  "zero (docs/networks.md), relative to the network file; its zeros are the layer's sparsity, so "
                  "`weight_sparsity` may not be given with it";
    weights.read = [](JsonReader& r, const std::string& leaf, L& l) {
      if (!r.has(leaf)) return;
      l.weights_file = r.string(leaf, std::nullopt);
      if (l.weights_file.empty()) r.fail(leaf, "must not be empty");
      if (r.has("weight_sparsity"))
        r.fail("weight_sparsity", "contradicts \"weights\": the sparsity of a weights file is what the file holds");
    };
    weights.write = [](nlohmann::ordered_json& j, const std::string& leaf, const L& l) {
      if (!l.weights_file.empty()) j[leaf] = l.weights_file;
    };
    t.push_back(std::move(weights));
    Param<L> inputs;
    inputs.key = "inputs";
    inputs.range = "layer names";
    inputs.defaultDoc = "the previous layer (first layer: `input`)";
    inputs.doc = "chained networks: the producers of this layer's input; `input` is the network input; "
                 "`add` takes two, `concat` two or more (joined along channels)";
    inputs.read = [](JsonReader& r, const std::string& leaf, L& l) {
      if (!r.has(leaf)) return;
      const nlohmann::json& a = r.array(leaf);
      l.inputs.clear();
      for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_string() || a[i].get<std::string>().empty())
          throw ConfigError(r.file(), r.pathOf(leaf) + "[" + std::to_string(i) + "]", "expected a layer name (a non-empty string)");
        l.inputs.push_back(a[i].get<std::string>());
      }
    };
    inputs.write = [](nlohmann::ordered_json& j, const std::string& leaf, const L& l) {
      if (!l.inputs.empty()) j[leaf] = l.inputs;
    };
    t.push_back(std::move(inputs));
    Param<L> pads;
    pads.key = "pads";
    pads.range = "[top, left, bottom, right], each 0..kernel-1";
    pads.defaultDoc = "`padding` on every side";
    pads.unit = "pixels";
    pads.doc = "asymmetric zero padding (conv, pooling); may not be given with `padding`";
    pads.read = [](JsonReader& r, const std::string& leaf, L& l) {
      if (!r.has(leaf)) return;
      if (r.has("padding")) r.fail(leaf, "contradicts \"padding\": give one of them");
      const nlohmann::json& a = r.array(leaf);
      if (a.size() != 4) r.fail(leaf, "expected 4 integers [top, left, bottom, right], got " + std::to_string(a.size()));
      int v[4];
      for (int i = 0; i < 4; ++i) {
        if (!a[i].is_number_integer() || a[i].get<long long>() < 0 || a[i].get<long long>() > 4096)
          throw ConfigError(r.file(), r.pathOf(leaf) + "[" + std::to_string(i) + "]", "expected an integer in 0..4096");
        v[i] = a[i].get<int>();
      }
      l.has_pads = true;
      l.pad_top = v[0], l.pad_left = v[1], l.pad_bottom = v[2], l.pad_right = v[3];
    };
    pads.write = [](nlohmann::ordered_json& j, const std::string& leaf, const L& l) {
      if (l.has_pads) j[leaf] = {l.pad_top, l.pad_left, l.pad_bottom, l.pad_right};
    };
    t.push_back(std::move(pads));
    Param<L> dilation = integerParam<L>("dilation", SPARSESIM_MEMBER(dilation), 1, 4096)
                            .withUnit("pixels").withDefaultDoc("`1`").withDoc("convolution dilation in both dimensions (kernel taps d pixels apart)");
    dilation.write = [](nlohmann::ordered_json& j, const std::string& leaf, const L& l) {
      if (l.dilation != 1) j[leaf] = l.dilation;
    };
    t.push_back(std::move(dilation));
    Param<L> global;
    global.key = "global";
    global.range = "`true`, `false`";
    global.defaultDoc = "`false`";
    global.doc = "pooling over the whole input (kernel = input size, output 1x1)";
    global.read = [](JsonReader& r, const std::string& leaf, L& l) { l.global_pool = r.boolean(leaf, false); };
    global.write = [](nlohmann::ordered_json& j, const std::string& leaf, const L& l) {
      if (l.global_pool) j[leaf] = true;
    };
    t.push_back(std::move(global));
    t.push_back(requantParam());
    Param<L> activation = enumParam<L>("activation", SPARSESIM_MEMBER(activation))
                              .withDefaultDoc("`none`").withDoc("chained networks: post-op after `requant`; `relu6` clamps to [0, round(6 / r)], r the output's tensor scale (docs/networks.md)");
    activation.write = [](nlohmann::ordered_json& j, const std::string& leaf, const L& l) {
      if (l.activation != Activation::None) j[leaf] = toString(l.activation);
    };
    t.push_back(std::move(activation));
    t.push_back(kwtaParam());
    t.push_back(weightScaleParam());
    t.push_back(outputScaleParam());
    return t;
  }();
  return table;
}

const std::set<std::string>& layerDefaultKeys() {
  static const std::set<std::string> keys = {"weight_sparsity", "activation_density", "weight_pattern"};
  return keys;
}

namespace {

// `base` holds the network's "defaults"; the other members are the struct's defaults.
LayerConfig readLayer(JsonReader& r, const LayerConfig& base, const fs::path& baseDir) {
  LayerConfig l = base;
  readParams(r, layerParams(), l);
  if (std::string why = nameProblem(l.name); !why.empty()) r.fail("name", why);
  if (!l.weights_file.empty()) {
    fs::path p(l.weights_file);
    l.weights_file = (p.is_absolute() ? p : baseDir / p).lexically_normal().string();
  }
  r.finish();
  if (!l.has_pads) l.pad_top = l.pad_left = l.pad_bottom = l.pad_right = l.padding;
  if (!isComputeLayer(l.type)) {
    checkHostLayer(r, l);
    return l;
  }
  if (r.has("output_scale")) r.fail("output_scale", "only add and concat layers have an output scale; a compute layer's is its requant");
  if (l.global_pool) r.fail("global", "only pooling layers have \"global\"");
  bool linear = l.type == LayerType::Linear;
  if (linear) {
    if (l.kernel_h != 1 || l.kernel_w != 1) r.fail("kernel_h", "a linear layer has a 1x1 kernel");
    if (l.in_w != 1) r.fail("in_w", "a linear layer has in_w = 1 (rows go in in_h)");
    if (l.stride != 1) r.fail("stride", "a linear layer has stride 1");
    if (l.padding != 0 || l.has_pads) r.fail(l.has_pads ? "pads" : "padding", "a linear layer has no padding");
    if (l.dilation != 1) r.fail("dilation", "a linear layer has no dilation");
  }
  if (l.type == LayerType::DepthwiseConv2d && l.groups != l.in_channels)
    r.fail("groups", "a depthwise_conv2d layer has groups = in_channels (" + std::to_string(l.in_channels) + ")");
  if (l.in_channels % l.groups != 0)
    r.fail("groups", "in_channels (" + std::to_string(l.in_channels) + ") is not divisible by groups (" + std::to_string(l.groups) + ")");
  if (l.out_channels % l.groups != 0)
    r.fail("groups", "out_channels (" + std::to_string(l.out_channels) + ") is not divisible by groups (" + std::to_string(l.groups) + ")");
  checkWindow(r, l);
  return l;
}

}  // namespace

json readNetworkJson(const std::string& file) {
  if (!isScaleSimTopologyFile(file)) return readJsonFile(file);
  ScaleSimTopology t = readScaleSimTopology(file);
  for (const auto& note : t.notes) std::cerr << "note: " << file << ": " << note << "\n";
  return std::move(t.network);
}

NetworkConfig loadNetwork(const std::string& file) { return networkFromJson(readNetworkJson(file), file); }

NetworkConfig loadNetwork(const std::string& file, const std::vector<std::string>& overrides) {
  json j = readNetworkJson(file);  // a SCALE-Sim topology too
  for (const auto& o : overrides) applyNetworkOverride(j, file, o);
  return networkFromJson(j, file);
}

void splitOverrides(const std::vector<std::string>& all, std::vector<std::string>& arch, std::vector<std::string>& network) {
  // One path set to two values is a contradiction, not "the last one wins".
  std::map<std::string, std::string> seen;
  for (const auto& o : all) {
    const size_t eq = o.find('=');
    if (eq != std::string::npos && eq > 0) {
      auto [it, fresh] = seen.emplace(o.substr(0, eq), o.substr(eq + 1));
      if (!fresh && it->second != o.substr(eq + 1))
        throw ConfigError("", "--set " + it->first, "given twice, as \"" + it->second + "\" and as \"" + o.substr(eq + 1) + "\"");
    }
    (isNetworkPath(o.substr(0, eq)) ? network : arch).push_back(o);
  }
}

NetworkConfig networkFromJson(const json& j, const std::string& file) {
  JsonReader top(j, file, "");
  NetworkConfig n;
  n.source_file = file;
  readParams(top, networkParams(), n);
  if (n.chain && n.input.channels == 0)
    top.fail("input", "required field is missing: a chained network's first tensor is {\"channels\", \"height\", \"width\"}");
  if (!n.chain && n.input.scale > 0)
    throw ConfigError(file, "input.scale", "belongs to chained networks (\"chain\": true): an independent layer's synthetic input has no model scale");
  if (std::string why = nameProblem(n.name); !why.empty()) top.fail("name", why);
  LayerConfig defaults;
  readParams(top, layerParams(), defaults, {}, "defaults.", layerDefaultKeys());
  const json& layers = top.array("layers");
  fs::path baseDir = fs::path(file).parent_path();
  std::set<std::string> allNames;
  for (const auto& l : layers)
    if (l.is_object() && l.contains("name") && l["name"].is_string()) allNames.insert(l["name"].get<std::string>());
  ChainShapes chain(n.input, allNames);
  std::set<std::string> names;
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string path = "layers[" + std::to_string(i) + "]";
    JsonReader raw(layers[i], file, path);
    const std::string self = layers[i].is_object() && layers[i].contains("name") && layers[i]["name"].is_string()
                                 ? layers[i]["name"].get<std::string>() : std::string();
    // Chained: the keys the input determines are filled in before the layer is read.
    const json prepared = n.chain ? chain.prepare(layers[i], raw, self) : layers[i];
    JsonReader lr(prepared, file, path);
    LayerConfig l = readLayer(lr, defaults, baseDir);
    if (!names.insert(l.name).second) lr.fail("name", "duplicate layer name \"" + l.name + "\"");
    if (n.chain) {
      if (l.name == kNetworkInputName) lr.fail("name", "\"input\" names the network input in a chained network");
      chain.admit(lr, l);
    } else {
      refuseChainKeys(lr, l);
    }
    l.batch = n.batch;
    n.layers.push_back(std::move(l));
  }
  if (n.chain) finishChain(n);
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

namespace {
// Physical ranges (docs/config.md). Clock: 1 MHz .. 5 GHz covers real accelerators and keeps
// seconds = cycles / clock finite. DRAM: one byte per 100 cycles at least, so cycles = bytes /
// bandwidth stays far below 2^53 (exact in a double) for any layer that fits in memory.
// Buffers: about one byte .. 10 GiB per partition.
constexpr double kMinClockMhz = 1, kMaxClockMhz = 5000;
constexpr double kMinDramBytesPerCycle = 0.01, kMaxDramBytesPerCycle = 1e6;
// DRAM in GB/s: 1 MB/s .. 1 PB/s, beyond any real memory at both ends (an "ideal memory" test
// may still ask for far more than HBM); the per-cycle range above is checked after the clock.
constexpr double kMinDramGbps = 1e-3, kMaxDramGbps = 1e6;

// Decimal bandwidths times a clock (3.2 GB/s at 300 MHz) accumulate binary error; 12 significant
// digits give the figure a person would write, and make the conversion round-trip.
double roundSignificant12(double x) {
  char b[40];
  std::snprintf(b, sizeof b, "%.12g", x);
  return std::strtod(b, nullptr);
}
constexpr double kMinBufferKb = MemoryConfig::kMinBufferKb, kMaxBufferKb = MemoryConfig::kMaxBufferKb;
}  // namespace

const ParamTable<ArchConfig>& archParams() {
  using A = ArchConfig;
  static const ParamTable<A> table = [] {
    ParamTable<A> t;
    t.push_back(stringParam<A>("name", SPARSESIM_MEMBER(name), true, required<A>())
                    .withDoc("architecture name (in reports, default output folder)"));
    t.push_back(stringParam<A>("description", SPARSESIM_MEMBER(description), false)
                    .withDoc("free text; name the source of every constant here"));
    t.push_back(enumParam<A>("datapath", SPARSESIM_MEMBER(datapath), required<A>()).withDoc("which set of models in models/ runs"));
    t.push_back(realParam<A>("clock_mhz", SPARSESIM_MEMBER(clock_mhz), kMinClockMhz, kMaxClockMhz, false, false)
                    .withUnit("MHz")
                    .withDoc("clock for seconds and inferences/s; cycles do not depend on it; 1 MHz .. 5 GHz spans "
                             "real accelerator clocks and keeps every time figure finite"));
    t.push_back(enumParam<A>("dataflow", SPARSESIM_MEMBER(dataflow))
                    .withDefaultDoc("the datapath's only dataflow (`cs`, `sparse_pe`: `os`); required for `dense` and `sod`")
                    .withDoc("output- or weight-stationary systolic mapping (docs/dense.md)"));
    t.push_back(integerParam<A>("array.rows", SPARSESIM_MEMBER(array.rows), 1, 4096, required<A>())
                    .withUnit("PEs").withDoc("PE array height R"));
    t.push_back(integerParam<A>("array.cols", SPARSESIM_MEMBER(array.cols), 1, 4096, required<A>())
                    .withUnit("PEs").withDoc("PE array width C"));
    t.push_back(realParam<A>("memory.ifmap_kb", SPARSESIM_MEMBER(memory.ifmap_kb), kMinBufferKb, kMaxBufferKb, false, false)
                    .withUnit("KiB").withDoc("input partition of the global buffer"));
    t.push_back(realParam<A>("memory.filter_kb", SPARSESIM_MEMBER(memory.filter_kb), kMinBufferKb, kMaxBufferKb, false, false)
                    .withUnit("KiB").withDoc("weight partition of the global buffer"));
    t.push_back(realParam<A>("memory.ofmap_kb", SPARSESIM_MEMBER(memory.ofmap_kb), kMinBufferKb, kMaxBufferKb, false, false)
                    .withUnit("KiB").withDoc("output / partial-sum partition of the global buffer"));
    t.push_back(realParam<A>("memory.dram_gbps", SPARSESIM_MEMBER(memory.dram_gbps), kMinDramGbps, kMaxDramGbps, false, false)
                    .withUnit("GB/s")
                    .withDoc("DRAM bandwidth (1 GB/s = 1e9 bytes/s), shared by reads and write-backs, first come first "
                             "served; the models see gbps x 1000 / clock_mhz bytes per cycle (rounded to 12 significant "
                             "digits), so a faster clock does not buy bandwidth. That must lie in [0.01, 1e6] bytes/cycle "
                             "(at least one byte per 100 cycles, so a transfer's cycle count stays exact). The default is "
                             "16 bytes/cycle at 200 MHz, a model choice"));
    t.push_back(realParam<A>("memory.dram_bytes_per_cycle", SPARSESIM_MEMBER(memory.dram_bytes_per_cycle), kMinDramBytesPerCycle,
                             kMaxDramBytesPerCycle, false, false)
                    .withDefaultDoc("from `dram_gbps`").withUnit("bytes/cycle")
                    .withDoc("older spelling of the DRAM bandwidth, per clock cycle of this file's `clock_mhz`: accepted "
                             "and converted to `dram_gbps` = value x clock_mhz / 1000 (the resolved configuration shows "
                             "`dram_gbps`); give one of the two")
                    .notDumped());
    t.push_back(integerParam<A>("memory.prefetch_depth", SPARSESIM_MEMBER(memory.prefetch_depth), 1, 64)
                    .withUnit("folds")
                    .withDoc("folds the buffer may fetch ahead of the array (2 = double buffering); also the depth of "
                             "the write-back queue"));
    t.push_back(integerParam<A>("memory.output_bytes", SPARSESIM_MEMBER(memory.output_bytes), 1, 8)
                    .withUnit("bytes")
                    .withDoc("bytes per output element written to DRAM (int32 accumulators by default)"));
    t.push_back(switchParam<A>("memory.weights", SPARSESIM_MEMBER(memory.preload_weights), {{"stream", false}, {"preload", true}})
                    .withDoc("weight residency, the same rule for every datapath (docs/memory.md): `preload`: the "
                             "network's stored weights (dense bytes, SoD compressed tiles, CS packed table, sparse-PE CSC "
                             "streams) are on chip from configuration when they fit the datapath's weight memory "
                             "together (memory.filter_kb; cs: the weight-packing SRAM), else layers in network order "
                             "while they fit and the rest stream; resident weights cost no DRAM traffic per inference; "
                             "`stream`: every layer's weights are read from DRAM on every inference"));
    t.push_back(enumParam<A>("compat", SPARSESIM_MEMBER(compat))
                    .withDoc("`scalesim`: no padding, SCALE-Sim output sizes ceil((in - k + s) / s), ideal memory, and "
                             "cycles reported as SCALE-Sim's \"Total Cycles\" (the 0-based index of the last compute "
                             "cycle: simulated cycles - 1)"));
    t.push_back(switchParam<A>("execution", SPARSESIM_MEMBER(pipelined), {{"layer_sequential", false}, {"layer_pipelined", true}})
                    .withDoc("`layer_sequential`: one engine runs the layers one after another and every layer's output "
                             "goes through DRAM; `layer_pipelined`: one engine per compute layer of a chained network, "
                             "each with the array above and its weights resident, connected by on-chip line buffers, only "
                             "the network input and the final output through DRAM (docs/pipelined.md)"));
    t.push_back(integerParam<A>("pipeline.slack_rows", SPARSESIM_MEMBER(pipeline.slack_rows), 0, 4096)
                    .withUnit("rows")
                    .withDoc("layer_pipelined: rows every engine's input line buffer holds beyond the engine's window "
                             "(kernel_h rows of a conv, the whole input of a linear layer), so the producer writes the "
                             "next rows while the engine reads its window; 0 leaves no slack: the producer writes a row "
                             "only after the engine freed one, and the engine starves meanwhile"));
    t.push_back(integerParam<A>("pipeline.inferences", SPARSESIM_MEMBER(pipeline.inferences), 2, 64)
                    .withUnit("inferences")
                    .withDoc("layer_pipelined: inputs streamed through the pipeline, each verified; the interval is "
                             "measured between the last two (--inferences N sets it)"));
    t.push_back(stringParam<A>("pipeline.folding", SPARSESIM_MEMBER(pipeline.folding), true)
                    .withRangeDoc(rangeDocChoice({"whole", "balanced", "explicit"}))
                    .withDoc("layer_pipelined: each engine's array (its parallelism). `whole`: every engine is the "
                             "array above, with the design's buffers; `balanced`: each engine's array rows x cols (cs: "
                             "activation lanes x packed-group slots) chosen so the engines' cycles per inference "
                             "(dense, sod, sparse_pe: estimated; cs: measured on each candidate engine) are about "
                             "equal and the whole pipeline fits `pipeline.budget`; `explicit`: the arrays "
                             "`pipeline.arrays` gives. Folded engines size their buffers to their layers "
                             "(docs/pipelined.md)"));
    t.push_back(stringParam<A>("pipeline.arrays", SPARSESIM_MEMBER(pipeline.arrays), false)
                    .withRangeDoc("`layer=RxC,...`")
                    .withDoc("layer_pipelined: every compute layer's engine array, e.g. `conv1=8x16,linear=1x64`; "
                             "required with folding `explicit`; with `balanced` the resolved configuration holds the "
                             "chosen arrays, and a given list must equal them"));
    t.push_back(realParam<A>("pipeline.budget.part_fraction", SPARSESIM_MEMBER(pipeline.budget_part_fraction), 0, 1, true, false)
                    .withUnit("fraction of the part")
                    .withDoc("layer_pipelined, balanced folding: the share of every FPGA part resource (LUT, FF, DSP, "
                             "BRAM36, URAM) one copy of the pipeline may use"));
    t.push_back(realParam<A>("pipeline.budget.dsp", SPARSESIM_MEMBER(pipeline.budget_dsp), 0, 1e9, false, false)
                    .withUnit("DSP slices").withDoc("balanced folding: a cap on the pipeline's DSP slices (0: the part fraction only)"));
    t.push_back(realParam<A>("pipeline.budget.lut", SPARSESIM_MEMBER(pipeline.budget_lut), 0, 1e12, false, false)
                    .withUnit("LUTs").withDoc("balanced folding: a cap on the pipeline's LUTs (0: the part fraction only)"));
    t.push_back(realParam<A>("pipeline.budget.bram36", SPARSESIM_MEMBER(pipeline.budget_bram36), 0, 1e9, false, false)
                    .withUnit("BRAM36 blocks").withDoc("balanced folding: a cap on the pipeline's BRAM36 blocks (0: the part fraction only)"));
    t.push_back(enumParam<A>("simulation.fold_engine", SPARSESIM_MEMBER(simulation.fold_engine))
                    .withDoc("`stepped` moves every PE register every cycle (slow, for cross-checks); `bulk` computes a "
                             "fold's tile directly and takes its cycles from the wavefront; tests require both to agree exactly"));
    return t;
  }();
  return table;
}

const ParamTable<ArchConfig>& resourceParams() {
  using A = ArchConfig;
  static const ParamTable<A> table = [] {
    ParamTable<A> t;
    t.push_back(stringParam<A>("fpga_part", SPARSESIM_MEMBER(fpga_part), false)
                    .withRangeDoc("name")
                    .withDoc("FPGA part the resource report is checked against: a plain name of "
                             "`configs/fpga/<part>.json`, looked up first in `<folder of the arch file>/../fpga/`, then "
                             "in the source tree's `configs/fpga/` (shipped: `u250`, `zu3eg`)"));
    t.push_back(stringParam<A>("energy_table", SPARSESIM_MEMBER(energy_table), false)
                    .withRangeDoc("name")
                    .withDoc("per-event energy table: a plain name of `configs/energy/<table>.json`, resolved the same "
                             "way (shipped: `fpga-ultrascale-plus`, `asic-45nm-horowitz`)"));
    t.push_back(switchParam<A>("static_power", SPARSESIM_MEMBER(static_power_shared), {{"whole_part", false}, {"shared_by_copies", true}})
                    .withDoc("FPGA static power per inference: `whole_part` charges one copy of the design the whole "
                             "part's static power (the part leaks whatever the design uses); `shared_by_copies` divides it "
                             "between the `copies_per_part` copies that fit the part and run in parallel (a full chip)"));
    return t;
  }();
  return table;
}

ArchConfig archFromJson(const json& j, const std::string& file) {
  JsonReader top(j, file, "");
  ArchConfig a;
  a.source_file = file;
  readParams(top, archParams(), a, {"array"});
  if (std::string why = nameProblem(a.name); !why.empty()) top.fail("name", why);
  // Each datapath's own section lives in its own file; a section for another datapath is
  // accepted (so one file can be switched between datapaths by a sweep) but ignored.
  a.dataflow_given = top.has("dataflow");
  // DRAM bandwidth: GB/s is what the file means; bytes per cycle follow from the clock.
  {
    const json* mem = j.is_object() && j.contains("memory") && j["memory"].is_object() ? &j["memory"] : nullptr;
    const bool perCycle = mem && mem->contains("dram_bytes_per_cycle"), gbps = mem && mem->contains("dram_gbps");
    // Failures name the key inside "memory" (memory.dram_gbps), not a dotted top-level key.
    const auto memFail = [&](const std::string& key, const std::string& why) { JsonReader(*mem, file, "memory").fail(key, why); };
    if (perCycle && gbps)
      memFail("dram_bytes_per_cycle", "given together with memory.dram_gbps; give the bandwidth once (dram_gbps, in GB/s)");
    if (perCycle) {
      a.memory.dram_gbps = roundSignificant12(a.memory.dram_bytes_per_cycle * a.clock_mhz / 1000.0);
    } else {
      a.memory.dram_bytes_per_cycle = roundSignificant12(a.memory.dram_gbps * 1000.0 / a.clock_mhz);
      if (a.memory.dram_bytes_per_cycle < kMinDramBytesPerCycle || a.memory.dram_bytes_per_cycle > kMaxDramBytesPerCycle) {
        char b[160];
        std::snprintf(b, sizeof b, "%g GB/s at %g MHz is %g bytes per cycle, out of range [%g, %g]", a.memory.dram_gbps, a.clock_mhz,
                      a.memory.dram_bytes_per_cycle, kMinDramBytesPerCycle, kMaxDramBytesPerCycle);
        if (mem) memFail("dram_gbps", b);
        top.fail("memory", b);
      }
    }
  }
  // The CS-only residency switch became the one rule for every datapath.
  if (top.has("cs") && j.at("cs").is_object() && j.at("cs").contains("sram") && j.at("cs").at("sram").is_object() &&
      j.at("cs").at("sram").contains("weights"))
    throw ConfigError(file, "cs.sram.weights",
                      "was replaced by \"memory.weights\" (\"preload\" | \"stream\"), one residency rule for every "
                      "datapath (docs/memory.md); move the value there");
  a.cs = readCsConfig(top);
  a.sod = readSodConfig(top);
  a.sparse_pe = readSparsePeConfig(top);
  for (DatapathKind k : {DatapathKind::Cs, DatapathKind::Sod, DatapathKind::SparsePe})
    if (k != a.datapath && top.has(toString(k))) a.foreign_sections.push_back(toString(k));
  // The dataflows a datapath supports are its registry entry's (checkDatapathRules, at resolve).
  // Resource / energy tables: plain names, resolved by sim/resources (docs/resources.md).
  {
    const std::string& f = a.pipeline.folding;
    if (f != "whole" && f != "balanced" && f != "explicit")
      JsonReader(j.at("pipeline"), file, "pipeline").fail("folding", "\"" + f + "\" is not one of whole, balanced, explicit");
    if (f == "explicit" && a.pipeline.arrays.empty())
      JsonReader(j.at("pipeline"), file, "pipeline").fail("arrays", "folding explicit needs every compute layer's engine array (layer=RxC,...)");
  }
  readParams(top, resourceParams(), a);
  top.finish();
  return a;
}

namespace {
// resolved-config.json names the file a configuration came from right after its description.
ordered_json withSourceFile(const ordered_json& j, const std::string& file) {
  ordered_json out = ordered_json::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    out[it.key()] = it.value();
    if (it.key() == "description") out["source_file"] = file;
  }
  return out;
}
}  // namespace

ordered_json toJson(const NetworkConfig& n) {
  ordered_json j = ordered_json::object();
  writeParams(j, networkParams(), n);
  j = withSourceFile(j, n.source_file);
  // A chained network's copy (resolved-config.json, a sweep point's config/network.json) must load
  // again as the same graph: it names its input tensor, and each layer carries only the keys its
  // type accepts (checkHostLayer refuses GEMM keys on a host op; "pads" replaces "padding").
  if (n.chain) {
    ordered_json in = {{"channels", n.input.channels}, {"height", n.input.height}, {"width", n.input.width}};
    if (n.input.scale > 0) in["scale"] = n.input.scale;
    ordered_json out = ordered_json::object();
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "chain") out["input"] = in;
      out[it.key()] = it.value();
    }
    j = std::move(out);
  }
  ordered_json layers = ordered_json::array();
  for (const auto& l : n.layers) {
    ordered_json lj = paramsJson(layerParams(), l);
    if (l.has_pads) lj.erase("padding");
    if (n.chain && !isComputeLayer(l.type))
      for (const char* key : {"weights", "weight_sparsity", "activation_density", "groups", "weight_pattern"}) lj.erase(key);
    layers.push_back(std::move(lj));
  }
  j["layers"] = layers;
  return j;
}

ordered_json toJson(const ArchConfig& a) {
  ordered_json j = ordered_json::object();
  writeParams(j, archParams(), a);
  // As with the datapath sections, the pipeline settings appear only where they apply: a
  // layer-sequential run's resolved configuration is what it was before execution modes existed.
  if (!a.pipelined) {
    j.erase("execution");
    j.erase("pipeline");
  } else {
    // The folding's own settings only where they apply.
    if (a.pipeline.folding != "balanced") j["pipeline"].erase("budget");
    if (a.pipeline.arrays.empty()) j["pipeline"].erase("arrays");
  }
  j = withSourceFile(j, a.source_file);
  if (a.datapath == DatapathKind::Cs) j["cs"] = toJson(a.cs);
  if (a.datapath == DatapathKind::Sod) j["sod"] = toJson(a.sod);
  if (a.datapath == DatapathKind::SparsePe) j["sparse_pe"] = toJson(a.sparse_pe);
  writeParams(j, resourceParams(), a);
  return j;
}

}  // namespace sparsesim
