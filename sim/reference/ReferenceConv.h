#pragma once
#include "sim/workload/Workload.h"

namespace sparsesim {

// The plain direct convolution every datapath is checked against: no lowering, no tiling,
// nothing shared with the models. Output [1, O, out_h, out_w] int32. Dense layers are computed
// as dot products of each kernel with each receptive field (gathered here), pruned ones as
// row updates that skip zero weights; large layers split their output channels over threads.
Int32Tensor referenceConv(const LayerWorkload& w);

// Threads referenceConv may use (0, the default: the environment's SPARSESIM_REFERENCE_THREADS
// if set, else hostThreads(): SPARSESIM_THREADS or one per core of the process's affinity
// mask). A sweep running points side by side sets SPARSESIM_THREADS to 1.
void setReferenceThreads(int threads);
int referenceThreads();
// The dense form's dot products: true (the default) AVX2 where the CPU has it, false the plain
// loop (tests run both; the sums are exact integers either way).
void setReferenceVectorPath(bool wide);

}  // namespace sparsesim
