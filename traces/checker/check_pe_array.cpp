// Checks a pe_array RTL (port contract: docs/rtl-check.md, traces/rtl/pe_array.v) against the
// pe_array records of a golden trace. Per fold: one clear cycle, then every fold cycle with the
// trace's edge values (cycles without an edge record carry zeros), `latency` idle cycles, then
// each drained row through row_sel, compared with the trace's drain records.
// When the trace also holds pe_state (every PE's accumulator after every fold cycle), each fold
// cycle's accumulators are read back through row_sel without a clock edge (the row read must then
// be combinational: --no-state compares the drains only) and compared as well, so a mismatch
// names the first cycle and PE at which the RTL's partial sums leave the model's.
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
  if (tr.params().value("dataflow", "os") != "os")
    fatal(kBlock, "the trace's array is " + tr.params().value("dataflow", "") +
                      "; the pe_array contract is output-stationary (a weight-stationary array: tools/validate-rtl --block pe_array_ws)");
  const int evFold = tr.eventIndex("fold"), evEdge = tr.eventIndex("edge"), evDrain = tr.eventIndex("drain");
  const int fFold = tr.fieldIndex(evFold, "fold"), fCycles = tr.fieldIndex(evFold, "cycles"), fLayer = tr.fieldIndex(evFold, "layer"),
            fGroup = tr.fieldIndex(evFold, "group");
  const int fEdgeFold = tr.fieldIndex(evEdge, "fold"), fA = tr.fieldIndex(evEdge, "a"), fB = tr.fieldIndex(evEdge, "b");
  const int fDrainFold = tr.fieldIndex(evDrain, "fold"), fRow = tr.fieldIndex(evDrain, "row"), fAcc = tr.fieldIndex(evDrain, "acc");

  // Per-cycle state, when traced and wanted (a pipelined accumulate, --latency > 0, lags it).
  std::unique_ptr<TraceReader> st;
  if (args.state && tr.header()["blocks"].contains("pe_state")) {
    if (args.latency > 0) {
      std::printf("note: --latency %d: the per-cycle pe_state accumulators are not compared (drains only)\n", args.latency);
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

  bool open = false, drained = false;
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
  // After fold cycle `next`'s edge: the traced accumulators of that cycle, PE by PE, row-major.
  auto compareState = [&]() {
    const uint64_t t = t0 + next;
    while (haveS && srec.t < t) haveS = st->next(srec);  // state of cycles the RTL did not run (none in a well-formed trace)
    if (!haveS || srec.t != t) return;
    if (st->scalar(srec, fStFold) != fold) throw TraceError(st->where() + ": pe_state record of fold " + std::to_string(st->scalar(srec, fStFold)) + " inside fold " + std::to_string(fold));
    const auto& acc = st->array(srec, fStAcc, static_cast<size_t>(DUT_ROWS * DUT_COLS));
    for (int i = 0; i < DUT_ROWS; ++i) {
      putBits(dut->row_sel, 0, 32, static_cast<uint64_t>(i));
      dut->eval();
      for (int j = 0; j < DUT_COLS; ++j) {
        const int64_t got = signExtend(getBits(dut->row_acc, 32 * j, 32), 32);
        const int64_t want = asInt32(acc[static_cast<size_t>(i * DUT_COLS + j)]);
        ++comparisons;
        if (got != want)
          mismatch(t, kBlock, "pe_acc[" + std::to_string(i) + "][" + std::to_string(j) + "]", std::to_string(want), std::to_string(got),
                   "PE (" + std::to_string(i) + ", " + std::to_string(j) + ") after fold cycle " + std::to_string(next) + " of " + context() +
                       " (pe_state; a registered row read cannot be compared per cycle: rerun with --no-state)");
      }
    }
    putBits(dut->row_sel, 0, 32, 0);
    dut->eval();
    matched(t);
    haveS = st->next(srec);
  };
  auto foldCycle = [&](const std::vector<int64_t>* a, const std::vector<int64_t>* b) {
    atCycle(t0 + next);
    drive(a, b);
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
      drained = false;
      dut->clear = 1;
      drive(nullptr, nullptr);
      dut->clear = 0;
    } else if (r.event == evEdge) {
      if (!open || tr.scalar(r, fEdgeFold) != fold || drained)
        throw TraceError(tr.where() + ": edge record outside its fold");
      const uint64_t c = r.t - t0;
      if (c < next || c >= cycles) throw TraceError(tr.where() + ": edge at fold cycle " + std::to_string(c) + " out of order or past the fold");
      while (next < c) foldCycle(nullptr, nullptr);
      foldCycle(&tr.array(r, fA, DUT_ROWS), &tr.array(r, fB, DUT_COLS));
    } else if (r.event == evDrain) {
      if (!open || tr.scalar(r, fDrainFold) != fold) throw TraceError(tr.where() + ": drain record outside its fold");
      if (!drained) {
        while (next < cycles) foldCycle(nullptr, nullptr);
        for (int i = 0; i < args.latency; ++i) drive(nullptr, nullptr);
        drained = true;
      }
      const int64_t row = tr.scalar(r, fRow);
      if (row < 0 || row >= DUT_ROWS) throw TraceError(tr.where() + ": drain row " + std::to_string(row) + " out of range");
      const auto& acc = tr.array(r, fAcc, DUT_COLS);
      putBits(dut->row_sel, 0, 32, static_cast<uint64_t>(row));
      drive(nullptr, nullptr);
      for (int j = 0; j < DUT_COLS; ++j) {
        const int64_t got = signExtend(getBits(dut->row_acc, 32 * j, 32), 32);
        const int64_t want = asInt32(acc[static_cast<size_t>(j)]);
        ++comparisons;
        if (got != want)
          mismatch(r.t, kBlock, "acc[" + std::to_string(row) + "][" + std::to_string(j) + "]", std::to_string(want), std::to_string(got), context());
      }
      matched(r.t);
    }
  }
  pass(kBlock, tr.count() + (st ? st->count() : 0), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
