#pragma once
// Step 5 of a run, in one place: every layer's outputs against the independent reference
// convolution (sim/reference), the CS selector's winners against the workload's k-WTA, and the
// useful MACs counted from the tensors (independent of any datapath).
#include <cstdint>

#include "sim/config/ArchConfig.h"
#include "sim/run/RunResult.h"
#include "sim/workload/Workload.h"

namespace sparsesim {

// Both operands non-zero, counted exactly from the tensors.
uint64_t countUsefulMacs(const LayerWorkload& w);
// Outputs against referenceConv: verified, mismatches, first_mismatch.
void verifyOutputs(const LayerWorkload& w, const Int32Tensor& got, LayerResult& r);
// The same against a reference output already computed by referenceConv(w).
void verifyOutputsAgainst(const Int32Tensor& ref, const Int32Tensor& got, LayerResult& r);
// A CS layer that selected activations: selection_matches_workload.
void verifySelection(const LayerWorkload& w, const CsConfig& cs, LayerResult& r);
// All of the above (and macs_useful).
void verifyLayer(const LayerWorkload& w, const ArchConfig& a, const Int32Tensor& got, LayerResult& r);
// The same with referenceConv(w) and countUsefulMacs(w) computed before (a sweep's shared layer,
// sim/run/SharedLayerCache.h).
void verifyLayer(const LayerWorkload& w, const ArchConfig& a, const Int32Tensor& got, LayerResult& r, const Int32Tensor& reference,
                 uint64_t macsUseful);

}  // namespace sparsesim
