#pragma once
// The weight-packing SRAM of the CS datapath and its fill process.
//
// Contents: the packed table of the packed groups resident in the MAC array, stored by column:
// column k of a pass holds slot k of each of its R resident packed groups, R entries of
// (8-bit weight, ceil(log2 N)-bit kernel ID) = entry_bits each, in
//   words_per_column = ceil(R * entry_bits / word_bits)
// words. Word j of column k lives in bank (k * words_per_column + j) mod banks, so a column read
// touches consecutive banks. Each bank has `ports` read ports, one word per port per cycle; a
// word several lanes ask for in the same cycle is read once and broadcast. A cycle's column
// requests therefore take max over banks ceil(distinct words in the bank / ports) cycles
// (SramBanks::readCycles): the part a single column needs alone is the SRAM bandwidth limit
// (stall "sram_bandwidth"), the rest is bank conflicts between lanes ("sram_bank_conflict").
// Reads are pipelined: read_latency is paid once per pass.
//
// Capacity and the "does not fit" rule: the SRAM holds banks x depth words. A pass uses the K
// columns of R packed groups: a slice of K * words_per_column words, ceil(K * R * entry_bits / 8)
// bytes over DRAM.
//   - a layer the run's residency plan made resident (memory.weights = "preload" and the table
//     fits beside the other resident layers' tables; sim/workload/plans/WeightResidency.h): the
//     table is in the SRAM from configuration; no DRAM traffic, no waiting.
//   - otherwise the table is streamed from DRAM pass by pass, every slice once per layer, bytes
//     counted, through the words the resident tables leave (capacity_words): the fill process
//     loads slices ahead of the MAC array as long as they fit beside the slices not yet released
//     (the MAC array releases a slice when its pass ends); the array stalls ("dram") when the
//     fetch cannot keep up. R is the array's packed-group slots (array.cols), reduced for a layer
//     whose single slice would not fit; a layer whose one-group slice does not fit is refused.
// When the layer's activations do not fit the activation buffer (memory.ifmap_kb), the fill
// process also re-reads a conv group's activations from DRAM before every pass after the first.
#include <systemc>

#include <cstdint>
#include <memory>
#include <ostream>
#include <vector>

#include "models/common/DramController.h"
#include "models/common/LayerStats.h"
#include "sim/config/CsConfig.h"
#include "sim/workload/WeightPacker.h"

namespace sparsesim {

// Bank geometry, read timing and resource count (plain C++).
class SramBanks {
 public:
  explicit SramBanks(const CsSramConfig& c);
  int wordsPerColumn(int64_t entries, int entryBits) const;
  uint64_t capacityWords() const { return uint64_t(c_.banks) * uint64_t(c_.depth); }
  uint64_t capacityBytes() const { return capacityWords() * uint64_t(c_.word_bits) / 8; }
  // Cycles to read the given distinct columns (each wpc words) in one request round.
  uint64_t readCycles(const int32_t* columns, size_t count, int wpc) const;
  // Cycles one column alone takes.
  uint64_t aloneCycles(int wpc) const;
  // Mean readCycles of `count` distinct columns drawn at random from [0, K): 64 draws from a
  // fixed seed, so the figure is reproducible (the CS mode estimate's step cost).
  double expectedReadCycles(int64_t K, int64_t count, int wpc) const;
  // BRAM36 (72 x 512) or URAM (72 x 4096) blocks the banks occupy.
  int64_t blocks() const;
  const CsSramConfig& config() const { return c_; }

 private:
  CsSramConfig c_;
  mutable std::vector<uint32_t> count_;
};

// One column entry as the MAC array sees it: the slot's weight and the output channel (within
// the conv group) its kernel ID routes to.
struct ColumnEntry {
  int8_t weight = 0;
  bool valid = false;
  int32_t kernel = 0;  // the output channel the entry's kernel ID stands for in this conv group
  uint16_t kid = 0;    // kernel ID within its packed group (what the router steers by)
};

// One pass's slice: K columns x R resident packed groups, column-major.
struct PassTable {
  int group = 0;            // conv group
  int64_t K = 0;
  int R = 0;                // resident packed groups
  int words_per_column = 1;
  int entry_bits = 0;       // one entry: 8-bit weight + kernel ID (0: not known, a hand-built table)
  int kernels = 0;          // output channels the pass produces
  std::vector<ColumnEntry> entries;  // entries[k * R + r]
  int ids = 1;                       // most kernels one resident packed group holds
  std::vector<int32_t> kernel_of;    // [r * ids + kid]: output channel, -1 where no kernel
};

// The slice of a packed layer one pass holds: packed groups [first, first + R) of conv group
// `group`, with the packer's kernel IDs and the channel each stands for. What the SRAM block
// builds for the MAC array; tests and benchmarks build theirs the same way.
PassTable buildPassTable(const PackedLayer& p, int group, size_t first, int R, int wpc);

// Gives a table written by hand from entries' output channels alone (router tests) kernel IDs:
// per resident group, its distinct channels in first-use order.
void assignKernelIds(PassTable& t);

struct PassTask {
  const PassTable* table = nullptr;
  bool first_of_group = false;
  bool last_of_layer = false;
  uint64_t slice_words = 0;   // SRAM words the slice occupies until released
  LayerStats* stats = nullptr;
};
inline std::ostream& operator<<(std::ostream& os, const PassTask& t) {
  return os << "pass(g" << (t.table ? t.table->group : -1) << " R" << (t.table ? t.table->R : 0) << ")";
}

// What the datapath asks of the SRAM for one layer.
struct SramLayerJob {
  const PackedLayer* packed = nullptr;
  bool resident = false;                // the whole table is preloaded: no DRAM traffic, no space to wait for
  uint64_t capacity_words = 0;          // words a streamed table may use (0: the whole SRAM)
  int slots = 1;                        // R: packed groups resident per pass
  int entry_bits = 8;
  std::vector<uint64_t> refetch_bytes;  // per conv group: activation bytes re-read per later pass
  LayerStats* stats = nullptr;
  std::vector<std::unique_ptr<PassTable>> tables;  // filled by the SRAM; freed by the datapath
  uint64_t passes = 0;                  // filled by the datapath
};

// Slices the datapath will load for a layer: R, words per column and pass count.
struct SliceGeometry {
  int R = 0;
  int words_per_column = 0;
  uint64_t slice_words = 0;
  uint64_t passes = 0;
  uint64_t table_words = 0;  // whole layer
  uint64_t table_bytes = 0;  // whole layer over DRAM
};
// slots: the array's packed-group slots. R = 0 when not even one packed group's slice fits in
// capacityWords (0: the whole SRAM).
SliceGeometry planSlices(const PackedLayer& p, int slots, int entryBits, const SramBanks& banks, uint64_t capacityWords = 0);

class SramReleaseIf : public virtual sc_core::sc_interface {
 public:
  virtual void release(uint64_t words) = 0;
};

class WeightPackingSram : public sc_core::sc_module, public SramReleaseIf {
 public:
  sc_core::sc_port<DramPortIf> dram;
  sc_core::sc_port<sc_core::sc_fifo_out_if<PassTask>> to_mac;
  sc_core::sc_export<SramReleaseIf> release_port;
  sc_core::sc_fifo<SramLayerJob*> jobs;  // one entry per layer

  WeightPackingSram(sc_core::sc_module_name name, const CsSramConfig& c);
  void release(uint64_t words) override;
  const SramBanks& banks() const { return banks_; }
  uint64_t peakWords() const { return peak_; }
  void resetPeak() { peak_ = used_; }

 private:
  void fill();
  SramBanks banks_;
  uint64_t used_ = 0, peak_ = 0;
  sc_core::sc_event freed_;
};

}  // namespace sparsesim
