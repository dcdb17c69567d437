// Checks a cs_mac_slice RTL (port contract: docs/rtl-check.md, traces/rtl/cs_mac_slice.v)
// against the mac_array records of a golden trace. Lanes are independent (each owns its
// accumulators), so every (pass, lane, pixel) in flight gets its own RTL instance, cleared at
// its first step; the records are taken in cycle order, each `mac` record is one valid cycle of
// its pixel's instance and, when the trace holds mac_state (the lane's accumulators after every
// step) every accumulator is read back through drain_slot without a clock edge and compared, so
// a mismatch names the first cycle, lane and accumulator that diverge. At the pixel's `drain`:
// `latency` idle cycles, then every slot read through drain_slot after one idle cycle and
// compared with the drain record.
#include <map>
#include <memory>
#include <tuple>

#include "Check.h"
#include "Vdut.h"

#ifndef DUT_SLOTS
#error "compile with -DDUT_SLOTS=<SLOTS> -DDUT_KERNEL_IDS=<KERNEL_IDS> -DDUT_ID_BITS=<ID_BITS> (the RTL's parameters)"
#endif

using namespace rtlcheck;

namespace {
const char* kBlock = "mac_array";

void idle(Vdut& d) {
  d.valid = 0;
  d.clear = 0;
  tick(d);
}

void clear(Vdut& d) {
  d.valid = 0;
  d.clear = 1;
  tick(d);
  d.clear = 0;
}

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
      while (st.next(r)) states[{r.t, st.scalar(r, fP), st.scalar(r, fL)}] = st.array(r, fA, size_t(DUT_SLOTS) * DUT_KERNEL_IDS);
    }
  }

  VerilatedContext ctx;
  using Pixel = std::tuple<int64_t, int64_t, int64_t>;  // pass, lane, pixel
  struct Flight {
    std::unique_ptr<Vdut> dut;
    size_t steps = 0;
  };
  std::map<Pixel, Flight> pending;
  int64_t layer = 0, group = 0;
  uint64_t comparisons = 0;
  auto where = [&](const Pixel& px, size_t steps) {
    return "layer " + std::to_string(layer) + " group " + std::to_string(group) + " pass " + std::to_string(std::get<0>(px)) + " lane " +
           std::to_string(std::get<1>(px)) + " pixel " + std::to_string(std::get<2>(px)) + " after " + std::to_string(steps) + " steps";
  };
  // Every accumulator of the instance against `acc` (slot-major): per slot, drain_slot set and
  // either one idle edge (the contract's drain: a registered read passes too) or none (the
  // per-step state, read combinationally).
  auto compareAll = [&](Vdut& d, uint64_t t, const std::vector<int64_t>& acc, const std::string& ctxt, const char* what, bool clocked) {
    for (int s = 0; s < DUT_SLOTS; ++s) {
      putBits(d.drain_slot, 0, 32, static_cast<uint64_t>(s));
      if (clocked) idle(d);
      else d.eval();
      for (int id = 0; id < DUT_KERNEL_IDS; ++id) {
        const size_t at = size_t(s) * DUT_KERNEL_IDS + size_t(id);
        const int64_t got = signExtend(getBits(d.drain_acc, 32 * id, 32), 32);
        const int64_t want = asInt32(acc[at]);
        ++comparisons;
        if (got != want)
          mismatch(t, kBlock, std::string(what) + "[" + std::to_string(at) + "]", std::to_string(want), std::to_string(got),
                   ctxt + ": slot " + std::to_string(s) + ", kernel id " + std::to_string(id));
      }
    }
  };
  for (const TraceRecord& r : tr.readAllSorted()) {
    if (r.event == evPass) {
      layer = tr.scalar(r, fPassLayer);
      group = tr.scalar(r, fPassGroup);
    } else if (r.event == evMac) {
      const auto& kid = tr.array(r, fKid, DUT_SLOTS);
      for (int64_t id : kid)
        if (id < 0 || id >= DUT_KERNEL_IDS) throw TraceError(tr.where(r) + ": kid " + std::to_string(id) + " outside 0.." + std::to_string(DUT_KERNEL_IDS - 1));
      const Pixel px{tr.scalar(r, fMacPass), tr.scalar(r, fLane), tr.scalar(r, fPixel)};
      Flight& f = pending[px];
      if (!f.dut) {
        f.dut = std::make_unique<Vdut>(&ctx);
        f.dut->clk = 0;
        f.dut->eval();
        clear(*f.dut);
      }
      Vdut& d = *f.dut;
      const auto& w = tr.array(r, fW, DUT_SLOTS);
      for (int q = 0; q < DUT_SLOTS; ++q) {
        putBits(d.w, 8 * q, 8, static_cast<uint64_t>(w[static_cast<size_t>(q)]));
        putBits(d.kid, DUT_ID_BITS * q, DUT_ID_BITS, static_cast<uint64_t>(kid[static_cast<size_t>(q)]));
      }
      putBits(d.act, 0, 8, static_cast<uint64_t>(tr.scalar(r, fAct)));
      d.valid = 1;
      tick(d);
      d.valid = 0;
      ++f.steps;
      const auto st = states.find({r.t, std::get<0>(px), std::get<1>(px)});
      if (st != states.end()) {
        compareAll(d, r.t, st->second, where(px, f.steps) + " (mac_state; the slot read must be combinational: otherwise rerun with --no-state)",
                   "lane_acc", false);
        matched(r.t);
      }
    } else if (r.event == evDrain) {
      const Pixel px{tr.scalar(r, fDPass), tr.scalar(r, fDLane), tr.scalar(r, fDPixel)};
      const auto it = pending.find(px);
      if (it == pending.end()) throw TraceError(tr.where(r) + ": drain record of a pixel without mac records");
      Vdut& d = *it->second.dut;
      for (int i = 0; i < args.latency; ++i) idle(d);
      compareAll(d, r.t, tr.array(r, fAcc, size_t(DUT_SLOTS) * DUT_KERNEL_IDS), where(px, it->second.steps), "acc", true);
      pending.erase(it);
      matched(r.t);
    }
  }
  if (!pending.empty())
    throw TraceError(tr.path() + ": " + std::to_string(pending.size()) + " (pass, lane, pixel) with mac records but no drain record");
  pass(kBlock, tr.count() + states.size(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
