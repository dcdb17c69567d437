#include "models/sparse_pe/SparsePeArray.h"

#include <algorithm>
#include <limits>

#include "models/common/ArrayRunLoop.h"
#include "models/common/Cycles.h"

namespace sparsesim {

SparsePeCounters& SparsePeCounters::operator+=(const SparsePeCounters& o) {
  cycles += o.cycles;
  macs += o.macs;
  active_pe_cycles += o.active_pe_cycles;
  bus_entries += o.bus_entries;
  fifo_writes += o.fifo_writes;
  comparisons += o.comparisons;
  starved_pe_cycles += o.starved_pe_cycles;
  idle_pe_cycles += o.idle_pe_cycles;
  bus_blocked_cycles += o.bus_blocked_cycles;
  entries_consumed += o.entries_consumed;
  return *this;
}

SparsePeArrayCore::SparsePeArrayCore(int rows, int cols, const SparsePeConfig& c)
    : R_(rows), C_(cols), cfg_(c), tailRow_(size_t(rows)), tailCol_(size_t(cols)), minRow_(size_t(rows)),
      minCol_(size_t(cols)) {
  active_.reserve(size_t(rows) * cols);
}

SparsePeCounters SparsePeArrayCore::runFold(const std::vector<SparseStream>& rows, const std::vector<SparseStream>& cols,
                                            int32_t* out, int64_t ldo) {
  switch (cfg_.match_width) {
    case 1: return runFoldW<1>(rows, cols, out, ldo);
    case 2: return runFoldW<2>(rows, cols, out, ldo);
    case 4: return runFoldW<4>(rows, cols, out, ldo);
    case 8: return runFoldW<8>(rows, cols, out, ldo);
    default: return runFoldW<0>(rows, cols, out, ldo);
  }
}

// WC: the match width as a compile-time constant (0: cfg_.match_width at run time).
template <int WC>
SparsePeCounters SparsePeArrayCore::runFoldW(const std::vector<SparseStream>& rows, const std::vector<SparseStream>& cols,
                                             int32_t* out, int64_t ldo) {
  const int nr = int(rows.size()), nc = int(cols.size());
  const int W = WC ? WC : cfg_.match_width;
  const int64_t D = cfg_.fifo_depth, P = cfg_.bus_pairs_per_cycle;
  constexpr int64_t kNone = std::numeric_limits<int64_t>::max();
  constexpr int32_t kPadA = std::numeric_limits<int32_t>::max() - 1, kPadB = std::numeric_limits<int32_t>::max();
  SparsePeCounters cnt;
  active_.clear();
  for (int i = 0; i < nr; ++i)
    for (int j = 0; j < nc; ++j)
      if (rows[size_t(i)].len > 0 && cols[size_t(j)].len > 0) active_.push_back(Pe{i, j, 0, 0, 0});  // else nothing can match
  std::fill(tailRow_.begin(), tailRow_.begin() + nr, 0);
  std::fill(tailCol_.begin(), tailCol_.begin() + nc, 0);
  const uint64_t pes = uint64_t(R_) * uint64_t(C_);
  int32_t wa[WC ? WC : 64], wb[WC ? WC : 64];

  while (!active_.empty()) {
    std::fill(minRow_.begin(), minRow_.begin() + nr, kNone);
    std::fill(minCol_.begin(), minCol_.begin() + nc, kNone);
    size_t keep = 0;
    for (size_t q = 0; q < active_.size(); ++q) {
      Pe& pe = active_[q];
      const SparseStream& a = rows[size_t(pe.i)];
      const SparseStream& b = cols[size_t(pe.j)];
      const int64_t na = std::min<int64_t>(W, tailRow_[size_t(pe.i)] - pe.x);
      const int64_t nb = std::min<int64_t>(W, tailCol_[size_t(pe.j)] - pe.y);
      if (na <= 0 || nb <= 0) {
        ++cnt.starved_pe_cycles;
      } else {
        ++cnt.active_pe_cycles;
        cnt.comparisons += uint64_t(W) * uint64_t(W);
        // The two windows, padded with values that never match.
        // (Loads stay inside the windows; the selects compile to conditional moves.)
        for (int u = 0; u < W; ++u) {
          const int32_t ka = a.k[pe.x + std::min<int64_t>(u, na - 1)];
          const int32_t kb = b.k[pe.y + std::min<int64_t>(u, nb - 1)];
          wa[u] = u < na ? ka : kPadA;
          wb[u] = u < nb ? kb : kPadB;
        }
        // Smallest k in both windows, if any (all-pairs compare, as the comparator array does).
        int32_t mv = kPadB;
        for (int u = 0; u < W; ++u) {
          int32_t in = 0;
          for (int v = 0; v < W; ++v) in |= int32_t(wa[u] == wb[v]);
          const int32_t m = -in;  // all ones when wa[u] is in both windows (branch-free select)
          mv = std::min(mv, (wa[u] & m) | (kPadB & ~m));
        }
        const bool match = mv != kPadB;
        // Pop everything at or below the match on both sides; without a match, every entry at or
        // below the other window's last k.
        const int32_t tA = match ? mv : wb[nb - 1], tB = match ? mv : wa[na - 1];
        int64_t popA = 0, popB = 0;
        for (int u = 0; u < W; ++u) {
          popA += wa[u] <= tA;
          popB += wb[u] <= tB;
        }
        // The matched pair is the last entry popped on each side (indices kept valid without a
        // match, whose product is then discarded: no data-dependent branch).
        const int32_t prod = int32_t(a.val[pe.x + std::max<int64_t>(popA, 1) - 1]) * int32_t(b.val[pe.y + std::max<int64_t>(popB, 1) - 1]);
        pe.acc += match ? prod : 0;
        cnt.macs += match;
        cnt.entries_consumed += uint64_t(popA + popB);
        pe.x += popA;
        pe.y += popB;
        if (pe.x == a.len || pe.y == b.len) {  // finished: nothing left can match
          out[pe.i * ldo + pe.j] += pe.acc;
          continue;
        }
      }
      minRow_[size_t(pe.i)] = std::min(minRow_[size_t(pe.i)], pe.x);
      minCol_[size_t(pe.j)] = std::min(minCol_[size_t(pe.j)], pe.y);
      if (keep != q) active_[keep] = pe;
      ++keep;
    }
    active_.resize(keep);
    // Buses deliver at the end of the cycle, limited by the fullest FIFO of an unfinished PE.
    auto feed = [&](int64_t& tail, int64_t minHead, int64_t len, int pesOnBus) {
      if (minHead == kNone || tail >= len) return;
      const int64_t want = std::min(P, len - tail);
      const int64_t push = std::min(want, D - (tail - minHead));
      if (push < want) ++cnt.bus_blocked_cycles;
      tail += push;
      cnt.bus_entries += uint64_t(push);
      cnt.fifo_writes += uint64_t(push) * uint64_t(pesOnBus);
    };
    for (int i = 0; i < nr; ++i) feed(tailRow_[size_t(i)], minRow_[size_t(i)], rows[size_t(i)].len, nc);
    for (int j = 0; j < nc; ++j) feed(tailCol_[size_t(j)], minCol_[size_t(j)], cols[size_t(j)].len, nr);
    ++cnt.cycles;
  }
  cnt.cycles = std::max<uint64_t>(cnt.cycles, 1);  // the fold occupies the array at least one cycle
  cnt.idle_pe_cycles = cnt.cycles * pes - cnt.active_pe_cycles - cnt.starved_pe_cycles;
  return cnt;
}

SparsePeArray::SparsePeArray(sc_core::sc_module_name name, int rows, int cols, const SparsePeConfig& c)
    : sc_module(name), from_buffer("from_buffer"), to_output("to_output"), core_(rows, cols, c) {
  SC_HAS_PROCESS(SparsePeArray);
  SC_THREAD(run);
}

void SparsePeArray::run() {
  std::vector<SparseStream> rows, cols;
  runFoldLoop(from_buffer, to_output, [&](FoldTask& t) {
    const Fold& f = t.fold;
    const SparseOperand& a = data_->activations[size_t(f.group)];
    const SparseOperand& b = data_->weights[size_t(f.group)];
    rows.clear();
    cols.clear();
    for (int64_t i = 0; i < f.mlen; ++i) rows.push_back(a.stream(f.m0 + i));
    for (int64_t j = 0; j < f.nlen; ++j) cols.push_back(b.stream(f.n0 + j));
    const int64_t ldc = t.gemm->N;
    SparsePeCounters c = core_.runFold(rows, cols, t.C + f.m0 * ldc + f.n0, ldc);
    counters_ += c;
    t.stats->macs_issued += c.macs;
    return c.cycles;
  });
}

}  // namespace sparsesim
