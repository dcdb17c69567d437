#include "sim/resources/ResourceModel.h"
#include "sim/core/Math.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace sparsesim {

namespace {

// Block-RAM aspect ratios (width x depth), identical for 7-series RAMB36E1/RAMB18E1 and
// UltraScale+ RAMB36E2/RAMB18E2 (UG473, UG573); the widest are simple-dual-port modes.
constexpr int kBram36Shapes[][2] = {{72, 512}, {36, 1024}, {18, 2048}, {9, 4096}, {4, 8192}, {2, 16384}, {1, 32768}};
constexpr int kBram18Shapes[][2] = {{36, 512}, {18, 1024}, {9, 2048}, {4, 4096}, {2, 8192}, {1, 16384}};
constexpr int kUramWidth = 72, kUramDepth = 4096;  // UltraRAM has one shape (UG573)
// Model choices (docs/resources.md): control/sequencer overhead per datapath, global-buffer
// address generation; neither is in the calibrated RTL.
constexpr double kControlLut = 1500, kControlFf = 2500;
constexpr double kBufferAddrLut = 200, kBufferAddrFf = 300;
// Register bits of an ASIC systolic PE: 8 + 8 operand forwarding, 32-bit accumulator, valid. (On
// the FPGA most of them sit inside the DSP48; the ASIC area counts them all.)
constexpr double kPeRegisterBits = 49;

void addControl(ResourceEstimate& e) {
  e.blocks.push_back(blockResources("control", Resources{kControlLut, kControlFf, 0, 0, 0}, {{"ff_bit", kControlFf}, {"add_int8", 20}},
                                    "sequencer, fold counters, DRAM interface glue (model choice)"));
}

}  // namespace

Resources fittedResources(const Calibration& c, const std::string& block, const ParamMap& p, const std::set<std::string>& only) {
  Resources r;
  auto it = c.blocks.find(block);
  if (it == c.blocks.end()) return r;
  const ParamMap f = calibrationFeatures(block, p);
  for (const auto& [res, coeffs] : it->second.coefficients) {
    double sum = 0;
    for (const auto& [feat, coef] : coeffs)
      if (only.empty() || only.count(feat)) sum += coef * f.at(feat);
    (res == "lut" ? r.lut : res == "ff" ? r.ff : res == "dsp" ? r.dsp : r.bram36) += sum;
  }
  return r;
}

Resources scaled(Resources r, double n) { return Resources{r.lut * n, r.ff * n, r.dsp * n, r.bram36 * n, r.uram * n}; }

Resources thresholdSelector(int lanes, int outWidth, int binsPerCycle, int countBits) {
  // 256-bin histogram in LUTRAM (dual-ported, lanes-way banked), lanes x (8-bit decode + increment),
  // threshold scan of bins_per_cycle bins (adders), compaction network lanes -> out_width.
  const double histLuts = lanes * ceilDiv(256, 64) * ceilDiv(countBits, 7) * 8.0 / 4.0;
  const double incr = double(lanes) * countBits;
  const double scan = binsPerCycle * countBits * 2.0;
  const double compact = double(lanes) * std::max(1, ceilLog2(lanes)) * (8 + countBits) / 4.0 + outWidth * (8.0 + countBits);
  return Resources{histLuts + incr + scan + compact, lanes * (8.0 + countBits) + outWidth * (8.0 + countBits) + 2.0 * countBits, 0, 0, 0};
}

BlockResources blockResources(const std::string& name, Resources r, std::map<std::string, double> asic, std::string note) {
  BlockResources b;
  b.block = name;
  b.fpga = r;
  b.asic = std::move(asic);
  b.note = std::move(note);
  return b;
}

BufferPorts globalBufferPorts(const ArchConfig& a, bool ifmapOnly, int ifmapBits, int filterBits) {
  BufferPorts p;
  p.ifmap_bits = std::max(a.array.rows * 8, ifmapBits);
  if (!ifmapOnly) {
    p.filter_bits = std::max(a.array.cols * 8, filterBits);
    p.ofmap_bits = a.array.cols * 32;
  }
  return p;
}

void addGlobalBuffer(const ArchConfig& a, ResourceEstimate& e, bool ifmapOnly) { addGlobalBuffer(a, e, globalBufferPorts(a, ifmapOnly)); }

void addGlobalBuffer(const ArchConfig& a, ResourceEstimate& e, const BufferPorts& ports) {
  const bool ifmapOnly = ports.filter_bits == 0;
  Resources r = bramForBuffer(a.memory.ifmap_kb * 1024, ports.ifmap_bits);
  double bytes = a.memory.ifmap_kb * 1024;
  if (!ifmapOnly) {
    r += bramForBuffer(a.memory.filter_kb * 1024, ports.filter_bits);
    r += bramForBuffer(a.memory.ofmap_kb * 1024, ports.ofmap_bits);
    bytes += (a.memory.filter_kb + a.memory.ofmap_kb) * 1024;
  }
  r.lut += kBufferAddrLut;
  r.ff += kBufferAddrFf;
  e.blocks.push_back(blockResources("global_buffer", r, {{"sram_bit", bytes * 8}, {"ff_bit", kBufferAddrFf}},
                                    ifmapOnly ? "activation partition, BRAM36 by the block-RAM packing rule at its port width"
                                              : "ifmap + filter + ofmap partitions, BRAM36 by the block-RAM packing rule at their port widths"));
}

void addSystolicArray(const ArchConfig& a, const Calibration& c, ResourceEstimate& e) {
  const double pes = double(a.array.rows) * a.array.cols;
  const bool os = a.dataflow == Dataflow::OutputStationary;
  // OS: the calibrated pe_array (mac_pe grid + row drain); WS has no RTL: structural per-PE cost.
  const Resources osArray = fittedResources(c, "pe_array", {{"ROWS", a.array.rows}, {"COLS", a.array.cols}});
  const Resources wsArray = scaled(int8MacPe(c, Dataflow::WeightStationary), pes);
  Resources r = os ? osArray : wsArray;
  const char* note = os ? "rows x cols int8 MAC PEs + row drain, fitted to yosys (traces/rtl/pe_array.v)"
                        : "rows x cols int8 MAC PEs, one DSP each (structural: no WS RTL)";
  if (a.dataflow == Dataflow::Auto) {
    // A PE array that runs either mapping holds both designs' registers and DSP use: priced as
    // the larger of the two per resource (the mode multiplexers are not counted: a lower bound).
    r = Resources{std::max(osArray.lut, wsArray.lut), std::max(osArray.ff, wsArray.ff), std::max(osArray.dsp, wsArray.dsp),
                  std::max(osArray.bram36, wsArray.bram36), std::max(osArray.uram, wsArray.uram)};
    note = "rows x cols int8 MAC PEs for both mappings (dataflow auto): per resource the larger of the fitted OS "
           "array and the structural WS array (mode multiplexers not counted)";
  }
  e.blocks.push_back(blockResources("pe_array", r, {{"mult_int8", pes}, {"add_int32", pes}, {"ff_bit", pes * kPeRegisterBits}}, note));
}

Resources bramForBuffer(double bytes, int widthBits) {
  if (bytes <= 0) return {};
  const long long depth = static_cast<long long>(std::ceil(bytes * 8 / widthBits));
  return sramBanks(1, widthBits, static_cast<int>(std::min<long long>(depth, 1LL << 30)), false);
}

Resources sramBanks(int banks, int wordBits, int depth, bool uram) {
  Resources r;
  if (uram) {
    r.uram = double(banks) * ceilDiv(wordBits, kUramWidth) * ceilDiv(depth, kUramDepth);
    return r;
  }
  // The fewest blocks over the aspect ratios (a RAMB18 is half a BRAM36); among equals the shape
  // stacking the fewest blocks deep, whose read data then needs the smallest output select
  // (width x k:1: the first LUT6 takes 4 inputs, each further one 3), as yosys chooses.
  double best = HUGE_VAL;
  int bestDeep = 1;
  auto consider = [&](const int* shape, double perBlock) {
    const int deep = ceilDiv(depth, shape[1]);
    const double n = perBlock * ceilDiv(wordBits, shape[0]) * deep;
    if (n < best || (n == best && deep < bestDeep)) { best = n; bestDeep = deep; }
  };
  for (const auto& s : kBram36Shapes) consider(s, 1.0);
  for (const auto& s : kBram18Shapes) consider(s, 0.5);
  r.bram36 = banks * best;
  r.lut = double(banks) * wordBits * ceilDiv(bestDeep - 1, 3);
  return r;
}

Resources int8MacPe(const Calibration& c, Dataflow df) {
  // OS: the calibrated pe_array's per-PE terms (a 1 x 1 array has no drain select).
  if (df == Dataflow::OutputStationary) return fittedResources(c, "pe_array", {{"ROWS", 1}, {"COLS", 1}});
  // WS (no RTL): one DSP48E2 with the 48-bit P register, operands forwarded (8 + 8 FF), partial sums
  // cascaded over PCOUT/PCIN (32 FF pipeline + 1 valid), a few LUTs of control.
  return Resources{6, 17 + 32, 1, 0, 0};
}

Resources int8MacPe(Dataflow df) { return int8MacPe(defaultCalibration(), df); }

Resources calibratedBlock(const std::string& blk, const ParamMap& p, const Calibration& c) {
  if (blk == "weight_sram" || blk == "global_buffer") return sramBanks(1, int(p.at("WIDTH")), int(p.at("DEPTH")), false);
  if (blk == "kwta_selector")
    return thresholdSelector(int(p.at("LANES")), int(p.at("OUT_WIDTH")), 1, ceilLog2(static_cast<long long>(p.at("N_MAX")) + 1));
  return fittedResources(c, blk, p);
}

ResourceEstimate estimateResources(const ArchConfig& a, const Calibration& c, const DatapathCostModel& m) {
  ResourceEstimate e;
  m.resources(a, c, e);
  addControl(e);
  for (auto& b : e.blocks) {
    b.fpga.lut = std::ceil(b.fpga.lut);
    b.fpga.ff = std::ceil(b.fpga.ff);
    e.total += b.fpga;
  }
  return e;
}

PartFit fitOnPart(const Resources& r, const FpgaPart& p) {
  PartFit f;
  auto util = [](double used, double cap) { return used <= 0 ? 0.0 : cap <= 0 ? HUGE_VAL : used / cap; };
  f.util_lut = util(r.lut, p.lut);
  f.util_ff = util(r.ff, p.ff);
  f.util_dsp = util(r.dsp, p.dsp);
  f.util_bram36 = util(r.bram36, p.bram36);
  f.util_uram = util(r.uram, p.uram);
  const std::pair<const char*, double> all[] = {{"lut", f.util_lut}, {"ff", f.util_ff}, {"dsp", f.util_dsp},
                                                {"bram36", f.util_bram36}, {"uram", f.util_uram}};
  double worst = -1;
  for (const auto& [name, u] : all) {
    if (!std::isfinite(u)) f.missing.push_back(name);
    if (u > worst) { worst = u; f.binding_resource = name; }
  }
  f.fits = worst <= 1.0;
  f.copies_per_part = worst > 0 && std::isfinite(worst) ? static_cast<long long>(std::floor(1.0 / worst + 1e-12)) : 0;
  return f;
}

}  // namespace sparsesim
