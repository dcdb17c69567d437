#pragma once
// Costs of the dense datapath (models/dense): the systolic array and the global buffer's three
// partitions; its registry entry (sim/run/DatapathRegistry.cpp) carries these three functions.
#include <vector>

#include "sim/resources/AsicArea.h"
#include "sim/resources/EnergyModel.h"
#include "sim/resources/ResourceModel.h"

namespace sparsesim {

void denseResources(const ArchConfig& a, const Calibration& c, ResourceEstimate& e);
void denseAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e);
void denseEnergyEvents(const ArchConfig& a, const LayerStats& l, std::vector<Event>& ev);
BufferPorts denseBufferPorts(const ArchConfig& a);

}  // namespace sparsesim
