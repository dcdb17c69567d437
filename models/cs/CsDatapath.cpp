#include "models/cs/CsDatapath.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/common/Cycles.h"
#include "models/common/TraceSink.h"
#include "sim/core/Math.h"
#include "sim/workload/Lowering.h"
#include "sim/workload/plans/CsLayerPlan.h"

namespace sparsesim {

CsDatapath::CsDatapath(sc_core::sc_module_name name, const ArchConfig& arch)
    : sc_module(name),
      arch_(arch),
      actFifo_("activations_fifo", 1),
      passFifo_("pass_fifo", 64),
      writebackFifo_("writeback_fifo", arch.memory.prefetch_depth),
      dram_("dram", dramBandwidthOf(arch)),
      selector_("kwta_selector", SelectorParams::from(arch.cs.selector)),
      sram_("weight_sram", arch.cs.sram),
      mac_("mac_array", MacParams::from(arch), sram_.banks()),
      output_("output_buffer") {
  selector_.dram(dram_.port);
  selector_.to_mac(actFifo_);
  sram_.dram(dram_.port);
  sram_.to_mac(passFifo_);
  mac_.from_selector(actFifo_);
  mac_.from_sram(passFifo_);
  mac_.sram(sram_.release_port);
  mac_.to_output(writebackFifo_);
  output_.from_array(writebackFifo_);
  output_.dram(dram_.port);
}

void CsDatapath::attachTracer(TraceSink& t) {
  selector_.attachTracer(t);
  mac_.attachTracer(t, arch_.cs.packing.max_n);
  if (t.on(TraceBlock::WeightSram))
    t.setParams(TraceBlock::WeightSram, {{"banks", arch_.cs.sram.banks}, {"word_bits", arch_.cs.sram.word_bits},
                                         {"ports", arch_.cs.sram.ports}, {"read_latency", arch_.cs.sram.read_latency}});
}

namespace {
uint64_t wordsToBytes(uint64_t words, const CsSramConfig& c) { return ceilDiv(words * uint64_t(c.word_bits), uint64_t(8)); }
}  // namespace

WeightFootprint CsDatapath::weightFootprint(const ArchConfig& a, const LayerWorkload& w) {
  // The SRAM words the layer's packed table occupies (weights + kernel IDs, padded to whole
  // words per column), and to stream: one packed group's slice.
  const SramBanks banks(a.cs.sram);
  const CsLayerPlan plan = planCsLayer(w, a.cs, a.memory, a.array.rows, a.array.cols,
                                       [&banks](int64_t K, int64_t columns, int wpc) {
                                         return banks.expectedReadCycles(K, columns, wpc);
                                       },
                                       false);
  const SliceGeometry sg = planSlices(*plan.packed, a.array.cols, plan.entry_bits, banks);
  const uint64_t oneGroup = uint64_t(plan.packed->K) * uint64_t(banks.wordsPerColumn(1, plan.entry_bits));
  return WeightFootprint{wordsToBytes(sg.table_words, a.cs.sram), wordsToBytes(oneGroup, a.cs.sram)};
}

uint64_t CsDatapath::weightMemoryBytes(const ArchConfig& a) { return SramBanks(a.cs.sram).capacityBytes(); }

uint64_t CsDatapath::streamCapacityWords(const WeightPlacement& at, const CsSramConfig& c) {
  const uint64_t all = SramBanks(c).capacityWords();
  if (at.stream_capacity_bytes < 0) return all;
  return std::min<uint64_t>(all, static_cast<uint64_t>(at.stream_capacity_bytes * 8.0 / double(c.word_bits)));
}

LayerOutcome CsDatapath::runLayer(const LayerWorkload& w) {
  LayerOutcome out;
  LayerStats& stats = out.stats;
  const LayerGeometry& g = w.geom;
  const CsConfig& cs = arch_.cs;
  // 1. Offline: mode, packing, k, activation buffer format.
  const CsLayerPlan plan = planCsLayer(w, cs, arch_.memory, arch_.array.rows, arch_.array.cols,
                                         [this](int64_t K, int64_t columns, int wpc) {
                                           return sram_.banks().expectedReadCycles(K, columns, wpc);
                                         });
  const PackedLayer& packed = *plan.packed;
  // A resident table has the whole SRAM's geometry; a streamed one the words the resident
  // tables leave (the run's residency plan keeps room for the largest one-group slice).
  const uint64_t streamWords = streamCapacityWords(w.weights_at, arch_.cs.sram);
  const SliceGeometry sg = planSlices(packed, arch_.array.cols, plan.entry_bits, sram_.banks(), w.weights_at.resident ? 0 : streamWords);
  if (sg.R == 0)
    throw std::runtime_error("layer \"" + w.config.name + "\": one packed group's " + std::to_string(g.K) +
                             " columns do not fit the weight-packing SRAM (" + std::to_string(streamWords) +
                             " words free of " + std::to_string(sram_.banks().capacityWords()) + "; " + arch_.source_file + ": cs.sram)");

  // 2. Jobs for the selector, the SRAM fill and the MAC array.
  const size_t L = plan.L;
  Selection sel;
  SelectJob sj;
  sj.input = w.input.data.data();
  sj.n = L;
  sj.k = plan.k;
  sj.active = plan.sparse_activations;
  sj.group_size = plan.selector_group;
  sj.image = plan.selector_image;
  sj.density = w.config.activation_density;
  sj.fetch_bytes = L;
  sj.result = &sel;
  sj.stats = &stats;

  SramLayerJob sjob;
  sjob.packed = &packed;
  const bool tableFits = sg.table_words <= sram_.banks().capacityWords();
  sjob.resident = w.weights_at.resident;
  // A resident table was planned against the whole SRAM (planSlices above), a streamed one against
  // the words the resident tables leave: the fill checks each slice against the same bound.
  sjob.capacity_words = w.weights_at.resident ? 0 : streamWords;
  sjob.slots = sg.R;
  sjob.entry_bits = plan.entry_bits;
  sjob.refetch_bytes = plan.refetchBytes(g.groups);
  sjob.stats = &stats;
  sjob.passes = sg.passes;
  sram_.resetPeak();

  std::vector<std::vector<int32_t>> C(static_cast<size_t>(g.groups), std::vector<int32_t>(static_cast<size_t>(g.M * g.N), 0));
  MacLayerJob mj;
  mj.w = &w;
  // A layer whose k-WTA keeps every activation has dense activations: the selector is bypassed
  // and the array walks every window position, as in the dense-activation modes.
  mj.selection = plan.uses_selection ? &sel : nullptr;
  mj.packed = &packed;
  mj.C = &C;
  mj.output_bytes = arch_.memory.output_bytes;
  mj.stats = &stats;

  selector_.jobs.write(&sj);
  sram_.jobs.write(&sjob);
  mac_.jobs.write(&mj);
  output_.layer_done.read();

  // The activation buffer is written once per layer: the fetched input, or the selector's
  // winners in the chosen format.
  stats.selector_comparisons += sel.comparisons;
  stats.block_events[BlockEvent::KwtaSelectorBusyCycles] += sel.cycles;
  stats.block_events[BlockEvent::ActivationBufferWriteBytes] += plan.activation_bytes;

  out.output = Int32Tensor({g.batch, g.out_c, g.out_h, g.out_w});
  for (int grp = 0; grp < g.groups; ++grp) scatterGroupOutput(g, grp, C[static_cast<size_t>(grp)], out.output);

  CsInfo info;
  info.mode = plan.mode;
  for (const CsModeEstimate& e : plan.mode_estimates) info.mode_estimate_cycles.emplace_back(e.mode, e.cycles);
  info.N = packed.maxN;
  info.groups = packed.packedGroups;
  info.packing_efficiency = packed.efficiency();
  info.id_bits = packed.idBits;
  info.k = plan.k;
  info.L = L;
  info.selection_active = plan.sparse_activations;
  if (plan.sparse_activations) info.winners = std::move(sel.indices);
  info.selector_cycles = sel.cycles;
  info.selector_load_cycles = sel.load_cycles;
  info.selector_search_cycles = sel.search_cycles;
  info.selector_emit_cycles = sel.emit_cycles;
  info.selector_bypassed = plan.sparse_activations && sel.groups == sel.bypassed_groups;
  info.compare_stages = sel.compare_stages;
  info.passes = mj.passes;
  info.slots_per_pass = sg.R;
  info.lanes_per_pass = int64_t(arch_.array.rows) * (cs.mac.replicate ? std::max(1, arch_.array.cols / std::max(1, sg.R)) : 1);
  info.items = mj.items;
  info.mac_busy_cycles = mj.busy_cycles;
  info.routing_conflict_columns = mj.routing_conflict_columns;
  info.activations_resident = plan.activations_resident;
  info.words_per_column = sg.words_per_column;
  info.slice_words = sg.slice_words;
  info.table_words = sg.table_words;
  info.table_bytes = sg.table_bytes;
  info.capacity_words = sram_.banks().capacityWords();
  info.table_fits = tableFits;
  info.resident = sjob.resident;
  info.peak_words = sjob.resident ? sg.table_words : sram_.peakWords();
  info.blocks = sram_.banks().blocks();
  out.info = std::move(info);
  return out;
}

}  // namespace sparsesim
