// Checks a bitonic k-WTA RTL (port contract: docs/rtl-check.md "kwta_bitonic",
// traces/rtl/kwta_bitonic.v) against the kwta_selector records of a trace whose circuit is
// bitonic, cycle for cycle within each group: the in records drive the load at the group's
// cycles, after every edge from then on the RTL's stage_valid must be 1 exactly at the trace's
// stage records (and the network's keys equal the traced ones, position by position, read
// through key_sel without a clock edge), out_valid exactly at its out records with the same
// winners, and done one cycle after the last. A mismatch names the first cycle and the signal
// (key position, winner slot) that diverge.
#include <map>

#include "Check.h"
#include "Vdut.h"

#ifndef DUT_LANES
#error "compile with -DDUT_LANES -DDUT_OUT_WIDTH -DDUT_N_MAX -DDUT_IDX_BITS -DDUT_COMPARATORS (the RTL's parameters)"
#endif

using namespace rtlcheck;

namespace {
const char* kBlock = "kwta_selector";

struct Stage {
  int64_t stage;
  std::vector<int64_t> mag, idx;
};
struct Out {
  std::vector<int64_t> idx, v;
};
struct Group {
  int64_t layer = 0, group = 0, base = 0, n = 0, k = 0;
  uint64_t t = 0;
  std::vector<std::vector<int64_t>> in;
  std::map<uint64_t, Stage> stages;
  std::map<uint64_t, Out> outs;
};

uint64_t checkGroup(Vdut& d, const Group& g) {
  const std::string where = "layer " + std::to_string(g.layer) + " group " + std::to_string(g.group) + " (n " + std::to_string(g.n) +
                            ", k " + std::to_string(g.k) + ", group start cycle " + std::to_string(g.t) + ")";
  if (g.in.empty() && g.k >= g.n) return 0;  // bypassed: the circuit does not run
  if (g.n < 1 || g.n > DUT_N_MAX)
    fatal(kBlock, where + ": n = " + std::to_string(g.n) + " outside the RTL's 1..N_MAX = " + std::to_string(DUT_N_MAX) +
                      " (rebuild it with a larger N_MAX or trace fewer layers with --layers)");
  uint64_t waited = 0;
  while (!d.ready) {
    tick(d);
    if (++waited > 100000) mismatch(g.t, kBlock, "ready", "1", "0", where + ": the RTL never became ready for the group");
  }
  uint64_t comparisons = 0;
  auto expect = [&](uint64_t t, const std::string& sig, int64_t want, int64_t got, const std::string& ctx) {
    ++comparisons;
    if (want != got) mismatch(t, kBlock, sig, std::to_string(want), std::to_string(got), where + ctx);
  };
  if (g.t > 0) atCycle(g.t - 1);
  d.start = 1;
  putBits(d.n, 0, 32, static_cast<uint64_t>(g.n));
  putBits(d.k, 0, 32, static_cast<uint64_t>(g.k));
  tick(d);
  d.start = 0;
  uint64_t t = g.t;
  const uint64_t tEnd = std::max(g.stages.empty() ? g.t : g.stages.rbegin()->first, g.outs.empty() ? g.t : g.outs.rbegin()->first);
  for (size_t c = 0; t <= tEnd; ++c, ++t) {
    atCycle(t);
    if (c < g.in.size()) {
      for (int l = 0; l < DUT_LANES; ++l) putBits(d.in_v, 8 * l, 8, static_cast<uint64_t>(g.in[c][static_cast<size_t>(l)]));
      d.in_valid = 1;
    }
    tick(d);
    d.in_valid = 0;
    const auto st = g.stages.find(t);
    expect(t, "stage_valid", st != g.stages.end(), d.stage_valid, ": the end of a compare stage");
    if (st != g.stages.end()) {
      const Stage& s = st->second;
      const std::string ctx = ": after compare stage " + std::to_string(s.stage);
      for (size_t p = 0; p < s.idx.size(); ++p) {
        putBits(d.key_sel, 0, 32, static_cast<uint64_t>(p));
        d.eval();
        const int64_t gotIdx = d.key_valid ? static_cast<int64_t>(getBits(d.key_idx, 0, DUT_IDX_BITS)) : -1;
        expect(t, "key_idx[" + std::to_string(p) + "]", s.idx[p], gotIdx, ctx + ", network position " + std::to_string(p));
        if (s.idx[p] >= 0) expect(t, "key_mag[" + std::to_string(p) + "]", s.mag[p], d.key_mag, ctx + ", network position " + std::to_string(p));
      }
    }
    const auto o = g.outs.find(t);
    expect(t, "out_valid", o != g.outs.end(), d.out_valid, ": a read-out cycle");
    if (o != g.outs.end()) {
      expect(t, "out_count", static_cast<int64_t>(o->second.idx.size()), d.out_count, ": a read-out cycle");
      for (size_t e = 0; e < o->second.idx.size(); ++e) {
        expect(t, "idx[" + std::to_string(e) + "]", o->second.idx[e], g.base + static_cast<int64_t>(getBits(d.out_idx, DUT_IDX_BITS * static_cast<int>(e), DUT_IDX_BITS)),
               ": winner " + std::to_string(e) + " of the cycle");
        expect(t, "v[" + std::to_string(e) + "]", o->second.v[e], signExtend(getBits(d.out_v, 8 * static_cast<int>(e), 8), 8),
               ": winner " + std::to_string(e) + " of the cycle");
      }
    }
    matched(t);
  }
  atCycle(t);
  tick(d);
  expect(t, "done", 1, d.done, ": the cycle after the last winner");
  matched(t);
  return comparisons;
}

void run(const Args& args) {
  TraceReader tr(args.trace, kBlock);
  if (tr.params().value("circuit", "") != "bitonic")
    fatal(kBlock, "the trace's k-WTA circuit is " + tr.params().value("circuit", std::string("?")) +
                      "; the kwta_bitonic contract needs a bitonic trace (cs.selector.circuit = \"bitonic\"; a threshold circuit: --block kwta_selector)");
  requireParam(tr, kBlock, "lanes", "LANES", DUT_LANES);
  requireParam(tr, kBlock, "out_width", "OUT_WIDTH", DUT_OUT_WIDTH);
  requireParam(tr, kBlock, "comparators", "COMPARATORS", DUT_COMPARATORS);
  const int evGroup = tr.eventIndex("group"), evIn = tr.eventIndex("in"), evOut = tr.eventIndex("out"), evStage = tr.eventIndex("stage");
  const int fLayer = tr.fieldIndex(evGroup, "layer"), fGroup = tr.fieldIndex(evGroup, "group"), fBase = tr.fieldIndex(evGroup, "base"),
            fN = tr.fieldIndex(evGroup, "n"), fK = tr.fieldIndex(evGroup, "k");
  const int fInV = tr.fieldIndex(evIn, "v"), fOutIdx = tr.fieldIndex(evOut, "idx"), fOutV = tr.fieldIndex(evOut, "v");
  const int fStage = tr.fieldIndex(evStage, "stage"), fMag = tr.fieldIndex(evStage, "mag"), fIdx = tr.fieldIndex(evStage, "idx");

  VerilatedContext ctx;
  auto dut = makeDut<Vdut>(ctx, args);
  dut->rst = 1;
  tick(*dut);
  dut->rst = 0;

  uint64_t comparisons = 0;
  std::unique_ptr<Group> g;
  TraceRecord r;
  while (tr.next(r)) {
    if (r.event == evGroup) {
      if (g) comparisons += checkGroup(*dut, *g);
      g = std::make_unique<Group>();
      g->t = r.t, g->layer = tr.scalar(r, fLayer), g->group = tr.scalar(r, fGroup), g->base = tr.scalar(r, fBase);
      g->n = tr.scalar(r, fN), g->k = tr.scalar(r, fK);
      continue;
    }
    if (!g) throw TraceError(tr.where() + ": record before the first group record");
    if (r.event == evIn) {
      g->in.push_back(tr.array(r, fInV, DUT_LANES));
    } else if (r.event == evStage) {
      const auto& idx = r.fields[static_cast<size_t>(fIdx)];
      g->stages[r.t] = Stage{tr.scalar(r, fStage), tr.array(r, fMag, idx.size()), idx};
    } else if (r.event == evOut) {
      const auto& idx = r.fields[static_cast<size_t>(fOutIdx)];
      if (idx.size() > static_cast<size_t>(DUT_OUT_WIDTH))
        throw TraceError(tr.where() + ": " + std::to_string(idx.size()) + " winners in one out record, out_width is " + std::to_string(DUT_OUT_WIDTH));
      g->outs[r.t] = Out{idx, tr.array(r, fOutV, idx.size())};
    }
  }
  if (g) comparisons += checkGroup(*dut, *g);
  pass(kBlock, tr.count(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
