#pragma once
// Parameters of the "sod" datapath: the "sod" object of an architecture file. The member
// initialisers are the defaults; keys, ranges, units and meanings are declared once in
// sodParams() (SodConfig.cpp, docs/config.md "sod").
#include "sim/core/Enums.h"

namespace sparsesim {

struct SodConfig {
  SodFormat weight_format = SodFormat::Auto;      // how weights sit in the global buffer
  SodFormat activation_format = SodFormat::Auto;  // how input activations sit in the global buffer
  int index_bits = 5;                      // CSC index width; a vector is cut into segments of 2^index_bits elements
  int nnz_per_cycle = 32;                  // non-zeros each decompression unit scatters per cycle
  int port_bytes = 64;                     // bytes per cycle each decompression unit reads from the global buffer
};

}  // namespace sparsesim
