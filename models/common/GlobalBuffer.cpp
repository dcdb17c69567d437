#include "models/common/GlobalBuffer.h"

#include <algorithm>

namespace sparsesim {

WeightFootprint arrayWeightFootprint(const ArchConfig& a, const LayerGeometry& g, uint64_t storedBytes) {
  const uint64_t n = uint64_t(std::min<int64_t>(a.array.cols, g.N));
  const uint64_t k = uint64_t(a.dataflow == Dataflow::OutputStationary ? g.K : std::min<int64_t>(a.array.rows, g.K));
  return WeightFootprint{storedBytes, uint64_t(a.memory.prefetch_depth) * n * k};
}

uint64_t filterBufferBytes(const ArchConfig& a) { return static_cast<uint64_t>(a.memory.filter_kb * 1024.0); }

OperandStorage denseStorage(const LayerGeometry& g) {
  OperandStorage s;
  s.weight_tile_bits = [](const Fold& f) { return uint64_t(f.nlen) * uint64_t(f.klen) * 8; };
  const int w = g.in_w;
  s.input_rows_bits = [w](int, int lo, int hi) { return uint64_t(hi - lo) * uint64_t(w) * 8; };
  s.weight_bytes = uint64_t(g.weightElements());
  s.input_bytes = uint64_t(g.inputElements());
  return s;
}

BufferResidency::BufferResidency(const LayerGeometry& g, const MemoryConfig& m, int cols, OperandStorage storage, WeightPlacement at)
    : g_(g), st_(std::move(storage)), outputBytes_(m.output_bytes), rowsLoaded_(g.in_c, 0) {
  resident_ = at.resident;
  const double room = at.stream_capacity_bytes >= 0 ? std::min(at.stream_capacity_bytes, m.filter_kb * 1024.0) : m.filter_kb * 1024.0;
  weightsFit_ = resident_ || static_cast<double>(st_.weight_bytes) <= room;
  inputsFit_ = static_cast<double>(st_.input_bytes) <= m.ifmap_kb * 1024.0;
  psumFit_ = static_cast<double>(g.M) * std::min<int64_t>(cols, g.N) * 4.0 <= m.ofmap_kb * 1024.0;
}

uint64_t BufferResidency::inputTileBits(const Fold& f, bool onlyNew) {
  const int kk = g_.kh * g_.kw;
  const int cPer = g_.in_c / g_.groups;
  const int cFirst = f.group * cPer + static_cast<int>(f.k0 / kk);
  const int cLast = f.group * cPer + static_cast<int>((f.k0 + f.klen - 1) / kk);
  // Rows are counted over the batch's images one after the other (image b's row iy is row
  // b * in_h + iy): a fold whose pixels span images reads the rows of every image it touches.
  const int64_t P = g_.pixels(), mLast = f.m0 + f.mlen - 1;
  const int bFirst = static_cast<int>(f.m0 / P), bLast = static_cast<int>(mLast / P);
  const int oyFirst = static_cast<int>((f.m0 % P) / g_.out_w);
  const int oyLast = static_cast<int>((mLast % P) / g_.out_w);
  const int rowLo = bFirst * g_.in_h + std::max(0, oyFirst * g_.stride - g_.pad_top);
  const int rowHi = bLast * g_.in_h +
                    std::min(g_.in_h, oyLast * g_.stride - g_.pad_top + (g_.kh - 1) * g_.dilation + 1);  // exclusive
  uint64_t bits = 0;
  for (int c = cFirst; c <= cLast; ++c) {
    int lo = rowLo;
    if (onlyNew) {
      lo = std::max(lo, rowsLoaded_[c]);
      rowsLoaded_[c] = std::max(rowsLoaded_[c], rowHi);
    }
    if (rowHi > lo) bits += st_.input_rows_bits(c, lo, rowHi);
  }
  return bits;
}

uint64_t BufferResidency::readBytes(const Fold& f) {
  uint64_t wbits = 0;
  auto key = std::make_tuple(f.group, f.n0, f.k0);
  bool sameW = havePrev_ && prev_.group == f.group && prev_.n0 == f.n0 && prev_.k0 == f.k0;
  if (resident_) {
    // on chip since configuration: nothing to fetch
  } else if (weightsFit_) {
    if (weightTilesSeen_.insert(key).second) wbits += st_.weight_tile_bits(f);
  } else if (!sameW) {
    wbits += st_.weight_tile_bits(f);
  }
  lastWeightBytes_ = (wbits + 7) / 8;
  uint64_t bits = wbits;
  bool sameA = havePrev_ && prev_.group == f.group && prev_.m0 == f.m0 && prev_.k0 == f.k0;
  if (inputsFit_) bits += inputTileBits(f, true);
  else if (!sameA) bits += inputTileBits(f, false);
  uint64_t bytes = (bits + 7) / 8;
  if (!psumFit_ && !f.firstK) bytes += uint64_t(f.mlen) * f.nlen * 4;
  prev_ = f;
  havePrev_ = true;
  return bytes;
}

uint64_t BufferResidency::writeBytes(const Fold& f) const {
  if (f.lastK) return uint64_t(f.mlen) * f.nlen * outputBytes_;
  return psumFit_ ? 0 : uint64_t(f.mlen) * f.nlen * 4;
}

GlobalBuffer::GlobalBuffer(sc_core::sc_module_name name) : sc_module(name), dram("dram"), to_array("to_array"), jobs("jobs", 1) {
  SC_HAS_PROCESS(GlobalBuffer);
  SC_THREAD(fill);
}

void GlobalBuffer::fill() {
  for (;;) {
    std::vector<FoldTask>* job = jobs.read();
    for (FoldTask& t : *job) {
      const uint64_t fill = residency_->readBytes(t.fold);
      t.stats->sram_write_bytes += fill;  // DRAM fill into the buffer
      t.stats->dram_weight_read_bytes += residency_->lastWeightBytes();
      dram->transfer(fill, DramPortIf::Dir::Read, *t.stats);
      to_array->write(t);
    }
  }
}

}  // namespace sparsesim
