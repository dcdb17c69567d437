#pragma once
// The simulator's version, written into every report, resolved configuration and trace header.
#ifndef SPARSESIM_VERSION
#define SPARSESIM_VERSION "0.0.0"
#endif

namespace sparsesim {

inline const char* sparsesimVersion() { return SPARSESIM_VERSION; }

}  // namespace sparsesim
