#pragma once
// Whether a layer's packed weights can be held by the CS weight-packing SRAM at all: one packed
// group of K columns (one kernel per slice, the smallest slice the datapath can use) must fit.
// A pure function of the layer's shapes and the cs config, so it is checked before anything runs.
#include <cstdint>
#include <optional>
#include <string>

#include "sim/config/ArchConfig.h"
#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

// Words the smallest slice of the layer needs. The kernel-ID width is taken at its largest
// (every pack holding min(max_n, out_channels / groups) kernels), so a layer that passes never
// fails the same test with its real packing.
uint64_t csSmallestSliceWords(const LayerGeometry& g, const CsConfig& cs);
// Throws ConfigError(arch file, "cs.sram", ...) naming the layer when its smallest slice does not fit.
void checkCsSramFits(const ArchConfig& a, const LayerGeometry& g, const std::string& layerName, const std::string& layerPath);

}  // namespace sparsesim
