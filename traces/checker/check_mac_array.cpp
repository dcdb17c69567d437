// Checks a cs_mac_slice RTL (port contract: docs/rtl-check.md, traces/rtl/cs_mac_slice.v)
// against the mac_array records of a golden trace, on the trace's cycles. Each traced lane is one
// instance of the RTL (lanes are independent: each owns its accumulators), and all instances
// share one clock: the edge of trace cycle t carries every `mac` record of t (valid = 1 on its
// lane, 0 on the others). Before that edge, the cycle's `drain` records are compared (`latency`
// idle edges, then per slot drain_slot set and one idle edge), and a lane whose record at t
// starts another (pass, pixel) gets one clear edge; these edges are the checker's own and sit
// between the trace's cycles. After the edge, when the trace holds mac_state (the lane's
// accumulators after every step), every accumulator of each stepped lane is read through
// drain_slot without a clock edge and compared, so a mismatch names the first cycle, lane and
// accumulator that diverge.
#include <algorithm>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "Check.h"
#include "Vdut.h"

#ifndef DUT_SLOTS
#error "compile with -DDUT_SLOTS=<SLOTS> -DDUT_KERNEL_IDS=<KERNEL_IDS> -DDUT_ID_BITS=<ID_BITS> (the RTL's parameters)"
#endif

using namespace rtlcheck;

namespace {
const char* kBlock = "mac_array";
constexpr size_t kAccs = size_t(DUT_SLOTS) * DUT_KERNEL_IDS;

void run(const Args& args) {
  TraceReader tr(args.trace, kBlock);
  requireParam(tr, kBlock, "slots", "SLOTS", DUT_SLOTS);
  requireParam(tr, kBlock, "kernel_ids", "KERNEL_IDS", DUT_KERNEL_IDS);
  requireParam(tr, kBlock, "id_bits", "ID_BITS", DUT_ID_BITS);
  const int evPass = tr.eventIndex("pass"), evMac = tr.eventIndex("mac"), evDrain = tr.eventIndex("drain");
  const int fPassLayer = tr.fieldIndex(evPass, "layer"), fPassGroup = tr.fieldIndex(evPass, "group");
  const int fMacPass = tr.fieldIndex(evMac, "pass"), fLane = tr.fieldIndex(evMac, "lane"), fPixel = tr.fieldIndex(evMac, "pixel"),
            fAct = tr.fieldIndex(evMac, "act"), fW = tr.fieldIndex(evMac, "w"), fKid = tr.fieldIndex(evMac, "kid");
  const int fDLane = tr.fieldIndex(evDrain, "lane"), fDPixel = tr.fieldIndex(evDrain, "pixel"), fDPass = tr.fieldIndex(evDrain, "pass"),
            fAcc = tr.fieldIndex(evDrain, "acc");

  // Per-step state, when traced and wanted (a pipelined accumulate, --latency > 0, lags it).
  std::map<std::tuple<uint64_t, int64_t, int64_t>, std::vector<int64_t>> states;  // (t, pass, lane) -> acc
  if (args.state && tr.header()["blocks"].contains("mac_state")) {
    if (args.latency > 0) {
      std::printf("note: --latency %d: the per-step mac_state accumulators are not compared (drains only)\n", args.latency);
    } else {
      TraceReader st(args.trace, "mac_state");
      requireParam(st, "mac_state", "slots", "SLOTS", DUT_SLOTS);
      requireParam(st, "mac_state", "kernel_ids", "KERNEL_IDS", DUT_KERNEL_IDS);
      const int ev = st.eventIndex("acc");
      const int fP = st.fieldIndex(ev, "pass"), fL = st.fieldIndex(ev, "lane"), fA = st.fieldIndex(ev, "acc");
      TraceRecord r;
      while (st.next(r)) states[{r.t, st.scalar(r, fP), st.scalar(r, fL)}] = st.array(r, fA, kAccs);
    }
  }

  const std::vector<TraceRecord> recs = tr.readAllSorted();
  int lanes = 0;
  for (const TraceRecord& r : recs) {
    if (r.event != evMac && r.event != evDrain) continue;
    const int64_t l = tr.scalar(r, r.event == evMac ? fLane : fDLane);
    if (l < 0 || l >= 4096) throw TraceError(tr.where(r) + ": lane " + std::to_string(l) + " outside 0..4095");
    lanes = std::max(lanes, static_cast<int>(l) + 1);
  }
  if (lanes == 0) fatal(kBlock, "the trace holds no mac or drain record (" + std::to_string(recs.size()) + " records)");

  VerilatedContext ctx;
  auto owned = makeDuts<Vdut>(ctx, args, lanes, "lane");
  std::vector<Vdut*> dut;
  for (auto& d : owned) dut.push_back(d.get());
  auto idleAll = [&] {
    for (Vdut* d : dut) d->valid = 0, d->clear = 0;
  };
  auto edge = [&] { tickEach(dut.data(), dut.size(), [] {}); };

  struct Lane {
    bool busy = false;
    int64_t pass = -1, pixel = -1;
    size_t steps = 0;
  };
  std::vector<Lane> lane(static_cast<size_t>(lanes));
  int64_t layer = 0, group = 0;
  uint64_t comparisons = 0;
  auto where = [&](int64_t pass, int64_t l, int64_t pixel, size_t steps) {
    return "layer " + std::to_string(layer) + " group " + std::to_string(group) + " pass " + std::to_string(pass) + " lane " +
           std::to_string(l) + " pixel " + std::to_string(pixel) + " after " + std::to_string(steps) + " steps";
  };
  auto compare = [&](uint64_t t, const std::vector<int64_t>& got, const std::vector<int64_t>& acc, const std::string& ctxt, const char* what) {
    for (size_t at = 0; at < kAccs; ++at) {
      ++comparisons;
      if (got[at] != asInt32(acc[at]))
        mismatch(t, kBlock, std::string(what) + "[" + std::to_string(at) + "]", std::to_string(asInt32(acc[at])), std::to_string(got[at]),
                 ctxt + ": slot " + std::to_string(at / DUT_KERNEL_IDS) + ", kernel id " + std::to_string(at % DUT_KERNEL_IDS));
    }
  };
  // Every accumulator of lane l as the RTL shows it, read combinationally (no edge).
  auto readNow = [&](int l) {
    std::vector<int64_t> got(kAccs);
    Vdut& d = *dut[static_cast<size_t>(l)];
    for (int s = 0; s < DUT_SLOTS; ++s) {
      putBits(d.drain_slot, 0, 32, static_cast<uint64_t>(s));
      d.eval();
      for (int id = 0; id < DUT_KERNEL_IDS; ++id) got[size_t(s) * DUT_KERNEL_IDS + size_t(id)] = signExtend(getBits(d.drain_acc, 32 * id, 32), 32);
    }
    return got;
  };

  for (size_t i = 0; i < recs.size();) {
    const uint64_t t = recs[i].t;
    size_t j = i;
    while (j < recs.size() && recs[j].t == t) ++j;
    std::vector<const TraceRecord*> drains, macs;
    for (size_t q = i; q < j; ++q) {
      const TraceRecord& r = recs[q];
      if (r.event == evPass) layer = tr.scalar(r, fPassLayer), group = tr.scalar(r, fPassGroup);
      else if (r.event == evDrain) drains.push_back(&r);
      else if (r.event == evMac) macs.push_back(&r);
    }
    i = j;

    // The cycle's drains, through the contract's drain read: --latency idle edges, then per slot
    // drain_slot = s and one idle edge (a registered read passes too), every draining lane at once.
    if (!drains.empty()) {
      std::vector<int> dl;
      for (const TraceRecord* r : drains) {
        const int64_t l = tr.scalar(*r, fDLane);
        Lane& ln = lane[static_cast<size_t>(l)];
        if (!ln.busy || ln.pass != tr.scalar(*r, fDPass) || ln.pixel != tr.scalar(*r, fDPixel))
          throw TraceError(tr.where(*r) + ": drain record of a pixel without mac records on its lane");
        dl.push_back(static_cast<int>(l));
      }
      idleAll();
      for (int q = 0; q < args.latency; ++q) edge();
      std::vector<std::vector<int64_t>> got(dl.size(), std::vector<int64_t>(kAccs));
      for (int s = 0; s < DUT_SLOTS; ++s) {
        for (int l : dl) putBits(dut[static_cast<size_t>(l)]->drain_slot, 0, 32, static_cast<uint64_t>(s));
        edge();
        for (size_t q = 0; q < dl.size(); ++q)
          for (int id = 0; id < DUT_KERNEL_IDS; ++id)
            got[q][size_t(s) * DUT_KERNEL_IDS + size_t(id)] = signExtend(getBits(dut[static_cast<size_t>(dl[q])]->drain_acc, 32 * id, 32), 32);
      }
      for (size_t q = 0; q < drains.size(); ++q) {
        Lane& ln = lane[static_cast<size_t>(dl[q])];
        compare(t, got[q], tr.array(*drains[q], fAcc, kAccs), where(ln.pass, dl[q], ln.pixel, ln.steps), "acc");
        ln.busy = false;
      }
      matched(t);
    }
    if (macs.empty()) continue;

    // A lane starting another pixel is cleared first (the contract's clear ignores valid).
    idleAll();
    bool clear = false;
    for (const TraceRecord* r : macs) {
      const int64_t l = tr.scalar(*r, fLane);
      Lane& ln = lane[static_cast<size_t>(l)];
      const int64_t pass = tr.scalar(*r, fMacPass), pixel = tr.scalar(*r, fPixel);
      if (ln.busy && (ln.pass != pass || ln.pixel != pixel))
        throw TraceError(tr.where(*r) + ": lane " + std::to_string(l) + " starts pixel " + std::to_string(pixel) + " before its pixel " +
                         std::to_string(ln.pixel) + " drained");
      if (!ln.busy) {
        ln = Lane{true, pass, pixel, 0};
        dut[static_cast<size_t>(l)]->clear = 1;
        clear = true;
      }
    }
    if (clear) edge(), idleAll();

    // The step edge of cycle t.
    for (const TraceRecord* r : macs) {
      const auto& kid = tr.array(*r, fKid, DUT_SLOTS);
      for (int64_t id : kid)
        if (id < 0 || id >= DUT_KERNEL_IDS) throw TraceError(tr.where(*r) + ": kid " + std::to_string(id) + " outside 0.." + std::to_string(DUT_KERNEL_IDS - 1));
      Vdut& d = *dut[static_cast<size_t>(tr.scalar(*r, fLane))];
      const auto& w = tr.array(*r, fW, DUT_SLOTS);
      for (int q = 0; q < DUT_SLOTS; ++q) {
        putBits(d.w, 8 * q, 8, static_cast<uint64_t>(w[static_cast<size_t>(q)]));
        putBits(d.kid, DUT_ID_BITS * q, DUT_ID_BITS, static_cast<uint64_t>(kid[static_cast<size_t>(q)]));
      }
      putBits(d.act, 0, 8, static_cast<uint64_t>(tr.scalar(*r, fAct)));
      d.valid = 1;
    }
    atCycle(t);
    edge();
    idleAll();
    bool compared = false;
    for (const TraceRecord* r : macs) {
      const int64_t l = tr.scalar(*r, fLane);
      Lane& ln = lane[static_cast<size_t>(l)];
      ++ln.steps;
      const auto st = states.find({t, ln.pass, l});
      if (st == states.end()) continue;
      compare(t, readNow(static_cast<int>(l)), st->second,
              where(ln.pass, l, ln.pixel, ln.steps) + " (mac_state; the slot read must be combinational: otherwise rerun with --no-state)",
              "lane_acc");
      compared = true;
    }
    if (compared) matched(t);
  }
  for (size_t l = 0; l < lane.size(); ++l)
    if (lane[l].busy)
      throw TraceError(tr.path() + ": lane " + std::to_string(l) + " pass " + std::to_string(lane[l].pass) + " pixel " +
                       std::to_string(lane[l].pixel) + " has mac records but no drain record");
  pass(kBlock, tr.count() + states.size(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
