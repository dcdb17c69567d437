#pragma once
// Offline weight packer of Complementary Sparsity (plain C++, no SystemC).
//
// A layer's kernels are the rows of the per-group GEMM operand Bt (Lowering.h): kernel n of
// conv group g is weights[g*Nper + n], K = (C/groups)*kh*kw elements long. A packed group
// overlays kernels whose non-zero masks are disjoint into ONE dense row of K slots; slot k holds
// (weight, kernel ID) of the one kernel that is non-zero at k, or is empty (weight 0). The
// kernel ID is the kernel's position in its packed group, ceil(log2 N) bits for N kernels.
//
// Strategies:
//   OnePerGroup       no packing (dense-dense mode): every kernel is its own group and every
//                     slot of a live column is stored, zeros included.
// A column k is dead when every kernel of its conv group is zero at k (channel pruning: a whole
// input channel's weights are zero). No strategy stores anything in a dead column, and the MAC
// array does not walk it (gatherItems).
//   FirstFitDisjoint  kernels in order; each goes into the first packed group of its conv group
//                     whose mask it does not overlap and which holds fewer than maxN kernels,
//                     else opens a new group. Complementary masks (Workload.cpp) come out
//                     perfectly packed; unstructured ones leave leftovers in extra groups.
#include <cstdint>
#include <vector>

namespace sparsesim {

enum class PackingStrategy { OnePerGroup, FirstFitDisjoint };

struct PackedSlot {
  int8_t weight = 0;     // 0 in an empty slot
  uint16_t kernel = 0;   // kernel ID: index into PackedGroup::kernels
  bool valid = false;    // a kernel's element is stored here (zero weights too in OnePerGroup, live columns)
};

struct PackedGroup {
  std::vector<int> kernels;        // kernel index n within the conv group, by kernel ID
  std::vector<PackedSlot> slots;   // K slots
};

struct PackedLayer {
  int64_t K = 0;               // slots per packed group (the kernel volume)
  int64_t kernelsPerGroup = 0; // kernels per conv group (Nper)
  int convGroups = 1;
  std::vector<std::vector<PackedGroup>> groups;  // [conv group][packed group]
  int maxN = 1;                // most kernels in one packed group
  int idBits = 0;              // ceil(log2 maxN)
  int64_t nonzeros = 0;        // non-zero weights of the layer
  int64_t packedGroups = 0;    // over all conv groups
  std::vector<std::vector<uint8_t>> live;  // [conv group][k]: 1 if some kernel is non-zero at k
  int64_t deadColumns = 0;     // over all conv groups
  bool hasSlots = true;        // false: packed for its shape only (packLayer withSlots false)
  int64_t storedSlots() const { return packedGroups * K; }
  // Non-zeros per stored slot: 1 for a perfect packing of complementary masks.
  double efficiency() const { return storedSlots() ? double(nonzeros) / double(storedSlots()) : 0.0; }
};

// weights: OIHW int8, outChannels x K (K = (C/groups)*kh*kw), conv group g owning kernels
// [g*outChannels/groups, (g+1)*outChannels/groups). maxN >= 1.
// withSlots false: the packing's shape only (which kernels share a packed group, every count and
// the live columns), every PackedGroup::slots left empty; what planning the SRAM's slices needs.
PackedLayer packLayer(const int8_t* weights, int64_t outChannels, int convGroups, int64_t K,
                      PackingStrategy strategy, int maxN, bool withSlots = true);

// The OIHW weights the packed table stores (inverse of packLayer; tests check round trips).
std::vector<int8_t> unpackLayer(const PackedLayer& p);


}  // namespace sparsesim
