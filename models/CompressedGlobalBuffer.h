#pragma once
// The global buffer of the sod and sparse_pe datapaths: the foundation's GlobalBuffer with the
// operands held in a storage format (compressed or dense, per operand) instead of always dense
// int8. It keeps GlobalBuffer's residency rules (see models/GlobalBuffer.h) and its fill process,
// but every byte count is the stored size of exactly what a fold fetches, and the "fits in its
// partition" decisions use the stored (compressed) size of the layer's operands. So compressed
// operands move fewer bytes from DRAM, and more layers keep their operands on chip.
// The dense GlobalBuffer is left as it is; with dense storage (denseStorage below) this block
// fetches exactly the bytes it does (a unit test checks it fold by fold).
#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <tuple>
#include <vector>

#include "models/DramController.h"
#include "models/FoldSchedule.h"
#include "models/GlobalBuffer.h"
#include "sim/config/ArchConfig.h"
#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

// How the layer's operands are stored: bits of a fold's weight tile, bits of input rows
// [row_lo, row_hi) of one input channel, and the whole layer's stored sizes.
struct OperandStorage {
  std::function<uint64_t(const Fold&)> weight_tile_bits;
  std::function<uint64_t(int channel, int row_lo, int row_hi)> input_rows_bits;
  uint64_t weight_bytes = 0;  // all of the layer's weights as stored
  uint64_t input_bytes = 0;   // all of the layer's input activations as stored
};

// Dense int8 storage: what GlobalBuffer assumes.
OperandStorage denseStorage(const LayerGeometry& g);

class CompressedResidency {
 public:
  CompressedResidency(const LayerGeometry& g, const MemoryConfig& m, int cols, OperandStorage storage);
  uint64_t readBytes(const Fold& f);
  uint64_t writeBytes(const Fold& f) const;
  bool weightsResident() const { return weightsFit_; }
  bool inputsResident() const { return inputsFit_; }
  const OperandStorage& storage() const { return st_; }

 private:
  uint64_t inputTileBits(const Fold& f, bool onlyNew);
  const LayerGeometry g_;
  OperandStorage st_;
  int outputBytes_;
  bool weightsFit_, inputsFit_, psumFit_;
  std::set<std::tuple<int, int64_t, int64_t>> weightTilesSeen_;
  std::vector<int> rowsLoaded_;
  bool havePrev_ = false;
  Fold prev_;
};

class CompressedGlobalBuffer : public sc_core::sc_module {
 public:
  sc_core::sc_port<DramPortIf> dram;
  sc_core::sc_port<sc_core::sc_fifo_out_if<FoldTask>> to_array;
  sc_core::sc_fifo<std::vector<FoldTask>*> jobs;  // one entry per layer

  explicit CompressedGlobalBuffer(sc_core::sc_module_name name);
  void beginLayer(const LayerGeometry& g, const MemoryConfig& m, int cols, OperandStorage storage) {
    residency_ = std::make_unique<CompressedResidency>(g, m, cols, std::move(storage));
  }
  CompressedResidency& residency() { return *residency_; }

 private:
  void fill();
  std::unique_ptr<CompressedResidency> residency_;
};

}  // namespace sparsesim
