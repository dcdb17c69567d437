// Checks a cs_mac_slice RTL (port contract: docs/rtl-check.md, traces/rtl/cs_mac_slice.v)
// against the mac_array records of a golden trace. Lanes are independent (each owns its
// accumulators), and a lane's drain may come after it has started its next pixel (the model's
// accumulate pipeline), so the checker takes the records in cycle order, keeps each
// (pass, lane, pixel)'s `mac` records and, at that pixel's `drain`, replays them on one RTL
// instance: clear, one valid cycle per step, `latency`
// idle cycles, then every slot read through drain_slot and compared with the drain record.
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

  VerilatedContext ctx;
  auto dut = std::make_unique<Vdut>(&ctx);
  dut->clk = 0;
  dut->eval();

  struct Step {
    int64_t act;
    std::vector<int64_t> w, kid;
  };
  using Pixel = std::tuple<int64_t, int64_t, int64_t>;  // pass, lane, pixel
  std::map<Pixel, std::vector<Step>> pending;
  int64_t layer = 0, group = 0;
  uint64_t comparisons = 0;
  for (const TraceRecord& r : tr.readAllSorted()) {
    if (r.event == evPass) {
      layer = tr.scalar(r, fPassLayer);
      group = tr.scalar(r, fPassGroup);
    } else if (r.event == evMac) {
      const auto& kid = tr.array(r, fKid, DUT_SLOTS);
      for (int64_t id : kid)
        if (id < 0 || id >= DUT_KERNEL_IDS) throw TraceError(tr.where(r) + ": kid " + std::to_string(id) + " outside 0.." + std::to_string(DUT_KERNEL_IDS - 1));
      pending[Pixel{tr.scalar(r, fMacPass), tr.scalar(r, fLane), tr.scalar(r, fPixel)}].push_back(
          Step{tr.scalar(r, fAct), tr.array(r, fW, DUT_SLOTS), kid});
    } else if (r.event == evDrain) {
      const Pixel px{tr.scalar(r, fDPass), tr.scalar(r, fDLane), tr.scalar(r, fDPixel)};
      const auto& acc = tr.array(r, fAcc, size_t(DUT_SLOTS) * DUT_KERNEL_IDS);
      Vdut& d = *dut;
      clear(d);
      for (const Step& st : pending[px]) {
        for (int q = 0; q < DUT_SLOTS; ++q) {
          putBits(d.w, 8 * q, 8, static_cast<uint64_t>(st.w[static_cast<size_t>(q)]));
          putBits(d.kid, DUT_ID_BITS * q, DUT_ID_BITS, static_cast<uint64_t>(st.kid[static_cast<size_t>(q)]));
        }
        putBits(d.act, 0, 8, static_cast<uint64_t>(st.act));
        d.valid = 1;
        tick(d);
        d.valid = 0;
      }
      const size_t steps = pending[px].size();
      pending.erase(px);
      for (int i = 0; i < args.latency; ++i) idle(d);
      for (int s = 0; s < DUT_SLOTS; ++s) {
        putBits(d.drain_slot, 0, 32, static_cast<uint64_t>(s));
        idle(d);
        for (int id = 0; id < DUT_KERNEL_IDS; ++id) {
          const size_t at = size_t(s) * DUT_KERNEL_IDS + size_t(id);
          const int64_t got = signExtend(getBits(d.drain_acc, 32 * id, 32), 32);
          const int64_t want = asInt32(acc[at]);
          ++comparisons;
          if (got != want)
            mismatch(r.t, kBlock, "acc[" + std::to_string(at) + "]", std::to_string(want), std::to_string(got),
                     "layer " + std::to_string(layer) + " group " + std::to_string(group) + " pass " + std::to_string(std::get<0>(px)) +
                         " lane " + std::to_string(std::get<1>(px)) + " pixel " + std::to_string(std::get<2>(px)) + " after " +
                         std::to_string(steps) + " steps: slot " + std::to_string(s) + ", kernel id " + std::to_string(id));
        }
      }
      matched(r.t);
    }
  }
  if (!pending.empty())
    throw TraceError(tr.path() + ": " + std::to_string(pending.size()) + " (pass, lane, pixel) with mac records but no drain record");
  pass(kBlock, tr.count(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
