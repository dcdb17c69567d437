#include "models/common/SystolicArray.h"

#include <algorithm>

#include "models/common/ArrayRunLoop.h"
#include "models/common/Cycles.h"
#include "models/common/TraceSink.h"

namespace sparsesim {

uint64_t SystolicArrayCore::wavefrontCycles(const Fold& f) const {
  if (df_ == Dataflow::OutputStationary) return uint64_t(f.klen) + R_ + C_ - 2;
  return uint64_t(2) * R_ + f.mlen + C_ - 2;
}

uint64_t SystolicArrayCore::runBulk(const GroupGemm& g, const Fold& f, int32_t* C) const {
  for (int64_t m = f.m0; m < f.m0 + f.mlen; ++m) {
    const int8_t* a = g.A.data() + m * g.K + f.k0;
    int32_t* crow = C + m * g.N;
    for (int64_t n = f.n0; n < f.n0 + f.nlen; ++n) {
      const int8_t* b = g.Bt.data() + n * g.K + f.k0;
      int32_t acc = 0;
      for (int64_t k = 0; k < f.klen; ++k) acc += int32_t(a[k]) * int32_t(b[k]);
      crow[n] += acc;
    }
  }
  return wavefrontCycles(f);
}

uint64_t SystolicArrayCore::runStepped(const GroupGemm& g, const Fold& f, int32_t* C) const {
  return df_ == Dataflow::OutputStationary ? steppedOS(g, f, C) : steppedWS(g, f, C);
}

// steppedOS and steppedWS: SystolicArrayStepped.cpp.

SystolicArray::SystolicArray(sc_core::sc_module_name name, int rows, int cols, Dataflow df, FoldEngine engine)
    : sc_module(name), from_buffer("from_buffer"), to_output("to_output"), core_(rows, cols, df), engine_(engine) {
  SC_HAS_PROCESS(SystolicArray);
  SC_THREAD(run);
}

void SystolicArray::run() {
  runFoldLoop(from_buffer, to_output, [this](FoldTask& t) {
    const uint64_t start = nowCycles();
    std::vector<int32_t> before;
    if (tracer_) {
      // The fold's own sums are what the array drains: C after the fold minus C before it.
      for (int64_t m = 0; m < t.fold.mlen; ++m)
        for (int64_t n = 0; n < t.fold.nlen; ++n) before.push_back(t.C[(t.fold.m0 + m) * t.gemm->N + t.fold.n0 + n]);
    }
    uint64_t c = engine_ == FoldEngine::Stepped ? core_.runStepped(*t.gemm, t.fold, t.C)
                                                 : core_.runBulk(*t.gemm, t.fold, t.C);
    if (tracer_) traceFold(start, t, c, before);
    t.stats->macs_issued += SystolicArrayCore::macsIssued(t.fold);
    t.stats->sram_read_bytes += uint64_t(t.fold.mlen + t.fold.nlen) * uint64_t(t.fold.klen);  // edge operands, 1 B each
    t.stats->register_accesses += 3 * SystolicArrayCore::macsIssued(t.fold);  // a, b forward + accumulator
    return c;
  });
}

void SystolicArray::attachTracer(TraceSink& t) {
  if (!t.on(TraceBlock::PeArray) && !t.on(TraceBlock::PeState)) return;
  tracer_ = &t;
  for (TraceBlock b : {TraceBlock::PeArray, TraceBlock::PeState})
    if (t.on(b))
      t.setParams(b, {{"rows", core_.rows()}, {"cols", core_.cols()},
                      {"dataflow", core_.dataflow() == Dataflow::OutputStationary ? "os" : "ws"}});
}

// OS edges: row i takes A[m0+i][k0+c-i] at fold cycle c, column j takes Bt[n0+j][k0+c-j]; the
// last operand enters at cycle klen-1 + max(R, C)-1.
void SystolicArray::traceFold(uint64_t t0, const FoldTask& t, uint64_t cycles, const std::vector<int32_t>& before) {
  if (core_.dataflow() == Dataflow::WeightStationary) return traceFoldWS(t0, t, cycles);
  const Fold& f = t.fold;
  const GroupGemm& g = *t.gemm;
  const int R = core_.rows(), Cc = core_.cols();
  const uint64_t seq = foldSeq_++;
  tracer_->emit(TraceBlock::PeArray, "fold", t0,
                {tracer_->layer(), f.group, seq, f.m0, f.n0, f.k0, f.mlen, f.nlen, f.klen, cycles});
  std::vector<int32_t> a(static_cast<size_t>(R)), b(static_cast<size_t>(Cc));
  const int64_t edgeCycles = f.klen + std::max(R, Cc) - 1;
  for (int64_t c = 0; c < edgeCycles; ++c) {
    for (int i = 0; i < R; ++i) {
      const int64_t k = c - i;
      a[static_cast<size_t>(i)] = (i < f.mlen && k >= 0 && k < f.klen) ? g.A[(f.m0 + i) * g.K + f.k0 + k] : 0;
    }
    for (int j = 0; j < Cc; ++j) {
      const int64_t k = c - j;
      b[static_cast<size_t>(j)] = (j < f.nlen && k >= 0 && k < f.klen) ? g.Bt[(f.n0 + j) * g.K + f.k0 + k] : 0;
    }
    tracer_->emit(TraceBlock::PeArray, "edge", t0 + static_cast<uint64_t>(c), {seq, a, b});
  }
  if (tracer_->on(TraceBlock::PeState)) traceState(t0, seq, f, g, cycles);
  std::vector<int32_t> row(static_cast<size_t>(Cc));
  for (int i = 0; i < R; ++i) {
    for (int j = 0; j < Cc; ++j) {
      const bool in = i < f.mlen && j < f.nlen;
      const size_t at = static_cast<size_t>(i * f.nlen + j);
      row[static_cast<size_t>(j)] = in ? t.C[(f.m0 + i) * g.N + f.n0 + j] - before[at] : 0;
    }
    tracer_->emit(TraceBlock::PeArray, "drain", t0 + cycles, {seq, i, row});
  }
}

// pe_state: PE (i, j) meets its k-th operand pair at fold cycle i + j + k, so after cycle c it
// holds the sum over k <= c - i - j (idle PEs of a partial tile stay 0).
void SystolicArray::traceState(uint64_t t0, uint64_t seq, const Fold& f, const GroupGemm& g, uint64_t cycles) {
  const int R = core_.rows(), Cc = core_.cols();
  std::vector<int32_t> acc(static_cast<size_t>(R * Cc), 0);
  for (uint64_t c = 0; c < cycles; ++c) {
    for (int i = 0; i < std::min<int64_t>(R, f.mlen); ++i)
      for (int j = 0; j < std::min<int64_t>(Cc, f.nlen); ++j) {
        const int64_t k = int64_t(c) - i - j;
        if (k < 0 || k >= f.klen) continue;
        const int32_t p = int32_t(g.A[(f.m0 + i) * g.K + f.k0 + k]) * int32_t(g.Bt[(f.n0 + j) * g.K + f.k0 + k]);
        int32_t& s = acc[static_cast<size_t>(i * Cc + j)];
        s = static_cast<int32_t>(static_cast<uint32_t>(s) + static_cast<uint32_t>(p));  // wraps as the RTL's
      }
    tracer_->emit(TraceBlock::PeState, "acc", t0 + c, {seq, c, acc});
  }
}

// WS edges (the schedule of steppedWS): fold cycles 0 .. R-1 shift the weight tile in from the
// top, b[j] = W[R-1-c][j] with W[r][j] = Bt[n0+j][k0+r]; then row i takes A[m0+m][k0+i] at fold
// cycle R + m + i. PE (i, j) adds its input times its weight to the partial sum from above, so
// the sum of input row m leaves the bottom of column j at fold cycle 2R - 1 + m + j.
void SystolicArray::traceFoldWS(uint64_t t0, const FoldTask& t, uint64_t cycles) {
  const Fold& f = t.fold;
  const GroupGemm& g = *t.gemm;
  const int R = core_.rows(), Cc = core_.cols();
  const uint64_t seq = foldSeq_++;
  tracer_->emit(TraceBlock::PeArray, "fold", t0,
                {tracer_->layer(), f.group, seq, f.m0, f.n0, f.k0, f.mlen, f.nlen, f.klen, cycles});
  auto w = [&](int64_t r, int64_t j) -> int32_t { return (r < f.klen && j < f.nlen) ? g.Bt[(f.n0 + j) * g.K + f.k0 + r] : 0; };
  auto x = [&](int64_t m, int64_t i) -> int32_t { return (m >= 0 && m < f.mlen && i < f.klen) ? g.A[(f.m0 + m) * g.K + f.k0 + i] : 0; };
  std::vector<int32_t> a(static_cast<size_t>(R)), b(static_cast<size_t>(Cc)), m(static_cast<size_t>(Cc)), psum(static_cast<size_t>(Cc));
  const int64_t edgeCycles = 2 * int64_t(R) + f.mlen - 1;
  // Edges and the sums leaving the bottom interleave in cycle order (records stay in cycle order).
  for (int64_t c = 0; c < int64_t(cycles); ++c) {
    if (c < edgeCycles) {
      for (int i = 0; i < R; ++i) a[static_cast<size_t>(i)] = c < R ? 0 : x(c - R - i, i);
      for (int j = 0; j < Cc; ++j) b[static_cast<size_t>(j)] = c < R ? w(R - 1 - c, j) : 0;
      tracer_->emit(TraceBlock::PeArray, "edge", t0 + static_cast<uint64_t>(c), {seq, a, b});
    }
    if (c < 2 * int64_t(R) - 1) continue;
    for (int j = 0; j < Cc; ++j) {
      const int64_t row = c - (2 * R - 1) - j;
      const bool live = row >= 0 && row < f.mlen;
      uint32_t s = 0;
      for (int r = 0; live && r < R; ++r) s += static_cast<uint32_t>(x(row, r) * w(r, j));
      m[static_cast<size_t>(j)] = live ? static_cast<int32_t>(row) : -1;
      psum[static_cast<size_t>(j)] = static_cast<int32_t>(s);
    }
    tracer_->emit(TraceBlock::PeArray, "psum_out", t0 + static_cast<uint64_t>(c), {seq, m, psum});
  }
  if (tracer_->on(TraceBlock::PeState)) traceStateWS(t0, seq, f, g, cycles);
}

// WS pe_state: PE (i, j)'s partial-sum register after fold cycle c holds input row
// m = c - R - i - j's sum over the array rows 0..i (0 while no input row passes it).
void SystolicArray::traceStateWS(uint64_t t0, uint64_t seq, const Fold& f, const GroupGemm& g, uint64_t cycles) {
  const int R = core_.rows(), Cc = core_.cols();
  std::vector<int32_t> acc(static_cast<size_t>(R * Cc), 0);
  for (uint64_t c = 0; c < cycles; ++c) {
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < Cc; ++j) {
        const int64_t m = int64_t(c) - R - i - j;
        uint32_t s = 0;
        if (m >= 0 && m < f.mlen && j < f.nlen)
          for (int64_t r = 0; r <= i && r < f.klen; ++r)
            s += static_cast<uint32_t>(int32_t(g.A[(f.m0 + m) * g.K + f.k0 + r]) * int32_t(g.Bt[(f.n0 + j) * g.K + f.k0 + r]));
        acc[static_cast<size_t>(i * Cc + j)] = static_cast<int32_t>(s);
      }
    tracer_->emit(TraceBlock::PeState, "acc", t0 + c, {seq, c, acc});
  }
}

}  // namespace sparsesim
