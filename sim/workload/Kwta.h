#pragma once
// k-winners-take-all: the reference definition every selector model must match. Winners are
// the k largest magnitudes; among equal magnitudes the lower flat index wins.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sparsesim {

// Indices of the k winners in ascending index order.
std::vector<uint32_t> kwtaWinners(const int8_t* v, size_t n, size_t k);
// Zeroes every non-winner in place.
void applyKwta(int8_t* v, size_t n, size_t k);
// k for a density, as the workload generator uses it: round(density * n), at least 1.
size_t kwtaK(double density, size_t n);

}  // namespace sparsesim
