#include "sim/resources/SparsePeCosts.h"

#include <algorithm>

namespace sparsesim {

namespace {
// Bits of one (value, index) bus entry, and a bus's width: bus_pairs_per_cycle entries.
double entryBits(const SparsePeConfig& s) { return 8.0 + s.index_bits; }
BufferPorts busPorts(const ArchConfig& a) {
  const int bus = static_cast<int>(a.sparse_pe.bus_pairs_per_cycle * entryBits(a.sparse_pe));
  // Row buses carry activations (ifmap partition), column buses weights (filter partition).
  return globalBufferPorts(a, false, a.array.rows * bus, a.array.cols * bus);
}
}  // namespace

BufferPorts sparsePeBufferPorts(const ArchConfig& a) { return busPorts(a); }

void sparsePeResources(const ArchConfig& a, const Calibration& cal, ResourceEstimate& e) {
  const SparsePeConfig& s = a.sparse_pe;
  const double pes = double(a.array.rows) * a.array.cols;
  const double entryBits = sparsesim::entryBits(s);
  const ParamMap pe = {{"FIFO_DEPTH", s.fifo_depth}, {"MATCH_WIDTH", s.match_width}, {"INDEX_BITS", s.index_bits}, {"VALUE_BITS", 8}};
  // The calibrated sparse PE, split for the report: the per-PE constant part (DSP MAC, accumulator,
  // counters) and the FIFOs + matcher that grow with depth, window and index width.
  Resources mac = scaled(fittedResources(cal, "sparse_pe", pe, {"one"}), pes);
  e.blocks.push_back(blockResources("pe_array", mac, {{"mult_int8", pes}, {"add_int32", pes}, {"ff_bit", pes * 33}},
                                    "rows x cols MAC units, one DSP each; fitted to yosys (sparse_pe.v)"));
  Resources fm = scaled(fittedResources(cal, "sparse_pe", pe, {"fifo_bits", "fifo_shift_luts", "window_bits"}), pes);
  // The calibrated RTL pushes one entry per FIFO per cycle; a bus of P entries per cycle widens
  // the push side: every FIFO slot bit selects among P - 1 more sources, a LUT6 being a 4:1
  // select (model choice: structural, no RTL for P > 1).
  const double pushMuxBits = 2.0 * s.fifo_depth * entryBits * (s.bus_pairs_per_cycle - 1);
  fm.lut += pes * pushMuxBits / 4.0;
  e.blocks.push_back(blockResources("fifos_matchers", fm,
                                    {{"ff_bit", pes * 2 * entryBits * s.fifo_depth}, {"add_int8", pes * s.match_width * s.match_width},
                                     {"mux2_bit", pes * (2 * entryBits * s.match_width + pushMuxBits)}},
                                    "per PE: 2 shift-register (value,index) FIFOs + match_width^2 index matcher; fitted to yosys (sparse_pe.v), "
                                    "plus the push-side selects of a bus_pairs_per_cycle-wide bus (structural)"));
  addGlobalBuffer(a, e, busPorts(a));
}

void sparsePeAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e) {
  const SparsePeConfig& s = a.sparse_pe;
  const double pes = double(a.array.rows) * a.array.cols;
  const ParamMap pe = {{"FIFO_DEPTH", s.fifo_depth}, {"MATCH_WIDTH", s.match_width}, {"INDEX_BITS", s.index_bits}, {"VALUE_BITS", 8}};
  // Split for the report as the FPGA model splits it: the per-PE constant (MAC, accumulator,
  // counters and, since the calibrated sizes do not separate it, the index matcher) and the
  // FIFOs with their shift selects, which grow with depth, window and index width.
  const AsicGates mac = asicBlockGates(c, "sparse_pe", pe, {"one"});
  const AsicGates fm = asicBlockGates(c, "sparse_pe", pe, {"fifo_bits", "fifo_shift_mux_bits"});
  e.blocks.push_back(asicLogicBlock("pe_array", scaled(mac, pes), n,
                                    "rows x cols MAC units with accumulators, counters and the match_width^2 index matcher; fitted to yosys generic gates (sparse_pe.v)"));
  e.blocks.push_back(asicLogicBlock("fifos_matchers", scaled(fm, pes), n,
                                    "per PE: 2 shift-register (value, index) FIFOs with their (match_width+1):1 shift selects; fitted to yosys generic gates (sparse_pe.v)"));
  addGlobalBufferArea(a, n, e, false);
  e.pes = pes;
  e.pe_area_um2 = logicAreaUm2(mac, n) + logicAreaUm2(fm, n);
}

void sparsePeEnergyEvents(const ArchConfig& a, const LayerStats& l, std::vector<Event>& ev) {
  const double M = double(l.macs_issued);
  addEvent(ev, "pe_array", "mult_int8", M);
  addEvent(ev, "pe_array", "add_int32", M);
  addEvent(ev, "fifos_matchers", "register_access", double(l.register_accesses));
  addEvent(ev, "fifos_matchers", "selector_comparison", double(l.selector_comparisons));
  // The buses carry (value, index) entries of 8 + index_bits bits out of the buffer.
  const double busBits = double(l.block_events.get(BlockEvent::SparsePeBusEntries)) * entryBits(a.sparse_pe);
  addEvent(ev, "global_buffer", "sram_read_64b", busBits / 64.0, globalBufferBankKb(a));
  addEvent(ev, "global_buffer", "sram_write_64b", double(l.sram_write_bytes) / 8.0, globalBufferBankKb(a));
  // Fabric activity: MACs issued / PEs; the FIFOs and matchers by the busier of their index
  // comparisons / match_width^2 per PE and their pushes / (2 FIFOs x bus_pairs_per_cycle) per
  // PE; buffer bits moved / the bits its ports move per cycle.
  const SparsePeConfig& s = a.sparse_pe;
  const double pes = double(a.array.rows) * a.array.cols;
  addBusyCycles(ev, "pe_array", M / pes);
  addBusyCycles(ev, "fifos_matchers",
                std::max(double(l.selector_comparisons) / (pes * s.match_width * s.match_width),
                         double(l.block_events.get(BlockEvent::SparsePeFifoWrites)) / (pes * 2.0 * s.bus_pairs_per_cycle)));
  addBusyCycles(ev, "global_buffer", (busBits + 8.0 * double(l.sram_write_bytes)) / busPorts(a).total());
}

}  // namespace sparsesim
