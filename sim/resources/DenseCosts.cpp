#include "sim/resources/DenseCosts.h"

namespace sparsesim {

void denseResources(const ArchConfig& a, const Calibration& c, ResourceEstimate& e) {
  addSystolicArray(a, c, e);
  addGlobalBuffer(a, e, denseBufferPorts(a));
}

BufferPorts denseBufferPorts(const ArchConfig& a) { return globalBufferPorts(a, false); }

void denseAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e) {
  addSystolicArrayArea(a, c, n, e);
  addGlobalBufferArea(a, n, e, false);
}

void denseEnergyEvents(const ArchConfig& a, const LayerStats& l, std::vector<Event>& ev) {
  const double M = double(l.macs_issued);
  addEvent(ev, "pe_array", "mult_int8", M);
  addEvent(ev, "pe_array", "add_int32", M);
  addEvent(ev, "pe_array", "register_access", double(l.register_accesses));
  addEvent(ev, "global_buffer", "sram_read_64b", double(l.sram_read_bytes) / 8.0, globalBufferBankKb(a));
  addEvent(ev, "global_buffer", "sram_write_64b", double(l.sram_write_bytes) / 8.0, globalBufferBankKb(a));
  // Fabric activity: MACs issued / PEs; buffer bits moved / the bits its ports move per cycle.
  addBusyCycles(ev, "pe_array", M / (double(a.array.rows) * a.array.cols));
  addBusyCycles(ev, "global_buffer", 8.0 * double(l.sram_read_bytes + l.sram_write_bytes) / globalBufferPorts(a, false).total());
}

}  // namespace sparsesim
