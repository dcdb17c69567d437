// Checks the read side of a CS weight-packing SRAM RTL (traces/rtl/weight_sram_banks.v; port
// contract in docs/rtl-check.md) against the weight_sram records of a golden trace. Per `read`
// record (one MAC-array step's distinct columns): one `start` cycle with the columns and wpc,
// then cycles until busy falls, collecting every bank port's read. Per bank, the words it read
// (address x BANKS + bank) must be exactly the request's words that live in it, and the cycles
// the request took must equal the record's `cycles` (the bandwidth and bank-conflict stalls).
#include <algorithm>
#include <memory>

#include "Check.h"
#include "Vdut.h"

#ifndef DUT_BANKS
#error "compile with -DDUT_BANKS, -DDUT_PORTS, -DDUT_NCOL, -DDUT_WPC_MAX (the RTL's parameters)"
#endif

using namespace rtlcheck;

namespace {
const char* kBlock = "weight_sram";

std::string list(const std::vector<int64_t>& v) {
  std::string s;
  for (int64_t x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s.empty() ? "none" : s;
}

void run(const Args& args) {
  TraceReader tr(args.trace, kBlock);
  requireParam(tr, kBlock, "banks", "BANKS", DUT_BANKS);
  requireParam(tr, kBlock, "ports", "PORTS", DUT_PORTS);
  const int ev = tr.eventIndex("read");
  const int fPass = tr.fieldIndex(ev, "pass"), fCols = tr.fieldIndex(ev, "cols"), fCycles = tr.fieldIndex(ev, "cycles"),
            fWpc = tr.fieldIndex(ev, "wpc");

  VerilatedContext ctx;
  auto dut = makeDut<Vdut>(ctx, args);
  dut->rst = 1;
  tick(*dut);
  dut->rst = 0;

  uint64_t comparisons = 0;
  TraceRecord r;
  while (tr.next(r)) {
    if (r.event != ev) continue;
    const auto& cols = r.fields[static_cast<size_t>(fCols)];
    const int64_t wpc = tr.scalar(r, fWpc), want = tr.scalar(r, fCycles);
    if (cols.empty()) continue;  // a step without column reads
    if (static_cast<int64_t>(cols.size()) > DUT_NCOL || wpc > DUT_WPC_MAX || wpc < 1)
      fatal(kBlock, tr.where() + ": a step of " + std::to_string(cols.size()) + " columns x " + std::to_string(wpc) +
                        " words; the RTL takes " + std::to_string(DUT_NCOL) + " x " + std::to_string(DUT_WPC_MAX) +
                        " (rebuild with -GNCOL / -GWPC_MAX at least that)");
    const std::string where = "pass " + std::to_string(tr.scalar(r, fPass)) + " step at cycle " + std::to_string(r.t) + " (columns " +
                              list(cols) + ", " + std::to_string(wpc) + " words each)";
    atCycle(r.t);
    for (size_t c = 0; c < static_cast<size_t>(DUT_NCOL); ++c) {
      putBits(dut->req_col, 16 * static_cast<int>(c), 16, c < cols.size() ? static_cast<uint64_t>(cols[c]) : 0);
      putBits(dut->req_valid, static_cast<int>(c), 1, c < cols.size());
    }
    dut->wpc = static_cast<uint8_t>(wpc);
    dut->start = 1;
    tick(*dut);
    dut->start = 0;
    std::vector<std::vector<int64_t>> got(DUT_BANKS), exp(DUT_BANKS);
    for (int64_t k : cols)
      for (int64_t j = 0; j < wpc; ++j) exp[static_cast<size_t>((k * wpc + j) % DUT_BANKS)].push_back(k * wpc + j);
    int64_t cycles = 0;
    while (dut->busy) {
      dut->eval();
      for (int b = 0; b < DUT_BANKS; ++b)
        for (int p = 0; p < DUT_PORTS; ++p)
          if (getBits(dut->rd_en, b * DUT_PORTS + p, 1))
            got[static_cast<size_t>(b)].push_back(static_cast<int64_t>(getBits(dut->rd_addr, 16 * (b * DUT_PORTS + p), 16)) * DUT_BANKS + b);
      tick(*dut);
      if (++cycles > static_cast<int64_t>(cols.size()) * wpc + 2) break;
    }
    for (int b = 0; b < DUT_BANKS; ++b) {
      auto& g = got[static_cast<size_t>(b)];
      auto& e = exp[static_cast<size_t>(b)];
      std::sort(g.begin(), g.end());
      std::sort(e.begin(), e.end());
      ++comparisons;
      if (g != e) mismatch(r.t, kBlock, "bank[" + std::to_string(b) + "].words", list(e), list(g), where);
    }
    ++comparisons;
    if (cycles != want) mismatch(r.t, kBlock, "cycles", std::to_string(want), std::to_string(cycles), where);
    matched(r.t);
  }
  pass(kBlock, tr.count(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
