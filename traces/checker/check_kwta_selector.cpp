// Checks a kwta_selector RTL (port contract: docs/rtl-check.md, traces/rtl/kwta_selector.v)
// against the kwta_selector records of a golden trace. Per group: start with the group's n and
// k, one in_valid cycle per `in` record, then clock until done while collecting the winners the
// RTL emits. The RTL's cycle timing is its own (any micro-architecture); what must agree is the
// winner sequence: the i-th winner's index and value equal the i-th (idx, v) of the trace's
// `out` records. A mismatch names the `out` record's cycle and its position in that record.
// The inputs are driven on the trace's cycles, and with --vcd each edge that shows a compared
// item is placed at its record's cycle (alignEdge), so the waveform lines up with the model's.
// Built with -DDUT_PHASE=1 (an RTL with the phase ports of kwta_selector_phase.v) on a threshold
// trace, the selector's phase is compared too, in the trace's cycle order: the threshold bin and
// tie budget at the `threshold` record, each pass-2 row's winner flags at its `flag` record. A
// wrong tie-break is then named at the row that flags the wrong element, before its pair leaves.
#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "Check.h"
#include "Vdut.h"

#ifndef DUT_LANES
#error "compile with -DDUT_LANES=<LANES> -DDUT_OUT_WIDTH=<OUT_WIDTH> -DDUT_N_MAX=<N_MAX> -DDUT_IDX_BITS=<IDX_BITS> (the RTL's parameters)"
#endif
#ifndef DUT_PHASE
#define DUT_PHASE 0  // 1: the RTL has the phase ports (phase_thr_valid, phase_thr, phase_budget, phase_flag_valid, phase_flag_win)
#endif

using namespace rtlcheck;

namespace {
const char* kBlock = "kwta_selector";

struct Winner {
  int64_t idx, v;
  uint64_t t;   // cycle of the out record that carries it
  size_t slot;  // its position in that record
};

// A compared record of the group, in trace order: the search outcome, a row's flags, or the
// winners out[first, last) of one out record.
struct Item {
  enum Kind { Threshold, Flag, Out } kind;
  uint64_t t;
  std::vector<int64_t> value;  // threshold: thr, budget; flag: win per lane
  size_t first = 0, last = 0;
};

struct Group {
  int64_t layer = 0, group = 0, base = 0, n = 0, k = 0;
  uint64_t t = 0;
  std::vector<std::vector<int64_t>> in;
  std::vector<uint64_t> inT;  // the in records' cycles
  std::vector<Winner> out;
  std::vector<Item> items;
};

// What the RTL showed while running a group.
struct Seen {
  std::vector<std::pair<int64_t, int64_t>> winners;
  std::vector<std::vector<int64_t>> thresholds, flags;
};

void reset(Vdut& d) {
  d.rst = 1;
  d.start = 0;
  d.in_valid = 0;
  tick(d);
  d.rst = 0;
}

// Winners (and, with the phase ports, the phase) the RTL shows after the edge just applied.
void collect(const Vdut& d, const Group& g, Seen& seen) {
#if DUT_PHASE
  if (d.phase_thr_valid) seen.thresholds.push_back({static_cast<int64_t>(d.phase_thr), static_cast<int64_t>(d.phase_budget)});
  if (d.phase_flag_valid) {
    std::vector<int64_t> w(DUT_LANES);
    for (int l = 0; l < DUT_LANES; ++l) w[static_cast<size_t>(l)] = static_cast<int64_t>(getBits(d.phase_flag_win, l, 1));
    seen.flags.push_back(w);
  }
#endif
  if (!d.out_valid) return;
  const int c = static_cast<int>(d.out_count);
  for (int e = 0; e < c && e < DUT_OUT_WIDTH; ++e)
    seen.winners.emplace_back(g.base + static_cast<int64_t>(getBits(d.out_idx, DUT_IDX_BITS * e, DUT_IDX_BITS)),
                              signExtend(getBits(d.out_v, 8 * e, 8), 8));
}

std::string list(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

// Phase records compared over the run (threshold searches, pass-2 rows), for the PASS report.
uint64_t phaseSearches = 0, phaseRows = 0;

// The trace cycle an edge of the RTL stands for in the waveform (--vcd), called after the edge
// evaluated and before `collect` takes what it shows: the i-th pass-2 row the RTL flags sits at
// the i-th flag record's cycle, the search's end at the threshold record's, and, once every row is
// flagged (or without the phase), an edge showing winners at the out record of its first winner.
// Other edges follow 10 ps apart (Check.h): the RTL keeps its own timing, the time axis is the trace's.
void alignEdge(const Vdut& d, const Group& g, const Seen& seen, bool phase, const std::vector<uint64_t>& flagT, uint64_t thrT) {
#if DUT_PHASE
  if (phase && d.phase_flag_valid && seen.flags.size() < flagT.size()) return atCycle(flagT[seen.flags.size()]);
  if (phase && d.phase_thr_valid && thrT != ~uint64_t(0)) return atCycle(thrT);
#else
  (void)thrT;
#endif
  if (d.out_valid && (!phase || seen.flags.size() >= flagT.size()) && seen.winners.size() < g.out.size())
    atCycle(g.out[seen.winners.size()].t);
}

uint64_t checkGroup(Vdut& d, const Group& g, int latency, bool phase) {
  const std::string where = "layer " + std::to_string(g.layer) + " group " + std::to_string(g.group) + " (n " + std::to_string(g.n) +
                            ", k " + std::to_string(g.k) + ", group start cycle " + std::to_string(g.t) + ")";
  if (g.n < 1 || g.n > DUT_N_MAX)
    fatal(kBlock, where + ": n = " + std::to_string(g.n) + " outside the RTL's 1..N_MAX = " + std::to_string(DUT_N_MAX) +
                      " (rebuild it with a larger N_MAX or trace a smaller layer)");
  // A model that kept the whole group (k >= n) bypasses the circuit and may leave no inputs.
  if (g.in.empty() && g.k >= g.n) return 0;
  const int64_t rows = (g.n + DUT_LANES - 1) / DUT_LANES;
  if (static_cast<int64_t>(g.in.size()) != rows)
    fatal(kBlock, where + ": " + std::to_string(g.in.size()) + " in records, expected ceil(n/lanes) = " + std::to_string(rows));

  Seen seen;
  const auto& got = seen.winners;
  std::vector<uint64_t> flagT;
  uint64_t thrT = ~uint64_t(0);
  for (const Item& it : g.items) {
    if (it.kind == Item::Flag) flagT.push_back(it.t);
    else if (it.kind == Item::Threshold) thrT = it.t;
  }
  Vdut* dp = &d;
  // One edge; the RTL's outputs after it are collected. `at`: the trace cycle of an input edge.
  auto edge = [&](uint64_t at) {
    tickEach(&dp, 1, [&] {
      if (at != ~uint64_t(0)) atCycle(at);
      else alignEdge(d, g, seen, phase, flagT, thrT);
    });
    collect(d, g, seen);
  };
  uint64_t waited = 0;
  while (!d.ready) {
    edge(~uint64_t(0));
    if (++waited > 100000) mismatch(g.t, kBlock, "ready", "1", "0", where + ": the RTL never became ready for the group");
  }
  // The input side on the trace's cycles: start one cycle before the group record, each row at its in record.
  d.start = 1;
  putBits(d.n, 0, 32, static_cast<uint64_t>(g.n));
  putBits(d.k, 0, 32, static_cast<uint64_t>(std::min(g.k, g.n)));
  edge(g.t > 0 ? g.t - 1 : 0);
  d.start = 0;
  for (size_t c = 0; c < g.in.size(); ++c) {
    for (int l = 0; l < DUT_LANES; ++l) putBits(d.in_v, 8 * l, 8, static_cast<uint64_t>(g.in[c][static_cast<size_t>(l)]));
    d.in_valid = 1;
    edge(g.inT[c]);
  }
  d.in_valid = 0;
  // Generous bound for any sensible circuit: a few cycles per element and per histogram bin.
  const uint64_t limit = uint64_t(8 * g.n + 4 * 129 + 64 + latency);
  uint64_t cycles = 0;
  while (!d.done) {
    if (++cycles > limit) break;
    edge(~uint64_t(0));
  }

  uint64_t comparisons = 0;
  size_t flag = 0, threshold = 0;
  auto compareWinner = [&](size_t i) {
    const Winner& w = g.out[i];
    const std::string ctx = where + ": winner " + std::to_string(i) + " of the group";
    if (i >= got.size())
      mismatch(w.t, kBlock, "idx[" + std::to_string(w.slot) + "]", std::to_string(w.idx), "none",
               ctx + (d.done ? " (the RTL finished with " : " (no done after " + std::to_string(limit) + " cycles; the RTL emitted ") +
                   std::to_string(got.size()) + " winners)");
    comparisons += 2;
    if (got[i].first != w.idx)
      mismatch(w.t, kBlock, "idx[" + std::to_string(w.slot) + "]", std::to_string(w.idx), std::to_string(got[i].first), ctx);
    if (got[i].second != w.v)
      mismatch(w.t, kBlock, "v[" + std::to_string(w.slot) + "]", std::to_string(w.v), std::to_string(got[i].second), ctx);
  };
  // Phase records exist only in threshold traces and are compared only with the phase ports.
  auto comparePhase = [&](const Item& it) {
    if (it.kind == Item::Threshold) {
      if (threshold >= seen.thresholds.size())
        mismatch(it.t, kBlock, "phase_thr_valid", "1", "0", where + ": the RTL never ended a threshold search");
      const auto& s = seen.thresholds[threshold++];
      ++phaseSearches;
      const char* names[] = {"phase_thr", "phase_budget"};
      for (size_t q = 0; q < 2; ++q) {
        ++comparisons;
        if (s[q] != it.value[q])
          mismatch(it.t, kBlock, names[q], std::to_string(it.value[q]), std::to_string(s[q]), where + ": the threshold search's outcome");
      }
    } else {
      const std::string ctx = where + ": pass-2 row " + std::to_string(flag) + " (elements " + std::to_string(DUT_LANES * flag) + ".." +
                              std::to_string(DUT_LANES * flag + DUT_LANES - 1) + ")";
      if (flag >= seen.flags.size()) mismatch(it.t, kBlock, "phase_flag_valid", "1", "0", ctx + ": the RTL flagged only " + std::to_string(seen.flags.size()) + " rows");
      const auto& w = seen.flags[flag++];
      ++phaseRows;
      for (int l = 0; l < DUT_LANES; ++l) {
        ++comparisons;
        if (w[static_cast<size_t>(l)] != it.value[static_cast<size_t>(l)])
          mismatch(it.t, kBlock, "phase_flag_win[" + std::to_string(l) + "]", std::to_string(it.value[static_cast<size_t>(l)]),
                   std::to_string(w[static_cast<size_t>(l)]), ctx + ": trace flags " + list(it.value) + ", RTL " + list(w));
      }
    }
  };
  // A cycle counts as matched once all its records are compared (a row's flags and the pairs
  // leaving can share a cycle).
  bool pending = false;
  for (size_t i = 0; i < g.items.size(); ++i) {
    const Item& it = g.items[i];
    if (it.kind == Item::Out) {
      for (size_t w = it.first; w < it.last; ++w) compareWinner(w);
      pending = true;
    } else if (phase) {
      comparePhase(it);
      pending = true;
    }
    if (pending && (i + 1 == g.items.size() || g.items[i + 1].t != it.t)) matched(it.t), pending = false;
  }
  const uint64_t tEnd = g.items.empty() ? g.t : g.items.back().t;
  if (got.size() > g.out.size())
    mismatch(tEnd, kBlock, "idx[" + std::to_string(g.out.size()) + "]", "none", std::to_string(got[g.out.size()].first),
             where + ": the RTL emits more than the trace's " + std::to_string(g.out.size()) + " winners");
  if (phase && flag > 0 && seen.flags.size() > flag)
    mismatch(tEnd, kBlock, "phase_flag_valid", "0", "1", where + ": the RTL flagged " + std::to_string(seen.flags.size()) + " rows, the trace " +
                                                             std::to_string(flag));
  return comparisons;
}

void run(const Args& args) {
  TraceReader tr(args.trace, kBlock);
  requireParam(tr, kBlock, "lanes", "LANES", DUT_LANES);
  requireParam(tr, kBlock, "out_width", "OUT_WIDTH", DUT_OUT_WIDTH);
  const int evGroup = tr.eventIndex("group"), evIn = tr.eventIndex("in"), evOut = tr.eventIndex("out");
  const int fLayer = tr.fieldIndex(evGroup, "layer"), fGroup = tr.fieldIndex(evGroup, "group"), fBase = tr.fieldIndex(evGroup, "base"),
            fN = tr.fieldIndex(evGroup, "n"), fK = tr.fieldIndex(evGroup, "k");
  const int fInIdx = tr.fieldIndex(evIn, "idx"), fInV = tr.fieldIndex(evIn, "v");
  const int fOutIdx = tr.fieldIndex(evOut, "idx"), fOutV = tr.fieldIndex(evOut, "v");
  // Traces written before the phase records existed have no such events: winners only.
  const auto& evs = tr.header()["events"]["kwta_selector"];
  const bool traced = std::find(evs.begin(), evs.end(), "flag") != evs.end();
  const int evThr = traced ? tr.eventIndex("threshold") : -1, evFlag = traced ? tr.eventIndex("flag") : -1;
  const int fThr = traced ? tr.fieldIndex(evThr, "thr") : -1, fBudget = traced ? tr.fieldIndex(evThr, "budget") : -1;
  const int fWin = traced ? tr.fieldIndex(evFlag, "win") : -1;
  const bool phase = DUT_PHASE && args.state && traced;
  if (DUT_PHASE && !args.state) std::printf("note: --no-state: the selector's phase (threshold, row flags) is not compared\n");

  VerilatedContext ctx;
  auto dut = makeDut<Vdut>(ctx, args);
  reset(*dut);

  uint64_t comparisons = 0;
  std::unique_ptr<Group> g;
  TraceRecord r;
  while (tr.next(r)) {
    if (r.event == evGroup) {
      if (g) comparisons += checkGroup(*dut, *g, args.latency, phase);
      g = std::make_unique<Group>();
      g->t = r.t;
      g->layer = tr.scalar(r, fLayer);
      g->group = tr.scalar(r, fGroup);
      g->base = tr.scalar(r, fBase);
      g->n = tr.scalar(r, fN);
      g->k = tr.scalar(r, fK);
      continue;
    }
    if (!g) throw TraceError(tr.where() + ": record before the first group record");
    if (r.event == evIn) {
      // idx is the flat index of lane 0's element: base + lanes x (cycle of the group's pass 1).
      const int64_t want = g->base + DUT_LANES * static_cast<int64_t>(g->in.size());
      if (tr.scalar(r, fInIdx) != want)
        throw TraceError(tr.where() + ": in.idx " + std::to_string(tr.scalar(r, fInIdx)) + ", expected " + std::to_string(want));
      g->in.push_back(tr.array(r, fInV, DUT_LANES));
      g->inT.push_back(r.t);
    } else if (r.event == evOut) {
      const auto& idx = r.fields[static_cast<size_t>(fOutIdx)];
      const auto& v = tr.array(r, fOutV, idx.size());
      if (idx.size() > static_cast<size_t>(DUT_OUT_WIDTH))
        throw TraceError(tr.where() + ": " + std::to_string(idx.size()) + " winners in one out record, out_width is " + std::to_string(DUT_OUT_WIDTH));
      g->items.push_back({Item::Out, r.t, {}, g->out.size(), g->out.size() + idx.size()});
      for (size_t i = 0; i < idx.size(); ++i) g->out.push_back({idx[i], v[i], r.t, i});
    } else if (r.event == evThr) {
      g->items.push_back({Item::Threshold, r.t, {tr.scalar(r, fThr), tr.scalar(r, fBudget)}});
    } else if (r.event == evFlag) {
      g->items.push_back({Item::Flag, r.t, tr.array(r, fWin, DUT_LANES)});
    }
  }
  if (g) comparisons += checkGroup(*dut, *g, args.latency, phase);
  if (phase)
    std::printf("phase: %llu threshold searches and %llu pass-2 rows compared\n", static_cast<unsigned long long>(phaseSearches),
                static_cast<unsigned long long>(phaseRows));
  pass(kBlock, tr.count(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
