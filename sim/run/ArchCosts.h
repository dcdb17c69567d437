#pragma once
// An architecture's cost estimates: the generic estimators of sim/resources (ResourceModel,
// AsicArea, EnergyModel) with the cost model of the architecture's datapath, taken from its
// registry entry (sim/run/DatapathRegistry), and the default calibrations.
#include <string>
#include <vector>

#include "models/common/LayerStats.h"
#include "sim/config/ArchConfig.h"
#include "sim/resources/AsicArea.h"
#include "sim/resources/EnergyModel.h"
#include "sim/resources/ResourceModel.h"

namespace sparsesim {

ResourceEstimate estimateResources(const ArchConfig& a);  // with defaultCalibration()
ResourceEstimate estimateResources(const ArchConfig& a, const Calibration& c);
AsicAreaEstimate estimateAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n);
// With defaultAsicCalibration() and configs/asic/<node>.json.
AsicAreaEstimate estimateAsicArea(const ArchConfig& a, const std::string& node = "45nm");
// The port width of each global-buffer partition the architecture's datapath builds.
BufferPorts bufferPorts(const ArchConfig& a);
std::vector<Event> layerEvents(const ArchConfig& a, const LayerStats& l);
// Energy of one layer from its counters (layerEvents) that ran `seconds` on the design `res`.
EnergyResult layerEnergy(const EnergyTable& t, const ArchConfig& a, const ResourceEstimate& res, const PartFit& fit,
                         const std::string& part, const LayerStats& l, double seconds);

}  // namespace sparsesim
