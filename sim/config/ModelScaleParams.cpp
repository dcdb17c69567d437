#include "sim/config/ModelScaleParams.h"

#include <cmath>

#include "sim/core/ConfigError.h"

namespace sparsesim {

namespace {

// The bounds keep every product of a few scales (input x weight x requant) and relu6's int8
// image of 6.0 finite and meaningful.
constexpr double kMinModelScale = 1e-12, kMaxModelScale = 1e12;
const char* const kModelScaleRange = "1e-12..1e12";
const char* const kStepUnit = "real value per int8 step";

// A real scale written only when given (0: not given, the convention).
template <class S, class Ref>
Param<S> modelScaleParam(std::string key, Ref ref) {
  Param<S> p = realParam<S>(std::move(key), ref, kMinModelScale, kMaxModelScale, false, false);
  p.range = kModelScaleRange;
  p.unit = kStepUnit;
  p.read = [inner = p.read](JsonReader& r, const std::string& leaf, S& s) {
    if (r.has(leaf)) inner(r, leaf, s);
  };
  p.write = [ref](nlohmann::ordered_json& j, const std::string& leaf, const S& s) {
    if (ref(s) > 0) j[leaf] = ref(s);
  };
  return p;
}

}  // namespace

Param<NetworkConfig> inputScaleParam() {
  return modelScaleParam<NetworkConfig>("input.scale", SPARSESIM_MEMBER(input.scale))
      .withDefaultDoc("1/127 (the convention)")
      .withDoc("chained networks: the real value of one int8 step of the network input (a model's `x_scale`), where the "
               "tensor scales start (docs/networks.md, \"Tensor scales\")")
      .notDumped();  // toJson(NetworkConfig) writes the input object
}

Param<LayerConfig> weightScaleParam() {
  using L = LayerConfig;
  Param<L> p;
  p.key = "weight_scale";
  p.range = std::string("`s` or `[s per output channel]`, each ") + kModelScaleRange;
  p.defaultDoc = "1/127 (the convention)";
  p.unit = kStepUnit;
  p.doc = "chained compute layers: the real value of one int8 weight step (a model's `w_scale`), for the tensor scales "
          "the add, concat and relu6 rules use (docs/networks.md, \"Tensor scales\"); not with float32 weights";
  p.read = [](JsonReader& r, const std::string& leaf, L& l) {
    const nlohmann::json* v = r.optionalValue(leaf);
    if (!v) return;
    const std::vector<nlohmann::json> items = v->is_array() ? std::vector<nlohmann::json>(v->begin(), v->end()) : std::vector<nlohmann::json>{*v};
    if (items.empty()) r.fail(leaf, "must not be empty");
    l.weight_scale.clear();
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string where = v->is_array() ? r.pathOf(leaf) + "[" + std::to_string(i) + "]" : r.pathOf(leaf);
      if (!items[i].is_number()) throw ConfigError(r.file(), where, std::string("expected a number, got ") + items[i].type_name());
      const double s = items[i].get<double>();
      if (!std::isfinite(s) || s < kMinModelScale || s > kMaxModelScale)
        throw ConfigError(r.file(), where, "value " + items[i].dump() + " is out of range [1e-12, 1e12]");
      l.weight_scale.push_back(s);
    }
    // out_channels is read before this row.
    if (items.size() > 1 && int(items.size()) != l.out_channels)
      r.fail(leaf, "expected one scale or one per output channel (" + std::to_string(l.out_channels) + "), got " + std::to_string(items.size()));
  };
  p.write = [](nlohmann::ordered_json& j, const std::string& leaf, const L& l) {
    if (l.weight_scale.size() == 1) j[leaf] = l.weight_scale[0];
    else if (!l.weight_scale.empty()) j[leaf] = l.weight_scale;
  };
  return p;
}

Param<LayerConfig> outputScaleParam() {
  return modelScaleParam<LayerConfig>("output_scale", SPARSESIM_MEMBER(output_scale))
      .withDefaultDoc("add: calibrated on the sum; concat: the largest input scale")
      .withDoc("chained `add` and `concat` layers: the output's int8 step (a model's QLinearAdd `C_scale`, or the "
               "QuantizeLinear after a float Add or Concat), used instead of the simulator's choice (docs/networks.md)");
}

}  // namespace sparsesim
