#pragma once
// Compressed storage of an int8 operand, as the global buffer (and DRAM) of the sod and
// sparse_pe datapaths hold it.
//
// A tensor is viewed as `vectors` vectors of `length` elements each (a vector is what one
// decompression step or one index-matching stream handles, see docs/sod.md). Formats:
//   dense   every element, value_bits each; no metadata.
//   csc     values + indices + pointers (CSC-like): each vector is cut into segments of
//           S = 2^index_bits elements; a stored non-zero is (value, position within its segment),
//           value_bits + index_bits; every segment has one pointer (offset of its first stored
//           non-zero), pointer_bits wide.
//   bitmap  one mask bit per element + the non-zero values + one pointer per vector.
// pointer_bits = ceil(log2(vectors * length + 1)): enough to address any stored entry of the
// tensor. Sizes below are exact counts over the real data; a tensor's size in bytes is its bit
// count rounded up to whole bytes.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/Enums.h"

namespace sparsesim {

SparseFormat parseSparseFormat(const std::string& s);  // "dense", "csc", "bitmap"

struct CompressionSpec {
  SparseFormat format = SparseFormat::Csc;
  int index_bits = 5;  // csc only; 1..16
  int value_bits = 8;
};

class CompressedTensor {
 public:
  CompressedTensor() = default;
  // Element e of vector v is data[v * vectorStride + e * elementStride].
  static CompressedTensor compress(const int8_t* data, int64_t vectors, int64_t length, int64_t vectorStride,
                                   int64_t elementStride, const CompressionSpec& spec);

  SparseFormat format() const { return spec_.format; }
  const CompressionSpec& spec() const { return spec_; }
  int64_t vectors() const { return vectors_; }
  int64_t length() const { return length_; }
  int64_t segmentLength() const { return seg_; }        // csc: 2^index_bits capped at length; else length
  int64_t segmentsPerVector() const { return segs_; }
  int pointerBits() const { return pointerBits_; }
  int pairBits() const;                                  // bits of one stored non-zero

  int64_t nnz() const { return nnzTotal_; }
  int64_t nnz(int64_t v) const { return nnzPrefix_[v + 1] - nnzPrefix_[v]; }
  int64_t nnzInRange(int64_t v, int64_t p0, int64_t p1) const;  // non-zeros at positions [p0, p1)
  // Stored bits attributable to vector v: its entries, mask and pointers.
  uint64_t vectorBits(int64_t v) const { return uint64_t(vecBitsPrefix_[v + 1] - vecBitsPrefix_[v]); }
  // Bits of vectors [v0, v1).
  uint64_t bitsOfVectors(int64_t v0, int64_t v1) const { return uint64_t(vecBitsPrefix_[v1] - vecBitsPrefix_[v0]); }
  // Bits of positions [p0, p1) of vector v: the entries there, mask bits there and the pointers
  // of segments (csc) or of the vector (bitmap) that start there. Over a partition of a vector
  // these add up to vectorBits(v).
  uint64_t bitsOfRange(int64_t v, int64_t p0, int64_t p1) const;
  uint64_t bits() const { return bitsOfVectors(0, vectors_); }
  uint64_t bytes() const { return (bits() + 7) / 8; }
  uint64_t denseBytes() const { return (uint64_t(vectors_) * uint64_t(length_) * spec_.value_bits + 7) / 8; }

  // Raw storage, read by the decompression units and the sparse PEs.
  //  dense:  values()[v * length + e]
  //  csc:    entries [segmentBegin(v, s), segmentBegin(v, s + 1)) hold segment s of vector v;
  //          position = s * segmentLength() + indices()[i]; indices ascend within a segment
  //  bitmap: entries [segmentBegin(v, 0), segmentBegin(v, 1)) hold vector v in position order;
  //          maskBit(v, e) tells whether position e holds one
  const std::vector<int8_t>& values() const { return values_; }
  const std::vector<uint16_t>& indices() const { return indices_; }
  int64_t segmentBegin(int64_t v, int64_t s) const { return ptr_[v * segs_ + s]; }
  bool maskBit(int64_t v, int64_t e) const {
    uint64_t bit = uint64_t(v) * uint64_t(length_) + uint64_t(e);
    return (mask_[bit >> 6] >> (bit & 63)) & 1u;
  }

  // Reference decompression of one vector (for tests): out[e * stride] for every e.
  void decompressVector(int64_t v, int8_t* out, int64_t stride = 1) const;

 private:
  CompressionSpec spec_;
  int64_t vectors_ = 0, length_ = 0, seg_ = 1, segs_ = 1;
  int pointerBits_ = 1;
  int64_t nnzTotal_ = 0;
  std::vector<int8_t> values_;
  std::vector<uint16_t> indices_;
  std::vector<int64_t> ptr_;            // csc: vectors*segs + 1 offsets; bitmap: vectors + 1
  std::vector<uint64_t> mask_;          // bitmap: vectors*length bits
  std::vector<int64_t> nnzPrefix_;      // vectors + 1
  std::vector<int64_t> vecBitsPrefix_;  // vectors + 1
};

}  // namespace sparsesim
