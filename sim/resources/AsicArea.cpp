#include "sim/resources/AsicArea.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>

#include "sim/core/ConfigError.h"
#include "sim/config/JsonReader.h"
#include "sim/resources/FpgaPart.h"

namespace sparsesim {

namespace {

int clog2(double n) { return n > 1 ? static_cast<int>(std::ceil(std::log2(n) - 1e-12)) : 0; }

// Blocks the area model uses; a calibration file without one of them cannot serve.
const char* const kModelBlocks[] = {"pe_array", "sparse_pe", "decompressor", "cs_slice", "kwta_selector"};
const std::set<std::string> kKnownBlocks = {"pe_array", "mac_pe", "sparse_pe", "decompressor", "cs_slice",
                                            "accumulators", "kwta_selector", "mult_int8", "add_int32"};
const std::set<std::string> kQuantities = {"ge_comb", "ff"};

// Model choices (docs/asic-area.md): the control block has no RTL. Its flip-flops are the FPGA
// model's control flip-flops (sim/resources/ResourceModel.cpp); two NAND2 equivalents of logic
// per flip-flop is the ratio of the calibrated blocks' register-dominated parts.
constexpr double kControlFf = 2500, kControlGe = 5000;
// The k-WTA selector is priced at the selector RTL's default group size (kwta_selector.v N_MAX):
// the RTL keeps a whole group in registers, so its area depends on it and the architecture file
// has no such parameter.
constexpr double kSelectorGroup = 256;

double value(JsonReader& r, const std::string& key, double lo, double hi) {
  JsonReader v = r.object(key);
  const double x = v.real("value", std::nullopt, lo, hi, true);
  (void)v.string("unit", std::nullopt);
  if (v.string("source", std::nullopt).empty()) v.fail("source", "must name where the value comes from");
  v.finish();
  return x;
}

AsicCalibratedBlock readBlock(const std::string& name, const nlohmann::json& j, const std::string& file) {
  const std::string path = "blocks." + name;
  JsonReader r(j, file, path);
  AsicCalibratedBlock b;
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
    AsicCalibrationSize z;
    z.params = readNumberMap(sizes[i]["params"], file, sp + ".params");
    z.features = readNumberMap(sizes[i]["features"], file, sp + ".features");
    for (const char* k : {"ge_comb", "ff", "cell_area_um2"}) z.measured[k] = counts.real(k, std::nullopt, 0, 1e12);
    counts.allow("gates");
    counts.allow("ge_total");
    counts.finish();
    s.finish();
    b.sizes.push_back(std::move(z));
  }
  (void)r.object("coefficients");
  ParamMap known;
  try {
    known = asicFeatures(name, b.sizes[0].params);
  } catch (const std::out_of_range&) {
    throw ConfigError(file, path + ".sizes[0].params", "lacks a parameter the features of block \"" + name + "\" need");
  }
  for (const auto& [q, fm] : j["coefficients"].items()) {
    const std::string cp = path + ".coefficients." + q;
    if (!kQuantities.count(q)) throw ConfigError(file, cp, "not a fitted quantity (ge_comb, ff)");
    ParamMap m = readNumberMap(fm, file, cp);
    for (const auto& [feat, v] : m) {
      if (v < 0) throw ConfigError(file, cp + "." + feat, "a coefficient must not be negative");
      // A feature the model cannot compute would silently count as zero: refuse it.
      if (!known.count(feat)) throw ConfigError(file, cp + "." + feat, "not a feature of block \"" + name + "\"");
    }
    b.coefficients[q] = m;
  }
  r.finish();
  return b;
}

AsicBlockArea logicBlock(const std::string& name, const AsicGates& g, const AsicNode& n, std::string model) {
  AsicBlockArea b;
  b.block = name;
  b.gates = g;
  b.area_um2 = logicAreaUm2(g, n);
  b.gate_equivalents = gateEquivalents(g, n);
  b.model = std::move(model);
  return b;
}

// `macros` SRAM macros of `bitsPerMacro` bits each.
AsicBlockArea sramBlock(const std::string& name, const std::vector<double>& macroBits, const AsicNode& n, std::string model) {
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

ParamMap peArrayParams(const ArchConfig& a) { return {{"ROWS", a.array.rows}, {"COLS", a.array.cols}}; }

void addGlobalBuffer(const ArchConfig& a, const AsicNode& n, AsicAreaEstimate& e, bool ifmapOnly) {
  std::vector<double> macros = {a.memory.ifmap_kb * 8192};
  if (!ifmapOnly) {
    macros.push_back(a.memory.filter_kb * 8192);
    macros.push_back(a.memory.ofmap_kb * 8192);
  }
  e.blocks.push_back(sramBlock("global_buffer", macros, n,
                               ifmapOnly ? "activation partition: one SRAM macro at the node's bit-cell area / array efficiency + macro overhead"
                                         : "ifmap, filter and ofmap partitions: one SRAM macro each at the node's bit-cell area / array efficiency + macro overhead"));
}

void addSystolicArray(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e) {
  const AsicGates g = asicBlockGates(c, "pe_array", peArrayParams(a));
  e.blocks.push_back(logicBlock("pe_array", g, n,
                                std::string("rows x cols int8 MAC PEs + row drain, fitted to yosys generic gates (traces/rtl/pe_array.v)") +
                                    (a.dataflow == Dataflow::WeightStationary ? "; WS priced as the OS RTL (no WS RTL)"
                                     : a.dataflow == Dataflow::Auto ? "; auto (OS and WS) priced as the OS RTL (no WS RTL)"
                                                                    : "")));
  e.pes = double(a.array.rows) * a.array.cols;
  e.pe_area_um2 = e.blocks.back().area_um2 / e.pes;
}

void addSod(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e) {
  addSystolicArray(a, c, n, e);
  addGlobalBuffer(a, n, e, false);
  AsicGates g;
  for (int edge : {a.array.cols, a.array.rows})
    g += asicBlockGates(c, "decompressor", {{"LANES", edge}, {"NNZ", a.sod.nnz_per_cycle}, {"INDEX_BITS", a.sod.index_bits}, {"VALUE_BITS", 8}});
  e.blocks.push_back(logicBlock("decompressors", g, n,
                                "two units (weights: cols lanes, activations: rows lanes), fitted to yosys generic gates (traces/rtl/decompressor.v)"));
}

void addSparsePe(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e) {
  const SparsePeConfig& s = a.sparse_pe;
  const double pes = double(a.array.rows) * a.array.cols;
  const ParamMap pe = {{"FIFO_DEPTH", s.fifo_depth}, {"MATCH_WIDTH", s.match_width}, {"INDEX_BITS", s.index_bits}, {"VALUE_BITS", 8}};
  // Split for the report as the FPGA model splits it: the per-PE constant (MAC, accumulator,
  // counters and, since the calibrated sizes do not separate it, the index matcher) and the
  // FIFOs with their shift selects, which grow with depth, window and index width.
  const AsicGates mac = asicBlockGates(c, "sparse_pe", pe, {"one"});
  const AsicGates fm = asicBlockGates(c, "sparse_pe", pe, {"fifo_bits", "fifo_shift_mux_bits"});
  e.blocks.push_back(logicBlock("pe_array", scaled(mac, pes), n, "rows x cols MAC units with accumulators, counters and the match_width^2 index matcher; fitted to yosys generic gates (sparse_pe.v)"));
  e.blocks.push_back(logicBlock("fifos_matchers", scaled(fm, pes), n,
                                "per PE: 2 shift-register (value, index) FIFOs with their (match_width+1):1 shift selects; fitted to yosys generic gates (sparse_pe.v)"));
  addGlobalBuffer(a, n, e, false);
  e.pes = pes;
  e.pe_area_um2 = logicAreaUm2(mac, n) + logicAreaUm2(fm, n);
}

void addCs(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e) {
  const CsConfig& cs = a.cs;
  // One calibrated slice per activation lane (array.rows) of array.cols multipliers; split into
  // the multipliers with their operand registers and the kernel-ID accumulators.
  const ParamMap slice = {{"SLOTS", a.array.cols}, {"KERNEL_IDS", cs.packing.max_n}};
  const AsicGates mac = scaled(asicBlockGates(c, "cs_slice", slice, {"slots", "operand_bits"}), a.array.rows);
  const AsicGates acc = scaled(asicBlockGates(c, "cs_slice", slice, {"acc_bits"}), a.array.rows);
  e.blocks.push_back(logicBlock("mac_array", mac, n, "rows x cols int8 multipliers + weight/kernel-ID/product registers; fitted to yosys generic gates (calib_cs_slice.v)"));
  e.blocks.push_back(logicBlock("router_accumulators", acc, n,
                                "per multiplier: packing.max_n 32-bit accumulators (register file) with write/read select; fitted to yosys generic gates (calib_cs_slice.v)"));
  std::vector<double> banks(cs.sram.banks, double(cs.sram.word_bits) * cs.sram.depth);
  e.blocks.push_back(sramBlock("weight_sram", banks, n, "banks SRAM macros of word_bits x depth"));
  const AsicGates sel = asicBlockGates(c, "kwta_selector", {{"LANES", cs.selector.lanes}, {"OUT_WIDTH", cs.selector.out_width}, {"N_MAX", kSelectorGroup}});
  e.blocks.push_back(logicBlock("kwta_selector", sel, n,
                                "fitted to yosys generic gates of kwta_selector.v (flip-flop histograms) at selector.lanes and a 256-element group; "
                                "the bitonic circuit has no RTL and is priced as the threshold one"));
  addGlobalBuffer(a, n, e, true);
  e.pes = double(a.array.rows) * a.array.cols;
  e.pe_area_um2 = (e.blocks[0].area_um2 + e.blocks[1].area_um2) / e.pes;
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
    const int idb = std::max(1, clog2(n));
    return {{"slots", s}, {"acc_bits", s * n * 32}, {"operand_bits", s * (8 + 2 * idb + 16 + 1)}};
  }
  if (block == "accumulators") {
    const double n = at("KERNEL_IDS"), s = at("SLOTS");
    return {{"acc_bits", s * n * 32}, {"slots", s}};
  }
  if (block == "kwta_selector") {
    const double lanes = at("LANES"), nmax = at("N_MAX");
    const int cnt = clog2(nmax + 1);
    return {{"histogram_bits", lanes * 129 * cnt}, {"element_bits", nmax * (8 + clog2(nmax))}};
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

AsicAreaEstimate estimateAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n) {
  AsicAreaEstimate e;
  e.node = n.name;
  e.node_file = sourceRelative(n.source_file);
  e.calibration_file = sourceRelative(c.source_file);
  if (a.datapath == DatapathKind::Dense) {
    addSystolicArray(a, c, n, e);
    addGlobalBuffer(a, n, e, false);
  } else if (a.datapath == DatapathKind::Sod) {
    addSod(a, c, n, e);
  } else if (a.datapath == DatapathKind::SparsePe) {
    addSparsePe(a, c, n, e);
  } else if (a.datapath == DatapathKind::Cs) {
    addCs(a, c, n, e);
  }
  e.blocks.push_back(logicBlock("control", AsicGates{kControlGe, kControlFf}, n,
                                "sequencer, fold counters, DRAM interface glue (model choice: no RTL)"));
  for (const auto& b : e.blocks) {
    e.area_um2 += b.area_um2;
    e.gate_equivalents += b.gate_equivalents;
  }
  return e;
}

AsicAreaEstimate estimateAsicArea(const ArchConfig& a, const std::string& node) {
  return estimateAsicArea(a, defaultAsicCalibration(), asicNode(node));
}


}  // namespace sparsesim
