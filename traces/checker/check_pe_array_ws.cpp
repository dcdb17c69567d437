// Checks a weight-stationary PE array RTL (port contract: docs/rtl-check.md "pe_array_ws",
// traces/rtl/ws_pe_array.v) against the pe_array records of a trace whose array is
// weight-stationary (header blocks.pe_array.dataflow = "ws"). Per fold: one clear cycle, then
// every fold cycle with the trace's edge values (zeros where there is none), `load` = 1 in the
// first ROWS of them (the weight tile shifts in); after each cycle the bottom row's partial sums
// (psum_out) are compared with the trace's psum_out record of that cycle (live columns only).
// When the trace also holds pe_state (every PE's partial-sum register after every fold cycle),
// each cycle's registers are read back through row_sel without a clock edge and compared first,
// so a mismatch names the first cycle and PE whose partial sum leaves the model's.
#include <memory>

#include "Check.h"
#include "Vdut.h"

#ifndef DUT_ROWS
#error "compile with -DDUT_ROWS=<ROWS> -DDUT_COLS=<COLS> (the RTL's parameters)"
#endif

using namespace rtlcheck;

namespace {
const char* kBlock = "pe_array";

void run(const Args& args) {
  TraceReader tr(args.trace, kBlock);
  requireParam(tr, kBlock, "rows", "ROWS", DUT_ROWS);
  requireParam(tr, kBlock, "cols", "COLS", DUT_COLS);
  if (tr.params().value("dataflow", "os") != "ws")
    fatal(kBlock, "the trace's array is output-stationary; check it with the pe_array contract (tools/validate-rtl --block pe_array)");
  const int evFold = tr.eventIndex("fold"), evEdge = tr.eventIndex("edge"), evOut = tr.eventIndex("psum_out");
  const int fFold = tr.fieldIndex(evFold, "fold"), fCycles = tr.fieldIndex(evFold, "cycles"), fLayer = tr.fieldIndex(evFold, "layer"),
            fGroup = tr.fieldIndex(evFold, "group");
  const int fEdgeFold = tr.fieldIndex(evEdge, "fold"), fA = tr.fieldIndex(evEdge, "a"), fB = tr.fieldIndex(evEdge, "b");
  const int fOutFold = tr.fieldIndex(evOut, "fold"), fM = tr.fieldIndex(evOut, "m"), fPsum = tr.fieldIndex(evOut, "psum");

  std::unique_ptr<TraceReader> st;
  if (args.state && tr.header()["blocks"].contains("pe_state")) {
    if (args.latency > 0) {
      std::printf("note: --latency %d: the per-cycle pe_state partial sums are not compared (psum_out only)\n", args.latency);
    } else {
      st = std::make_unique<TraceReader>(args.trace, "pe_state");
      requireParam(*st, "pe_state", "rows", "ROWS", DUT_ROWS);
      requireParam(*st, "pe_state", "cols", "COLS", DUT_COLS);
    }
  }
  const int evAcc = st ? st->eventIndex("acc") : -1;
  const int fStFold = st ? st->fieldIndex(evAcc, "fold") : -1, fStAcc = st ? st->fieldIndex(evAcc, "acc") : -1;
  TraceRecord srec;
  bool haveS = st && st->next(srec);

  VerilatedContext ctx;
  auto dut = makeDut<Vdut>(ctx, args);

  bool open = false;
  int64_t fold = -1, layer = 0, group = 0;
  uint64_t t0 = 0, cycles = 0, next = 0, comparisons = 0;
  auto drive = [&](const std::vector<int64_t>* a, const std::vector<int64_t>* b) {
    for (int i = 0; i < DUT_ROWS; ++i) putBits(dut->a, 8 * i, 8, a ? static_cast<uint64_t>((*a)[static_cast<size_t>(i)]) : 0);
    for (int j = 0; j < DUT_COLS; ++j) putBits(dut->b, 8 * j, 8, b ? static_cast<uint64_t>((*b)[static_cast<size_t>(j)]) : 0);
    tick(*dut);
  };
  auto context = [&]() {
    return "layer " + std::to_string(layer) + " group " + std::to_string(group) + " fold " + std::to_string(fold) + " (fold start cycle " +
           std::to_string(t0) + ")";
  };
  // After fold cycle `next`: the traced partial-sum registers of that cycle, PE by PE, row-major.
  auto compareState = [&]() {
    const uint64_t t = t0 + next;
    while (haveS && srec.t < t) haveS = st->next(srec);
    if (!haveS || srec.t != t) return;
    if (st->scalar(srec, fStFold) != fold) throw TraceError(st->where() + ": pe_state record of fold " + std::to_string(st->scalar(srec, fStFold)) + " inside fold " + std::to_string(fold));
    const auto& acc = st->array(srec, fStAcc, static_cast<size_t>(DUT_ROWS * DUT_COLS));
    for (int i = 0; i < DUT_ROWS; ++i) {
      putBits(dut->row_sel, 0, 32, static_cast<uint64_t>(i));
      dut->eval();
      for (int j = 0; j < DUT_COLS; ++j) {
        const int64_t got = signExtend(getBits(dut->row_psum, 32 * j, 32), 32);
        const int64_t want = asInt32(acc[static_cast<size_t>(i * DUT_COLS + j)]);
        ++comparisons;
        if (got != want)
          mismatch(t, kBlock, "pe_psum[" + std::to_string(i) + "][" + std::to_string(j) + "]", std::to_string(want), std::to_string(got),
                   "PE (" + std::to_string(i) + ", " + std::to_string(j) + ") after fold cycle " + std::to_string(next) + " of " + context() +
                       " (pe_state; the row read must be combinational: otherwise rerun with --no-state)");
      }
    }
    putBits(dut->row_sel, 0, 32, 0);
    dut->eval();
    matched(t);
    haveS = st->next(srec);
  };
  auto foldCycle = [&](const std::vector<int64_t>* a, const std::vector<int64_t>* b) {
    atCycle(t0 + next);
    dut->load = next < static_cast<uint64_t>(DUT_ROWS);
    drive(a, b);
    dut->load = 0;
    if (st) compareState();
    ++next;
  };

  TraceRecord r;
  while (tr.next(r)) {
    if (r.event == evFold) {
      fold = tr.scalar(r, fFold);
      layer = tr.scalar(r, fLayer);
      group = tr.scalar(r, fGroup);
      t0 = r.t;
      cycles = static_cast<uint64_t>(tr.scalar(r, fCycles));
      next = 0;
      open = true;
      dut->clear = 1;
      drive(nullptr, nullptr);
      dut->clear = 0;
    } else if (r.event == evEdge) {
      if (!open || tr.scalar(r, fEdgeFold) != fold) throw TraceError(tr.where() + ": edge record outside its fold");
      const uint64_t c = r.t - t0;
      if (c < next || c >= cycles) throw TraceError(tr.where() + ": edge at fold cycle " + std::to_string(c) + " out of order or past the fold");
      while (next < c) foldCycle(nullptr, nullptr);
      foldCycle(&tr.array(r, fA, DUT_ROWS), &tr.array(r, fB, DUT_COLS));
    } else if (r.event == evOut) {
      if (!open || tr.scalar(r, fOutFold) != fold) throw TraceError(tr.where() + ": psum_out record outside its fold");
      const uint64_t c = r.t - t0;
      if (c + 1 < next || c >= cycles) throw TraceError(tr.where() + ": psum_out at fold cycle " + std::to_string(c) + " out of order or past the fold");
      while (next <= c) foldCycle(nullptr, nullptr);  // the cycle's edge, if any, came first
      const auto& m = tr.array(r, fM, DUT_COLS);
      const auto& psum = tr.array(r, fPsum, DUT_COLS);
      for (int j = 0; j < DUT_COLS; ++j) {
        if (m[static_cast<size_t>(j)] < 0) continue;
        const int64_t got = signExtend(getBits(dut->psum_out, 32 * j, 32), 32);
        const int64_t want = asInt32(psum[static_cast<size_t>(j)]);
        ++comparisons;
        if (got != want)
          mismatch(r.t, kBlock, "psum_out[" + std::to_string(j) + "]", std::to_string(want), std::to_string(got),
                   "column " + std::to_string(j) + ", input row " + std::to_string(m[static_cast<size_t>(j)]) + " of " + context());
      }
      matched(r.t);
    }
  }
  pass(kBlock, tr.count() + (st ? st->count() : 0), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
