#include "models/sod/Decompressor.h"

#include "models/common/TraceSink.h"

#include <algorithm>

#include "models/common/Cycles.h"

namespace sparsesim {

uint64_t DecompressorUnit::emit(const CompressedTensor& t, int64_t v, int8_t* out, int64_t stride) {
  const int64_t len = t.length();
  for (int64_t e = 0; e < len; ++e) out[e * stride] = 0;  // zeros re-inserted
  const uint64_t total = t.vectorBits(v);
  // Stored entries: the non-zeros, or every element when the tensor is stored dense.
  const uint64_t nnz = t.format() == SparseFormat::Dense ? uint64_t(len) : uint64_t(t.nnz(v));
  const uint64_t pairBits = uint64_t(t.pairBits());
  const uint64_t header = total - nnz * pairBits;  // pointers (csc) or pointer + mask (bitmap)
  const uint64_t portBits = uint64_t(p_.port_bytes) * 8;
  const uint64_t npc = uint64_t(p_.nnz_per_cycle);
  const std::vector<int8_t>& val = t.values();
  const std::vector<uint16_t>& idx = t.indices();
  const int64_t seg = t.segmentLength();

  // Cursors over the stored entries in position order.
  int64_t entry = t.segmentBegin(v, 0);
  int64_t s = 0;      // csc segment of `entry`
  int64_t pos = -1;   // bitmap: last position emitted
  uint64_t received = 0, scattered = 0, cycles = 0;
  do {
    ++cycles;
    received = std::min(total, received + portBits);
    uint64_t complete = received >= header ? (received - header) / (pairBits ? pairBits : 1) : 0;
    if (complete > nnz) complete = nnz;
    uint64_t n = std::min(npc, complete - scattered);
    for (uint64_t q = 0; q < n; ++q, ++entry) {
      int64_t p;
      if (t.format() == SparseFormat::Csc) {
        while (entry >= t.segmentBegin(v, s + 1)) ++s;
        p = s * seg + idx[size_t(entry)];
      } else if (t.format() == SparseFormat::Bitmap) {
        do { ++pos; } while (!t.maskBit(v, pos));
        p = pos;
      } else {
        p = entry - t.segmentBegin(v, 0);  // dense storage through a unit: every element is an entry
      }
      out[p * stride] = val[size_t(entry)];
    }
    scattered += n;
  } while (scattered < nnz || received < total);
  ++vectors_;
  entries_ += nnz;
  cycles_ += cycles;
  bits_ += total;
  laneWrites_ += static_cast<uint64_t>(t.length());
  return cycles;
}

namespace {

// Timing of one unit's vectors against the array's consumption offsets.
struct LaneClock {
  uint64_t t = 0;      // cycles the unit has worked on this fold
  int64_t late = 0;    // max over vectors of (completion cycle - consumption cycle)
  void add(uint64_t c, int64_t offset) {
    t += c;
    late = std::max(late, int64_t(t) - 1 - offset);
  }
};

}  // namespace

DecompressStage::FoldTiming DecompressStage::run(const SodLayerData& d, const Fold& f, uint64_t t0) {
  GroupGemm& g = (*d.staging)[size_t(f.group)];
  const int64_t K = g.K;
  LaneClock wl, al;
  std::vector<TraceRecord> traced;
  // One vector through a unit: its cycles against the array's consumption offset, and (traced)
  // the dense vector it wrote, stamped with the cycle it was complete.
  auto vec = [&](DecompressorUnit& u, LaneClock& lc, int operand, int64_t tile, const CompressedTensor& ct, int64_t v,
                 int8_t* out, int64_t stride, int64_t offset) {
    const uint64_t c = u.emit(ct, v, out, stride);
    lc.add(c, offset);
    if (!tracer_) return;
    std::vector<int32_t> vals(static_cast<size_t>(ct.length()));
    for (int64_t e = 0; e < ct.length(); ++e) vals[static_cast<size_t>(e)] = out[e * stride];
    // The stored entries the unit took in (csc): segment pointers relative to the vector's first
    // entry, then each entry's value and index within its segment.
    std::vector<int32_t> ptr, ev, ei;
    if (ct.format() == SparseFormat::Csc) {
      const int64_t b0 = ct.segmentBegin(v, 0), segs = ct.segmentsPerVector();
      for (int64_t s = 0; s < segs; ++s) ptr.push_back(static_cast<int32_t>(ct.segmentBegin(v, s) - b0));
      for (int64_t e = b0; e < ct.segmentBegin(v, segs); ++e) {
        ev.push_back(ct.values()[static_cast<size_t>(e)]);
        ei.push_back(ct.indices()[static_cast<size_t>(e)]);
      }
    }
    traced.push_back({t0 + lc.t - 1, TraceBlock::Decompressor, traceEventIndex(TraceBlock::Decompressor, "vector"),
                      {tracer_->layer(), f.group, operand, tile, v, c, vals, ptr, ev, ei}});
  };
  if (d.dataflow == Dataflow::OutputStationary) {
    // Both edges take one vector per k, at cycle k.
    if (d.weights_compressed) {
      const CompressedTensor& wt = d.weights[size_t(f.group)][size_t(f.n0 / d.cols)];
      int8_t* base = g.Bt.data() + f.n0 * K;
      for (int64_t k = 0; k < f.klen; ++k) vec(w_, wl, 0, f.n0, wt, f.k0 + k, base + f.k0 + k, K, k);
    } else {
      wl.t = uint64_t(f.klen);
      bypassBytes_ += uint64_t(f.klen) * uint64_t(f.nlen);
    }
    if (d.activations_compressed) {
      const CompressedTensor& at = d.activations[size_t(f.group)][size_t(f.m0 / d.rows)];
      int8_t* base = g.A.data() + f.m0 * K;
      for (int64_t k = 0; k < f.klen; ++k) vec(a_, al, 1, f.m0, at, f.k0 + k, base + f.k0 + k, K, k);
    } else {
      al.t = uint64_t(f.klen);
      bypassBytes_ += uint64_t(f.klen) * uint64_t(f.mlen);
    }
  } else {
    // Weight rows enter from the top, last row first: tile row r is taken at cycle R-1-r.
    if (d.weights_compressed) {
      const CompressedTensor& wt = d.weights[size_t(f.group)][size_t(f.n0 / d.cols)];
      int8_t* base = g.Bt.data() + f.n0 * K;
      for (int64_t r = f.klen - 1; r >= 0; --r) vec(w_, wl, 0, f.n0, wt, f.k0 + r, base + f.k0 + r, K, d.rows - 1 - r);
    } else {
      wl.t = uint64_t(f.klen);
      bypassBytes_ += uint64_t(f.klen) * uint64_t(f.nlen);
    }
    // Input rows enter from the left after the weights: row m at cycle R+m.
    if (d.activations_compressed) {
      const CompressedTensor& at = d.activations[size_t(f.group)][size_t(f.k0 / d.rows)];
      for (int64_t m = 0; m < f.mlen; ++m) vec(a_, al, 1, f.k0, at, f.m0 + m, g.A.data() + (f.m0 + m) * K + f.k0, 1, d.rows + m);
    } else {
      al.t = uint64_t(f.mlen);
      bypassBytes_ += uint64_t(f.mlen) * uint64_t(f.klen);
    }
  }
  // The two units run side by side: their records interleave in time.
  std::stable_sort(traced.begin(), traced.end(), [](const TraceRecord& a, const TraceRecord& b) { return a.t < b.t; });
  for (const TraceRecord& rec : traced) tracer_->write(rec);
  FoldTiming r;
  r.ready_delay = uint64_t(std::max<int64_t>({0, wl.late, al.late}));
  r.busy = std::max(wl.t, al.t);
  return r;
}

void MonitoredFoldFifo::read(FoldTask& t) {
  ArrayWait w;
  w.begin = nowCycles();
  sc_core::sc_fifo<FoldTask>::read(t);
  w.end = nowCycles();
  w.begin = std::max(w.begin, std::min(t.origin, w.end));
  waits_.push_back(w);
}

void attributeDecompressorStalls(const std::vector<ArrayWait>& waits, const std::vector<DecompressRecord>& records,
                                 LayerStats& stats) {
  uint64_t moved = 0;
  for (size_t i = 0; i < waits.size() && i < records.size(); ++i) {
    const ArrayWait& w = waits[i];
    if (w.end <= w.begin) continue;
    // The stage waited on the buffer over [requested, received].
    const DecompressRecord& r = records[i];
    const uint64_t lo = std::max(w.begin, r.requested), hi = std::min(w.end, r.received);
    const uint64_t dram = hi > lo ? hi - lo : 0;
    moved += (w.end - w.begin) - dram;
  }
  if (!moved) return;
  uint64_t& d = stats.stall_cycles[StallCause::DramOperands];
  d -= std::min(d, moved);
  if (d == 0) stats.stall_cycles.erase(StallCause::DramOperands);
  stats.stall_cycles[StallCause::Decompressor] += moved;
}

void Decompressor::attachTracer(TraceSink& t) {
  if (!t.on(TraceBlock::Decompressor)) return;
  stage_.attachTracer(&t);
  t.setParams(TraceBlock::Decompressor, {{"nnz_per_cycle", stage_.weightUnit().params().nnz_per_cycle},
                                         {"port_bytes", stage_.weightUnit().params().port_bytes},
                                         {"activation_nnz_per_cycle", stage_.activationUnit().params().nnz_per_cycle},
                                         {"activation_port_bytes", stage_.activationUnit().params().port_bytes}});
}

Decompressor::Decompressor(sc_core::sc_module_name name, DecompressorParams weights, DecompressorParams activations)
    : sc_module(name), from_buffer("from_buffer"), to_array("to_array"), stage_(weights, activations) {
  SC_HAS_PROCESS(Decompressor);
  SC_THREAD(run);
}

void Decompressor::run() {
  for (;;) {
    DecompressRecord rec;
    rec.requested = nowCycles();
    FoldTask t = from_buffer->read();
    rec.received = nowCycles();
    DecompressStage::FoldTiming ft = stage_.run(*data_, t.fold, rec.received);
    waitCycles(ft.ready_delay);
    to_array->write(t);
    rec.released = nowCycles();
    records_.push_back(rec);
    const uint64_t spent = rec.released - rec.received;
    if (ft.busy > spent) waitCycles(ft.busy - spent);
  }
}

}  // namespace sparsesim
