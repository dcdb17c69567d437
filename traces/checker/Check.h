#pragma once
// What the checkers share: command line, the report lines (PASS / MISMATCH / ERROR), the
// RTL parameter check against the trace header, bit-field access to Verilator ports of any width,
// and the clock. The checker is compiled against one verilated RTL whose C++ class is Vdut
// (verilator --prefix Vdut) and whose parameters arrive as DUT_<NAME> macros.
#include <verilated.h>
#ifdef DUT_VCD
#include <verilated_vcd_c.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

#include "TraceReader.h"

namespace rtlcheck {

struct Args {
  std::string trace;
  int latency = 0;  // extra idle cycles before a drain, for RTL with a deeper accumulate pipeline
  bool state = true;  // compare per-cycle internal state where the trace has it (--no-state: outputs only)
  std::string vcd;    // write the DUT's waveform here (needs a build with -DDUT_VCD and verilator --trace)
  uint64_t vcdFrom = 0, vcdTo = ~uint64_t(0);  // trace cycles to dump
};

inline Args parseArgs(int argc, char** argv, const char* block) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--trace" && i + 1 < argc) {
      a.trace = argv[++i];
    } else if (s == "--latency" && i + 1 < argc) {
      a.latency = std::atoi(argv[++i]);
    } else if (s == "--no-state") {
      a.state = false;
    } else if (s == "--vcd" && i + 1 < argc) {
      a.vcd = argv[++i];
    } else if (s == "--vcd-cycles" && i + 1 < argc) {
      // FROM:TO, trace cycles, inclusive
      const std::string v = argv[++i];
      const size_t c = v.find(':');
      if (c == std::string::npos) {
        std::fprintf(stderr, "ERROR %s: --vcd-cycles takes FROM:TO\n", block);
        std::exit(2);
      }
      a.vcdFrom = std::strtoull(v.substr(0, c).c_str(), nullptr, 10);
      a.vcdTo = std::strtoull(v.substr(c + 1).c_str(), nullptr, 10);
    } else if (s == "-h" || s == "--help") {
      std::printf("usage: %s --trace DIR [--latency N] [--no-state] [--vcd FILE [--vcd-cycles FROM:TO]]\n  checks the compiled %s RTL against the trace in DIR (docs/rtl-check.md)\n", argv[0], block);
      std::exit(0);
    } else if (s.rfind("+verilator", 0) == 0) {
      // Verilator runtime options (+verilator+seed+...) pass through.
    } else {
      std::fprintf(stderr, "ERROR %s: unknown argument \"%s\" (usage: %s --trace DIR [--latency N] [--no-state])\n", block, s.c_str(), argv[0]);
      std::exit(2);
    }
  }
  if (a.trace.empty()) {
    std::fprintf(stderr, "ERROR %s: --trace DIR is required\n", block);
    std::exit(2);
  }
  if (a.latency < 0 || a.latency > 1000) {
    std::fprintf(stderr, "ERROR %s: --latency must be 0..1000\n", block);
    std::exit(2);
  }
  return a;
}

// The last trace cycle at which every compared signal matched (-1: none yet), for the report.
inline int64_t& lastMatch() {
  static int64_t t = -1;
  return t;
}
inline void matched(uint64_t t) { lastMatch() = static_cast<int64_t>(t); }

// The first disagreement between RTL and trace ends the check (exit 1). `context` says which
// fold / lane / group it belongs to, on a further line, after the last cycle that matched.
[[noreturn]] inline void mismatch(uint64_t t, const char* block, const std::string& signal, const std::string& expected,
                                  const std::string& actual, const std::string& context) {
  std::printf("MISMATCH cycle=%llu block=%s signal=%s expected=%s actual=%s\n", static_cast<unsigned long long>(t), block,
              signal.c_str(), expected.c_str(), actual.c_str());
  if (lastMatch() >= 0) std::printf("  last matching cycle=%lld\n", static_cast<long long>(lastMatch()));
  else std::printf("  last matching cycle=none (the first compared cycle differs)\n");
  if (!context.empty()) std::printf("  at %s\n", context.c_str());
  std::fflush(stdout);
  std::exit(1);
}

// The trace does not fit this RTL (or is malformed): not a verdict on the RTL (exit 2).
[[noreturn]] inline void fatal(const char* block, const std::string& msg) {
  std::fprintf(stderr, "ERROR %s: %s\n", block, msg.c_str());
  std::exit(2);
}

// A check that compared nothing proves nothing: an error, not a pass.
inline void pass(const char* block, uint64_t records, uint64_t comparisons) {
  if (comparisons == 0) fatal(block, "the trace holds no " + std::string(block) + " output to compare (" + std::to_string(records) + " records)");
  std::printf("PASS %s: %llu records, %llu comparisons\n", block, static_cast<unsigned long long>(records),
              static_cast<unsigned long long>(comparisons));
}

// header.blocks[block][key] must equal the parameter the RTL was built with.
inline void requireParam(const TraceReader& tr, const char* block, const char* key, const char* rtlName, long long rtl) {
  const auto& p = tr.params();
  if (!p.contains(key) || !p[key].is_number_integer())
    fatal(block, "trace header has no integer blocks." + std::string(block) + "." + key);
  const long long v = p[key].get<long long>();
  if (v != rtl)
    fatal(block, "trace " + std::string(block) + "." + key + " = " + std::to_string(v) + " but the RTL was built with " + rtlName +
                     " = " + std::to_string(rtl) + " (rebuild the RTL with -G" + rtlName + "=" + std::to_string(v) +
                     " or trace an architecture that matches it)");
}

// Bit fields of Verilator ports: integral types up to 64 bits, VlWide above.
template <typename T>
std::enable_if_t<std::is_integral<T>::value> putBits(T& sig, int lsb, int width, uint64_t v) {
  const uint64_t mask = width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
  uint64_t s = static_cast<uint64_t>(sig);
  s = (s & ~(mask << lsb)) | ((v & mask) << lsb);
  sig = static_cast<T>(s);
}
template <std::size_t N>
void putBits(VlWide<N>& sig, int lsb, int width, uint64_t v) {
  for (int b = 0; b < width; ++b) {
    const int bit = lsb + b;
    const uint32_t m = 1u << (bit % 32);
    if ((v >> b) & 1) sig[static_cast<size_t>(bit / 32)] |= m;
    else sig[static_cast<size_t>(bit / 32)] &= ~m;
  }
}
template <typename T>
std::enable_if_t<std::is_integral<T>::value, uint64_t> getBits(const T& sig, int lsb, int width) {
  const uint64_t mask = width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
  return (static_cast<uint64_t>(sig) >> lsb) & mask;
}
template <std::size_t N>
uint64_t getBits(const VlWide<N>& sig, int lsb, int width) {
  uint64_t v = 0;
  for (int b = 0; b < width; ++b) {
    const int bit = lsb + b;
    v |= uint64_t((sig[static_cast<size_t>(bit / 32)] >> (bit % 32)) & 1u) << b;
  }
  return v;
}
inline int64_t signExtend(uint64_t v, int width) {
  const uint64_t sign = uint64_t(1) << (width - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}
// Trace int32 values are compared as the RTL's 32-bit two's complement.
inline int64_t asInt32(int64_t v) { return signExtend(static_cast<uint64_t>(v) & 0xFFFFFFFFull, 32); }

// The DUT's waveform (--vcd). Times are picoseconds with one trace cycle = 1000 ps, so the DUT's
// edges line up with the model's trace VCD (1 ns a cycle): a tick the checker ties to trace cycle t
// (atCycle) is at t * 1000; ticks the checker inserts (clears, drain reads) follow the previous
// tick 10 ps apart, inside that cycle's nanosecond. Only ticks of trace cycles FROM..TO are dumped.
struct Waveform {
  uint64_t hint = ~uint64_t(0);  // trace cycle of the next tick
  uint64_t last = 0;
  bool any = false;
  uint64_t from = 0, to = ~uint64_t(0);
#ifdef DUT_VCD
  std::unique_ptr<VerilatedVcdC> vcd;
#endif
};
inline Waveform& wave() {
  static Waveform w;
  return w;
}
inline void atCycle(uint64_t t) { wave().hint = t; }

inline void prepareContext(VerilatedContext& ctx, const Args& a) {
#ifdef DUT_VCD
  if (!a.vcd.empty()) ctx.traceEverOn(true);
#else
  (void)ctx;
  if (!a.vcd.empty()) {
    std::fprintf(stderr, "ERROR: --vcd needs a checker built with verilator --trace and -DDUT_VCD (tools/validate-rtl --vcd does this)\n");
    std::exit(2);
  }
#endif
}
// The waveform of instances ds[0..n) in one file (Verilator: every model before the file opens).
template <typename Dut>
void attachWaves(Dut* const* ds, size_t n, const Args& a) {
#ifdef DUT_VCD
  if (a.vcd.empty()) return;
  Waveform& w = wave();
  w.from = a.vcdFrom, w.to = a.vcdTo;
  w.vcd = std::make_unique<VerilatedVcdC>();
  for (size_t i = 0; i < n; ++i) ds[i]->trace(w.vcd.get(), 99);
  w.vcd->set_time_unit("1ps");
  w.vcd->set_time_resolution("1ps");
  w.vcd->open(a.vcd.c_str());
  if (!w.vcd->isOpen()) {
    std::fprintf(stderr, "ERROR: cannot write %s\n", a.vcd.c_str());
    std::exit(2);
  }
  std::atexit([] {
    if (wave().vcd) wave().vcd->close();
  });
#else
  (void)ds, (void)n, (void)a;
#endif
}

// The verilated RTL on its context, clock low, with its waveform when asked for (--vcd).
template <typename Dut>
std::unique_ptr<Dut> makeDut(VerilatedContext& ctx, const Args& a) {
  prepareContext(ctx, a);
  auto d = std::make_unique<Dut>(&ctx);
  Dut* p = d.get();
  attachWaves(&p, 1, a);
  d->clk = 0;
  d->eval();
  return d;
}

// `count` instances of the RTL that run side by side (one per lane), named <prefix><i>: with
// --vcd all of them in one waveform, each under its own top scope, so the lanes' edges share
// the time axis.
template <typename Dut>
std::vector<std::unique_ptr<Dut>> makeDuts(VerilatedContext& ctx, const Args& a, int count, const std::string& prefix) {
  prepareContext(ctx, a);
  std::vector<std::unique_ptr<Dut>> ds;
  for (int i = 0; i < count; ++i) ds.push_back(std::make_unique<Dut>(&ctx, (prefix + std::to_string(i)).c_str()));
  std::vector<Dut*> ptrs;
  for (auto& d : ds) ptrs.push_back(d.get());
  attachWaves(ptrs.data(), ptrs.size(), a);
  for (auto& d : ds) {
    d->clk = 0;
    d->eval();
  }
  return ds;
}

// One rising edge of every instance in `ds` (inputs set before, outputs new after), dumped once.
// `afterRise` runs once the instances have evaluated the edge and before the edge's time is
// fixed: a checker whose RTL keeps its own timing names there (atCycle) the trace cycle of what
// the edge showed, so the waveform's time axis stays the trace's.
template <typename Dut, typename F>
void tickEach(Dut* const* ds, size_t n, F&& afterRise) {
  for (size_t i = 0; i < n; ++i) {
    ds[i]->clk = 1;
    ds[i]->eval();
  }
  afterRise();
  Waveform& w = wave();
  uint64_t T = w.any ? w.last + 10 : 0;
  if (w.hint != ~uint64_t(0)) T = std::max(T, w.hint * 1000), w.hint = ~uint64_t(0);
  w.last = T, w.any = true;
#ifdef DUT_VCD
  const bool in = w.vcd && T / 1000 >= w.from && T / 1000 <= w.to;
  if (in) w.vcd->dump(T);
#endif
  for (size_t i = 0; i < n; ++i) {
    ds[i]->clk = 0;
    ds[i]->eval();
  }
#ifdef DUT_VCD
  if (in) w.vcd->dump(T + 5);
#endif
}

// One rising edge: inputs set before the call are sampled; outputs read after it are the new state.
template <typename Dut>
void tick(Dut& d) {
  Dut* p = &d;
  tickEach(&p, 1, [] {});
}

// A checker's main: the command line, then the check; a malformed trace becomes an ERROR line
// (exit 2). `run` reports PASS itself and ends the process on a mismatch.
template <typename F>
int checkerMain(int argc, char** argv, const char* block, F&& run) {
  Verilated::commandArgs(argc, argv);
  const Args args = parseArgs(argc, argv, block);
  try {
    run(args);
  } catch (const std::exception& e) {
    fatal(block, e.what());
  }
  return 0;
}

}  // namespace rtlcheck
