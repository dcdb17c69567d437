#include "models/cs/KwtaSelector.h"
#include "sim/core/Math.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <deque>
#include <stdexcept>

#include "models/common/Cycles.h"
#include "models/common/TraceSink.h"
#include "sim/workload/Kwta.h"

namespace sparsesim {


KwtaSelectorCore::KwtaSelectorCore(SelectorParams p) : p_(p) {
  if (p_.lanes < 1 || p_.out_width < 1 || p_.bins_per_cycle < 1 || p_.comparators < 1)
    throw std::invalid_argument("KwtaSelectorCore: lanes, out_width, bins_per_cycle and comparators must be >= 1");
}

Selection KwtaSelectorCore::selectGlobal(const int8_t* v, size_t n, size_t k) const {
  Selection s;
  selectOne(v, n, k, 0, s);
  return s;
}

Selection KwtaSelectorCore::selectGrouped(const int8_t* v, size_t n, size_t groupSize, double density, size_t image) const {
  if (groupSize == 0) throw std::invalid_argument("selectGrouped: groupSize must be > 0");
  Selection s;
  const size_t img = image ? image : n;
  for (size_t i0 = 0; i0 < n; i0 += img) {
    const size_t end = std::min(n, i0 + img);
    for (size_t off = i0; off < end; off += groupSize) {
      size_t len = std::min(groupSize, end - off);
      selectOne(v + off, len, kwtaK(density, len), static_cast<uint32_t>(off), s);
    }
  }
  return s;
}

uint64_t KwtaSelectorCore::exposedCycles(const Selection& s, uint64_t fetch) const {
  if (p_.fused && p_.circuit == SelectorCircuit::Threshold) {
    const uint64_t t = s.search_cycles + s.emit_cycles;
    return t > fetch ? t - fetch : 0;
  }
  return (s.load_cycles > fetch ? s.load_cycles - fetch : 0) + s.search_cycles + s.emit_cycles;
}

void KwtaSelectorCore::selectOne(const int8_t* v, size_t n, size_t k, uint32_t base, Selection& out) const {
  out.groups++;
  if (k >= n) {
    out.bypassed_groups++;
    for (size_t i = 0; i < n; ++i) {
      out.indices.push_back(base + static_cast<uint32_t>(i));
      out.values.push_back(v[i]);
    }
    return;
  }
  if (p_.circuit == SelectorCircuit::Bitonic) bitonicOne(v, n, k, base, out);
  else thresholdOne(v, n, k, base, out);
}

void KwtaSelectorCore::thresholdOne(const int8_t* v, size_t n, size_t k, uint32_t base, Selection& out) const {
  const uint64_t W = static_cast<uint64_t>(p_.lanes), E = static_cast<uint64_t>(p_.out_width);
  const uint64_t treeDepth = static_cast<uint64_t>(ceilLog2(p_.lanes));
  const uint64_t tg = traceT0_ + out.cycles;
  if (tracer_) traceInput(v, n, k, base, tg);
  // Pass 1: histogram of magnitudes.
  std::array<uint64_t, 129> hist{};
  for (size_t i = 0; i < n; ++i) hist[std::abs(int(v[i]))]++;
  const uint64_t pass1 = ceilDiv(n, W);
  // Threshold search from the top bin down, B bins per cycle.
  uint64_t above = 0;
  int t = 128;
  for (; t > 0; --t) {
    if (above + hist[t] >= k) break;
    above += hist[t];
  }
  const uint64_t binsScanned = static_cast<uint64_t>(129 - t);
  // The scan compares the running count with k once per bin; pass 2 compares every element
  // with the threshold.
  out.comparisons += binsScanned + n;
  const uint64_t search = treeDepth + ceilDiv(binsScanned, static_cast<uint64_t>(p_.bins_per_cycle));
  // Pass 2: flag, compact, emit.
  uint64_t tieBudget = k - above;
  uint64_t queue = 0, cycles2 = 0;
  // Traced: the search's outcome in its last cycle, each pass-2 row's winner flags in the cycle
  // it is read, and the output queue's pairs, E leaving per cycle after the compaction tree. A
  // row's flags precede its pairs by the tree's depth, so the records are put in cycle order.
  const uint64_t flagT = tg + pass1 + search, outT = flagT + treeDepth;
  std::vector<PhaseRecord> phase;
  if (tracer_) phase.push_back({flagT - 1, PhaseRecord::Threshold, {t, static_cast<int32_t>(above), static_cast<int32_t>(k - above)}, {}});
  std::deque<size_t> q;
  auto leave = [&](uint64_t at) {
    PhaseRecord r{at, PhaseRecord::Out, {}, {}};
    for (uint64_t e = 0; e < E && !q.empty(); ++e, q.pop_front()) {
      r.a.push_back(static_cast<int32_t>(base + q.front()));
      r.b.push_back(v[q.front()]);
    }
    if (!r.a.empty()) phase.push_back(std::move(r));
  };
  for (size_t c0 = 0; c0 < n; c0 += W) {
    size_t c1 = std::min<size_t>(n, c0 + W);
    PhaseRecord flags{flagT + cycles2, PhaseRecord::Flag, {}, {}};  // filled only when traced (no allocation otherwise)
    if (tracer_) flags.a.push_back(static_cast<int32_t>(cycles2)), flags.b.assign(W, 0);
    for (size_t i = c0; i < c1; ++i) {
      int m = std::abs(int(v[i]));
      bool win = m > t || (m == t && tieBudget > 0);
      if (m == t && win) --tieBudget;
      if (win) {
        out.indices.push_back(base + static_cast<uint32_t>(i));
        out.values.push_back(v[i]);
        ++queue;
        if (tracer_) q.push_back(i), flags.b[i - c0] = 1;
      }
    }
    if (tracer_) phase.push_back(std::move(flags)), leave(outT + cycles2);
    ++cycles2;
    queue -= std::min(queue, E);
  }
  if (tracer_) {
    for (uint64_t c = cycles2; !q.empty(); ++c) leave(outT + c);
    tracePhase(phase);
  }
  cycles2 += ceilDiv(queue, E);
  const uint64_t emit = cycles2 + treeDepth;
  out.load_cycles += pass1;
  out.search_cycles += search;
  out.emit_cycles += emit;
  out.cycles += pass1 + search + emit;
}

void KwtaSelectorCore::bitonicOne(const int8_t* v, size_t n, size_t k, uint32_t base, Selection& out) const {
  const int lg = ceilLog2(static_cast<int64_t>(n));
  const size_t P = size_t(1) << lg;
  const uint64_t tg = traceT0_ + out.cycles;
  if (tracer_) traceInput(v, n, k, base, tg);
  // Key: magnitude above, then the complemented index, so that descending order puts larger
  // magnitudes first and, among equal ones, lower indices first. Padding sorts last.
  std::vector<uint64_t> key(P, 0);
  for (size_t i = 0; i < n; ++i)
    key[i] = (uint64_t(std::abs(int(v[i]))) << 32) | uint64_t(0xFFFFFFFFu - static_cast<uint32_t>(i));
  const uint64_t perStage = ceilDiv(P / 2, static_cast<uint64_t>(p_.comparators));
  const uint64_t load = ceilDiv(n, static_cast<uint64_t>(p_.lanes));
  uint64_t stages = 0;
  for (size_t size = 2; size <= P; size <<= 1) {
    for (size_t stride = size >> 1; stride > 0; stride >>= 1) {
      ++stages;
      for (size_t i = 0; i < P; ++i) {
        size_t j = i ^ stride;
        if (j <= i) continue;
        bool desc = (i & size) == 0;  // the final merge (size == P) is descending
        if (desc ? key[i] < key[j] : key[i] > key[j]) std::swap(key[i], key[j]);
      }
      if (tracer_) traceStage(tg + load + stages * perStage - 1, stages - 1, key, n);
    }
  }
  out.comparisons += stages * (P / 2);
  const uint64_t search = stages * perStage;
  const uint64_t emit = ceilDiv(k, static_cast<uint64_t>(p_.out_width));
  std::vector<uint32_t> win(k);
  for (size_t i = 0; i < k; ++i) win[i] = 0xFFFFFFFFu - static_cast<uint32_t>(key[i] & 0xFFFFFFFFu);
  std::sort(win.begin(), win.end());
  for (uint32_t i : win) {
    out.indices.push_back(base + i);
    out.values.push_back(v[i]);
  }
  if (tracer_) {
    // Read-out: E winners a cycle, in ascending index order.
    const size_t E = static_cast<size_t>(p_.out_width);
    for (size_t c = 0; c * E < win.size(); ++c) {
      std::vector<uint32_t> ti;
      std::vector<int32_t> tv;
      for (size_t e = c * E; e < std::min(win.size(), (c + 1) * E); ++e) {
        ti.push_back(base + win[e]);
        tv.push_back(v[win[e]]);
      }
      traceOut(tg + load + search + c, ti, tv);
    }
  }
  out.compare_stages = std::max<int64_t>(out.compare_stages, static_cast<int64_t>(stages));
  out.load_cycles += load;
  out.search_cycles += search;
  out.emit_cycles += emit;
  out.cycles += load + search + emit;
}

void KwtaSelectorCore::traceInput(const int8_t* v, size_t n, size_t k, uint32_t base, uint64_t tg) const {
  tracer_->emit(TraceBlock::KwtaSelector, "group", tg, {tracer_->layer(), traceGroup_++, base, n, k});
  const size_t W = static_cast<size_t>(p_.lanes);
  std::vector<int32_t> chunk(W);
  for (size_t c0 = 0; c0 < n; c0 += W) {
    for (size_t i = 0; i < W; ++i) chunk[i] = c0 + i < n ? v[c0 + i] : 0;
    tracer_->emit(TraceBlock::KwtaSelector, "in", tg + c0 / W, {base + c0, chunk});
  }
}

// Bitonic: the network's keys after a stage (its last cycle), position by position: magnitude and
// the group-relative index (padding: magnitude 0, index -1).
void KwtaSelectorCore::traceStage(uint64_t at, uint64_t stage, const std::vector<uint64_t>& key, size_t n) const {
  std::vector<int32_t> mag(key.size()), idx(key.size());
  for (size_t p = 0; p < key.size(); ++p) {
    const uint32_t i = 0xFFFFFFFFu - static_cast<uint32_t>(key[p] & 0xFFFFFFFFu);
    const bool pad = key[p] == 0 || i >= n;
    mag[p] = pad ? 0 : static_cast<int32_t>(key[p] >> 32);
    idx[p] = pad ? -1 : static_cast<int32_t>(i);
  }
  tracer_->emit(TraceBlock::KwtaSelector, "stage", at, {stage, mag, idx});
}

// Threshold: the group's search outcome, row flags and output pairs, stably in cycle order;
// within one cycle a row's flags come before the pairs leaving (one fixed order, which the
// checker and the replays in tests/rtl follow).
void KwtaSelectorCore::tracePhase(std::vector<PhaseRecord>& phase) const {
  std::stable_sort(phase.begin(), phase.end(),
                   [](const PhaseRecord& x, const PhaseRecord& y) { return x.t != y.t ? x.t < y.t : x.kind < y.kind; });
  for (const PhaseRecord& r : phase) {
    if (r.kind == PhaseRecord::Threshold)
      tracer_->emit(TraceBlock::KwtaSelector, "threshold", r.t, {r.a[0], r.a[1], r.a[2]});
    else if (r.kind == PhaseRecord::Flag)
      tracer_->emit(TraceBlock::KwtaSelector, "flag", r.t, {r.a[0], r.b});
    else
      tracer_->emit(TraceBlock::KwtaSelector, "out", r.t, {r.a, r.b});
  }
}

void KwtaSelectorCore::traceOut(uint64_t at, const std::vector<uint32_t>& idx, const std::vector<int32_t>& val) const {
  tracer_->emit(TraceBlock::KwtaSelector, "out", at, {idx, val});
}

void KwtaSelector::attachTracer(TraceSink& t) {
  if (!t.on(TraceBlock::KwtaSelector)) return;
  tracer_ = &t;
  const SelectorParams& p = core_.params();
  t.setParams(TraceBlock::KwtaSelector,
              {{"circuit", toString(p.circuit)}, {"lanes", p.lanes}, {"out_width", p.out_width}, {"comparators", p.comparators}});
}

KwtaSelector::KwtaSelector(sc_core::sc_module_name name, SelectorParams p)
    : sc_module(name), dram("dram"), to_mac("to_mac"), jobs("jobs", 1), core_(p) {
  SC_HAS_PROCESS(KwtaSelector);
  SC_THREAD(run);
}

void KwtaSelector::run() {
  for (;;) {
    SelectJob* j = jobs.read();
    ActivationsReady r;
    uint64_t t0 = nowCycles();
    dram->transfer(j->fetch_bytes, DramPortIf::Dir::Read, *j->stats);
    r.dram_cycles = nowCycles() - t0;
    if (j->active) {
      if (tracer_) core_.setTrace(tracer_, t0);
      *j->result = j->group_size ? core_.selectGrouped(j->input, j->n, j->group_size, j->density, j->image)
                                 : core_.selectGlobal(j->input, j->n, j->k);
      r.select_cycles = core_.exposedCycles(*j->result, r.dram_cycles);
      waitCycles(r.select_cycles);
    }
    to_mac->write(r);
  }
}

}  // namespace sparsesim
