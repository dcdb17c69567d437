#pragma once
// The on-chip memory rule of iso sizing (docs/memory.md, "On-chip memory in the iso budget"):
// a design is charged the memory its buffers *build*, not the capacity they are asked for. On an
// FPGA a buffer occupies whole blocks (BRAM36 512 x 72 bits, URAM 4096 x 72 bits; a partition
// packed at its port width, a CS bank at least one block), on an ASIC one SRAM macro of exactly
// its bits per partition or bank. IsoSizing applies the split to every grid point and shrinks a
// design whose built buffers cannot fit (the CS weight SRAM's bank floor).
#include "sim/config/ArchConfig.h"

namespace sparsesim {

// KiB one copy of a design's buffers build; weight_capacity_kb is what its weight memory holds
// (the filter partition at its port width, or the CS SRAM's banks x depth x word_bits).
struct BuiltMemory {
  double ifmap_kb = 0, ofmap_kb = 0, weight_kb = 0;
  double weight_capacity_kb = 0;
  double total_kb() const { return ifmap_kb + ofmap_kb + weight_kb; }
};

// asicMacros: SRAM macros of the bits asked (an ASIC area budget); else FPGA blocks.
BuiltMemory builtMemory(const ArchConfig& a, bool asicMacros);

// Gives the design the weight memory that memoryKb leaves after its activation buffers (base
// sizes, charged as built): the largest filter partition whose blocks fit, or for CS the deepest
// SRAM (whole blocks per bank) whose banks fit. Returns false when nothing fits: the activation
// buffers leave no block, or CS's one block per bank exceeds its share (the bank floor); the
// design then keeps the smallest weight memory it can build (one word, one block per bank).
bool splitMemoryBudget(ArchConfig& a, double memoryKb, bool asicMacros);

}  // namespace sparsesim
