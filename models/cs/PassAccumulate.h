#pragma once
// The sums one CS pass leaves in the layer's outputs, computed pixel by pixel.
//
// A lane's accumulators start at zero for each pixel (or share of one) it takes and are added
// into the outputs when it drains, so what a pass adds to output (m, kernel_of[q * ids + id]) is
// the sum over pixel m's items (k, a) of a x weight of column k, slot q, routed to id: it does
// not depend on which lane took which share, nor on the order of the steps. The pass loop
// (MacArrayCore::runPass) times the steps; without a trace it leaves the arithmetic to this
// function, which keeps a block of one pixel's accumulators in registers over all its items
// instead of reading and writing them once per step. Integer sums, so the outputs are the same
// bits either way (tests/unit/test_cs_pass_accumulate.cpp holds it to the per-step loop).
#include <cstdint>
#include <vector>

#include "models/cs/MacArray.h"

namespace sparsesim {

struct PassColumns {
  int R = 0;                       // resident packed groups (slots per column)
  int ids = 1;                     // accumulators per slot
  const int16_t* weight = nullptr; // [k * R + q]
  int pad = 0;                     // readable values after the last column (a vector's overreach)
  const int32_t* acc = nullptr;    // [k * R + q]: accumulator q * ids + kid
  bool direct = false;             // acc[k * R + q] == q for every entry: slot q feeds accumulator q
  const int32_t* kernel_of = nullptr;  // [q * ids + id]: output channel, -1 where none
};

// Adds every pixel's sums into C (M x Nper, row-major). scratch: reused accumulator buffer.
void accumulatePass(const PassColumns& t, const PixelItems& it, int32_t* C, int64_t Nper, std::vector<int32_t>& scratch);

}  // namespace sparsesim
