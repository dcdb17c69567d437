#pragma once
// What the cost models need to know of one datapath kind; its entry in the datapath registry
// (sim/run/DatapathRegistry.cpp) carries one. Each datapath's three functions live in its own file
// here (DenseCosts, SodCosts, SparsePeCosts, CsCosts); what every datapath has (the control block,
// the DRAM traffic) the generic estimators add, so the functions list only the datapath's blocks.
#include <vector>

namespace sparsesim {

struct ArchConfig;
struct Calibration;
struct ResourceEstimate;
struct AsicCalibration;
struct AsicNode;
struct AsicAreaEstimate;
struct LayerStats;
struct Event;
struct BufferPorts;

struct DatapathCostModel {
  // Appends the datapath's blocks with their FPGA resources and ASIC primitives (ResourceModel).
  void (*resources)(const ArchConfig&, const Calibration&, ResourceEstimate&) = nullptr;
  // Appends the datapath's blocks with their gate-level ASIC area, and sets pes / pe_area_um2 (AsicArea).
  void (*asic_area)(const ArchConfig&, const AsicCalibration&, const AsicNode&, AsicAreaEstimate&) = nullptr;
  // Appends the energy events the datapath's blocks counted during one layer (EnergyModel): which
  // counter is which block's which event, in the energy tables' units.
  void (*energy_events)(const ArchConfig&, const LayerStats&, std::vector<Event>&) = nullptr;
  // The port width of each global-buffer partition the datapath builds (0: no such partition):
  // the width its block RAM is packed at, which the iso memory budget charges (IsoMemory).
  BufferPorts (*buffer_ports)(const ArchConfig&) = nullptr;
};

}  // namespace sparsesim
