// Checks a SoD decompression unit RTL (traces/rtl/decompressor.v; port contract in
// docs/rtl-check.md) against the decompressor records of a golden trace. Per `vector` record of
// an operand whose vectors are LANES long: one cycle with ptr_load and the record's segment
// pointers, then one beat per NNZ stored entries (value, index within the segment; the first beat
// flagged in_first, the last in_last; a vector without entries is one empty beat), then idle
// cycles until out_valid; out_vec must equal the record's dense vector `v`.
#include <memory>

#include "Check.h"
#include "Vdut.h"

#ifndef DUT_LANES
#error "compile with -DDUT_LANES, -DDUT_NNZ, -DDUT_INDEX_BITS, -DDUT_SEGS, -DDUT_PTRW (the RTL's geometry)"
#endif

using namespace rtlcheck;

namespace {
const char* kBlock = "decompressor";

void run(const Args& args) {
  TraceReader tr(args.trace, kBlock);
  const int ev = tr.eventIndex("vector");
  const int fOp = tr.fieldIndex(ev, "operand"), fV = tr.fieldIndex(ev, "v"), fPtr = tr.fieldIndex(ev, "ptr"),
            fNzV = tr.fieldIndex(ev, "nz_v"), fNzI = tr.fieldIndex(ev, "nz_idx"), fLayer = tr.fieldIndex(ev, "layer"),
            fIndex = tr.fieldIndex(ev, "index"), fTile = tr.fieldIndex(ev, "tile");
  // The unit's entries per cycle, per operand (0 weights, 1 activations).
  const long long nnz[2] = {tr.params().value("nnz_per_cycle", -1LL), tr.params().value("activation_nnz_per_cycle", -1LL)};

  VerilatedContext ctx;
  auto dut = makeDut<Vdut>(ctx, args);
  dut->rst = 1;
  tick(*dut);
  dut->rst = 0;

  uint64_t comparisons = 0, skipped = 0;
  TraceRecord r;
  while (tr.next(r)) {
    if (r.event != ev) continue;
    const int64_t op = tr.scalar(r, fOp);
    const auto& v = r.fields[static_cast<size_t>(fV)];
    if (static_cast<int64_t>(v.size()) != DUT_LANES || op < 0 || op > 1 || nnz[op] != DUT_NNZ) {
      ++skipped;  // the other unit's vectors, of another length or width
      continue;
    }
    const auto& ptr = r.fields[static_cast<size_t>(fPtr)];
    const auto& nzv = r.fields[static_cast<size_t>(fNzV)];
    const auto& nzi = tr.array(r, fNzI, nzv.size());
    if (ptr.empty()) fatal(kBlock, tr.where() + ": the vector is not stored as csc (no segment pointers); the reference unit reads csc");
    if (static_cast<int64_t>(ptr.size()) != DUT_SEGS)
      fatal(kBlock, tr.where() + ": the vector has " + std::to_string(ptr.size()) + " segments but the RTL (INDEX_BITS = " +
                        std::to_string(DUT_INDEX_BITS) + ") cuts it into " + std::to_string(DUT_SEGS) +
                        " (rebuild with the trace's sod.index_bits)");
    const std::string ctxs = "layer " + std::to_string(tr.scalar(r, fLayer)) + (op ? " activation" : " weight") + " vector " +
                             std::to_string(tr.scalar(r, fIndex)) + " of tile " + std::to_string(tr.scalar(r, fTile)) + " (" +
                             std::to_string(nzv.size()) + " stored entries)";
    atCycle(r.t);
    for (size_t s = 0; s < ptr.size(); ++s) putBits(dut->ptr_in, static_cast<int>(s) * DUT_PTRW, DUT_PTRW, static_cast<uint64_t>(ptr[s]));
    dut->ptr_load = 1;
    tick(*dut);
    dut->ptr_load = 0;
    const size_t n = nzv.size();
    for (size_t e0 = 0; e0 == 0 || e0 < n; e0 += DUT_NNZ) {
      uint64_t mask = 0;
      for (int q = 0; q < DUT_NNZ; ++q) {
        const size_t e = e0 + static_cast<size_t>(q);
        const bool have = e < n;
        if (have) mask |= uint64_t(1) << q;
        putBits(dut->in_value, q * 8, 8, have ? static_cast<uint64_t>(nzv[e]) : 0);
        putBits(dut->in_index, q * DUT_INDEX_BITS, DUT_INDEX_BITS, have ? static_cast<uint64_t>(nzi[e]) : 0);
      }
      putBits(dut->in_mask, 0, DUT_NNZ, mask);
      dut->in_valid = 1;
      dut->in_first = e0 == 0;
      dut->in_last = e0 + DUT_NNZ >= n;
      tick(*dut);
    }
    dut->in_valid = dut->in_first = dut->in_last = 0;
    putBits(dut->in_mask, 0, DUT_NNZ, 0);
    int waited = 0;
    while (!dut->out_valid) {
      tick(*dut);
      if (++waited > 8) mismatch(r.t, kBlock, "out_valid", "1", "0", ctxs + ": no out_valid 8 cycles after the last beat");
    }
    for (int l = 0; l < DUT_LANES; ++l) {
      const int64_t got = signExtend(getBits(dut->out_vec, 8 * l, 8), 8);
      ++comparisons;
      if (got != v[static_cast<size_t>(l)])
        mismatch(r.t, kBlock, "v[" + std::to_string(l) + "]", std::to_string(v[static_cast<size_t>(l)]), std::to_string(got), ctxs);
    }
    matched(r.t);
  }
  if (comparisons == 0 && skipped)
    fatal(kBlock, "no vector of the trace fits the RTL (LANES = " + std::to_string(DUT_LANES) + ", NNZ = " + std::to_string(DUT_NNZ) +
                      "): the trace's units are nnz_per_cycle " + std::to_string(nnz[0]) + " / " + std::to_string(nnz[1]) +
                      " on vectors of the array's rows / cols");
  pass(kBlock, tr.count(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
