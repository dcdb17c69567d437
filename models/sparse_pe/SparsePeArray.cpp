#include "models/sparse_pe/SparsePeArray.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "models/common/ArrayRunLoop.h"
#include "models/common/Cycles.h"
#include "models/common/TraceSink.h"
#include "models/sparse_pe/SparsePeFoldPool.h"
#include "models/sparse_pe/RunDot.h"
#include "sim/core/HostThreads.h"

namespace sparsesim {

SparseOperand makeSparseOperand(std::vector<int64_t> ptr, std::vector<int32_t> k, std::vector<int8_t> val) {
  SparseOperand o{std::move(ptr), std::move(k), std::move(val), {}};
  o.run.resize(o.k.size());
  for (size_t v = 0; v + 1 < o.ptr.size(); ++v)
    consecutiveRuns(o.k.data() + o.ptr[v], o.ptr[v + 1] - o.ptr[v], o.run.data() + o.ptr[v]);
  return o;
}

void consecutiveRuns(const int32_t* k, int64_t len, int32_t* run) {
  // run[p] = end - p, end the first break after p (no chain through the stored run[p + 1]).
  int64_t end = len;
  for (int64_t p = len - 1; p >= 0; --p) {
    if (p + 1 < len && k[p + 1] != k[p] + 1) end = p + 1;
    run[p] = int32_t(end - p);
  }
}

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
    : R_(rows), C_(cols), cfg_(c) {
  active_.reserve(size_t(rows) * cols);
  slot_.resize(size_t(rows) * cols);
  inRun_.resize(size_t(rows) * cols);
  for (int ax = 0; ax < 2; ++ax) {
    const size_t n = size_t(ax == 0 ? rows : cols);
    for (std::vector<int64_t>* v : {&tail_[ax], &min_[ax], &runCnt_[ax], &runMin_[ax], &runMax_[ax]}) v->resize(n);
    dirty_[ax].resize(n);
  }
}

namespace {

constexpr int64_t kNone = std::numeric_limits<int64_t>::max();
constexpr int32_t kPadA = std::numeric_limits<int32_t>::max() - 1, kPadB = std::numeric_limits<int32_t>::max();
// Shortest run of head matches worth taking out of per-cycle stepping.
constexpr int64_t kMinRun = 8;

struct Pops {
  int64_t a, b;
  bool match;
};

// One cycle of a PE's index-matching unit on windows of na >= 1 and nb >= 1 entries at heads x, y.
template <int WC>
inline Pops matchWindows(const SparseStream& a, const SparseStream& b, int64_t x, int64_t y, int64_t na, int64_t nb,
                         int W, int32_t& acc) {
  int32_t wa[WC ? WC : 64], wb[WC ? WC : 64];
  // The two windows, padded with values that never match.
  // (Loads stay inside the windows; the selects compile to conditional moves.)
  for (int u = 0; u < W; ++u) {
    const int32_t ka = a.k[x + std::min<int64_t>(u, na - 1)];
    const int32_t kb = b.k[y + std::min<int64_t>(u, nb - 1)];
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
  const int32_t prod = int32_t(a.val[x + std::max<int64_t>(popA, 1) - 1]) * int32_t(b.val[y + std::max<int64_t>(popB, 1) - 1]);
  acc += match ? prod : 0;
  return Pops{popA, popB, match};
}

#if defined(__SSE2__)
// Match width 4 (the shipped configs) with the four-by-four comparator as SSE2 compares: the same
// windows, the same smallest common k, the same pops.
inline __m128i window4(const int32_t* k, int64_t n, int32_t pad) {
  if (n >= 4) return _mm_loadu_si128(reinterpret_cast<const __m128i*>(k));
  return _mm_set_epi32(n > 3 ? k[3] : pad, n > 2 ? k[2] : pad, n > 1 ? k[1] : pad, k[0]);
}
inline int lanes(__m128i m) { return _mm_movemask_ps(_mm_castsi128_ps(m)); }

inline Pops matchWindows4Sse(const SparseStream& a, const SparseStream& b, int64_t x, int64_t y, int64_t na,
                             int64_t nb, int32_t& acc) {
  const __m128i wa = window4(a.k + x, na, kPadA), wb = window4(b.k + y, nb, kPadB);
  const __m128i in = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi32(wa, wb), _mm_cmpeq_epi32(wa, _mm_shuffle_epi32(wb, 0x39))),
                                  _mm_or_si128(_mm_cmpeq_epi32(wa, _mm_shuffle_epi32(wb, 0x4E)),
                                               _mm_cmpeq_epi32(wa, _mm_shuffle_epi32(wb, 0x93))));
  const int hits = lanes(in);  // bit u: wa[u] is in both windows; the windows ascend, so the lowest is the smallest
  int32_t tA, tB;
  if (hits) {
    tA = tB = a.k[x + __builtin_ctz(unsigned(hits))];
  } else {
    tA = b.k[y + nb - 1];
    tB = a.k[x + na - 1];
  }
  // The windows ascend (padding included), so the lanes above the threshold are the top ones and
  // the pops are the lowest set lane of that mask (bsf: no popcount instruction in baseline x86-64).
  const int64_t popA = __builtin_ctz(unsigned(lanes(_mm_cmpgt_epi32(wa, _mm_set1_epi32(tA)))) | 16u);
  const int64_t popB = __builtin_ctz(unsigned(lanes(_mm_cmpgt_epi32(wb, _mm_set1_epi32(tB)))) | 16u);
  if (hits) acc = int32_t(uint32_t(acc) + uint32_t(int32_t(a.val[x + popA - 1]) * int32_t(b.val[y + popB - 1])));
  return Pops{popA, popB, hits != 0};
}
#endif

// Buses deliver at the end of the cycle, limited by the fullest FIFO of an unfinished PE.
inline void feedBus(int64_t& tail, int64_t minHead, int64_t len, int pesOnBus, int64_t D, int64_t P,
                    SparsePeCounters& cnt) {
  if (minHead == kNone || tail >= len) return;
  const int64_t want = std::min(P, len - tail);
  const int64_t push = std::min(want, D - (tail - minHead));
  if (push < want) ++cnt.bus_blocked_cycles;
  tail += push;
  cnt.bus_entries += uint64_t(push);
  cnt.fifo_writes += uint64_t(push) * uint64_t(pesOnBus);
}

}  // namespace

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

SparsePeCounters SparsePeArrayCore::runFoldReference(const std::vector<SparseStream>& rows,
                                                     const std::vector<SparseStream>& cols, int32_t* out, int64_t ldo) {
  switch (cfg_.match_width) {
    case 1: return runFoldReferenceW<1>(rows, cols, out, ldo);
    case 2: return runFoldReferenceW<2>(rows, cols, out, ldo);
    case 4: return runFoldReferenceW<4>(rows, cols, out, ldo);
    case 8: return runFoldReferenceW<8>(rows, cols, out, ldo);
    default: return runFoldReferenceW<0>(rows, cols, out, ldo);
  }
}

SparsePeCounters SparsePeArrayCore::runFoldTraced(const std::vector<SparseStream>& rows, const std::vector<SparseStream>& cols,
                                                  int32_t* out, int64_t ldo, const SparsePeCycleHook& hook) {
  return runFoldReferenceW<0>(rows, cols, out, ldo, &hook);
}

// WC: the match width as a compile-time constant (0: cfg_.match_width at run time).
template <int WC>
SparsePeCounters SparsePeArrayCore::runFoldReferenceW(const std::vector<SparseStream>& rows,
                                                      const std::vector<SparseStream>& cols, int32_t* out, int64_t ldo,
                                                      const SparsePeCycleHook* hook) {
  const int nr = int(rows.size()), nc = int(cols.size());
  const int W = WC ? WC : cfg_.match_width;
  const int64_t D = cfg_.fifo_depth, P = cfg_.bus_pairs_per_cycle;
  SparsePeCounters cnt;
  active_.clear();
  for (int i = 0; i < nr; ++i)
    for (int j = 0; j < nc; ++j)
      if (rows[size_t(i)].len > 0 && cols[size_t(j)].len > 0) active_.push_back(Pe{i, j, 0, 0, 0, 0, 0, 0, 0});  // else nothing can match
  const int nBus[2] = {nr, nc};
  for (int ax = 0; ax < 2; ++ax) std::fill(tail_[ax].begin(), tail_[ax].begin() + nBus[ax], 0);
  const uint64_t pes = uint64_t(R_) * uint64_t(C_);
  // The trace's view: every PE of the physical array, finished unless it has work.
  SparsePeCycleState st;
  if (hook) {
    const size_t n = size_t(pes);
    st.x.assign(n, 0), st.y.assign(n, 0), st.aFill.assign(n, 0), st.wFill.assign(n, 0);
    st.issue.assign(n, 0), st.done.assign(n, 1), st.acc.assign(n, 0);
    st.rowPush.assign(size_t(R_), 0), st.colPush.assign(size_t(C_), 0);
    for (const Pe& pe : active_) st.done[size_t(pe.i * C_ + pe.j)] = 0;
  }

  while (!active_.empty()) {
    for (int ax = 0; ax < 2; ++ax) std::fill(min_[ax].begin(), min_[ax].begin() + nBus[ax], kNone);
    if (hook) std::fill(st.issue.begin(), st.issue.end(), 0);
    size_t keep = 0;
    for (size_t q = 0; q < active_.size(); ++q) {
      Pe& pe = active_[q];
      const SparseStream& a = rows[size_t(pe.i)];
      const SparseStream& b = cols[size_t(pe.j)];
      const int64_t na = std::min<int64_t>(W, tail_[0][size_t(pe.i)] - pe.x);
      const int64_t nb = std::min<int64_t>(W, tail_[1][size_t(pe.j)] - pe.y);
      if (na <= 0 || nb <= 0) {
        ++cnt.starved_pe_cycles;
      } else {
        ++cnt.active_pe_cycles;
        cnt.comparisons += uint64_t(W) * uint64_t(W);
        const Pops p = matchWindows<WC>(a, b, pe.x, pe.y, na, nb, W, pe.acc);
        cnt.macs += p.match;
        cnt.entries_consumed += uint64_t(p.a + p.b);
        pe.x += p.a;
        pe.y += p.b;
        if (hook) {
          const size_t at = size_t(pe.i * C_ + pe.j);
          st.x[at] = pe.x, st.y[at] = pe.y, st.issue[at] = p.match, st.acc[at] = pe.acc;
        }
        if (pe.x == a.len || pe.y == b.len) {  // finished: nothing left can match
          out[pe.i * ldo + pe.j] += pe.acc;
          if (hook) st.done[size_t(pe.i * C_ + pe.j)] = 1;
          continue;
        }
      }
      min_[0][size_t(pe.i)] = std::min(min_[0][size_t(pe.i)], pe.x);
      min_[1][size_t(pe.j)] = std::min(min_[1][size_t(pe.j)], pe.y);
      if (keep != q) active_[keep] = pe;
      ++keep;
    }
    active_.resize(keep);
    for (int ax = 0; ax < 2; ++ax)
      for (int q = 0; q < nBus[ax]; ++q) {
        const int64_t before = tail_[ax][size_t(q)];
        feedBus(tail_[ax][size_t(q)], min_[ax][size_t(q)], (ax == 0 ? rows : cols)[size_t(q)].len, nBus[1 - ax], D, P, cnt);
        if (hook) (ax == 0 ? st.rowPush : st.colPush)[size_t(q)] = tail_[ax][size_t(q)] - before;
      }
    if (hook) {
      // A finished PE drops what its buses deliver: its FIFOs count as empty.
      for (size_t at = 0; at < st.x.size(); ++at) {
        const int i = int(at) / C_, j = int(at) % C_;
        st.aFill[at] = st.done[at] ? 0 : tail_[0][size_t(i)] - st.x[at];
        st.wFill[at] = st.done[at] ? 0 : tail_[1][size_t(j)] - st.y[at];
      }
      (*hook)(cnt.cycles, st);
    }
    ++cnt.cycles;
  }
  cnt.cycles = std::max<uint64_t>(cnt.cycles, 1);  // the fold occupies the array at least one cycle
  cnt.idle_pe_cycles = cnt.cycles * pes - cnt.active_pe_cycles - cnt.starved_pe_cycles;
  return cnt;
}

// The same machine as runFoldReferenceW, cycle for cycle. A PE in a run (heads matching for the
// next n entries on both sides) behaves the same way every cycle as long as both its windows hold
// at least one entry: one MAC, one pop per side, W^2 comparisons. Such PEs are kept in slot_ and
// charged when the run ends; only the per-bus extremes of their heads are tracked per cycle (for
// the back-pressure and for the empty-FIFO check).
template <int WC>
SparsePeCounters SparsePeArrayCore::runFoldW(const std::vector<SparseStream>& rows, const std::vector<SparseStream>& cols,
                                             int32_t* out, int64_t ldo) {
  const int nr = int(rows.size()), nc = int(cols.size());
  const int W = WC ? WC : cfg_.match_width;
  const int64_t D = cfg_.fifo_depth, P = cfg_.bus_pairs_per_cycle;
  const uint64_t W2 = uint64_t(W) * uint64_t(W);
  SparsePeCounters cnt;
  active_.clear();
  for (int i = 0; i < nr; ++i)
    for (int j = 0; j < nc; ++j)
      if (rows[size_t(i)].len > 0 && cols[size_t(j)].len > 0) {
        // Written field by field in place (a Pe built aside and copied is read back with wide loads
        // from narrow stores, which stalls the store forwarding).
        Pe& pe = active_.emplace_back();
        pe.i = i;
        pe.j = j;
      }
  // Per axis (0: the row buses, activations; 1: the column buses, weights): buses, streams.
  const int nBus[2] = {nr, nc};
  const std::vector<SparseStream>* streams[2] = {&rows, &cols};
  // The PE at place u along bus q of axis ax (the slot index i * nc + j).
  const auto slotOn = [nc](int ax, int q, int u) { return ax == 0 ? q * nc + u : u * nc + q; };
  for (int ax = 0; ax < 2; ++ax) std::fill(tail_[ax].begin(), tail_[ax].begin() + nBus[ax], 0);
  const uint64_t pes = uint64_t(R_) * uint64_t(C_);
  int64_t t = 0;      // the current cycle
  int64_t nRuns = 0;  // PEs in runs
  std::fill(inRun_.begin(), inRun_.begin() + nr * nc, 0);
  // Run ends by cycle: the runs ending at cycle e are a list from wheel_[e & mask] (every pending
  // tend lies within mask of t: a run is shorter than its streams), linked through next_ / prev_
  // per slot; ends at the same cycle leave in any order (a cycle's PE steps do not depend on it).
  int64_t maxLen = 1;
  for (const SparseStream& x : rows) maxLen = std::max(maxLen, x.len);
  for (const SparseStream& x : cols) maxLen = std::max(maxLen, x.len);
  size_t wheelSize = 1;
  while (wheelSize < size_t(maxLen) + 4) wheelSize *= 2;
  if (wheel_.size() < wheelSize) wheel_.resize(wheelSize);
  std::fill(wheel_.begin(), wheel_.begin() + int64_t(wheelSize), -1);
  next_.resize(size_t(nr * nc));
  prev_.resize(size_t(nr * nc));
  const int64_t mask = int64_t(wheelSize) - 1;
  int64_t cursor = 0;  // no pending tend lies below it
  for (int ax = 0; ax < 2; ++ax) {
    std::fill(runCnt_[ax].begin(), runCnt_[ax].begin() + nBus[ax], 0);
    std::fill(dirty_[ax].begin(), dirty_[ax].begin() + nBus[ax], 0);
  }
  dirtyList_.clear();
  // Steady buses (index b: rows 0 .. nr-1, then columns): every unfinished PE on the bus is in a
  // run and the bus delivers exactly one entry per cycle (equally blocked) from cycle
  // steadyFrom[b] to steadyEnd[b] - 1; its tail and counters are brought up to date only when
  // that ends (settle).
  std::vector<int64_t> unfinished(size_t(nr + nc), 0), steadyFrom(size_t(nr + nc), -1), steadyEnd(size_t(nr + nc), 0);
  int64_t steadyBuses = 0;
  for (const Pe& pe : active_) {
    ++unfinished[size_t(pe.i)];
    ++unfinished[size_t(nr + pe.j)];
  }
  auto settle = [&](int b) {
    if (steadyFrom[size_t(b)] < 0) return;
    const int64_t n = t - steadyFrom[size_t(b)];
    const int ax = b < nr ? 0 : 1;
    tail_[ax][size_t(b - ax * nr)] += n;
    cnt.bus_entries += uint64_t(n);
    cnt.fifo_writes += uint64_t(n) * uint64_t(nBus[1 - ax]);
    if (P > 1) cnt.bus_blocked_cycles += uint64_t(n);
    steadyFrom[size_t(b)] = -1;
    --steadyBuses;
  };

  // Bus summary of the run PEs on bus q of axis ax: count, smallest and largest head offset
  // (x0 - t0 on a row bus, y0 - t0 on a column bus).
  auto summarise = [&](int ax, int q) {
    int64_t n = 0, lo = kNone, hi = -kNone;
    for (int u = 0; u < nBus[1 - ax]; ++u) {
      const size_t s = size_t(slotOn(ax, q, u));
      if (!inRun_[s]) continue;
      const Run& r = slot_[s];
      const int64_t off = (ax == 0 ? r.x0 : r.y0) - r.t0;
      ++n;
      lo = std::min(lo, off);
      hi = std::max(hi, off);
    }
    runCnt_[ax][size_t(q)] = n;
    runMin_[ax][size_t(q)] = lo;
    runMax_[ax][size_t(q)] = hi;
    dirty_[ax][size_t(q)] = 0;
  };
  auto resummarise = [&]() {
    for (const int32_t b : dirtyList_) summarise(b < nr ? 0 : 1, b < nr ? b : b - nr);
    dirtyList_.clear();
  };
  // Length of the run of head matches from heads (x, y) (the first r0 entries known to match),
  // short of the PE's last step (stepped as usual).
  const auto runLength = [](const SparseStream& a, const SparseStream& b, int64_t x, int64_t y, int64_t r0) {
    const int64_t lim = std::min(a.len - x, b.len - y) - 1;
    int64_t r = r0;
    if (a.run && b.run) {
      // Both sides rising by one from the same k: the whole shorter stretch matches. Where
      // one stretch is the shorter, the next k differ (one side rises by one, the other
      // jumps), so the scan ends there without reading them.
      while (r < lim && a.k[x + r] == b.k[y + r]) {
        const int32_t ra = a.run[x + r], rb = b.run[y + r];
        r += std::min(ra, rb);
        if (ra != rb) break;
      }
      return std::min(r, lim);
    }
    while (r < lim && a.k[x + r] == b.k[y + r]) ++r;
    return r;
  };
  auto enterRun = [&](int32_t i, int32_t j, int64_t x0, int64_t y0, int64_t t0, int64_t tend, int32_t acc) {
    const int32_t s = i * nc + j;
    Run& r = slot_[size_t(s)];  // in place, field by field (see the fold's first PEs)
    r.i = i, r.j = j, r.x0 = x0, r.y0 = y0, r.t0 = t0, r.tend = tend, r.acc = acc;
    inRun_[size_t(s)] = 1;
    ++nRuns;
    int32_t& head = wheel_[size_t(r.tend & mask)];
    next_[size_t(s)] = head;
    prev_[size_t(s)] = -1;
    if (head >= 0) prev_[size_t(head)] = s;
    head = s;
    cursor = nRuns == 1 ? r.tend : std::min(cursor, r.tend);  // (the cursor is stale while no run is pending)
    for (int ax = 0; ax < 2; ++ax) {
      const size_t q = size_t(ax == 0 ? r.i : r.j);
      const int64_t off = (ax == 0 ? r.x0 : r.y0) - r.t0;
      if (runCnt_[ax][q]++ == 0) runMin_[ax][q] = kNone, runMax_[ax][q] = -kNone;
      runMin_[ax][q] = std::min(runMin_[ax][q], off);
      runMax_[ax][q] = std::max(runMax_[ax][q], off);
    }
  };
  // Ends run s at cycle t: its cycles so far are charged and its accumulator returned; the buses'
  // summaries are marked where it held an extreme. The caller settles the buses it needs.
  auto closeRun = [&](int32_t s) -> int32_t {
    const Run& r = slot_[size_t(s)];
    const int64_t n = t - r.t0;
    const int32_t acc = int32_t(uint32_t(r.acc) + uint32_t(runDot(rows[size_t(r.i)].val + r.x0, cols[size_t(r.j)].val + r.y0, n)));
    cnt.active_pe_cycles += uint64_t(n);
    cnt.comparisons += uint64_t(n) * W2;
    cnt.macs += uint64_t(n);
    cnt.entries_consumed += 2 * uint64_t(n);
    inRun_[size_t(s)] = 0;
    const int32_t nx = next_[size_t(s)], pv = prev_[size_t(s)];
    (pv >= 0 ? next_[size_t(pv)] : wheel_[size_t(r.tend & mask)]) = nx;
    if (nx >= 0) prev_[size_t(nx)] = pv;
    --nRuns;
    // A bus's summary changes beyond its count only if this run held one of its extremes; then
    // the bus is summarised again (resummarise) before the summary is next read.
    for (int ax = 0; ax < 2; ++ax) {
      const size_t q = size_t(ax == 0 ? r.i : r.j);
      const int64_t off = (ax == 0 ? r.x0 : r.y0) - r.t0;
      if (--runCnt_[ax][q] > 0 && !dirty_[ax][q] && (off == runMin_[ax][q] || off == runMax_[ax][q])) {
        dirty_[ax][q] = 1;
        dirtyList_.push_back(int32_t(ax * nr + int(q)));
      }
    }
    return acc;
  };
  // Back to per-cycle stepping at cycle t: the run's cycles so far are charged.
  auto leaveRun = [&](int32_t s) {
    const Run& r = slot_[size_t(s)];
    settle(r.i);
    settle(nr + r.j);
    const int64_t n = t - r.t0;
    Pe& pe = active_.emplace_back();
    pe.i = r.i, pe.j = r.j, pe.x = r.x0 + n, pe.y = r.y0 + n, pe.retry = r.x0 + n;
    pe.runX = r.x0, pe.runY = r.y0, pe.runEnd = r.x0 + (r.tend - r.t0);
    pe.acc = closeRun(s);
  };
  // Earliest tend among the runs (entries of runs since left or restarted are dropped).
  auto nextEnd = [&]() -> int64_t {
    if (nRuns == 0) return kNone;
    while (wheel_[size_t(cursor & mask)] < 0) ++cursor;
    return cursor;
  };
  // One matching cycle on windows of na >= 1 and nb >= 1 entries at heads x, y (the comparator;
  // the stepped PEs and the gap hop both take it).
  const auto matchAt = [W](const SparseStream& a, const SparseStream& b, int64_t x, int64_t y, int64_t na, int64_t nb,
                           int32_t& acc) -> Pops {
#if defined(__SSE2__)
    return WC == 4 ? matchWindows4Sse(a, b, x, y, na, nb, acc) : matchWindows<WC>(a, b, x, y, na, nb, W, acc);
#else
    return matchWindows<WC>(a, b, x, y, na, nb, W, acc);
#endif
  };
  // A bus's tail at the start of cycle t (a steady bus's stored tail lags by its steady cycles).
  const auto tailNow = [&](int ax, int q) {
    const int64_t from = steadyFrom[size_t(ax * nr + q)];
    return tail_[ax][size_t(q)] + (from >= 0 ? t - from : 0);
  };
  // Run s ends at cycle t, at a short gap in one stream (an activation or weight zero: its heads
  // differ and the cycle pops the gap with the next match) or short of the PE's last step. When
  // that cycle pops at least one entry a side and either finishes the PE or is followed by a run
  // of at least kMinRun matches, the PE does that one cycle here (exactly as stepped: the
  // comparator on its windows at cycle t) and enters the next run at t + 1, or finishes, without
  // a stepped cycle. Its head offset rises by the entries it popped beyond one, so a steady bus on
  // which it may have been the slowest PE is settled (its delivery may change); so is one it
  // leaves by finishing; on the other buses nothing it does differs from a run.
  auto hopGap = [&](int32_t s) -> bool {
    const Run& r = slot_[size_t(s)];
    const SparseStream& a = rows[size_t(r.i)];
    const SparseStream& b = cols[size_t(r.j)];
    const int64_t n = t - r.t0, x = r.x0 + n, y = r.y0 + n;
    const int64_t na = std::min<int64_t>(W, tailNow(0, r.i) - x), nb = std::min<int64_t>(W, tailNow(1, r.j) - y);
    if (na <= 0 || nb <= 0) return false;
    int32_t mac = 0;
    const Pops p = matchAt(a, b, x, y, na, nb, mac);
    const int64_t x1 = x + p.a, y1 = y + p.b;
    if (p.a < 1 || p.b < 1) return false;
    const int32_t i = r.i, j = r.j;
    const int64_t offs[2] = {r.x0 - r.t0, r.y0 - r.t0};
    // A steady bus on which this PE may have been the slowest (or whose summary is pending)
    // changes its delivery when the PE pops more than one entry or finishes: it is settled.
    const auto settleIfSlowest = [&](int ax) {
      const int q = ax == 0 ? i : j;
      if (steadyFrom[size_t(ax * nr + q)] >= 0 && (dirty_[ax][size_t(q)] || offs[ax] <= runMin_[ax][size_t(q)])) settle(ax * nr + q);
    };
    // The PE's last step (a run ends short of it), or the cycle before its next run.
    const bool finishes = x1 == a.len || y1 == b.len;
    int64_t rn = 0;
    if (!finishes) {
      if (a.k[x1] != b.k[y1]) return false;
      rn = runLength(a, b, x1, y1, 0);
      if (rn < kMinRun) return false;
    }
    // (The last unfinished PE of a steady bus is its only run, so its slowest: a bus it leaves
    // by finishing stops delivering.)
    if (p.a > 1 || finishes) settleIfSlowest(0);
    if (p.b > 1 || finishes) settleIfSlowest(1);
    const int32_t acc = int32_t(uint32_t(closeRun(s)) + uint32_t(mac));
    cnt.active_pe_cycles += 1;
    cnt.comparisons += W2;
    cnt.macs += uint64_t(p.match);
    cnt.entries_consumed += uint64_t(p.a + p.b);
    if (finishes) {
      out[i * ldo + j] += acc;
      --unfinished[size_t(i)];
      --unfinished[size_t(nr + j)];
    } else {
      enterRun(i, j, x1, y1, t + 1, t + 1 + rn, acc);
    }
    return true;
  };


  // Followers: stepped PEs whose weight FIFO holds only the entry its column bus delivered last
  // cycle (a border pixel's PE, whose activation stream skips the padded taps, runs ahead of its
  // column and then takes each weight as it arrives). While the weights ahead are consecutive (k
  // rising by one) and its activation FIFO is not empty, a follower's cycle is fixed by its
  // streams: it pops the one weight, and the activation head with it if their k are equal (the
  // head is never below the weight: every entry up to the last popped weight's k is popped).
  // After s such cycles its heads are y0 + s and max(x0, #activations with k < k(y0) + s). When
  // every stepped PE is a follower, every column bus delivers one entry per cycle (its slowest
  // FIFO full, or one pair per cycle) and every other row bus is steady or carries followers only
  // with its slowest FIFO full, the array advances by the closed form to the next cycle at which a
  // run ends, a weight stretch ends or a stream nears its end (followJump). A follower row's bus
  // then delivers what its slowest follower pops (at most one entry a cycle), so its FIFO stays
  // full; the other followers' FIFOs stay non-empty while their heads stay within D - 1 entries
  // of the slowest one, which the k spread of the followers bounds (one activation per k at most).
  std::vector<int64_t> fCnt(size_t(nr + nc), 0), fMinX(size_t(nr), 0), fMaxX(size_t(nr), 0), fMinK(size_t(nr), 0), fMaxK(size_t(nr), 0);
  auto followJump = [&]() -> bool {
    std::fill(fCnt.begin(), fCnt.end(), 0);
    int64_t until = nextEnd();
    for (const Pe& pe : active_) {
      const SparseStream& a = rows[size_t(pe.i)];
      const SparseStream& b = cols[size_t(pe.j)];
      // A stepped PE's buses are not steady, so their stored tails are current.
      if (tail_[1][size_t(pe.j)] - pe.y != 1 || pe.y == 0 || !b.run || b.run[pe.y - 1] < 2 || a.k[pe.x] < b.k[pe.y]) return false;
      until = std::min(until, t + b.run[pe.y - 1] - 1);
      const size_t i = size_t(pe.i);
      const int64_t kk = b.k[pe.y];
      if (fCnt[i]++ == 0) fMinX[i] = fMaxX[i] = pe.x, fMinK[i] = fMaxK[i] = kk;
      fMinX[i] = std::min(fMinX[i], pe.x), fMaxX[i] = std::max(fMaxX[i], pe.x);
      fMinK[i] = std::min(fMinK[i], kk), fMaxK[i] = std::max(fMaxK[i], kk);
      ++fCnt[size_t(nr + pe.j)];
    }
    for (int b = 0; b < nr + nc; ++b) {
      if (unfinished[size_t(b)] == 0) continue;
      if (steadyFrom[size_t(b)] >= 0) {
        until = std::min(until, steadyEnd[size_t(b)]);
        continue;
      }
      const int ax = b < nr ? 0 : 1;
      const size_t q = size_t(b - ax * nr);
      const int64_t tail = tail_[ax][q], len = (*streams[ax])[q].len, runs = runCnt_[ax][q];
      if (runs + fCnt[size_t(b)] != unfinished[size_t(b)] || len - tail - P < 1) return false;
      until = std::min(until, t + (len - tail - P));
      if (ax == 0) {
        // Followers only, the slowest FIFO full, the heads close enough that none runs dry.
        if (runs > 0 || tail != fMinX[q] + D || fMaxX[q] - fMinX[q] > D - 1 || fMaxK[q] - fMinK[q] > D - 1)
          return false;
      } else {
        // Every PE pops one weight per cycle; the slowest holds D entries (or one pair per cycle).
        int64_t head = fCnt[size_t(b)] > 0 ? tail - 1 : kNone;
        if (runs > 0) {
          if (tail - (runMax_[1][q] + t) < 1) return false;
          head = std::min(head, runMin_[1][q] + t);
        }
        if (!(P == 1 || tail - head == D)) return false;
      }
    }
    if (until <= t) return false;
    const int64_t n = until - t;
    for (int i = 0; i < nr; ++i) fMaxX[size_t(i)] = kNone;  // the followers' smallest row head after the jump
    for (Pe& pe : active_) {
      const SparseStream& a = rows[size_t(pe.i)];
      const SparseStream& b = cols[size_t(pe.j)];
      const int32_t k0 = b.k[pe.y];
      const int64_t xe = std::lower_bound(a.k + pe.x, a.k + std::min(a.len, pe.x + n), int32_t(k0 + n)) - a.k;
      // Activation u meets weight y + (k(u) - k0). (A border pixel's activation stretches are a
      // few taps long: one loop over the activations costs less than a dot product per stretch.)
      uint32_t acc = uint32_t(pe.acc);
      const int64_t base = pe.y - k0;
      for (int64_t u = pe.x; u < xe; ++u) acc += uint32_t(int32_t(a.val[u]) * int32_t(b.val[base + a.k[u]]));
      pe.acc = int32_t(acc);
      const uint64_t m = uint64_t(xe - pe.x);
      cnt.active_pe_cycles += uint64_t(n);
      cnt.comparisons += uint64_t(n) * W2;
      cnt.macs += m;
      cnt.entries_consumed += uint64_t(n) + m;
      pe.x = xe;
      pe.y += n;
      fMaxX[size_t(pe.i)] = std::min(fMaxX[size_t(pe.i)], xe);
    }
    for (int b = 0; b < nr + nc; ++b) {
      if (unfinished[size_t(b)] == 0 || steadyFrom[size_t(b)] >= 0) continue;
      if (b < nr) {
        // The bus delivered what the slowest follower popped, at most one entry a cycle; it held
        // pairs back every cycle it delivered fewer than P.
        const int64_t d = fMaxX[size_t(b)] - fMinX[size_t(b)];
        tail_[0][size_t(b)] += d;
        cnt.bus_entries += uint64_t(d);
        cnt.fifo_writes += uint64_t(d) * uint64_t(nc);
        cnt.bus_blocked_cycles += uint64_t(P > 1 ? n : n - d);
      } else {
        tail_[1][size_t(b - nr)] += n;
        cnt.bus_entries += uint64_t(n);
        cnt.fifo_writes += uint64_t(n) * uint64_t(nr);
        if (P > 1) cnt.bus_blocked_cycles += uint64_t(n);
      }
    }
    cnt.cycles += uint64_t(n);
    followed_ += uint64_t(n);
    t = until;
    return true;
  };

  // The fold's first two cycles without stepping. At cycle 0 every FIFO is empty: every PE with
  // work is starved and every bus with work delivers its first entries. At cycle 1 a PE whose
  // first heads match does what it would do stepped (one MAC, then a run from its second entries
  // if that is long enough), so it enters the run at once, the run counting cycle 1 as its first;
  // the other PEs are stepped from cycle 1 as usual.
  if (!active_.empty()) {
    cnt.starved_pe_cycles += uint64_t(active_.size());
    for (int ax = 0; ax < 2; ++ax)
      for (int q = 0; q < nBus[ax]; ++q)
        if (unfinished[size_t(ax * nr + q)] > 0)
          feedBus(tail_[ax][size_t(q)], 0, (*streams[ax])[size_t(q)].len, nBus[1 - ax], D, P, cnt);
    t = 1;
    ++cnt.cycles;
    size_t keep = 0;
    for (size_t q = 0; q < active_.size(); ++q) {
      const Pe& pe = active_[q];
      const SparseStream& a = rows[size_t(pe.i)];
      const SparseStream& b = cols[size_t(pe.j)];
      if (a.len >= 2 && b.len >= 2 && a.k[0] == b.k[0] && a.k[1] == b.k[1]) {
        const int64_t r = runLength(a, b, 1, 1, 0);
        if (r >= kMinRun) {
          enterRun(pe.i, pe.j, 0, 0, 1, 2 + r, 0);
          continue;
        }
      }
      if (keep != q) active_[keep] = pe;
      ++keep;
    }
    active_.resize(keep);
  }

  while (!active_.empty() || nRuns > 0) {
    if (nRuns > 0) {
      // Steady buses whose stream nears its end.
      if (steadyBuses > 0)
        for (int b = 0; b < nr + nc; ++b)
          if (steadyFrom[size_t(b)] >= 0 && t >= steadyEnd[size_t(b)]) settle(b);
      // Runs that end now.
      while (nextEnd() <= t) {
        const int32_t s = wheel_[size_t(cursor & mask)];
        if (!hopGap(s)) leaveRun(s);
      }
      resummarise();
      // Runs on a bus whose fastest run PE would find its FIFO empty (never on a steady bus: there
      // the tail and every run head advance together).
      for (int ax = 0; ax < 2; ++ax) {
        for (int q = 0; q < nBus[ax]; ++q)
          if (steadyFrom[size_t(ax * nr + q)] < 0 && runCnt_[ax][size_t(q)] > 0 && tail_[ax][size_t(q)] - (runMax_[ax][size_t(q)] + t) < 1)
            for (int u = 0; u < nBus[1 - ax]; ++u)
              if (inRun_[size_t(slotOn(ax, q, u))]) leaveRun(slotOn(ax, q, u));
        resummarise();
      }
      // Buses that become steady now. Before the pops the slowest PE holds g entries; the bus then
      // delivers min(P, len - tail, D - g + 1): one entry (and equally blocked) every cycle while
      // g == D (or P == 1) and len - tail > P.
      auto trySteady = [&](int b, int64_t tail, int64_t cntRuns, int64_t minOff, int64_t maxOff, int64_t len) {
        if (steadyFrom[size_t(b)] >= 0 || cntRuns == 0 || cntRuns != unfinished[size_t(b)]) return;
        const int64_t g = tail - (minOff + t);
        if (!(P == 1 || g == D) || len - tail - P < 1 || tail - (maxOff + t) < 1) return;
        steadyFrom[size_t(b)] = t;
        steadyEnd[size_t(b)] = t + (len - tail - P);
        ++steadyBuses;
      };
      for (int ax = 0; ax < 2; ++ax)
        for (int q = 0; q < nBus[ax]; ++q)
          trySteady(ax * nr + q, tail_[ax][size_t(q)], runCnt_[ax][size_t(q)], runMin_[ax][size_t(q)], runMax_[ax][size_t(q)],
                    (*streams[ax])[size_t(q)].len);
      // Every unfinished PE in a run and every bus with unfinished PEs steady: nothing changes but a
      // shift by one entry per cycle until a run ends or a steady bus's stream nears its end.
      if (active_.empty() && nRuns > 0) {  // (the last runs may have finished just now)
        bool all = true;
        int64_t until = nextEnd();
        for (int b = 0; b < nr + nc && all; ++b) {
          if (unfinished[size_t(b)] == 0) continue;
          const int ax = b < nr ? 0 : 1;
          if (steadyFrom[size_t(b)] >= 0)
            until = std::min(until, steadyEnd[size_t(b)]);
          else  // a drained bus delivers nothing more, and a run never pops its stream's last entry
            all = tail_[ax][size_t(b - ax * nr)] == (*streams[ax])[size_t(b - ax * nr)].len;
        }
        if (all && until > t) {
          cnt.cycles += uint64_t(until - t);
          t = until;
          continue;
        }
      }
    }

    if (!active_.empty() && followJump()) continue;

    for (int ax = 0; ax < 2; ++ax) std::fill(min_[ax].begin(), min_[ax].begin() + nBus[ax], kNone);
    size_t keep = 0;
    SparsePeCounters step;  // this cycle's PE counters (locals the compiler keeps in registers)
    bool entered = false;
    for (size_t q = 0; q < active_.size(); ++q) {
      Pe& pe = active_[q];
      const SparseStream& a = rows[size_t(pe.i)];
      const SparseStream& b = cols[size_t(pe.j)];
      const int64_t na = std::min<int64_t>(W, tail_[0][size_t(pe.i)] - pe.x);
      const int64_t nb = std::min<int64_t>(W, tail_[1][size_t(pe.j)] - pe.y);
      entered = false;
      if (na <= 0 || nb <= 0) {
        ++step.starved_pe_cycles;
      } else {
        ++step.active_pe_cycles;
        step.comparisons += W2;
        if (a.k[pe.x] == b.k[pe.y]) {  // the heads match: the smallest common k, one pop per side
          pe.acc = int32_t(uint32_t(pe.acc) + uint32_t(int32_t(a.val[pe.x]) * int32_t(b.val[pe.y])));
          ++step.macs;
          step.entries_consumed += 2;
          ++pe.x;
          ++pe.y;
        } else if (b.k[pe.y + nb - 1] < a.k[pe.x]) {
          // The whole weight window lies below the activation head (a PE running ahead of its
          // column bus over the taps its activation stream skips): no match, the window pops.
          step.entries_consumed += uint64_t(nb);
          pe.y += nb;
        } else if (a.k[pe.x + na - 1] < b.k[pe.y]) {  // the same with the sides swapped
          step.entries_consumed += uint64_t(na);
          pe.x += na;
        } else {
          const Pops p = matchAt(a, b, pe.x, pe.y, na, nb, pe.acc);
          step.macs += p.match;
          step.entries_consumed += uint64_t(p.a + p.b);
          pe.x += p.a;
          pe.y += p.b;
        }
        if (pe.x == a.len || pe.y == b.len) {
          out[pe.i * ldo + pe.j] += pe.acc;
          --unfinished[size_t(pe.i)];
          --unfinished[size_t(nr + pe.j)];
          continue;
        }
        if (pe.x >= pe.retry && a.k[pe.x] == b.k[pe.y]) {
          // Length of the run of head matches, short of the PE's last step (stepped as usual).
          int64_t r = 0;
          if (pe.x >= pe.runX && pe.x < pe.runEnd && pe.x - pe.runX == pe.y - pe.runY) r = pe.runEnd - pe.x;
          r = runLength(a, b, pe.x, pe.y, r);
          if (r >= kMinRun) {
            enterRun(pe.i, pe.j, pe.x, pe.y, t + 1, t + 1 + r, pe.acc);
            entered = true;
          } else {
            pe.retry = pe.x + std::max<int64_t>(r, 1);
          }
        }
      }
      min_[0][size_t(pe.i)] = std::min(min_[0][size_t(pe.i)], pe.x);
      min_[1][size_t(pe.j)] = std::min(min_[1][size_t(pe.j)], pe.y);
      if (entered) continue;  // now in a run
      if (keep != q) active_[keep] = pe;
      ++keep;
    }
    active_.resize(keep);
    cnt += step;
    // Heads of run PEs after this cycle's pops: offset + t + 1.
    for (int ax = 0; ax < 2; ++ax)
      for (int q = 0; q < nBus[ax]; ++q) {
        if (steadyFrom[size_t(ax * nr + q)] >= 0) continue;
        if (runCnt_[ax][size_t(q)] > 0) min_[ax][size_t(q)] = std::min(min_[ax][size_t(q)], runMin_[ax][size_t(q)] + t + 1);
        feedBus(tail_[ax][size_t(q)], min_[ax][size_t(q)], (*streams[ax])[size_t(q)].len, nBus[1 - ax], D, P, cnt);
      }
    ++t;
    ++cnt.cycles;
  }
  cnt.cycles = std::max<uint64_t>(cnt.cycles, 1);
  cnt.idle_pe_cycles = cnt.cycles * pes - cnt.active_pe_cycles - cnt.starved_pe_cycles;
  return cnt;
}

SparsePeArray::SparsePeArray(sc_core::sc_module_name name, int rows, int cols, const SparsePeConfig& c)
    : sc_module(name), from_buffer("from_buffer"), to_output("to_output"), core_(rows, cols, c) {
  // The engine that steps every PE every cycle, for comparing whole runs with the default one
  // (tests/sparse_pe_engine); both give the same cycles, counters and outputs.
  const char* e = std::getenv("SPARSESIM_SPARSE_PE_ENGINE");
  stepped_ = e != nullptr && std::string(e) == "stepped";
  SC_HAS_PROCESS(SparsePeArray);
  SC_THREAD(run);
}

SparsePeArray::~SparsePeArray() = default;

void SparsePeArray::beginLayer(const SparsePeLayerData* d, std::vector<Fold> schedule) {
  data_ = d;
  counters_ = SparsePeCounters();
  // The trace and the stepped engine run on the SystemC thread alone.
  if (tracer_ || stepped_ || schedule.size() < 2) return;
  if (!pool_) {
    const int workers = std::min(hostThreads(), 8) - 1;
    if (workers < 1) return;
    pool_ = std::make_unique<SparsePeFoldPool>(core_.rows(), core_.cols(), core_.config(), workers);
  }
  pool_->beginLayer(d, std::move(schedule));
}

void SparsePeArray::endLayer() {
  if (pool_) pool_->endLayer();
}

void foldStreams(const SparsePeLayerData& d, const Fold& f, std::vector<SparseStream>& rows, std::vector<SparseStream>& cols) {
  const SparseOperand& a = d.activations[size_t(f.group)];
  const SparseOperand& b = d.weights[size_t(f.group)];
  rows.clear();
  cols.clear();
  for (int64_t i = 0; i < f.mlen; ++i) rows.push_back(a.stream(f.m0 + i));
  for (int64_t j = 0; j < f.nlen; ++j) cols.push_back(b.stream(f.n0 + j));
}

void SparsePeArray::run() {
  std::vector<SparseStream> rows, cols;
  std::vector<int64_t> rowTail, colTail;
  runFoldLoop(from_buffer, to_output, [&](FoldTask& t) {
    const Fold& f = t.fold;
    const int64_t ldc = t.gemm->N;
    int32_t* out = t.C + f.m0 * ldc + f.n0;
    SparsePeCounters c;
    if (tracer_) {
      // The stepped engine, every cycle recorded; it equals runFold in every counter and output.
      foldStreams(*data_, f, rows, cols);
      const uint64_t t0 = nowCycles(), seq = foldSeq_++;
      std::vector<int64_t> alen(size_t(core_.rows()), 0), wlen(size_t(core_.cols()), 0);
      for (size_t i = 0; i < rows.size(); ++i) alen[i] = rows[i].len;
      for (size_t j = 0; j < cols.size(); ++j) wlen[j] = cols[j].len;
      rowTail.assign(size_t(core_.rows()), 0), colTail.assign(size_t(core_.cols()), 0);
      c = core_.runFoldTraced(rows, cols, out, ldc, [&](uint64_t cyc, const SparsePeCycleState& s) {
        traceCycle(t0, seq, cyc, s, rows, cols, rowTail, colTail);
      });
      tracer_->emit(TraceBlock::SparsePe, "fold", t0, {tracer_->layer(), f.group, seq, f.m0, f.n0, f.mlen, f.nlen, c.cycles, alen, wlen});
      for (const TraceRecord& r : cycles_) tracer_->write(r);
      cycles_.clear();
    } else if (stepped_ || !pool_ || !pool_->take(f, core_, out, ldc, c)) {
      foldStreams(*data_, f, rows, cols);
      c = stepped_ ? core_.runFoldReference(rows, cols, out, ldc) : core_.runFold(rows, cols, out, ldc);
    }
    counters_ += c;
    t.stats->macs_issued += c.macs;
    return c.cycles;
  });
}

void SparsePeArray::attachTracer(TraceSink& t) {
  if (!t.on(TraceBlock::SparsePe)) return;
  tracer_ = &t;
  const SparsePeConfig& c = core_.config();
  t.setParams(TraceBlock::SparsePe, {{"rows", core_.rows()}, {"cols", core_.cols()}, {"fifo_depth", c.fifo_depth},
                                     {"match_width", c.match_width}, {"bus_pairs_per_cycle", c.bus_pairs_per_cycle},
                                     {"index_bits", c.index_bits}});
}

// One cycle: what each bus delivered at its end (P entries a bus, unused ones 0, count in a_n /
// w_n), then every PE's state after it. Held until the fold's record (which carries the cycle
// count) is written, so the block's records stay in cycle order.
void SparsePeArray::traceCycle(uint64_t t0, uint64_t fold, uint64_t c, const SparsePeCycleState& s, const std::vector<SparseStream>& rows,
                               const std::vector<SparseStream>& cols, std::vector<int64_t>& rowTail, std::vector<int64_t>& colTail) {
  const int P = core_.config().bus_pairs_per_cycle;
  auto bus = [P](const std::vector<SparseStream>& st, const std::vector<int64_t>& push, std::vector<int64_t>& tail,
                 std::vector<int64_t>& n, std::vector<int64_t>& k, std::vector<int64_t>& v) {
    n.assign(push.size(), 0), k.assign(push.size() * size_t(P), 0), v.assign(push.size() * size_t(P), 0);
    for (size_t q = 0; q < push.size(); ++q) {
      n[q] = push[q];
      for (int64_t e = 0; e < push[q]; ++e) {
        k[q * size_t(P) + size_t(e)] = st[q].k[tail[q] + e];
        v[q * size_t(P) + size_t(e)] = st[q].val[tail[q] + e];
      }
      tail[q] += push[q];
    }
  };
  std::vector<int64_t> an, ak, av, wn, wk, wv;
  bus(rows, s.rowPush, rowTail, an, ak, av);
  bus(cols, s.colPush, colTail, wn, wk, wv);
  const int evBus = traceEventIndex(TraceBlock::SparsePe, "bus"), evPe = traceEventIndex(TraceBlock::SparsePe, "pe");
  cycles_.push_back(TraceRecord{t0 + c, TraceBlock::SparsePe, evBus, {fold, c, an, ak, av, wn, wk, wv}});
  cycles_.push_back(TraceRecord{t0 + c, TraceBlock::SparsePe, evPe, {fold, c, s.x, s.y, s.aFill, s.wFill, s.issue, s.done, s.acc}});
}

}  // namespace sparsesim
