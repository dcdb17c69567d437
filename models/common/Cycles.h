#pragma once
// SystemC time in this simulator is counted in clock cycles: one cycle is one SC_NS of
// simulated time, whatever the architecture's clock (seconds come from clock_mhz in the
// report). Every process is clocked by construction: it only ever waits whole cycles, so no
// sc_clock has to wake the kernel on every edge.
#include <systemc>

#include <cstdint>

namespace sparsesim {

inline sc_core::sc_time cycles(uint64_t n) { return sc_core::sc_time(static_cast<double>(n), sc_core::SC_NS); }
inline uint64_t nowCycles() { return static_cast<uint64_t>(sc_core::sc_time_stamp().to_seconds() * 1e9 + 0.5); }
inline void waitCycles(uint64_t n) { if (n) sc_core::wait(cycles(n)); }

}  // namespace sparsesim
