#include "sim/resources/SparsePeCosts.h"

namespace sparsesim {

void sparsePeResources(const ArchConfig& a, const Calibration& cal, ResourceEstimate& e) {
  const SparsePeConfig& s = a.sparse_pe;
  const double pes = double(a.array.rows) * a.array.cols;
  const double entryBits = 8 + s.index_bits;
  const ParamMap pe = {{"FIFO_DEPTH", s.fifo_depth}, {"MATCH_WIDTH", s.match_width}, {"INDEX_BITS", s.index_bits}, {"VALUE_BITS", 8}};
  // The calibrated sparse PE, split for the report: the per-PE constant part (DSP MAC, accumulator,
  // counters) and the FIFOs + matcher that grow with depth, window and index width.
  Resources mac = scaled(fittedResources(cal, "sparse_pe", pe, {"one"}), pes);
  e.blocks.push_back(blockResources("pe_array", mac, {{"mult_int8", pes}, {"add_int32", pes}, {"ff_bit", pes * 33}},
                                    "rows x cols MAC units, one DSP each; fitted to yosys (sparse_pe.v)"));
  Resources fm = scaled(fittedResources(cal, "sparse_pe", pe, {"fifo_bits", "fifo_shift_luts", "window_bits"}), pes);
  e.blocks.push_back(blockResources("fifos_matchers", fm,
                                    {{"ff_bit", pes * 2 * entryBits * s.fifo_depth}, {"add_int8", pes * s.match_width * s.match_width},
                                     {"mux2_bit", pes * 2 * entryBits * s.match_width}},
                                    "per PE: 2 shift-register (value,index) FIFOs + match_width^2 index matcher; fitted to yosys (sparse_pe.v)"));
  addGlobalBuffer(a, e, false);
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
  addEvent(ev, "global_buffer", "sram_read_64b", double(l.block_events.get(BlockEvent::SparsePeBusEntries)) * (8.0 + a.sparse_pe.index_bits) / 64.0,
           globalBufferBankKb(a));
  addEvent(ev, "global_buffer", "sram_write_64b", double(l.sram_write_bytes) / 8.0, globalBufferBankKb(a));
}

}  // namespace sparsesim
