#include "sim/resources/ResourceModel.h"

#include <algorithm>
#include <cmath>

namespace sparsesim {

namespace {

// UltraScale+ primitive geometry (UG573 block RAM, UG573 UltraRAM, UG579 DSP48E2, UG574 CLB).
constexpr double kBram36DataBits = 32768;  // 36 Kbit incl. parity; int8 data uses 32 Kbit
constexpr int kBram36PortBits = 64;        // widest data port without parity (SDP 512 x 72)
constexpr int kBram36Depth72 = 512;        // words of a BRAM36 at 72 bits
constexpr int kUramDepth72 = 4096;         // words of a URAM at 72 bits
constexpr int kLutBitsAdder = 1;           // one LUT per adder bit (LUT + CARRY8)
// Model choices (docs/resources.md): control/sequencer overhead per datapath.
constexpr double kControlLut = 1500, kControlFf = 2500;

int ceilDiv(long long a, long long b) { return static_cast<int>((a + b - 1) / b); }
int clog2(long long n) { int b = 0; while ((1LL << b) < n) ++b; return b; }

BlockResources block(const std::string& name, Resources r, std::map<std::string, double> asic, std::string note) {
  BlockResources b;
  b.block = name;
  b.fpga = r;
  b.asic = std::move(asic);
  b.note = std::move(note);
  return b;
}

// The three global-buffer partitions of the dense-style datapaths.
void addGlobalBuffer(const ArchConfig& a, ResourceEstimate& e, bool ifmapOnly) {
  Resources r = bramForBuffer(a.memory.ifmap_kb * 1024, a.array.rows * 8);
  double bytes = a.memory.ifmap_kb * 1024;
  if (!ifmapOnly) {
    r += bramForBuffer(a.memory.filter_kb * 1024, a.array.cols * 8);
    r += bramForBuffer(a.memory.ofmap_kb * 1024, a.array.cols * 32);
    bytes += (a.memory.filter_kb + a.memory.ofmap_kb) * 1024;
  }
  r.lut += 200;  // address generation (model choice)
  r.ff += 300;
  e.blocks.push_back(block("global_buffer", r, {{"sram_bit", bytes * 8}, {"ff_bit", 300}},
                           ifmapOnly ? "activation partition, BRAM36 by capacity and port width"
                                     : "ifmap + filter + ofmap partitions, BRAM36 by capacity and port width"));
}

void addSystolicArray(const ArchConfig& a, ResourceEstimate& e) {
  const double pes = double(a.array.rows) * a.array.cols;
  Resources pe = int8MacPe(a.dataflow);
  Resources r{pe.lut * pes, pe.ff * pes, pe.dsp * pes, 0, 0};
  e.blocks.push_back(block("pe_array", r,
                           {{"mult_int8", pes}, {"add_int32", pes}, {"ff_bit", pes * pe.ff}},
                           "rows x cols int8 MAC PEs, one DSP48E2 each (no INT8 packing)"));
}

void addControl(ResourceEstimate& e) {
  e.blocks.push_back(block("control", Resources{kControlLut, kControlFf, 0, 0, 0}, {{"ff_bit", kControlFf}, {"add_int8", 20}},
                           "sequencer, fold counters, DRAM interface glue (model choice)"));
}

void addCs(const ArchConfig& a, ResourceEstimate& e) {
  const CsConfig& c = a.cs;
  const double mults = double(a.array.rows) * a.array.cols;
  const int N = c.packing.max_n;
  const int idBits = std::max(1, clog2(N));
  // Multipliers: the product stays in the DSP's P register; weight + kernel-ID operand registers.
  Resources mac{mults * 4, mults * (8 + idBits), mults, 0, 0};
  e.blocks.push_back(block("mac_array", mac, {{"mult_int8", mults}, {"ff_bit", mults * (8 + idBits)}},
                           "rows x cols int8 multipliers, one DSP48E2 each; weight + kernel-ID registers"));
  // Router + accumulators: per multiplier, N 32-bit accumulators in LUTRAM (RAM32M16: 32 x 14 per 8
  // LUTs; RAM64M8: 64 x 7 per 8 LUTs), read-modify-write through a 32-bit adder with forwarding.
  const int ramLuts = N <= 32 ? ceilDiv(32, 14) * 8 : ceilDiv(32, 7) * 8 * ceilDiv(N, 64);
  const double perMult = ramLuts + 32 * kLutBitsAdder + 32 /*forwarding mux*/ + idBits;
  Resources router{mults * perMult, mults * (32 + 32 + idBits), 0, 0, 0};
  e.blocks.push_back(block("router_accumulators", router,
                           {{"add_int32", mults}, {"ff_bit", mults * (N * 32 + idBits)}, {"mux2_bit", mults * 32}},
                           "per multiplier: N x 32-bit accumulators in LUTRAM + adder + forwarding"));
  // Weight-packing SRAM.
  const bool uram = c.sram.memory == SramMemory::Uram;
  Resources sram = sramBanks(c.sram.banks, c.sram.word_bits, c.sram.depth, uram);
  sram.lut += c.sram.banks * 20;
  sram.ff += c.sram.banks * 24;
  e.blocks.push_back(block("weight_sram", sram,
                           {{"sram_bit", double(c.sram.banks) * c.sram.word_bits * c.sram.depth}, {"ff_bit", c.sram.banks * 24.0}},
                           std::string("banks x ceil(word_bits/72) x ceil(depth/") + (uram ? "4096) URAM" : "512) BRAM36")));
  // k-WTA selector.
  const CsSelectorConfig& s = c.selector;
  Resources sel;
  std::map<std::string, double> selA;
  const int countBits = 24;  // histogram counters / indices up to 16M activations
  if (s.circuit == SelectorCircuit::Threshold) {
    // 256-bin histogram in LUTRAM (dual-ported, lanes-way banked), lanes x (8-bit decode + increment),
    // threshold scan of bins_per_cycle bins (adders), compaction network lanes -> out_width.
    const double histLuts = s.lanes * ceilDiv(256, 64) * ceilDiv(countBits, 7) * 8.0 / 4.0;
    const double incr = s.lanes * countBits;
    const double scan = s.bins_per_cycle * countBits * 2.0;
    const double compact = double(s.lanes) * std::max(1, clog2(s.lanes)) * (8 + countBits) / 4.0 + s.out_width * (8 + countBits);
    sel = Resources{histLuts + incr + scan + compact, s.lanes * (8.0 + countBits) + s.out_width * (8.0 + countBits) + 2.0 * countBits, 0, 0, 0};
    selA = {{"add_int32", s.lanes + double(s.bins_per_cycle)}, {"add_int8", double(s.lanes)}, {"sram_bit", 256.0 * countBits * s.lanes},
            {"mux2_bit", double(s.lanes) * std::max(1, clog2(s.lanes)) * (8 + countBits)}, {"ff_bit", s.lanes * (8.0 + countBits)}};
  } else {
    // Bitonic: `comparators` compare-exchange units on (8-bit value, index) pairs.
    const double w = 8 + countBits;
    sel = Resources{s.comparators * (8 + 2 * w), s.comparators * 2 * w + s.lanes * w, 0, 0, 0};
    selA = {{"add_int8", double(s.comparators)}, {"mux2_bit", s.comparators * 2 * w}, {"ff_bit", s.comparators * 2 * w}};
  }
  e.blocks.push_back(block("kwta_selector", sel, selA,
                           s.circuit == SelectorCircuit::Threshold ? "threshold: banked histogram + threshold scan + compaction"
                                                                   : "bitonic: compare-exchange units"));
  addGlobalBuffer(a, e, true);
}

void addSod(const ArchConfig& a, ResourceEstimate& e) {
  addSystolicArray(a, e);
  addGlobalBuffer(a, e, false);
  // One decompression unit per operand: reads port_bytes per cycle into a staging register, scatters
  // nnz_per_cycle (value, index) pairs into a 2^index_bits-wide dense segment: per output byte a
  // nnz_per_cycle:1 select (LUT6 = 4:1 mux per bit) + index decode.
  const SodConfig& s = a.sod;
  Resources r;
  std::map<std::string, double> as;
  for (int edge : {a.array.cols, a.array.rows}) {
    const double outBytes = edge;
    const double selLuts = outBytes * 8 * ceilDiv(s.nnz_per_cycle, 4) / 1.0;
    const double decode = double(s.nnz_per_cycle) * (1 << std::min(s.index_bits, 10)) / 6.0;
    r.lut += selLuts / 4 + decode + 100;  // muxes share the LUT6 with decode; +100 pointer logic
    r.ff += s.port_bytes * 8.0 + outBytes * 8 + 64;
    as["mux2_bit"] += outBytes * 8 * s.nnz_per_cycle;
    as["ff_bit"] += s.port_bytes * 8.0 + outBytes * 8 + 64;
  }
  e.blocks.push_back(block("decompressors", r, as, "two units (weights, activations): staging register + index-decoded scatter"));
}

void addSparsePe(const ArchConfig& a, ResourceEstimate& e) {
  const SparsePeConfig& s = a.sparse_pe;
  const double pes = double(a.array.rows) * a.array.cols;
  const double entryBits = 8 + s.index_bits;
  // MAC: one DSP48E2 with internal accumulator; 32-bit output register for drain.
  Resources mac{pes * 36, pes * 33, pes, 0, 0};
  e.blocks.push_back(block("pe_array", mac, {{"mult_int8", pes}, {"add_int32", pes}, {"ff_bit", pes * 33}},
                           "rows x cols MAC units, one DSP48E2 each"));
  // Per PE: two FIFOs of fifo_depth entries (SRL32 LUTs: 1 LUT per bit for depth <= 32, else FF) and a
  // match_width x match_width index comparator (equality of index_bits: a LUT6 compares 3 bits) with
  // a priority encoder.
  const double fifoLut = s.fifo_depth <= 32 ? 2 * entryBits * ceilDiv(s.fifo_depth, 32) : 0;
  const double fifoFf = (s.fifo_depth <= 32 ? 0 : 2 * entryBits * s.fifo_depth) + 2 * (clog2(s.fifo_depth) + 1) * 2;
  const double cmp = double(s.match_width) * s.match_width * (ceilDiv(s.index_bits, 3) + 1);
  const double prio = double(s.match_width) * s.match_width + 2 * s.match_width * 8 / 4.0;
  Resources fm{pes * (fifoLut + cmp + prio + 20), pes * (fifoFf + 2 * entryBits * s.match_width), 0, 0, 0};
  e.blocks.push_back(block("fifos_matchers", fm,
                           {{"ff_bit", pes * 2 * entryBits * s.fifo_depth}, {"add_int8", pes * s.match_width * s.match_width},
                            {"mux2_bit", pes * 2 * entryBits * s.match_width}},
                           "per PE: 2 (value,index) FIFOs (SRL) + match_width^2 index comparators"));
  addGlobalBuffer(a, e, false);
}

}  // namespace

Resources bramForBuffer(double bytes, int widthBits) {
  if (bytes <= 0) return {};
  Resources r;
  r.bram36 = std::max(std::ceil(bytes * 8 / kBram36DataBits), std::ceil(double(widthBits) / kBram36PortBits));
  return r;
}

Resources sramBanks(int banks, int wordBits, int depth, bool uram) {
  Resources r;
  double n = double(banks) * ceilDiv(wordBits, 72) * ceilDiv(depth, uram ? kUramDepth72 : kBram36Depth72);
  (uram ? r.uram : r.bram36) = n;
  return r;
}

Resources int8MacPe(Dataflow df) {
  // One DSP48E2 per PE: A/B registers hold the int8 operands, the 48-bit P register accumulates.
  // Fabric: activation + weight forwarding registers (8 + 8), 32-bit result drain register; OS needs a
  // 32-bit drain mux (accumulate vs shift out), WS cascades partial sums over PCOUT/PCIN.
  if (df == Dataflow::OutputStationary) return Resources{36, 49, 1, 0, 0};
  return Resources{6, 17 + 32, 1, 0, 0};
}

ResourceEstimate estimateResources(const ArchConfig& a) {
  ResourceEstimate e;
  if (a.datapath == "dense") {
    addSystolicArray(a, e);
    addGlobalBuffer(a, e, false);
  } else if (a.datapath == "cs") {
    addCs(a, e);
  } else if (a.datapath == "sod") {
    addSod(a, e);
  } else if (a.datapath == "sparse_pe") {
    addSparsePe(a, e);
  }
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
  for (const auto& [name, u] : all)
    if (u > worst) { worst = u; f.binding_resource = name; }
  f.fits = worst <= 1.0;
  f.copies_per_part = worst > 0 && std::isfinite(worst) ? static_cast<long long>(std::floor(1.0 / worst + 1e-12)) : 0;
  return f;
}

static nlohmann::ordered_json resJson(const Resources& r) {
  return {{"lut", r.lut}, {"ff", r.ff}, {"dsp", r.dsp}, {"bram36", r.bram36}, {"uram", r.uram}};
}

nlohmann::ordered_json toJson(const ResourceEstimate& e, const FpgaPart& p, const PartFit& f) {
  nlohmann::ordered_json j;
  j["part"] = p.name;
  j["part_file"] = p.source_file;
  j["lut"] = e.total.lut;
  j["ff"] = e.total.ff;
  j["dsp"] = e.total.dsp;
  j["bram36"] = e.total.bram36;
  j["uram"] = e.total.uram;
  auto fin = [](double u) { return std::isfinite(u) ? nlohmann::ordered_json(u) : nlohmann::ordered_json("inf"); };
  j["utilization"] = {{"lut", fin(f.util_lut)}, {"ff", fin(f.util_ff)}, {"dsp", fin(f.util_dsp)},
                      {"bram36", fin(f.util_bram36)}, {"uram", fin(f.util_uram)}};
  j["fits"] = f.fits;
  j["binding_resource"] = f.binding_resource;
  j["copies_per_part"] = f.copies_per_part;
  j["capacity"] = resJson(Resources{p.lut, p.ff, p.dsp, p.bram36, p.uram});
  j["asic_area_um2"] = e.asic_um2;
  nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
  for (const auto& b : e.blocks) {
    nlohmann::ordered_json x = resJson(b.fpga);
    x = {{"block", b.block}, {"lut", b.fpga.lut}, {"ff", b.fpga.ff}, {"dsp", b.fpga.dsp}, {"bram36", b.fpga.bram36},
         {"uram", b.fpga.uram}, {"asic_area_um2", b.asic_um2}, {"model", b.note}};
    blocks.push_back(x);
  }
  j["blocks"] = blocks;
  j["units"] = {{"lut", "6-input LUTs"}, {"ff", "flip-flops"}, {"dsp", "DSP48E2 slices"}, {"bram36", "36 Kbit block RAMs"},
                {"uram", "288 Kbit UltraRAMs"}, {"utilization", "fraction of the part's capacity"},
                {"asic_area_um2", "square micrometres at 45 nm (primitive areas from the ASIC energy table)"}};
  j["note"] = "structural estimates (docs/resources.md), not synthesis results";
  return j;
}

}  // namespace sparsesim
