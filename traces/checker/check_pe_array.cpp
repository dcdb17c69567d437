// Checks a pe_array RTL (port contract: docs/rtl-check.md, traces/rtl/pe_array.v) against the
// pe_array records of a golden trace. Per fold: one clear cycle, then every fold cycle with the
// trace's edge values (cycles without an edge record carry zeros), `latency` idle cycles, then
// each drained row through row_sel, compared with the trace's drain records.
// When the trace also holds pe_state (every PE's accumulator after every fold cycle), each fold
// cycle's accumulators are read back through row_sel without a clock edge (the row read must then
// be combinational: --no-state compares the drains only) and compared as well, so a mismatch
// names the first cycle and PE at which the RTL's partial sums leave the model's.
#include "Check.h"
#include "FoldTrace.h"
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
  PeStateTrace st(args, tr, DUT_ROWS, DUT_COLS, "drains");
  VerilatedContext ctx;
  auto dut = makeDut<Vdut>(ctx, args);
  DenseFolds<Vdut> folds(tr, *dut, DUT_ROWS, DUT_COLS);
  const FoldTrace& f = folds.fold;
  const int evDrain = tr.eventIndex("drain");
  const int fDrainFold = tr.fieldIndex(evDrain, "fold"), fRow = tr.fieldIndex(evDrain, "row"), fAcc = tr.fieldIndex(evDrain, "acc");

  bool drained = false;
  uint64_t comparisons = 0;
  auto noInputs = [](uint64_t) {};
  auto state = [&](uint64_t c) {
    if (st.on())
      st.compare(*dut, f.t0 + c, c, f, kBlock, "pe_acc", [&](int j) { return getBits(dut->row_acc, 32 * j, 32); },
                 "a registered row read cannot be compared per cycle: rerun with --no-state", comparisons);
  };

  TraceRecord r;
  while (tr.next(r)) {
    if (folds.take(r, drained, noInputs, state)) {
      if (r.event == f.event()) drained = false;
    } else if (r.event == evDrain) {
      if (!f.inFold(r, fDrainFold)) throw TraceError(tr.where() + ": drain record outside its fold");
      if (!drained) {
        folds.runTo(folds.cycles, noInputs, state);
        for (int i = 0; i < args.latency; ++i) folds.drive(nullptr, nullptr);
        drained = true;
      }
      const int64_t row = tr.scalar(r, fRow);
      if (row < 0 || row >= DUT_ROWS) throw TraceError(tr.where() + ": drain row " + std::to_string(row) + " out of range");
      const auto& acc = tr.array(r, fAcc, DUT_COLS);
      putBits(dut->row_sel, 0, 32, static_cast<uint64_t>(row));
      folds.drive(nullptr, nullptr);
      for (int j = 0; j < DUT_COLS; ++j) {
        const int64_t got = signExtend(getBits(dut->row_acc, 32 * j, 32), 32);
        const int64_t want = asInt32(acc[static_cast<size_t>(j)]);
        ++comparisons;
        if (got != want)
          mismatch(r.t, kBlock, "acc[" + std::to_string(row) + "][" + std::to_string(j) + "]", std::to_string(want), std::to_string(got), f.context());
      }
      matched(r.t);
    }
  }
  pass(kBlock, tr.count() + st.count(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
