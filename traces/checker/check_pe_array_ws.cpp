// Checks a weight-stationary PE array RTL (port contract: docs/rtl-check.md "pe_array_ws",
// traces/rtl/ws_pe_array.v) against the pe_array records of a trace whose array is
// weight-stationary (header blocks.pe_array.dataflow = "ws"). Per fold: one clear cycle, then
// every fold cycle with the trace's edge values (zeros where there is none), `load` = 1 in the
// first ROWS of them (the weight tile shifts in); after each cycle the bottom row's partial sums
// (psum_out) are compared with the trace's psum_out record of that cycle (live columns only).
// When the trace also holds pe_state (every PE's partial-sum register after every fold cycle),
// each cycle's registers are read back through row_sel without a clock edge and compared first,
// so a mismatch names the first cycle and PE whose partial sum leaves the model's.
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
  if (tr.params().value("dataflow", "os") != "ws")
    fatal(kBlock, "the trace's array is output-stationary; check it with the pe_array contract (tools/validate-rtl --block pe_array)");
  PeStateTrace st(args, tr, DUT_ROWS, DUT_COLS, "psum_out");
  VerilatedContext ctx;
  auto dut = makeDut<Vdut>(ctx, args);
  DenseFolds<Vdut> folds(tr, *dut, DUT_ROWS, DUT_COLS);
  const FoldTrace& f = folds.fold;
  const int evOut = tr.eventIndex("psum_out");
  const int fOutFold = tr.fieldIndex(evOut, "fold"), fM = tr.fieldIndex(evOut, "m"), fPsum = tr.fieldIndex(evOut, "psum");

  uint64_t comparisons = 0;
  // The first ROWS cycles of a fold shift the weight tile in.
  auto load = [&](uint64_t c) { dut->load = c < static_cast<uint64_t>(DUT_ROWS); };
  auto state = [&](uint64_t c) {
    dut->load = 0;
    if (st.on())
      st.compare(*dut, f.t0 + c, c, f, kBlock, "pe_psum", [&](int j) { return getBits(dut->row_psum, 32 * j, 32); },
                 "the row read must be combinational: otherwise rerun with --no-state", comparisons);
  };

  TraceRecord r;
  while (tr.next(r)) {
    if (folds.take(r, false, load, state)) {
      continue;
    } else if (r.event == evOut) {
      if (!f.inFold(r, fOutFold)) throw TraceError(tr.where() + ": psum_out record outside its fold");
      const uint64_t c = r.t - f.t0;
      if (c + 1 < folds.next || c >= folds.cycles)
        throw TraceError(tr.where() + ": psum_out at fold cycle " + std::to_string(c) + " out of order or past the fold");
      folds.runTo(c + 1, load, state);  // the cycle's edge, if any, came first
      const auto& m = tr.array(r, fM, DUT_COLS);
      const auto& psum = tr.array(r, fPsum, DUT_COLS);
      for (int j = 0; j < DUT_COLS; ++j) {
        if (m[static_cast<size_t>(j)] < 0) continue;
        const int64_t got = signExtend(getBits(dut->psum_out, 32 * j, 32), 32);
        const int64_t want = asInt32(psum[static_cast<size_t>(j)]);
        ++comparisons;
        if (got != want)
          mismatch(r.t, kBlock, "psum_out[" + std::to_string(j) + "]", std::to_string(want), std::to_string(got),
                   "column " + std::to_string(j) + ", input row " + std::to_string(m[static_cast<size_t>(j)]) + " of " + f.context());
      }
      matched(r.t);
    }
  }
  pass(kBlock, tr.count() + st.count(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
