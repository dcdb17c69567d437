#pragma once
// Parameters of the "sparse_pe" datapath: the "sparse_pe" object of an architecture file. The PE
// grid itself is the architecture's "array" (rows x cols PEs). The member
// initialisers are the defaults; keys, ranges, units and meanings are declared once in
// sparsePeParams() (SparsePeConfig.cpp, docs/config.md "sparse_pe").
namespace sparsesim {

struct SparsePeConfig {
  int fifo_depth = 8;            // (value, index) entries per operand FIFO in each PE
  int match_width = 4;           // entries of each FIFO the index-matching unit compares per cycle
  int bus_pairs_per_cycle = 4;   // (value, index) pairs a row / column bus delivers per cycle
  int index_bits = 8;            // stored index width along K; segments of 2^index_bits elements
};

}  // namespace sparsesim
