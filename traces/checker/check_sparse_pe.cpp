// Checks a sparse-PE array RTL (port contract: docs/rtl-check.md "sparse_pe",
// traces/rtl/sparse_pe_array.v) against the sparse_pe records of a trace of the sparse_pe
// datapath. Per fold: one clear cycle with the streams' lengths, then per traced cycle: the bus
// readiness the RTL shows before the edge must equal what the model's buses did (a row bus that
// delivered was ready; one that held back with entries left was not), the deliveries are driven,
// one rising edge, then every PE's state (FIFO heads x / y, fills, issue, finished, accumulator)
// is read through pe_sel without a clock edge and compared, so a mismatch names the first cycle
// and PE that diverge.
#include "Check.h"
#include "FoldTrace.h"
#include "Vdut.h"

#ifndef DUT_ROWS
#error "compile with -DDUT_ROWS -DDUT_COLS -DDUT_FIFO_DEPTH -DDUT_MATCH_WIDTH -DDUT_KB (the RTL's parameters)"
#endif

using namespace rtlcheck;

namespace {
const char* kBlock = "sparse_pe";
constexpr int kPes = DUT_ROWS * DUT_COLS;

void run(const Args& args) {
  TraceReader tr(args.trace, kBlock);
  requireParam(tr, kBlock, "rows", "ROWS", DUT_ROWS);
  requireParam(tr, kBlock, "cols", "COLS", DUT_COLS);
  requireParam(tr, kBlock, "fifo_depth", "FIFO_DEPTH", DUT_FIFO_DEPTH);
  requireParam(tr, kBlock, "match_width", "MATCH_WIDTH", DUT_MATCH_WIDTH);
  if (tr.params().value("bus_pairs_per_cycle", 0) != 1)
    fatal(kBlock, "trace sparse_pe.bus_pairs_per_cycle = " + std::to_string(tr.params().value("bus_pairs_per_cycle", 0)) +
                      " but the contract's buses deliver one entry a cycle (trace an architecture with --set sparse_pe.bus_pairs_per_cycle=1)");
  FoldTrace folds(tr);
  const int evFold = folds.event(), evBus = tr.eventIndex("bus"), evPe = tr.eventIndex("pe");
  const int fAlen = tr.fieldIndex(evFold, "a_len"), fWlen = tr.fieldIndex(evFold, "w_len");
  const int fBFold = tr.fieldIndex(evBus, "fold"), fAn = tr.fieldIndex(evBus, "a_n"), fAk = tr.fieldIndex(evBus, "a_k"),
            fAv = tr.fieldIndex(evBus, "a_v"), fWn = tr.fieldIndex(evBus, "w_n"), fWk = tr.fieldIndex(evBus, "w_k"),
            fWv = tr.fieldIndex(evBus, "w_v");
  const int fPFold = tr.fieldIndex(evPe, "fold"), fCycle = tr.fieldIndex(evPe, "cycle");
  const char* peFields[] = {"x", "y", "a_fill", "w_fill", "issue", "done", "acc"};
  int fPe[7];
  for (int q = 0; q < 7; ++q) fPe[q] = tr.fieldIndex(evPe, peFields[q]);

  VerilatedContext ctx;
  auto dut = makeDut<Vdut>(ctx, args);

  uint64_t comparisons = 0;
  std::vector<int64_t> alen, wlen, atail(DUT_ROWS), wtail(DUT_COLS);
  bool busDriven = false;
  auto peName = [](const char* f, int q) {
    return std::string(f) + "[" + std::to_string(q / DUT_COLS) + "][" + std::to_string(q % DUT_COLS) + "]";
  };

  TraceRecord r;
  while (tr.next(r)) {
    if (r.event == evFold) {
      folds.open(r);
      alen = tr.array(r, fAlen, DUT_ROWS);
      wlen = tr.array(r, fWlen, DUT_COLS);
      std::fill(atail.begin(), atail.end(), 0);
      std::fill(wtail.begin(), wtail.end(), 0);
      for (int i = 0; i < DUT_ROWS; ++i) putBits(dut->a_len, DUT_KB * i, DUT_KB, static_cast<uint64_t>(alen[static_cast<size_t>(i)]));
      for (int j = 0; j < DUT_COLS; ++j) putBits(dut->w_len, DUT_KB * j, DUT_KB, static_cast<uint64_t>(wlen[static_cast<size_t>(j)]));
      dut->a_push = 0, dut->w_push = 0, dut->clear = 1;
      tick(*dut);
      dut->clear = 0;
    } else if (r.event == evBus) {
      if (!folds.inFold(r, fBFold)) throw TraceError(tr.where() + ": bus record outside its fold");
      const auto& an = tr.array(r, fAn, DUT_ROWS);
      const auto& wn = tr.array(r, fWn, DUT_COLS);
      const auto& ak = tr.array(r, fAk, DUT_ROWS);
      const auto& av = tr.array(r, fAv, DUT_ROWS);
      const auto& wk = tr.array(r, fWk, DUT_COLS);
      const auto& wv = tr.array(r, fWv, DUT_COLS);
      dut->eval();
      // Readiness before the edge: a bus that delivered was ready; one with entries left that did not, was not.
      auto ready = [&](const char* bus, int q, uint64_t got, int64_t n, int64_t tail, int64_t len) {
        if (n == 0 && tail >= len) return;
        const uint64_t want = n > 0 ? 1 : 0;
        ++comparisons;
        if (got != want)
          mismatch(r.t, kBlock, std::string(bus) + "[" + std::to_string(q) + "]", std::to_string(want), std::to_string(got),
                   std::string(bus[0] == 'a' ? "row" : "column") + " bus " + std::to_string(q) + " in fold cycle " + std::to_string(r.t - folds.t0) +
                       " of " + folds.context() + " (" + std::to_string(tail) + " of " + std::to_string(len) + " entries delivered)");
      };
      for (int i = 0; i < DUT_ROWS; ++i)
        ready("a_ready", i, getBits(dut->a_ready, i, 1), an[static_cast<size_t>(i)], atail[static_cast<size_t>(i)], alen[static_cast<size_t>(i)]);
      for (int j = 0; j < DUT_COLS; ++j)
        ready("w_ready", j, getBits(dut->w_ready, j, 1), wn[static_cast<size_t>(j)], wtail[static_cast<size_t>(j)], wlen[static_cast<size_t>(j)]);
      for (int i = 0; i < DUT_ROWS; ++i) {
        putBits(dut->a_push, i, 1, an[static_cast<size_t>(i)] > 0);
        putBits(dut->a_k, DUT_KB * i, DUT_KB, static_cast<uint64_t>(ak[static_cast<size_t>(i)]));
        putBits(dut->a_v, 8 * i, 8, static_cast<uint64_t>(av[static_cast<size_t>(i)]));
        atail[static_cast<size_t>(i)] += an[static_cast<size_t>(i)];
      }
      for (int j = 0; j < DUT_COLS; ++j) {
        putBits(dut->w_push, j, 1, wn[static_cast<size_t>(j)] > 0);
        putBits(dut->w_k, DUT_KB * j, DUT_KB, static_cast<uint64_t>(wk[static_cast<size_t>(j)]));
        putBits(dut->w_v, 8 * j, 8, static_cast<uint64_t>(wv[static_cast<size_t>(j)]));
        wtail[static_cast<size_t>(j)] += wn[static_cast<size_t>(j)];
      }
      atCycle(r.t);
      tick(*dut);
      dut->a_push = 0, dut->w_push = 0;
      busDriven = true;
    } else if (r.event == evPe) {
      if (!folds.inFold(r, fPFold) || !busDriven) throw TraceError(tr.where() + ": pe record without its cycle's bus record");
      busDriven = false;
      const int64_t c = tr.scalar(r, fCycle);
      std::vector<const std::vector<int64_t>*> want;
      for (int q = 0; q < 7; ++q) want.push_back(&tr.array(r, fPe[q], kPes));
      for (int q = 0; q < kPes; ++q) {
        putBits(dut->pe_sel, 0, 32, static_cast<uint64_t>(q));
        dut->eval();
        const bool done = (*want[5])[static_cast<size_t>(q)] != 0;
        const int64_t got[7] = {static_cast<int64_t>(getBits(dut->pe_x, 0, DUT_KB)), static_cast<int64_t>(getBits(dut->pe_y, 0, DUT_KB)),
                                static_cast<int64_t>(dut->pe_a_fill), static_cast<int64_t>(dut->pe_w_fill), static_cast<int64_t>(dut->pe_issue),
                                static_cast<int64_t>(dut->pe_done), signExtend(dut->pe_acc, 32)};
        for (int f = 0; f < 7; ++f) {
          if (done && (f == 2 || f == 3)) continue;  // a finished PE's FIFOs are not part of the contract
          const int64_t w = f == 6 ? asInt32((*want[f])[static_cast<size_t>(q)]) : (*want[f])[static_cast<size_t>(q)];
          ++comparisons;
          if (got[f] != w)
            mismatch(r.t, kBlock, peName(peFields[f], q), std::to_string(w), std::to_string(got[f]),
                     "PE (" + std::to_string(q / DUT_COLS) + ", " + std::to_string(q % DUT_COLS) + ") after fold cycle " + std::to_string(c) +
                         " of " + folds.context());
        }
      }
      matched(r.t);
    }
  }
  pass(kBlock, tr.count(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
