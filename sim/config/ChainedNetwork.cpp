#include "sim/config/ChainedNetwork.h"

#include "sim/core/ConfigError.h"

namespace sparsesim {

using nlohmann::json;

std::string TensorShape::text() const { return std::to_string(c) + " x " + std::to_string(h) + " x " + std::to_string(w); }

namespace {
// key[index] under the reader's object, e.g. layers[1].inputs[0].
[[noreturn]] void failItem(const JsonReader& r, const std::string& key, size_t index, const std::string& reason) {
  throw ConfigError(r.file(), r.pathOf(key) + "[" + std::to_string(index) + "]", reason);
}
// The loader's bound on one dimension (ConfigLoader's kMaxDim).
constexpr int64_t kMaxChainDim = 1 << 20;
bool isPool(LayerType t) { return t == LayerType::MaxPool2d || t == LayerType::AvgPool2d; }
int effectiveKernel(int k, int dilation) { return dilation * (k - 1) + 1; }
std::string inQuotes(const std::string& s) { return "\"" + s + "\""; }
}  // namespace

ChainShapes::ChainShapes(const NetworkInput& input, std::set<std::string> allNames)
    : input_(input), allNames_(std::move(allNames)) {}

TensorShape ChainShapes::shapeOf(JsonReader& r, size_t at, const std::string& producer, const std::string& self) const {
  if (producer == kNetworkInputName) return {input_.channels, input_.height, input_.width};
  auto it = shapes_.find(producer);
  if (it != shapes_.end()) return it->second;
  if (producer == self) failItem(r, "inputs", at, "layer " + inQuotes(self) + " names itself as its input: a cycle");
  if (allNames_.count(producer))
    failItem(r, "inputs", at, inQuotes(producer) + " comes later in the file: layers are listed in order, each after its producers, so a later "
                                  "name is a forward reference or a cycle");
  std::vector<std::string> known(1, kNetworkInputName);
  for (const auto& [name, s] : shapes_) known.push_back(name);
  std::string hint = closestKey(producer, known);
  failItem(r, "inputs", at, "no layer named " + inQuotes(producer) + " before this one" + (hint.empty() ? std::string() : " (did you mean " + inQuotes(hint) + "?)"));
}

json ChainShapes::prepare(const json& raw, JsonReader& r, const std::string& selfName) {
  json j = raw;
  inputs_.clear();
  in_ = {};
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) return j;  // readParams reports it
  auto type = enumFromString<LayerType>(j["type"].get<std::string>());
  if (!type) return j;
  // Reported here, not left to the reader: without its inputs the layer's derived shape fields
  // would be missing and the message would name them instead of "inputs".
  if (j.contains("inputs")) {
    if (!j["inputs"].is_array()) r.fail("inputs", std::string("expected an array of layer names, got ") + j["inputs"].type_name());
    for (size_t i = 0; i < j["inputs"].size(); ++i)
      if (!j["inputs"][i].is_string()) failItem(r, "inputs", i, std::string("expected a layer name (a string), got ") + j["inputs"][i].type_name());
    for (const auto& v : j["inputs"]) inputs_.push_back(v.get<std::string>());
  } else {
    inputs_.push_back(previous_.empty() ? kNetworkInputName : previous_);
  }
  const size_t n = inputs_.size();
  if (*type == LayerType::Add && n != 2) r.fail("inputs", "an add layer takes exactly two inputs, got " + std::to_string(n));
  if (*type == LayerType::Concat && n < 2) r.fail("inputs", "a concat layer takes two or more inputs, got " + std::to_string(n));
  if (*type != LayerType::Add && *type != LayerType::Concat && n != 1)
    r.fail("inputs", "a " + j["type"].get<std::string>() + " layer takes one input, got " + std::to_string(n));
  std::vector<TensorShape> shapes;
  for (size_t i = 0; i < n; ++i) shapes.push_back(shapeOf(r, i, inputs_[i], selfName));
  in_ = shapes[0];
  if (*type == LayerType::Add && !(shapes[0] == shapes[1]))
    r.fail("inputs", "an add layer needs two inputs of one shape: " + inQuotes(inputs_[0]) + " is " + shapes[0].text() + ", " +
                         inQuotes(inputs_[1]) + " is " + shapes[1].text());
  if (*type == LayerType::Concat) {
    for (size_t i = 1; i < n; ++i) {
      if (shapes[i].h != in_.h || shapes[i].w != in_.w)
        failItem(r, "inputs", i, "concat joins along channels, so every input has one height and width: " +
                                                        inQuotes(inputs_[0]) + " is " + shapes[0].text() + ", " + inQuotes(inputs_[i]) +
                                                        " is " + shapes[i].text());
      if (int64_t(in_.c) + shapes[i].c > kMaxChainDim)
        r.fail("inputs", "the concatenated input has more than 2^20 channels");
      in_.c += shapes[i].c;
    }
  }
  if (*type == LayerType::Flatten && int64_t(in_.c) * in_.h * in_.w > kMaxChainDim)
    r.fail("inputs", "the flattened input " + in_.text() + " has more than 2^20 values");
  if (*type == LayerType::Linear && in_.w != 1)
    r.fail("inputs", "a linear layer takes C x rows x 1, but its input " + inQuotes(inputs_[0]) + " is " + in_.text() +
                         ": put a flatten layer before it");
  auto fill = [&](const char* key, int v) {
    if (!j.contains(key)) j[key] = v;
  };
  // The concat's input shape is its channel sum; the other keys describe the first input.
  fill("in_channels", *type == LayerType::Concat ? in_.c : shapes[0].c);
  fill("in_h", in_.h);
  fill("in_w", in_.w);
  if (isComputeLayer(*type)) return j;
  if (isPool(*type) && j.contains("global") && j["global"] == true) {
    fill("kernel_h", in_.h);
    fill("kernel_w", in_.w);
    fill("stride", 1);  // one window: the stride never applies
  }
  if (!isPool(*type)) {
    fill("kernel_h", 1);
    fill("kernel_w", 1);
  }
  if (isPool(*type) && !j.contains("stride") && j.contains("kernel_h") && j["kernel_h"].is_number_integer()) {
    if (j.contains("kernel_w") && j["kernel_w"] != j["kernel_h"])
      r.fail("stride", "a pooling layer's stride defaults to its kernel, which is not square here: give \"stride\"");
    j["stride"] = j["kernel_h"];
  }
  const int outC = *type == LayerType::Flatten ? in_.c * in_.h * in_.w : in_.c;
  fill("out_channels", outC);
  return j;
}

void ChainShapes::admit(JsonReader& r, LayerConfig& l) {
  l.inputs = inputs_;
  const std::string from = inputs_.size() == 1 ? "the input from " + inQuotes(inputs_[0]) : "its inputs";
  auto check = [&](const char* key, int given, int derived, const std::string& what) {
    if (given != derived)
      r.fail(key, std::string(key) + " " + std::to_string(given) + " does not match " + from + " (" + what + " " +
                      std::to_string(derived) + "; input " + in_.text() + ")");
  };
  check("in_channels", l.in_channels, in_.c, "channels");
  check("in_h", l.in_h, in_.h, "height");
  check("in_w", l.in_w, in_.w, "width");
  if (l.type == LayerType::Flatten) check("out_channels", l.out_channels, int(int64_t(in_.c) * in_.h * in_.w), "C x H x W =");
  else if (!isComputeLayer(l.type)) check("out_channels", l.out_channels, in_.c, "channels");
  if (l.global_pool && (l.kernel_h != in_.h || l.kernel_w != in_.w))
    r.fail("kernel_h", "a global pooling layer's kernel is its whole input (" + std::to_string(in_.h) + " x " + std::to_string(in_.w) + ")");
  TensorShape out = layerOutputShape(l);
  l.out_c = out.c, l.out_h = out.h, l.out_w = out.w;
  shapes_[l.name] = out;
  previous_ = l.name;
}

TensorShape layerOutputShape(const LayerConfig& l) {
  switch (l.type) {
    case LayerType::Linear:
      return {l.out_channels, l.in_h, 1};
    case LayerType::Add:
    case LayerType::Concat:
      return {l.in_channels, l.in_h, l.in_w};
    case LayerType::Flatten:
      return {l.in_channels * l.in_h * l.in_w, 1, 1};
    case LayerType::MaxPool2d:
    case LayerType::AvgPool2d:
      return {l.in_channels, (l.in_h + l.pad_top + l.pad_bottom - l.kernel_h) / l.stride + 1,
              (l.in_w + l.pad_left + l.pad_right - l.kernel_w) / l.stride + 1};
    default:
      return {l.out_channels, (l.in_h + l.pad_top + l.pad_bottom - effectiveKernel(l.kernel_h, l.dilation)) / l.stride + 1,
              (l.in_w + l.pad_left + l.pad_right - effectiveKernel(l.kernel_w, l.dilation)) / l.stride + 1};
  }
}

void checkWindow(JsonReader& r, const LayerConfig& l) {
  const int ekh = effectiveKernel(l.kernel_h, l.dilation), ekw = effectiveKernel(l.kernel_w, l.dilation);
  const std::string dil = l.dilation > 1 ? " (dilated to " + std::to_string(ekh) + " x " + std::to_string(ekw) + ")" : "";
  if (ekh > l.in_h + l.pad_top + l.pad_bottom)
    r.fail("kernel_h", "kernel_h " + std::to_string(l.kernel_h) + dil + " exceeds the padded input height " + std::to_string(l.in_h + l.pad_top + l.pad_bottom));
  if (ekw > l.in_w + l.pad_left + l.pad_right)
    r.fail("kernel_w", "kernel_w " + std::to_string(l.kernel_w) + dil + " exceeds the padded input width " + std::to_string(l.in_w + l.pad_left + l.pad_right));
  if (!l.has_pads) {
    if (l.padding >= ekh || l.padding >= ekw)
      r.fail("padding", "padding " + std::to_string(l.padding) + " must be smaller than the kernel, or some outputs see only padding");
    return;
  }
  const int pads[4] = {l.pad_top, l.pad_left, l.pad_bottom, l.pad_right};
  for (int i = 0; i < 4; ++i)
    if (pads[i] >= (i % 2 ? ekw : ekh))
      failItem(r, "pads", size_t(i), "pad " + std::to_string(pads[i]) + " must be smaller than the kernel, or some outputs see only padding");
}

void checkHostLayer(JsonReader& r, const LayerConfig& l) {
  const std::string type = toString(l.type);
  if (l.requant_given) r.fail("requant", "only compute layers requantise; a " + type + " layer keeps its input's int8 scale");
  if (l.activation == Activation::Relu6) r.fail("activation", "relu6 needs a requant scale: only compute layers have one");
  for (const char* key : {"weights", "weight_sparsity", "activation_density", "groups", "weight_pattern", "weight_scale"})
    if (r.has(key)) r.fail(key, "a " + type + " layer has no weights or GEMM; \"" + key + "\" does not apply");
  if (r.has("output_scale") && l.type != LayerType::Add && l.type != LayerType::Concat)
    r.fail("output_scale", "a " + type + " layer keeps its input's scale; only add and concat choose an output scale");
  if (l.dilation != 1) r.fail("dilation", "only convolutions are dilated");
  if (isPool(l.type)) {
    checkWindow(r, l);
    return;
  }
  if (l.global_pool) r.fail("global", "only pooling layers have \"global\"");
  if (l.has_pads || l.padding) r.fail(l.has_pads ? "pads" : "padding", "a " + type + " layer has no padding");
  if (l.kernel_h != 1 || l.kernel_w != 1 || l.stride != 1) r.fail("kernel_h", "a " + type + " layer has no kernel or stride");
}

void refuseChainKeys(JsonReader& r, const LayerConfig& l) {
  const std::string why = "belongs to chained networks (\"chain\": true at the top level); an independent layer's output feeds nothing";
  if (!isComputeLayer(l.type))
    r.fail("type", std::string(toString(l.type)) + " runs on another layer's output, so it needs a chained network (\"chain\": true at the top level)");
  for (const char* key : {"inputs", "requant", "activation", "kwta", "global", "weight_scale", "output_scale"})
    if (r.has(key)) r.fail(key, std::string("\"") + key + "\" " + why);
}

void finishChain(NetworkConfig& n) {
  std::map<std::string, std::vector<size_t>> consumers;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < n.layers.size(); ++i) {
    index[n.layers[i].name] = i;
    for (const auto& p : n.layers[i].inputs) consumers[p].push_back(i);
  }
  auto at = [&](size_t i, const std::string& key) { return "layers[" + std::to_string(i) + "]." + key; };
  for (size_t i = 0; i < n.layers.size(); ++i) {
    LayerConfig& l = n.layers[i];
    const auto& cons = consumers[l.name];
    if (isComputeLayer(l.type)) {
      if (!l.requant_given && (!cons.empty() || l.kwta.active() || l.activation == Activation::Relu6))
        l.requant.mode = RequantSpec::Mode::Calibrate;
      if (l.requant.mode == RequantSpec::Mode::None && !cons.empty())
        throw ConfigError(n.source_file, at(i, "requant"), "\"none\" leaves the output int32, but it feeds \"" + n.layers[cons[0]].name +
                                                                "\", whose input must be int8: give a scale or \"calibrate\"");
      if (l.requant.mode == RequantSpec::Mode::None && (l.kwta.active() || l.activation == Activation::Relu6))
        throw ConfigError(n.source_file, at(i, "requant"), "\"none\" leaves the output int32; kwta and relu6 act on the int8 output");
      if (l.requant.mode == RequantSpec::Mode::Given && l.requant.scale.size() != 1 && int(l.requant.scale.size()) != l.out_c)
        throw ConfigError(n.source_file, at(i, "requant.scale"), "expected one scale or one per output channel (" + std::to_string(l.out_c) +
                                                                     "), got " + std::to_string(l.requant.scale.size()));
      // A layer's own activation_density is k-WTA on its input; a producer's kwta already chose
      // it, also through a flatten (a view: the same values, the same selection).
      std::string selector = l.inputs.size() == 1 ? l.inputs[0] : std::string();
      while (index.count(selector) && !n.layers[index[selector]].kwta.active() && n.layers[index[selector]].type == LayerType::Flatten)
        selector = n.layers[index[selector]].inputs[0];
      if (l.activation_density < 1.0 && index.count(selector) && n.layers[index[selector]].kwta.active())
        throw ConfigError(n.source_file, at(i, "activation_density"), "contradicts the kwta post-op of \"" + selector +
                                                                          "\", which already selects this layer's input" +
                                                                          (selector == l.inputs[0] ? "" : " (through \"" + l.inputs[0] + "\")") +
                                                                          ": give one of them");
    }
    if (l.kwta.active()) {
      if (l.out_c % l.kwta.groups != 0)
        throw ConfigError(n.source_file, at(i, "kwta.groups"), "groups " + std::to_string(l.kwta.groups) + " does not divide the " +
                                                                   std::to_string(l.out_c) + " output channels");
      const int64_t groupSize = int64_t(l.out_c / l.kwta.groups) * l.out_h * l.out_w;
      if (l.kwta.k > groupSize)
        throw ConfigError(n.source_file, at(i, "kwta.k"), "k " + std::to_string(l.kwta.k) + " exceeds the " + std::to_string(groupSize) +
                                                              " outputs of a group (" + TensorShape{l.out_c, l.out_h, l.out_w}.text() + " in " +
                                                              std::to_string(l.kwta.groups) + " groups)");
    }
  }
}

}  // namespace sparsesim
