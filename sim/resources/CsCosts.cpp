#include "sim/resources/CsCosts.h"

#include <algorithm>

#include "sim/core/Math.h"

namespace sparsesim {

namespace {
// Model choice (docs/resources.md): the weight-SRAM bank crossbar, not in the calibrated RTL.
constexpr double kBankXbarLut = 20, kBankXbarFf = 24;
// Count bits of the k-WTA histograms / indices: activations per selection up to 16M.
constexpr int kSelectorCountBits = 24;
// The ASIC k-WTA selector is priced at the selector RTL's default group size (kwta_selector.v
// N_MAX): the RTL keeps a whole group in registers, so its area depends on it and the
// architecture file has no such parameter.
constexpr double kSelectorGroup = 256;
}  // namespace

void csResources(const ArchConfig& a, const Calibration& cal, ResourceEstimate& e) {
  const CsConfig& c = a.cs;
  const double mults = double(a.array.rows) * a.array.cols;
  const int N = c.packing.max_n;
  const int idBits = std::max(1, ceilLog2(N));
  // One calibrated slice per activation lane (array.rows), array.cols multipliers each; the
  // report splits it into the multipliers with their operand registers and the accumulators.
  const ParamMap slice = {{"SLOTS", a.array.cols}, {"KERNEL_IDS", N}};
  Resources mac = scaled(fittedResources(cal, "cs_slice", slice, {"slots", "operand_bits", "one"}), a.array.rows);
  e.blocks.push_back(blockResources("mac_array", mac, {{"mult_int8", mults}, {"ff_bit", mults * (8 + idBits)}},
                                    "rows x cols int8 multipliers (DSP) + weight/kernel-ID registers, fitted to yosys (calib_cs_slice.v)"));
  Resources router = scaled(fittedResources(cal, "cs_slice", slice, {"acc_lutram_cols", "drain_mux_luts"}), a.array.rows);
  e.blocks.push_back(blockResources("router_accumulators", router,
                                    {{"add_int32", mults}, {"ff_bit", mults * (N * 32 + idBits)}, {"mux2_bit", mults * 32}},
                                    "per multiplier: N x 32-bit accumulators in LUTRAM, DSP post-adder, drain select; fitted to yosys"));
  // Weight-packing SRAM.
  const bool uram = c.sram.memory == SramMemory::Uram;
  Resources sram = sramBanks(c.sram.banks, c.sram.word_bits, c.sram.depth, uram);
  sram.lut += c.sram.banks * kBankXbarLut;
  sram.ff += c.sram.banks * kBankXbarFf;
  e.blocks.push_back(blockResources("weight_sram", sram,
                                    {{"sram_bit", double(c.sram.banks) * c.sram.word_bits * c.sram.depth}, {"ff_bit", c.sram.banks * kBankXbarFf}},
                                    uram ? "banks x ceil(word_bits/72) x ceil(depth/4096) URAM"
                                         : "banks x block-RAM packing rule (checked against yosys, weight_sram.v)"));
  // k-WTA selector.
  const CsSelectorConfig& s = c.selector;
  Resources sel;
  std::map<std::string, double> selA;
  const int countBits = kSelectorCountBits;
  if (s.circuit == SelectorCircuit::Threshold) {
    sel = thresholdSelector(s.lanes, s.out_width, s.bins_per_cycle, countBits);
    selA = {{"add_int32", s.lanes + double(s.bins_per_cycle)}, {"add_int8", double(s.lanes)}, {"sram_bit", 256.0 * countBits * s.lanes},
            {"mux2_bit", double(s.lanes) * std::max(1, ceilLog2(s.lanes)) * (8 + countBits)}, {"ff_bit", s.lanes * (8.0 + countBits)}};
  } else {
    // Bitonic: `comparators` compare-exchange units on (8-bit value, index) pairs.
    const double w = 8 + countBits;
    sel = Resources{s.comparators * (8 + 2 * w), s.comparators * 2 * w + s.lanes * w, 0, 0, 0};
    selA = {{"add_int8", double(s.comparators)}, {"mux2_bit", s.comparators * 2 * w}, {"ff_bit", s.comparators * 2 * w}};
  }
  e.blocks.push_back(blockResources("kwta_selector", sel, selA,
                                    s.circuit == SelectorCircuit::Threshold ? "threshold: LUTRAM histograms + threshold scan + compaction (structural)"
                                                                            : "bitonic: compare-exchange units (structural)"));
  addGlobalBuffer(a, e, csBufferPorts(a));
}

BufferPorts csBufferPorts(const ArchConfig& a) { return globalBufferPorts(a, true); }

void csAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e) {
  const CsConfig& cs = a.cs;
  // One calibrated slice per activation lane (array.rows) of array.cols multipliers; split into
  // the multipliers with their operand registers and the kernel-ID accumulators.
  const ParamMap slice = {{"SLOTS", a.array.cols}, {"KERNEL_IDS", cs.packing.max_n}};
  const AsicGates mac = scaled(asicBlockGates(c, "cs_slice", slice, {"slots", "operand_bits"}), a.array.rows);
  const AsicGates acc = scaled(asicBlockGates(c, "cs_slice", slice, {"acc_bits"}), a.array.rows);
  e.blocks.push_back(asicLogicBlock("mac_array", mac, n, "rows x cols int8 multipliers + weight/kernel-ID/product registers; fitted to yosys generic gates (calib_cs_slice.v)"));
  e.blocks.push_back(asicLogicBlock("router_accumulators", acc, n,
                                    "per multiplier: packing.max_n 32-bit accumulators (register file) with write/read select; fitted to yosys generic gates (calib_cs_slice.v)"));
  std::vector<double> banks(cs.sram.banks, double(cs.sram.word_bits) * cs.sram.depth);
  e.blocks.push_back(asicSramBlock("weight_sram", banks, n, "banks SRAM macros of word_bits x depth"));
  const AsicGates sel = asicBlockGates(c, "kwta_selector", {{"LANES", cs.selector.lanes}, {"OUT_WIDTH", cs.selector.out_width}, {"N_MAX", kSelectorGroup}});
  e.blocks.push_back(asicLogicBlock("kwta_selector", sel, n,
                                    "fitted to yosys generic gates of kwta_selector.v (flip-flop histograms) at selector.lanes and a 256-element group; "
                                    "the bitonic circuit has no RTL and is priced as the threshold one"));
  addGlobalBufferArea(a, n, e, true);
  e.pes = double(a.array.rows) * a.array.cols;
  e.pe_area_um2 = (e.blocks[0].area_um2 + e.blocks[1].area_um2) / e.pes;
}

void csEnergyEvents(const ArchConfig& a, const LayerStats& l, std::vector<Event>& ev) {
  auto counted = [&](BlockEvent e) { return double(l.block_events.get(e)); };
  const double weightBankKb = double(a.cs.sram.depth) * a.cs.sram.word_bits / 8.0 / 1024.0;
  addEvent(ev, "mac_array", "mult_int8", double(l.macs_issued));
  addEvent(ev, "router_accumulators", "routing_hop", double(l.routing_hops));
  addEvent(ev, "router_accumulators", "add_int32", counted(BlockEvent::MacArrayAccumulate));
  addEvent(ev, "router_accumulators", "register_access", double(l.register_accesses));
  addEvent(ev, "weight_sram", "sram_read_64b", counted(BlockEvent::WeightSramReadBits) / 64.0, weightBankKb);
  addEvent(ev, "global_buffer", "sram_read_64b", counted(BlockEvent::ActivationBufferReadBytes) / 8.0, globalBufferBankKb(a));
  addEvent(ev, "global_buffer", "sram_write_64b", counted(BlockEvent::ActivationBufferWriteBytes) / 8.0, globalBufferBankKb(a));
  addEvent(ev, "kwta_selector", "selector_comparison", double(l.selector_comparisons));
  // Fabric activity: multiplies / multipliers; accumulations / accumulator ports (one per
  // multiplier); weight bits read / the banks' bits per cycle; the selector's own busy cycles;
  // activation-buffer bits moved / its port.
  const double mults = double(a.array.rows) * a.array.cols;
  addBusyCycles(ev, "mac_array", double(l.macs_issued) / mults);
  addBusyCycles(ev, "router_accumulators", counted(BlockEvent::MacArrayAccumulate) / mults);
  addBusyCycles(ev, "weight_sram", counted(BlockEvent::WeightSramReadBits) / (double(a.cs.sram.banks) * a.cs.sram.word_bits));
  addBusyCycles(ev, "kwta_selector", counted(BlockEvent::KwtaSelectorBusyCycles));
  addBusyCycles(ev, "global_buffer",
                8.0 * (counted(BlockEvent::ActivationBufferReadBytes) + counted(BlockEvent::ActivationBufferWriteBytes)) / globalBufferPorts(a, true).total());
}

}  // namespace sparsesim
