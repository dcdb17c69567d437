#include "sim/resources/SodCosts.h"

namespace sparsesim {

void sodResources(const ArchConfig& a, const Calibration& cal, ResourceEstimate& e) {
  addSystolicArray(a, cal, e);
  addGlobalBuffer(a, e, false);
  // One calibrated decompression unit per operand, as wide as the array edge it feeds.
  const SodConfig& s = a.sod;
  Resources r;
  std::map<std::string, double> as;
  for (int edge : {a.array.cols, a.array.rows}) {
    r += fittedResources(cal, "decompressor", {{"LANES", edge}, {"NNZ", s.nnz_per_cycle}, {"INDEX_BITS", s.index_bits}, {"VALUE_BITS", 8}});
    as["mux2_bit"] += edge * 8.0 * s.nnz_per_cycle;
    as["ff_bit"] += s.nnz_per_cycle * (9.0 + s.index_bits) + edge * 8.0;
  }
  e.blocks.push_back(blockResources("decompressors", r, as,
                                    "two units (weights, activations): staging register + pointer compare + scatter; fitted to yosys (decompressor.v)"));
}

void sodAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e) {
  addSystolicArrayArea(a, c, n, e);
  addGlobalBufferArea(a, n, e, false);
  AsicGates g;
  for (int edge : {a.array.cols, a.array.rows})
    g += asicBlockGates(c, "decompressor", {{"LANES", edge}, {"NNZ", a.sod.nnz_per_cycle}, {"INDEX_BITS", a.sod.index_bits}, {"VALUE_BITS", 8}});
  e.blocks.push_back(asicLogicBlock("decompressors", g, n,
                                    "two units (weights: cols lanes, activations: rows lanes), fitted to yosys generic gates (traces/rtl/decompressor.v)"));
}

void sodEnergyEvents(const ArchConfig& a, const LayerStats& l, std::vector<Event>& ev) {
  const double M = double(l.macs_issued);
  auto counted = [&](BlockEvent e) { return double(l.block_events.get(e)); };
  addEvent(ev, "pe_array", "mult_int8", M);
  addEvent(ev, "pe_array", "add_int32", M);
  addEvent(ev, "pe_array", "register_access", double(l.register_accesses));
  // The buffer is read by the decompressors (compressed bits) or around them (operands stored
  // dense); the units write the dense vectors into the array's edge registers.
  addEvent(ev, "decompressors", "register_access", counted(BlockEvent::DecompressorLaneWrites));
  addEvent(ev, "global_buffer", "sram_read_64b", (counted(BlockEvent::DecompressorReadBits) + 8 * counted(BlockEvent::GlobalBufferDenseReadBytes)) / 64.0,
           globalBufferBankKb(a));
  addEvent(ev, "global_buffer", "sram_write_64b", double(l.sram_write_bytes) / 8.0, globalBufferBankKb(a));
}

}  // namespace sparsesim
