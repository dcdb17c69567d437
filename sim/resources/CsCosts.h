#pragma once
// Costs of the Complementary Sparsity datapath (models/cs): the MAC array with its kernel-ID
// router and accumulators, the weight-packing SRAM, the k-WTA selector and the activation buffer;
// its registry entry (sim/run/DatapathRegistry.cpp) carries these three functions.
#include <vector>

#include "sim/resources/AsicArea.h"
#include "sim/resources/EnergyModel.h"
#include "sim/resources/ResourceModel.h"

namespace sparsesim {

void csResources(const ArchConfig& a, const Calibration& c, ResourceEstimate& e);
void csAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e);
void csEnergyEvents(const ArchConfig& a, const LayerStats& l, std::vector<Event>& ev);
// The activation partition only: CS has no filter or ofmap partition.
BufferPorts csBufferPorts(const ArchConfig& a);

}  // namespace sparsesim
