// The register-level engine of SystolicArrayCore (runStepped): every PE's registers at every
// cycle, stored so that one cycle's updates of a PE row are one contiguous run of lanes.
//
// Layout. A register that moves one PE per cycle is stored as a delay line indexed by the cycle
// its slot entered the array: the slot does not move in memory, the PE that holds it does. The
// array is visited one line of PEs at a time (OS: a PE column, WS: a PE row) whose lanes run
// against the data flow (lane l is PE R-1-l of the column, or C-1-l of the row), which puts the
// slots that line's PEs hold at one cycle at consecutive addresses of the delay lines. Lanes are
// padded to a multiple of kBlock; the padding lanes stand for no PE and only ever hold empty slots.
//
// Every cycle visits each PE row whose registers hold a live slot, in blocks of kBlock lanes;
// a block whose PEs all hold empty slots (value 0, not live) is not visited, since updating it
// would add 0 and set nothing live. What is visited updates every register of the block at once,
// which GCC's vectoriser turns into one vector operation per register kind.
#include "models/common/SystolicArray.h"

#include <algorithm>
#include <cstring>

// The vector helpers below are always inlined into the multi-versioned kernels, so the ABI of a
// vector argument in a baseline-ISA call (what -Wpsabi warns about) never applies.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace sparsesim {

namespace {

constexpr int kBlock = 16;  // lanes updated together; a multiple of every vector width used
constexpr int kEdge = kBlock;  // empty slots stored before and after each delay line

// Exact integer arithmetic, so each machine's widest vectors give the same registers: AVX-512 or
// AVX2 where the CPU has it (GCC's function multi-versioning picks at load time), else baseline.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SPARSESIM_STEP_VECTORS __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define SPARSESIM_STEP_VECTORS
#endif

// One block's registers as GCC vector types: each machine's clone maps them to its own vectors.
// Operand registers are held as 32-bit words (int8 values) so a PE's multiply-accumulate is one
// word multiply and add, with no widening step.
typedef int8_t Flags __attribute__((vector_size(kBlock)));
typedef int32_t Words __attribute__((vector_size(4 * kBlock)));

template <class V, class T>
[[gnu::always_inline]] inline V load(const T* p) { V v; std::memcpy(&v, p, sizeof v); return v; }
[[gnu::always_inline]] inline void addTo(int32_t* p, Words v) { std::memcpy(p, &(v += load<Words>(p)), sizeof v); }
[[gnu::always_inline]] inline bool anyLane(Flags v) {
  uint64_t w[2];
  std::memcpy(w, &v, sizeof w);
  return (w[0] | w[1]) != 0;
}

int paddedLanes(int cols) { return (cols + kBlock - 1) / kBlock * kBlock; }

// The blocks [lo, hi) of a PE row whose lane l holds slot index first + l, when slots
// 0 .. count-1 are the live ones (the row is visited only when some lane holds one).
[[gnu::always_inline]] inline void liveBlocks(int64_t first, int64_t count, int blocks, int& lo, int& hi) {
  const int64_t before = -first - (kBlock - 1);  // lanes before the first block that can be live
  lo = before > 0 ? int((before + kBlock - 1) / kBlock) : 0;
  hi = int(std::min<int64_t>(blocks, (count - 1 - first) / kBlock + 1));
}

// OS's a entry rows for one a tile, with the tile they were built from.
struct SkewedTile {
  int R = 0;
  int64_t mlen = -1, klen = -1;
  std::vector<int8_t> source, live;
  std::vector<int32_t> val;
};

// One cycle's visit: for each line of PEs (g in [0, lines)) holding a live slot, visit(g, e, first,
// lo, hi): e = t - g is the entry row the skewed register kind is read from, lane l holds slot
// first + l of the line's own delay line, and blocks [lo, hi) may hold live slots (slots
// 0 .. slots-1 are the live ones).
template <class Visit>
[[gnu::always_inline]] inline void forLiveLines(int64_t t, int lines, int lanes, int64_t slots, int blocks, Visit&& visit) {
  const int64_t lastEntry = slots - 1 + lanes - 1;  // a line holds live slots while t - g is in [0, lastEntry]
  const int64_t gHi = std::min<int64_t>(lines - 1, t);
  for (int64_t g = std::max<int64_t>(0, t - lastEntry); g <= gHi; ++g) {
    const int64_t e = t - g, first = e - (lanes - 1);
    int lo, hi;
    liveBlocks(first, slots, blocks, lo, hi);
    visit(g, e, first, lo, hi);
  }
}

struct Scratch {
  std::vector<int32_t> aVal, bVal, w, acc;
  std::vector<int8_t> aLive, bLive;
  SkewedTile a;
};
// Reused from fold to fold (and per thread: sweeps may run points on several threads).
thread_local Scratch tScratch;

template <class T>
T* sized(std::vector<T>& v, size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

// OS: PE (i, j) at cycle t holds a's slot k = t - i - j of row i and b's slot k of column j.
// Visited column by column, lane l of a column being PE row R-1-l:
//   bVal/bLive: column j's b line, slot k at j * lineLen + kEdge + k.
//   aVal/aLive: one row of L lanes per cycle s a slot entered the left edge of the array; row
//               i's slot k entered at s = i + k and sits at s * L + (R - 1 - i).
//   acc:        PE (i, j)'s accumulator at j * L + (R - 1 - i).
// At cycle t, PE column j reads its b slots from k = t - j - (R - 1) on, and a's entry row t - j.
// a is the skewed operand because the schedule's consecutive folds share their a tile.
SPARSESIM_STEP_VECTORS
uint64_t osCycles(int R, int C, int L, int64_t K, const int32_t* bVal, const int8_t* bLive, int64_t lineLen,
                  const int32_t* aVal, const int8_t* aLive, int32_t* acc) {
  const int blocks = L / kBlock;
  uint64_t lastLive = 0;
  bool anyLive = false;
  for (int64_t t = 0; t <= K + R + C; ++t) {
    Flags live = {};
    forLiveLines(t, C, R, K, blocks, [&](int64_t j, int64_t s, int64_t first, int lo, int hi) __attribute__((always_inline)) {
      const int32_t* __restrict b = bVal + j * lineLen + kEdge + first;
      const int8_t* __restrict bL = bLive + j * lineLen + kEdge + first;
      const int32_t* __restrict a = aVal + s * L;
      const int8_t* __restrict aL = aLive + s * L;
      int32_t* __restrict ac = acc + j * L;
      for (int blk = lo; blk < hi; ++blk) {
        const int o = blk * kBlock;
        live |= load<Flags>(aL + o) | load<Flags>(bL + o);
        // Every PE multiplies its two operand registers each cycle, as the hardware's does: an
        // empty slot holds 0, so it adds nothing.
        addTo(ac + o, load<Words>(a + o) * load<Words>(b + o));
      }
    });
    if (anyLane(live)) { lastLive = uint64_t(t); anyLive = true; }
    else if (anyLive) break;
  }
  return lastLive + 1;
}

// WS stream phase (after the R weight-load cycles): PE (i, j) at stream cycle t holds input row
// m = t - i - j's slot of array row i, and that row's partial sum over array rows 0..i.
//   aVal/aLive: array row i's input line, row m at i * lineLen + kEdge + m.
//   wLine:      the weight delay line after the load: PE (i, j)'s weight at (R-1-i) * L + (C-1-j).
//   psum:       the partial sum of input row m in column j at (m + j) * L + (C - 1 - j): PE row i
//               at stream cycle t updates entry row t - i, which row i + 1 updates next cycle.
// The bottom row's sums leave into out (the group's C) the cycle they are complete.
SPARSESIM_STEP_VECTORS
uint64_t wsStreamCycles(int R, int C, int L, int64_t mlen, int64_t nlen, const int32_t* aVal, const int8_t* aLive,
                        int64_t lineLen, const int32_t* wLine, int32_t* psum, int32_t* out, int64_t outStride) {
  const int blocks = L / kBlock;
  const int64_t lastEntry = mlen - 1 + C - 1;
  uint64_t lastLive = 0;
  bool anyLive = false;
  for (int64_t t = 0;; ++t) {
    Flags live = {};
    forLiveLines(t, R, C, mlen, blocks, [&](int64_t i, int64_t s, int64_t first, int lo, int hi) __attribute__((always_inline)) {
      const int32_t* __restrict a = aVal + i * lineLen + kEdge + first;
      const int8_t* __restrict aL = aLive + i * lineLen + kEdge + first;
      const int32_t* __restrict wr = wLine + (R - 1 - i) * L;
      int32_t* __restrict p = psum + s * L;
      for (int blk = lo; blk < hi; ++blk) {
        const int o = blk * kBlock;
        live |= load<Flags>(aL + o);
        // The PE adds its input times its weight to the sum from above: an empty input slot holds
        // 0, and the sum register of an empty slot is never read out.
        addTo(p + o, load<Words>(a + o) * load<Words>(wr + o));
      }
    });
    // The bottom row's live sums leave the array (columns past nlen are the tile's idle ones).
    const int64_t s = t - (R - 1);
    if (s >= 0 && s <= lastEntry)
      for (int64_t j = 0; j < std::min<int64_t>(C, nlen); ++j) {
        const int64_t m = s - j;
        if (m >= 0 && m < mlen) out[m * outStride + j] += psum[s * L + (C - 1 - j)];
      }
    if (anyLane(live)) { lastLive = uint64_t(t); anyLive = true; }
    else if (anyLive || t > lastEntry + R) break;
  }
  return lastLive;
}

// Fills the delay line of one row: slots 0 .. count-1 live, taken from src[q * stride] (or 0 for
// a padding row, src null); kEdge empty slots on either side.
void fillLine(int32_t* val, int8_t* live, const int8_t* src, int64_t stride, int64_t count) {
  std::fill(val, val + kEdge, 0);
  if (!src) std::fill(val + kEdge, val + kEdge + count, 0);
  else if (stride == 1) std::copy_n(src, count, val + kEdge);
  else for (int64_t q = 0; q < count; ++q) val[kEdge + q] = src[q * stride];
  std::fill(val + kEdge + count, val + kEdge + count + kEdge, 0);
  std::memset(live, 0, size_t(kEdge));
  std::memset(live + kEdge, -1, size_t(count));
  std::memset(live + kEdge + count, 0, size_t(kEdge));
}

}  // namespace

uint64_t SystolicArrayCore::steppedOS(const GroupGemm& g, const Fold& f, int32_t* C) const {
  const int R = R_, Cc = C_, L = paddedLanes(R_);
  const int64_t K = f.klen, lineLen = K + 2 * kEdge, entries = K + R - 1;
  Scratch& s = tScratch;
  // Rows past mlen and columns past nlen carry padding: live slots of value 0.
  int32_t* bVal = sized(s.bVal, size_t(Cc * lineLen));
  int8_t* bLive = sized(s.bLive, size_t(Cc * lineLen));
  for (int j = 0; j < Cc; ++j)
    fillLine(bVal + j * lineLen, bLive + j * lineLen, j < f.nlen ? g.Bt.data() + (f.n0 + j) * g.K + f.k0 : nullptr, 1, K);
  // The a entry rows depend on the a tile alone: rebuilt only when the tile's values differ
  // from the previous fold's (compared in full, so equal contents are the only reuse).
  SkewedTile& a = s.a;
  bool same = a.R == R && a.mlen == f.mlen && a.klen == K;
  for (int64_t i = 0; same && i < f.mlen; ++i)
    same = std::memcmp(a.source.data() + i * K, g.A.data() + (f.m0 + i) * g.K + f.k0, size_t(K)) == 0;
  if (!same) {
    a.R = R; a.mlen = f.mlen; a.klen = K;
    a.source.resize(size_t(f.mlen * K));
    for (int64_t i = 0; i < f.mlen; ++i)
      std::memcpy(a.source.data() + i * K, g.A.data() + (f.m0 + i) * g.K + f.k0, size_t(K));
    a.val.assign(size_t(entries * L), 0);
    a.live.assign(size_t(entries * L), 0);
    for (int i = 0; i < R; ++i) {
      const size_t lane = size_t(R - 1 - i);
      for (int64_t k = 0; k < K; ++k) a.live[size_t(i + k) * L + lane] = -1;
      if (i >= f.mlen) continue;  // padding row: value 0
      const int8_t* src = a.source.data() + i * K;
      for (int64_t k = 0; k < K; ++k) a.val[size_t(i + k) * L + lane] = src[k];
    }
  }
  int32_t* acc = sized(s.acc, size_t(Cc * L));
  std::fill(acc, acc + Cc * L, 0);
  const uint64_t cycles = osCycles(R, Cc, L, K, bVal, bLive, lineLen, a.val.data(), a.live.data(), acc);
  for (int64_t i = 0; i < f.mlen; ++i)
    for (int64_t j = 0; j < f.nlen; ++j) C[(f.m0 + i) * g.N + f.n0 + j] += acc[size_t(j * L + (R - 1 - i))];
  return cycles;
}

// WS: R cycles shift the weight tile in from the top (at cycle t the top row takes tile row
// R-1-t, so after R cycles row i holds tile row i); the weight registers are a delay line as the
// operands are, so the load moves no data and its end state is read in place. Then input rows
// stream in from the left while partial sums flow down.
uint64_t SystolicArrayCore::steppedWS(const GroupGemm& g, const Fold& f, int32_t* C) const {
  const int R = R_, Cc = C_, L = paddedLanes(C_);
  Scratch& s = tScratch;
  // Weight delay line: entry row e holds what entered the top of each column at cycle e; PE
  // (i, j) holds entry t - i at cycle t, so after the load (t = R-1) entry R-1-i.
  std::vector<int32_t>& wLine = s.w;
  wLine.assign(size_t(R * L), 0);
  for (int e = 0; e < R; ++e) {
    const int64_t r = R - 1 - e;
    if (r >= f.klen) continue;
    for (int64_t j = 0; j < f.nlen; ++j) wLine[size_t(e * L + (Cc - 1 - j))] = g.Bt[(f.n0 + j) * g.K + f.k0 + r];
  }
  const int64_t lineLen = f.mlen + 2 * kEdge, entries = f.mlen + Cc - 1;
  int32_t* aVal = sized(s.aVal, size_t(R * lineLen));
  int8_t* aLive = sized(s.aLive, size_t(R * lineLen));
  // Array rows past klen carry padding: live slots of value 0.
  for (int i = 0; i < R; ++i)
    fillLine(aVal + i * lineLen, aLive + i * lineLen, i < f.klen ? g.A.data() + f.m0 * g.K + f.k0 + i : nullptr, g.K, f.mlen);
  int32_t* psum = sized(s.acc, size_t(entries * L));
  std::fill(psum, psum + entries * L, 0);
  const uint64_t last = wsStreamCycles(R, Cc, L, f.mlen, f.nlen, aVal, aLive, lineLen, wLine.data(), psum,
                                       C + f.m0 * g.N + f.n0, g.N);
  return uint64_t(R) + last + 1;
}

}  // namespace sparsesim
