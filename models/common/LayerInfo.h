#pragma once
// What a datapath returns for one layer: the real outputs, the counters its blocks kept, and
// its own typed facts, one struct per datapath (sim/report/DatapathSections.cpp writes each as
// that datapath's report fields; sim/run/Verify checks the CS selection). The facts live here,
// beside the Datapath interface's other shared types, so no datapath folder is included from
// outside its own.
#include <cstdint>
#include <utility>
#include <variant>
#include <vector>

#include "models/common/LayerStats.h"
#include "sim/core/Enums.h"
#include "sim/core/Tensor.h"

namespace sparsesim {

// ---- PE-array datapaths (dense, sod, sparse_pe) ----
// One candidate mapping's estimate for `dataflow: "auto"` (models/common/DataflowChoice.h has
// the rule), in array cycles and DRAM bytes.
struct DataflowEstimate {
  Dataflow dataflow = Dataflow::OutputStationary;
  uint64_t folds = 0;
  uint64_t compute_cycles = 0;
  uint64_t dram_bytes = 0;
  uint64_t dram_cycles = 0;
  uint64_t cycles = 0;  // max(compute_cycles, dram_cycles)
};

struct ArrayLayerInfo {
  Dataflow dataflow = Dataflow::OutputStationary;  // the mapping the layer ran
  std::vector<DataflowEstimate> dataflow_estimates;  // auto only: every candidate's estimate
  uint64_t folds = 0;
  bool weights_fit_buffer = false;  // the whole layer's weights fit the filter partition (resident or fetched once)
  bool inputs_resident = false;   // the whole layer's input fits the ifmap partition
};

// ---- dense ----
struct DenseInfo {
  ArrayLayerInfo array;
};

// ---- Complementary Sparsity (cs): packing, selection, MAC array, weight-packing SRAM ----
struct CsInfo {
  CsMode mode = CsMode::DenseDense;
  // cs.mode "auto": each candidate mode's estimated cycles (CsLayerPlan.h), in the order tried.
  std::vector<std::pair<CsMode, uint64_t>> mode_estimate_cycles;
  // Packing (offline).
  int N = 1;                    // kernels in the fullest packed group
  int64_t groups = 0;           // packed groups
  double packing_efficiency = 0;
  int id_bits = 0;
  // Selection: k of L activations processed per input.
  uint64_t k = 0, L = 0;
  bool selection_active = false;  // sparse-sparse: the selector ran
  std::vector<uint32_t> winners;  // the selector's winners (flat input indices), when active
  uint64_t selector_cycles = 0, selector_load_cycles = 0, selector_search_cycles = 0, selector_emit_cycles = 0;
  bool selector_bypassed = false;
  int64_t compare_stages = 0;
  // MAC array.
  uint64_t passes = 0;
  int slots_per_pass = 0;
  int64_t lanes_per_pass = 0;
  uint64_t items = 0, mac_busy_cycles = 0, routing_conflict_columns = 0;
  bool activations_resident = false;
  // Weight-packing SRAM.
  int words_per_column = 0;
  uint64_t slice_words = 0, table_words = 0, table_bytes = 0, capacity_words = 0, peak_words = 0;
  bool table_fits = false, resident = false;
  int64_t blocks = 0;
};

// ---- Sparse-on-Dense (sod): storage formats, stored bytes, each decompression unit ----
struct DecompressorUnitInfo {
  bool compressed = false;  // false: the operand is stored dense and the unit is bypassed
  uint64_t vectors = 0, entries = 0, busy_cycles = 0, bits_read = 0;
  // Structural cost of the unit: the port word it receives and the dense lanes it emits are
  // registers; the scatter is a nnz_per_cycle x lanes crossbar.
  uint64_t register_bits = 0, crossbar_crosspoints = 0;
};

struct SodInfo {
  ArrayLayerInfo array;
  SparseFormat weight_format = SparseFormat::Dense;
  SparseFormat activation_format = SparseFormat::Dense;
  uint64_t weight_bytes_dense = 0, weight_bytes_compressed = 0;
  uint64_t activation_bytes_dense = 0, activation_bytes_compressed = 0;
  DecompressorUnitInfo weights, activations;
};

// ---- sparse-PE ----
struct SparsePeInfo {
  ArrayLayerInfo array;
  int64_t pe_count = 0;
  uint64_t macs = 0;                // matching pairs issued
  uint64_t active_pe_cycles = 0;    // PE-cycles with entries on both sides
  uint64_t starved_pe_cycles = 0;   // PE-cycles an unfinished PE waited on an empty FIFO
  uint64_t idle_pe_cycles = 0;
  uint64_t bus_blocked_cycles = 0;
  uint64_t entries_examined = 0;
  uint64_t weight_bytes_dense = 0, weight_bytes_compressed = 0;
  uint64_t activation_bytes_dense = 0, activation_bytes_compressed = 0;
};

using LayerInfo = std::variant<DenseInfo, CsInfo, SodInfo, SparsePeInfo>;

struct LayerOutcome {
  Int32Tensor output;  // [1, O, out_h, out_w]
  LayerStats stats;
  LayerInfo info;
};

}  // namespace sparsesim
