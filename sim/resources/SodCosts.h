#pragma once
// Costs of the Sparse-on-Dense datapath (models/sod): the dense array and global buffer plus one
// decompression unit per operand; its registry entry (sim/run/DatapathRegistry.cpp) carries
// these three functions.
#include <vector>

#include "sim/resources/AsicArea.h"
#include "sim/resources/EnergyModel.h"
#include "sim/resources/ResourceModel.h"

namespace sparsesim {

void sodResources(const ArchConfig& a, const Calibration& c, ResourceEstimate& e);
void sodAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e);
void sodEnergyEvents(const ArchConfig& a, const LayerStats& l, std::vector<Event>& ev);
BufferPorts sodBufferPorts(const ArchConfig& a);

}  // namespace sparsesim
