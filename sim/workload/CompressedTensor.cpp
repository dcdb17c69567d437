#include "sim/workload/CompressedTensor.h"

#include <algorithm>
#include <stdexcept>

#include "sim/core/Math.h"

namespace sparsesim {

SparseFormat parseSparseFormat(const std::string& s) {
  if (auto f = enumFromString<SparseFormat>(s)) return *f;
  throw std::invalid_argument("unknown sparse format \"" + s + "\"");
}

int CompressedTensor::pairBits() const {
  switch (spec_.format) {
    case SparseFormat::Csc: return spec_.value_bits + spec_.index_bits;
    default: return spec_.value_bits;
  }
}

CompressedTensor CompressedTensor::compress(const int8_t* data, int64_t vectors, int64_t length, int64_t vectorStride,
                                            int64_t elementStride, const CompressionSpec& spec) {
  if (vectors < 0 || length < 0) throw std::invalid_argument("CompressedTensor: negative shape");
  if (spec.format == SparseFormat::Csc && (spec.index_bits < 1 || spec.index_bits > 16))
    throw std::invalid_argument("CompressedTensor: index_bits must be in [1, 16]");
  CompressedTensor t;
  t.spec_ = spec;
  t.vectors_ = vectors;
  t.length_ = length;
  t.pointerBits_ = std::max(1, ceilLog2(uint64_t(vectors) * uint64_t(length) + 1));  // addresses 0 .. n
  if (spec.format == SparseFormat::Csc) {
    t.seg_ = std::max<int64_t>(1, std::min<int64_t>(int64_t(1) << spec.index_bits, length));
    t.segs_ = length == 0 ? 0 : ceilDiv(length, t.seg_);
  } else {
    t.seg_ = std::max<int64_t>(1, length);
    t.segs_ = 1;
  }
  t.nnzPrefix_.assign(size_t(vectors) + 1, 0);
  t.vecBitsPrefix_.assign(size_t(vectors) + 1, 0);
  const int vb = spec.value_bits;
  switch (spec.format) {
    case SparseFormat::Dense: {
      t.values_.resize(size_t(vectors * length));
      t.ptr_.resize(size_t(vectors) + 1);
      for (int64_t v = 0; v < vectors; ++v) {
        int64_t nz = 0;
        for (int64_t e = 0; e < length; ++e) {
          int8_t x = data[v * vectorStride + e * elementStride];
          t.values_[size_t(v * length + e)] = x;
          nz += x != 0;
        }
        t.ptr_[size_t(v)] = v * length;
        t.nnzPrefix_[size_t(v) + 1] = t.nnzPrefix_[size_t(v)] + nz;
        t.vecBitsPrefix_[size_t(v) + 1] = t.vecBitsPrefix_[size_t(v)] + length * vb;
      }
      t.ptr_[size_t(vectors)] = vectors * length;
      break;
    }
    case SparseFormat::Csc: {
      t.ptr_.resize(size_t(vectors * t.segs_) + 1);
      const int pb = t.pairBits();
      for (int64_t v = 0; v < vectors; ++v) {
        for (int64_t s = 0; s < t.segs_; ++s) {
          t.ptr_[size_t(v * t.segs_ + s)] = int64_t(t.values_.size());
          const int64_t e0 = s * t.seg_, e1 = std::min(length, e0 + t.seg_);
          for (int64_t e = e0; e < e1; ++e) {
            int8_t x = data[v * vectorStride + e * elementStride];
            if (x != 0) {
              t.values_.push_back(x);
              t.indices_.push_back(static_cast<uint16_t>(e - e0));
            }
          }
        }
        const int64_t nz = int64_t(t.values_.size()) - t.nnzPrefix_[size_t(v)];
        t.nnzPrefix_[size_t(v) + 1] = int64_t(t.values_.size());
        t.vecBitsPrefix_[size_t(v) + 1] = t.vecBitsPrefix_[size_t(v)] + nz * pb + t.segs_ * t.pointerBits_;
      }
      t.ptr_[size_t(vectors * t.segs_)] = int64_t(t.values_.size());
      break;
    }
    case SparseFormat::Bitmap: {
      t.ptr_.resize(size_t(vectors) + 1);
      t.mask_.assign(size_t((uint64_t(vectors) * uint64_t(length) + 63) / 64), 0);
      for (int64_t v = 0; v < vectors; ++v) {
        t.ptr_[size_t(v)] = int64_t(t.values_.size());
        for (int64_t e = 0; e < length; ++e) {
          int8_t x = data[v * vectorStride + e * elementStride];
          if (x != 0) {
            t.values_.push_back(x);
            uint64_t bit = uint64_t(v) * uint64_t(length) + uint64_t(e);
            t.mask_[bit >> 6] |= uint64_t(1) << (bit & 63);
          }
        }
        const int64_t nz = int64_t(t.values_.size()) - t.ptr_[size_t(v)];
        t.nnzPrefix_[size_t(v) + 1] = int64_t(t.values_.size());
        t.vecBitsPrefix_[size_t(v) + 1] = t.vecBitsPrefix_[size_t(v)] + nz * vb + length + t.pointerBits_;
      }
      t.ptr_[size_t(vectors)] = int64_t(t.values_.size());
      break;
    }
  }
  t.nnzTotal_ = t.nnzPrefix_[size_t(vectors)];
  return t;
}

int64_t CompressedTensor::nnzInRange(int64_t v, int64_t p0, int64_t p1) const {
  p0 = std::max<int64_t>(p0, 0);
  p1 = std::min(p1, length_);
  if (p1 <= p0) return 0;
  switch (spec_.format) {
    case SparseFormat::Dense: {
      int64_t n = 0;
      for (int64_t e = p0; e < p1; ++e) n += values_[size_t(v * length_ + e)] != 0;
      return n;
    }
    case SparseFormat::Bitmap: {
      uint64_t b0 = uint64_t(v) * uint64_t(length_) + uint64_t(p0), b1 = uint64_t(v) * uint64_t(length_) + uint64_t(p1);
      int64_t n = 0;
      while (b0 < b1 && (b0 & 63)) { n += (mask_[b0 >> 6] >> (b0 & 63)) & 1u; ++b0; }
      while (b0 + 64 <= b1) { n += __builtin_popcountll(mask_[b0 >> 6]); b0 += 64; }
      while (b0 < b1) { n += (mask_[b0 >> 6] >> (b0 & 63)) & 1u; ++b0; }
      return n;
    }
    case SparseFormat::Csc: {
      // Entries of segment s at or after in-segment position q.
      auto entriesFrom = [&](int64_t s, int64_t q) -> int64_t {
        const int64_t b = ptr_[size_t(v * segs_ + s)], e = ptr_[size_t(v * segs_ + s + 1)];
        auto it = std::lower_bound(indices_.begin() + b, indices_.begin() + e, static_cast<uint16_t>(q));
        return e - (it - indices_.begin());
      };
      const int64_t s0 = p0 / seg_, s1 = (p1 - 1) / seg_;
      // Entries at positions >= p0 within [s0, s1], minus those at positions >= p1 in s1.
      int64_t n = entriesFrom(s0, p0 - s0 * seg_);
      n += ptr_[size_t(v * segs_ + s1 + 1)] - ptr_[size_t(v * segs_ + s0 + 1)];
      const int64_t q1 = p1 - s1 * seg_;
      if (q1 < seg_) n -= entriesFrom(s1, q1);
      return n;
    }
  }
  return 0;
}

uint64_t CompressedTensor::bitsOfRange(int64_t v, int64_t p0, int64_t p1) const {
  p0 = std::max<int64_t>(p0, 0);
  p1 = std::min(p1, length_);
  if (p1 <= p0) return 0;
  const uint64_t n = uint64_t(nnzInRange(v, p0, p1));
  switch (spec_.format) {
    case SparseFormat::Dense: return uint64_t(p1 - p0) * spec_.value_bits;
    case SparseFormat::Bitmap: return n * spec_.value_bits + uint64_t(p1 - p0) + (p0 == 0 ? pointerBits_ : 0);
    case SparseFormat::Csc: {
      // Segments whose first position lies in [p0, p1).
      const int64_t firstSeg = ceilDiv(p0, seg_);
      const int64_t lastSeg = (p1 - 1) / seg_;
      const uint64_t starts = lastSeg >= firstSeg ? uint64_t(lastSeg - firstSeg + 1) : 0;
      return n * uint64_t(pairBits()) + starts * uint64_t(pointerBits_);
    }
  }
  return 0;
}

void CompressedTensor::decompressVector(int64_t v, int8_t* out, int64_t stride) const {
  for (int64_t e = 0; e < length_; ++e) out[e * stride] = 0;
  switch (spec_.format) {
    case SparseFormat::Dense:
      for (int64_t e = 0; e < length_; ++e) out[e * stride] = values_[size_t(v * length_ + e)];
      break;
    case SparseFormat::Csc:
      for (int64_t s = 0; s < segs_; ++s)
        for (int64_t i = segmentBegin(v, s); i < segmentBegin(v, s + 1); ++i)
          out[(s * seg_ + indices_[size_t(i)]) * stride] = values_[size_t(i)];
      break;
    case SparseFormat::Bitmap: {
      int64_t i = segmentBegin(v, 0);
      for (int64_t e = 0; e < length_; ++e)
        if (maskBit(v, e)) out[e * stride] = values_[size_t(i++)];
      break;
    }
  }
}

}  // namespace sparsesim
