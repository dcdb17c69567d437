#include "sim/resources/Calibration.h"
#include "sim/core/Math.h"

#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "sim/core/ConfigError.h"
#include "sim/config/JsonReader.h"
#include "sim/resources/FpgaPart.h"

namespace sparsesim {

namespace {


// Blocks whose coefficients the model uses; a calibration file without one of them cannot serve.
const char* const kFittedBlocks[] = {"pe_array", "cs_slice", "decompressor", "sparse_pe"};
const std::set<std::string> kKnownBlocks = {"pe_array", "cs_slice", "decompressor", "sparse_pe",
                                            "kwta_selector", "weight_sram", "global_buffer"};
const std::set<std::string> kResources = {"lut", "ff", "dsp", "bram36"};

std::map<std::string, std::string> reasonMap(const nlohmann::json& j, const std::string& file, const std::string& path) {
  if (!j.is_object()) throw ConfigError(file, path, "must be an object of resource -> reason");
  std::map<std::string, std::string> m;
  for (const auto& [k, v] : j.items()) {
    if (!kResources.count(k)) throw ConfigError(file, path + "." + k, "not a resource (lut, ff, dsp, bram36)");
    if (!v.is_string() || v.get<std::string>().empty()) throw ConfigError(file, path + "." + k, "must be a non-empty reason");
    m[k] = v.get<std::string>();
  }
  return m;
}

const FittedBlockSchema& fpgaSchema() {
  // The model's lut counts every LUT site, logic or memory (lut_total); the rest map 1:1.
  static const FittedBlockSchema s{{{"lut", "lut_total"}, {"ff", "ff"}, {"dsp", "dsp48e1"}, {"bram36", "bram36"}},
                                   {"lut", "lutram", "srl", "ramb36e1", "ramb18e1", "carry4", "muxf7", "muxf8", "other_cells"},
                                   1e9,
                                   kResources,
                                   "a resource (lut, ff, dsp, bram36)",
                                   calibrationFeatures};
  return s;
}

CalibratedBlock readBlock(const std::string& name, const nlohmann::json& j, const std::string& file) {
  const std::string path = "blocks." + name;
  JsonReader r(j, file, path);
  CalibratedBlock b;
  static_cast<FittedBlock&>(b) = readFittedBlock(r, j, name, file, fpgaSchema());
  (void)r.object("structural");
  b.structural = reasonMap(j["structural"], file, path + ".structural");
  (void)r.object("known_gaps");
  b.known_gaps = reasonMap(j["known_gaps"], file, path + ".known_gaps");
  r.finish();
  return b;
}

}  // namespace

FittedBlock readFittedBlock(JsonReader& r, const nlohmann::json& j, const std::string& name, const std::string& file,
                            const FittedBlockSchema& schema) {
  const std::string path = "blocks." + name;
  FittedBlock b;
  b.name = name;
  b.top = r.string("top", std::nullopt);
  r.allow("rtl");
  r.allow("fits");
  r.allow("rtl_sha256");
  const nlohmann::json& sizes = r.array("sizes");
  for (size_t i = 0; i < sizes.size(); ++i) {
    const std::string sp = path + ".sizes[" + std::to_string(i) + "]";
    JsonReader s(sizes[i], file, sp);
    s.allow("command");
    s.allow("cells");
    (void)s.object("params");
    (void)s.object("features");
    JsonReader counts = s.object("counts");
    CalibrationSize z;
    z.params = readNumberMap(sizes[i]["params"], file, sp + ".params");
    z.features = readNumberMap(sizes[i]["features"], file, sp + ".features");
    for (const auto& [measured, key] : schema.counts) z.measured[measured] = counts.real(key, std::nullopt, 0, schema.max_count);
    for (const std::string& k : schema.other_counts) counts.allow(k);
    counts.finish();
    s.finish();
    b.sizes.push_back(std::move(z));
  }
  (void)r.object("coefficients");
  ParamMap known;
  try {
    known = schema.features(name, b.sizes[0].params);
  } catch (const std::out_of_range&) {
    throw ConfigError(file, path + ".sizes[0].params", "lacks a parameter the features of block \"" + name + "\" need");
  }
  for (const auto& [q, fm] : j["coefficients"].items()) {
    const std::string cp = path + ".coefficients." + q;
    if (!schema.quantities.count(q)) throw ConfigError(file, cp, "not " + schema.quantities_text);
    ParamMap m = readNumberMap(fm, file, cp);
    for (const auto& [feat, v] : m) {
      if (v < 0) throw ConfigError(file, cp + "." + feat, "a coefficient must not be negative");
      // A feature the model cannot compute would silently count as zero: refuse it.
      if (!known.count(feat)) throw ConfigError(file, cp + "." + feat, "not a feature of block \"" + name + "\"");
    }
    b.coefficients[q] = m;
  }
  return b;
}

ParamMap readNumberMap(const nlohmann::json& j, const std::string& file, const std::string& path) {
  if (!j.is_object()) throw ConfigError(file, path, "must be an object of numbers");
  ParamMap m;
  for (const auto& [k, v] : j.items()) {
    if (!v.is_number() || !std::isfinite(v.get<double>())) throw ConfigError(file, path + "." + k, "must be a finite number");
    m[k] = v.get<double>();
  }
  return m;
}

ParamMap calibrationFeatures(const std::string& block, const ParamMap& p) {
  // Keep in step with features() in tools/calibrate-resources.
  auto at = [&](const char* k) { return p.at(k); };
  if (block == "pe_array") {
    const double rows = at("ROWS"), cols = at("COLS");
    // Row drain: COLS x 32 bits of a ROWS:1 select; the first LUT6 takes 4 inputs, each further one 3.
    // Operand forwarding: 16 bits per PE, less the 3 operand bytes per row and per column that
    // synthesis absorbs into the DSP48E1 A/B input registers.
    return {{"pes", rows * cols},
            {"drain_mux_luts", cols * 32 * std::ceil(std::max(rows - 1, 0.0) / 3)},
            {"fwd_fabric_bits", std::max(0.0, 16 * rows * cols - 24 * (rows + cols))}};
  }
  if (block == "cs_slice") {
    const double n = at("KERNEL_IDS"), s = at("SLOTS");
    const int idb = std::max(1, ceilLog2(n));
    return {{"slots", s},
            {"acc_lutram_cols", s * 32 * std::ceil(n / 32)},  // 32-bit accumulators in 32-deep LUTRAM columns
            {"drain_mux_luts", 32 * std::ceil(std::max(s - 1, 0.0) / 3)},
            {"operand_bits", s * (8 + 2 * idb + 1)},
            {"one", 1}};
  }
  if (block == "decompressor") {
    const double lanes = at("LANES"), nnz = at("NNZ"), vb = at("VALUE_BITS");
    return {{"scatter_bits", lanes * nnz * vb},  // per output bit, one term per entry
            {"entry_lane_bits", nnz * std::max(1, ceilLog2(lanes))},
            {"register_bits", lanes * vb + nnz * (1 + vb + at("INDEX_BITS"))}};
  }
  if (block == "sparse_pe") {
    const double eb = at("VALUE_BITS") + at("INDEX_BITS"), mw = at("MATCH_WIDTH");
    return {{"fifo_bits", 2 * at("FIFO_DEPTH") * eb},
            {"fifo_shift_luts", 2 * at("FIFO_DEPTH") * eb * std::ceil((mw + 1) / 4)},  // (MW+1):1 select per bit
            {"window_bits", 2 * mw * eb},
            {"one", 1}};
  }
  if (block == "kwta_selector" || block == "weight_sram" || block == "global_buffer") return {};
  throw std::out_of_range("no calibration features for block " + block);
}

Calibration loadCalibration(const std::string& file) {
  nlohmann::json j = readJsonFile(file);
  JsonReader r(j, file, "");
  Calibration c;
  c.source_file = file;
  r.allow("about");
  r.allow("units");
  r.allow("synth");
  c.yosys_version = r.string("yosys_version", std::nullopt);
  c.family = r.choice("family", std::nullopt, {"xc7"});
  c.date = r.string("date", std::nullopt);
  c.tolerance = r.real("tolerance", 0.15, 0, 1, true);  // relative error accepted outside known gaps
  (void)r.object("blocks");
  for (const auto& [name, bj] : j["blocks"].items()) {
    if (!kKnownBlocks.count(name)) throw ConfigError(file, "blocks." + name, "not a calibrated block of the resource model");
    c.blocks[name] = readBlock(name, bj, file);
  }
  for (const char* need : kFittedBlocks)
    if (!c.blocks.count(need) || c.blocks[need].coefficients.empty())
      throw ConfigError(file, std::string("blocks.") + need, "missing: the resource model needs this block's coefficients");
  r.finish();
  return c;
}

const Calibration& defaultCalibration() {
  static const Calibration* cached = [] {
    const std::string f = (std::filesystem::path(sourceTreeRoot()) / "configs" / "calibration" / "yosys-xc7.json").string();
    return new Calibration(loadCalibration(f));
  }();
  return *cached;
}

}  // namespace sparsesim
