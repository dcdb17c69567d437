#pragma once
// Whether the CS k-WTA selector can reproduce the selection a chained network already made.
// A layer whose input is a producer's kwta post-op runs its selector on that selection (the
// paper's k-WTA of the previous layer's output). With cs.selector.group_size = N the selector
// keeps kwtaK(density, N) of every N consecutive elements of an image; the kwta post-op keeps
// k of every channel group of E = C/G x H x W elements. The selector keeps every winner
// exactly when each of its groups holds whole k-WTA groups: N a multiple of E, or N at least
// the image (one group per image). Otherwise a group of N may hold more winners than it keeps,
// whatever the data, so the run is refused before it starts.
#include <string>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"

namespace sparsesim {

// Throws ConfigError(arch file, "cs.selector.group_size", ...) naming the layer and the
// producer's kwta when layer i of a chained network on a CS architecture that may run
// sparse_sparse (mode sparse_sparse or auto) takes a k-WTA selection its selector cannot reproduce.
void checkCsSelectorGroups(const ArchConfig& a, const NetworkConfig& n, size_t i);

}  // namespace sparsesim
