#pragma once
// Costs of the sparse-PE datapath (models/sparse_pe): the index-matching PEs (MAC part and FIFOs +
// matcher) and the global buffer; its registry entry (sim/run/DatapathRegistry.cpp) carries these
// three functions.
#include <vector>

#include "sim/resources/AsicArea.h"
#include "sim/resources/EnergyModel.h"
#include "sim/resources/ResourceModel.h"

namespace sparsesim {

void sparsePeResources(const ArchConfig& a, const Calibration& c, ResourceEstimate& e);
void sparsePeAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e);
void sparsePeEnergyEvents(const ArchConfig& a, const LayerStats& l, std::vector<Event>& ev);
BufferPorts sparsePeBufferPorts(const ArchConfig& a);

}  // namespace sparsesim
