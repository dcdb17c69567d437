#include "sim/run/ArchCosts.h"

#include "sim/run/DatapathRegistry.h"

namespace sparsesim {

ResourceEstimate estimateResources(const ArchConfig& a) { return estimateResources(a, defaultCalibration()); }

ResourceEstimate estimateResources(const ArchConfig& a, const Calibration& c) { return estimateResources(a, c, datapathEntry(a).costs); }

AsicAreaEstimate estimateAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n) {
  return estimateAsicArea(a, c, n, datapathEntry(a).costs);
}

AsicAreaEstimate estimateAsicArea(const ArchConfig& a, const std::string& node) {
  return estimateAsicArea(a, defaultAsicCalibration(), asicNode(node));
}

BufferPorts bufferPorts(const ArchConfig& a) { return datapathEntry(a).costs.buffer_ports(a); }

std::vector<Event> layerEvents(const ArchConfig& a, const LayerStats& l) { return layerEvents(a, l, datapathEntry(a).costs); }

EnergyResult layerEnergy(const EnergyTable& t, const ArchConfig& a, const ResourceEstimate& res, const PartFit& fit,
                         const std::string& part, const LayerStats& l, double seconds) {
  return layerEnergy(t, a, res, fit, part, layerEvents(a, l), seconds);
}

}  // namespace sparsesim
