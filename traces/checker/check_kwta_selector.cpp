// Checks a kwta_selector RTL (port contract: docs/rtl-check.md, traces/rtl/kwta_selector.v)
// against the kwta_selector records of a golden trace. Per group: start with the group's n and
// k, one in_valid cycle per `in` record, then clock until done while collecting the winners the
// RTL emits. The RTL's cycle timing is its own (any micro-architecture); what must agree is the
// winner sequence: the i-th winner's index and value equal the i-th (idx, v) of the trace's
// `out` records. A mismatch names the `out` record's cycle and its position in that record.
#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "Check.h"
#include "Vdut.h"

#ifndef DUT_LANES
#error "compile with -DDUT_LANES=<LANES> -DDUT_OUT_WIDTH=<OUT_WIDTH> -DDUT_N_MAX=<N_MAX> -DDUT_IDX_BITS=<IDX_BITS> (the RTL's parameters)"
#endif

using namespace rtlcheck;

namespace {
const char* kBlock = "kwta_selector";

struct Winner {
  int64_t idx, v;
  uint64_t t;   // cycle of the out record that carries it
  size_t slot;  // its position in that record
};

struct Group {
  int64_t layer = 0, group = 0, base = 0, n = 0, k = 0;
  uint64_t t = 0;
  std::vector<std::vector<int64_t>> in;
  std::vector<Winner> out;
};

void reset(Vdut& d) {
  d.rst = 1;
  d.start = 0;
  d.in_valid = 0;
  tick(d);
  d.rst = 0;
}

// Winners the RTL shows after the edge just applied.
void collect(const Vdut& d, const Group& g, std::vector<std::pair<int64_t, int64_t>>& got) {
  if (!d.out_valid) return;
  const int c = static_cast<int>(d.out_count);
  for (int e = 0; e < c && e < DUT_OUT_WIDTH; ++e)
    got.emplace_back(g.base + static_cast<int64_t>(getBits(d.out_idx, DUT_IDX_BITS * e, DUT_IDX_BITS)), signExtend(getBits(d.out_v, 8 * e, 8), 8));
}

uint64_t checkGroup(Vdut& d, const Group& g, int latency) {
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

  std::vector<std::pair<int64_t, int64_t>> got;
  uint64_t waited = 0;
  while (!d.ready) {
    tick(d);
    collect(d, g, got);
    if (++waited > 100000) mismatch(g.t, kBlock, "ready", "1", "0", where + ": the RTL never became ready for the group");
  }
  d.start = 1;
  putBits(d.n, 0, 32, static_cast<uint64_t>(g.n));
  putBits(d.k, 0, 32, static_cast<uint64_t>(std::min(g.k, g.n)));
  tick(d);
  d.start = 0;
  collect(d, g, got);
  for (const auto& v : g.in) {
    for (int l = 0; l < DUT_LANES; ++l) putBits(d.in_v, 8 * l, 8, static_cast<uint64_t>(v[static_cast<size_t>(l)]));
    d.in_valid = 1;
    tick(d);
    collect(d, g, got);
  }
  d.in_valid = 0;
  // Generous bound for any sensible circuit: a few cycles per element and per histogram bin.
  const uint64_t limit = uint64_t(8 * g.n + 4 * 129 + 64 + latency);
  uint64_t cycles = 0;
  while (!d.done) {
    if (++cycles > limit) break;
    tick(d);
    collect(d, g, got);
  }

  uint64_t comparisons = 0;
  const uint64_t tEnd = g.out.empty() ? g.t : g.out.back().t;
  for (size_t i = 0; i < std::max(got.size(), g.out.size()); ++i) {
    if (i >= g.out.size())
      mismatch(tEnd, kBlock, "idx[" + std::to_string(i) + "]", "none", std::to_string(got[i].first),
               where + ": the RTL emits more than the trace's " + std::to_string(g.out.size()) + " winners");
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
    matched(w.t);
  }
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

  VerilatedContext ctx;
  auto dut = std::make_unique<Vdut>(&ctx);
  dut->clk = 0;
  dut->eval();
  reset(*dut);

  uint64_t comparisons = 0;
  std::unique_ptr<Group> g;
  TraceRecord r;
  while (tr.next(r)) {
    if (r.event == evGroup) {
      if (g) comparisons += checkGroup(*dut, *g, args.latency);
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
    } else if (r.event == evOut) {
      const auto& idx = r.fields[static_cast<size_t>(fOutIdx)];
      const auto& v = tr.array(r, fOutV, idx.size());
      if (idx.size() > static_cast<size_t>(DUT_OUT_WIDTH))
        throw TraceError(tr.where() + ": " + std::to_string(idx.size()) + " winners in one out record, out_width is " + std::to_string(DUT_OUT_WIDTH));
      for (size_t i = 0; i < idx.size(); ++i) g->out.push_back({idx[i], v[i], r.t, i});
    }
  }
  if (g) comparisons += checkGroup(*dut, *g, args.latency);
  pass(kBlock, tr.count(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
