#include "sim/resources/SodCosts.h"

#include <algorithm>

namespace sparsesim {

namespace {
// Bits one SoD global-buffer read port delivers per cycle (sod.port_bytes).
int portBits(const SodConfig& s) { return s.port_bytes * 8; }
}  // namespace

BufferPorts sodBufferPorts(const ArchConfig& a) { return globalBufferPorts(a, false, portBits(a.sod), portBits(a.sod)); }

void sodResources(const ArchConfig& a, const Calibration& cal, ResourceEstimate& e) {
  addSystolicArray(a, cal, e);
  // Each unit's read port is port_bytes wide: the buffer partition it reads is packed at that width.
  addGlobalBuffer(a, e, sodBufferPorts(a));
  // One calibrated decompression unit per operand, as wide as the array edge it feeds.
  const SodConfig& s = a.sod;
  Resources r;
  std::map<std::string, double> as;
  for (int edge : {a.array.cols, a.array.rows}) {
    r += fittedResources(cal, "decompressor", {{"LANES", edge}, {"NNZ", s.nnz_per_cycle}, {"INDEX_BITS", s.index_bits}, {"VALUE_BITS", 8}});
    as["mux2_bit"] += edge * 8.0 * s.nnz_per_cycle;
    as["ff_bit"] += s.nnz_per_cycle * (9.0 + s.index_bits) + edge * 8.0;
    // The calibrated RTL stages one beat of nnz_per_cycle entries; a wider port stages the rest
    // of its bits too (the model's staging register is port_bytes wide, models/sod), each bit
    // with one LUT selecting between holding and taking the port (model choice).
    const double extra = std::max(0.0, portBits(s) - s.nnz_per_cycle * (8.0 + s.index_bits));
    r.lut += extra;
    r.ff += extra;
    as["ff_bit"] += extra;
    as["mux2_bit"] += extra;
  }
  e.blocks.push_back(blockResources("decompressors", r, as,
                                    "two units (weights, activations): staging register + pointer compare + scatter; fitted to yosys (decompressor.v), "
                                    "plus the port-wide staging bits beyond one beat (structural)"));
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
  // Fabric activity: MACs issued / PEs; dense elements written / the lanes of both units; buffer
  // bits moved / the bits its ports move per cycle.
  addBusyCycles(ev, "pe_array", M / (double(a.array.rows) * a.array.cols));
  addBusyCycles(ev, "decompressors", counted(BlockEvent::DecompressorLaneWrites) / double(a.array.rows + a.array.cols));
  const double bufferBits = counted(BlockEvent::DecompressorReadBits) + 8 * counted(BlockEvent::GlobalBufferDenseReadBytes) + 8.0 * double(l.sram_write_bytes);
  addBusyCycles(ev, "global_buffer", bufferBits / globalBufferPorts(a, false, portBits(a.sod), portBits(a.sod)).total());
}

}  // namespace sparsesim
