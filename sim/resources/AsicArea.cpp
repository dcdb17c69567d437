#include "sim/resources/AsicArea.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>

#include "sim/core/ConfigError.h"
#include "sim/core/Math.h"
#include "sim/config/JsonReader.h"
#include "sim/resources/FpgaPart.h"

namespace sparsesim {

namespace {

// Blocks the area model uses; a calibration file without one of them cannot serve.
const char* const kModelBlocks[] = {"pe_array", "sparse_pe", "decompressor", "cs_slice", "kwta_selector"};
const std::set<std::string> kKnownBlocks = {"pe_array", "mac_pe", "sparse_pe", "decompressor", "cs_slice",
                                            "accumulators", "kwta_selector", "mult_int8", "add_int32"};
const std::set<std::string> kQuantities = {"ge_comb", "ff"};

// Model choices (docs/asic-area.md): the control block has no RTL. Its flip-flops are the FPGA
// model's control flip-flops (sim/resources/ResourceModel.cpp); two NAND2 equivalents of logic
// per flip-flop is the ratio of the calibrated blocks' register-dominated parts.
constexpr double kControlFf = 2500, kControlGe = 5000;

double value(JsonReader& r, const std::string& key, double lo, double hi) {
  JsonReader v = r.object(key);
  const double x = v.real("value", std::nullopt, lo, hi, true);
  (void)v.string("unit", std::nullopt);
  if (v.string("source", std::nullopt).empty()) v.fail("source", "must name where the value comes from");
  v.finish();
  return x;
}

AsicCalibratedBlock readBlock(const std::string& name, const nlohmann::json& j, const std::string& file) {
  static const FittedBlockSchema schema{{{"ge_comb", "ge_comb"}, {"ff", "ff"}, {"cell_area_um2", "cell_area_um2"}},
                                        {"gates", "ge_total"},
                                        1e12,
                                        kQuantities,
                                        "a fitted quantity (ge_comb, ff)",
                                        asicFeatures};
  JsonReader r(j, file, "blocks." + name);
  AsicCalibratedBlock b = readFittedBlock(r, j, name, file, schema);
  r.finish();
  return b;
}

std::string sourceFile(const std::string& rel) { return (std::filesystem::path(sourceTreeRoot()) / rel).string(); }

}  // namespace

double AsicNode::sramMacroUm2(double bits) const {
  if (bits <= 0) return 0;
  return bits * sram_bitcell_um2 / sram_array_efficiency + sram_macro_overhead_um2;
}

AsicNode loadAsicNode(const std::string& file) {
  nlohmann::json j = readJsonFile(file);
  JsonReader r(j, file, "");
  AsicNode n;
  n.source_file = file;
  n.name = r.string("name", std::nullopt);
  (void)r.string("description", std::nullopt);
  {
    JsonReader cells = r.object("cells");
    n.nand2_um2 = value(cells, "NAND2_X1", 0, 1e3);
    n.dff_um2 = value(cells, "DFF_X1", 0, 1e3);
    for (const char* k : {"NOR2_X1", "AND2_X1", "OR2_X1", "XOR2_X1", "XNOR2_X1", "MUX2_X1", "INV_X1"}) (void)value(cells, k, 0, 1e3);
    cells.finish();
  }
  r.allow("gate_map");  // read by tools/calibrate-asic
  n.placement_utilization = value(r, "placement_utilization", 0, 1);
  {
    JsonReader s = r.object("sram");
    n.sram_bitcell_um2 = value(s, "bitcell_um2", 0, 100);
    n.sram_array_efficiency = value(s, "array_efficiency", 0, 1);
    JsonReader o = s.object("macro_overhead_um2");
    n.sram_macro_overhead_um2 = o.real("value", std::nullopt, 0, 1e9);
    (void)o.string("unit", std::nullopt);
    (void)o.string("source", std::nullopt);
    o.finish();
    s.finish();
  }
  {
    JsonReader x = r.object("cross_check");
    (void)x.string("about", std::nullopt);
    for (const auto& [k, v] : j["cross_check"].items()) {
      if (k == "about") continue;
      JsonReader e = x.object(k);
      n.cross_check[k] = e.real("value", std::nullopt, 0, 1e9, true);
      (void)e.string("unit", std::nullopt);
      n.cross_source[k] = e.string("source", std::nullopt);
      e.finish();
    }
    x.finish();
  }
  r.finish();
  return n;
}

AsicCalibration loadAsicCalibration(const std::string& file) {
  nlohmann::json j = readJsonFile(file);
  JsonReader r(j, file, "");
  AsicCalibration c;
  c.source_file = file;
  for (const char* k : {"about", "units", "gates"}) r.allow(k);
  c.yosys_version = r.string("yosys_version", std::nullopt);
  c.synth = r.string("synth", std::nullopt);
  c.date = r.string("date", std::nullopt);
  c.tolerance = r.real("tolerance", 0.15, 0, 1, true);
  {
    JsonReader lib = r.object("cell_library");
    lib.allow("file");
    lib.allow("description");
    lib.allow("gate_map");
    (void)lib.object("areas_um2");
    c.cell_areas_um2 = readNumberMap(j["cell_library"]["areas_um2"], file, "cell_library.areas_um2");
    lib.finish();
  }
  (void)r.object("blocks");
  for (const auto& [name, bj] : j["blocks"].items()) {
    if (!kKnownBlocks.count(name)) throw ConfigError(file, "blocks." + name, "not a calibrated block of the ASIC area model");
    c.blocks[name] = readBlock(name, bj, file);
  }
  for (const char* need : kModelBlocks)
    if (!c.blocks.count(need) || c.blocks[need].coefficients.empty())
      throw ConfigError(file, std::string("blocks.") + need, "missing: the ASIC area model needs this block's coefficients");
  r.finish();
  return c;
}

const AsicNode& asicNode(const std::string& name) {
  static std::mutex m;
  static std::map<std::string, std::unique_ptr<AsicNode>> cache;
  std::lock_guard<std::mutex> lock(m);
  auto& slot = cache[name];
  if (!slot) slot = std::make_unique<AsicNode>(loadAsicNode(sourceFile("configs/asic/" + name + ".json")));
  return *slot;
}

const AsicCalibration& defaultAsicCalibration() {
  static const AsicCalibration* cached = new AsicCalibration(loadAsicCalibration(sourceFile("configs/calibration/yosys-asic-generic.json")));
  return *cached;
}

ParamMap asicFeatures(const std::string& block, const ParamMap& p) {
  // Keep in step with features() in tools/calibrate-asic.
  auto at = [&](const char* k) { return p.at(k); };
  if (block == "pe_array") {
    const double rows = at("ROWS"), cols = at("COLS");
    // Registers: 48 per PE less the operands the last column and row forward to nobody.
    return {{"pes", rows * cols},
            {"drain_mux_bits", cols * 32 * std::max(rows - 1, 0.0)},
            {"register_bits", 48 * rows * cols - 8 * (rows + cols)}};
  }
  if (block == "sparse_pe") {
    const double eb = at("VALUE_BITS") + at("INDEX_BITS"), mw = at("MATCH_WIDTH");
    return {{"fifo_bits", 2 * at("FIFO_DEPTH") * eb},
            {"fifo_shift_mux_bits", 2 * at("FIFO_DEPTH") * eb * mw},
            {"one", 1}};
  }
  if (block == "decompressor") {
    const double lanes = at("LANES"), nnz = at("NNZ"), vb = at("VALUE_BITS");
    return {{"scatter_bits", lanes * nnz * vb}, {"register_bits", lanes * vb + nnz * (1 + vb + at("INDEX_BITS"))}};
  }
  if (block == "cs_slice") {
    const double n = at("KERNEL_IDS"), s = at("SLOTS");
    const int idb = std::max(1, ceilLog2(n));
    return {{"slots", s}, {"acc_bits", s * n * 32}, {"operand_bits", s * (8 + 2 * idb + 16 + 1)}};
  }
  if (block == "accumulators") {
    const double n = at("KERNEL_IDS"), s = at("SLOTS");
    return {{"acc_bits", s * n * 32}, {"slots", s}};
  }
  if (block == "kwta_selector") {
    const double lanes = at("LANES"), nmax = at("N_MAX");
    const int cnt = ceilLog2(nmax + 1);
    return {{"histogram_bits", lanes * 129 * cnt}, {"element_bits", nmax * (8 + ceilLog2(nmax))}};
  }
  if (block == "mult_int8" || block == "add_int32" || block == "mac_pe") return {{"one", 1}};
  throw std::out_of_range("no ASIC calibration features for block " + block);
}

AsicGates asicBlockGates(const AsicCalibration& c, const std::string& block, const ParamMap& params,
                         const std::vector<std::string>& only) {
  AsicGates g;
  auto it = c.blocks.find(block);
  if (it == c.blocks.end()) throw std::out_of_range("block " + block + " is not in " + c.source_file);
  const ParamMap f = asicFeatures(block, params);
  for (const auto& [q, coeffs] : it->second.coefficients) {
    double sum = 0;
    for (const auto& [feat, coef] : coeffs)
      if (only.empty() || std::find(only.begin(), only.end(), feat) != only.end()) sum += coef * f.at(feat);
    (q == "ge_comb" ? g.ge_comb : g.ff) += sum;
  }
  return g;
}

double logicAreaUm2(const AsicGates& g, const AsicNode& n) {
  return (g.ge_comb * n.nand2_um2 + g.ff * n.dff_um2) / n.placement_utilization;
}

double gateEquivalents(const AsicGates& g, const AsicNode& n) { return g.ge_comb + g.ff * n.dff_um2 / n.nand2_um2; }

AsicBlockArea asicLogicBlock(const std::string& name, const AsicGates& g, const AsicNode& n, std::string model) {
  AsicBlockArea b;
  b.block = name;
  b.gates = g;
  b.area_um2 = logicAreaUm2(g, n);
  b.gate_equivalents = gateEquivalents(g, n);
  b.model = std::move(model);
  return b;
}

AsicBlockArea asicSramBlock(const std::string& name, const std::vector<double>& macroBits, const AsicNode& n, std::string model) {
  AsicBlockArea b;
  b.block = name;
  for (double bits : macroBits) {
    if (bits <= 0) continue;
    b.sram_bits += bits;
    b.sram_macros += 1;
    b.area_um2 += n.sramMacroUm2(bits);
  }
  b.model = std::move(model);
  return b;
}

AsicGates scaled(AsicGates g, double k) { return AsicGates{g.ge_comb * k, g.ff * k}; }

void addGlobalBufferArea(const ArchConfig& a, const AsicNode& n, AsicAreaEstimate& e, bool ifmapOnly) {
  std::vector<double> macros = {a.memory.ifmap_kb * 8192};
  if (!ifmapOnly) {
    macros.push_back(a.memory.filter_kb * 8192);
    macros.push_back(a.memory.ofmap_kb * 8192);
  }
  e.blocks.push_back(asicSramBlock("global_buffer", macros, n,
                                   ifmapOnly ? "activation partition: one SRAM macro at the node's bit-cell area / array efficiency + macro overhead"
                                             : "ifmap, filter and ofmap partitions: one SRAM macro each at the node's bit-cell area / array efficiency + macro overhead"));
}

void addSystolicArrayArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e) {
  const AsicGates g = asicBlockGates(c, "pe_array", {{"ROWS", a.array.rows}, {"COLS", a.array.cols}});
  e.blocks.push_back(asicLogicBlock("pe_array", g, n,
                                    std::string("rows x cols int8 MAC PEs + row drain, fitted to yosys generic gates (traces/rtl/pe_array.v)") +
                                        (a.dataflow == Dataflow::WeightStationary ? "; WS priced as the OS RTL (no WS RTL)"
                                         : a.dataflow == Dataflow::Auto        ? "; auto (OS and WS) priced as the OS RTL (no WS RTL)"
                                                                               : "")));
  e.pes = double(a.array.rows) * a.array.cols;
  e.pe_area_um2 = e.blocks.back().area_um2 / e.pes;
}

AsicAreaEstimate estimateAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, const DatapathCostModel& m) {
  AsicAreaEstimate e;
  e.node = n.name;
  e.node_file = sourceRelative(n.source_file);
  e.calibration_file = sourceRelative(c.source_file);
  m.asic_area(a, c, n, e);
  e.blocks.push_back(asicLogicBlock("control", AsicGates{kControlGe, kControlFf}, n,
                                    "sequencer, fold counters, DRAM interface glue (model choice: no RTL)"));
  for (const auto& b : e.blocks) {
    e.area_um2 += b.area_um2;
    e.gate_equivalents += b.gate_equivalents;
  }
  return e;
}


}  // namespace sparsesim
